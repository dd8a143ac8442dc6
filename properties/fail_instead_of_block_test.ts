// syscall-contract `fail-instead-of-block` (properties/_fail_instead_of_block.ts): a thread in the
// fail-instead-of-block mode that parks on a page request inside a VMO syscall fails the run; and
// `wait-text` (properties/_pager_wait_text.ts): a pager wait's text names its VMO, its request,
// and a closed port. The rules' own cases on a stub world, then the kernel mutants they kill on
// campaign runs of the mutate judge (campaign seed 1), switched on in one instrumented mirror of
// kernel/vmo_pages.ts. Each mutant survived every checker before the rules (full run on 3a0112d,
// shard 1 of 8).
import { strict as assert } from "node:assert";
import { mirrorCampaignRun, sharedMirror } from "../mutate/mutant_mirror.ts";
import { blockedInsteadOfFailing, RequestsSent } from "./_fail_instead_of_block.ts";
import { afterVmoPrefix, pagerWaitTextProblem } from "./_pager_wait_text.ts";
import type { Call } from "./_step_monitor.ts";

// deno-lint-ignore no-explicit-any
type Any = any;

/** A world of one thread in `mode`, parked on `waiter` (null: no pager wait). */
function world(failInsteadOfBlock: boolean, waiter: { suspendable: boolean } | null): Any {
  return { threads: [{ k: { failInsteadOfBlock, waiter } }] };
}

const BLOCK = {
  k: "block",
  tid: 1,
  on: "vmo 1005: READ request #1 pages [0,1) at page 0",
} as const;
const call = (name: string): Call => ({ tid: 1, name, args: [], step: 3 });

Deno.test("fail-instead-of-block: only a pager wait inside a syscall's own access is a problem", () => {
  const pager = { suspendable: true };
  const problem = blockedInsteadOfFailing(BLOCK, call("zx_vmo_read"), world(true, pager));
  assert.match(
    problem ?? "",
    /^t1 runs in the fail-instead-of-block mode but parked in zx_vmo_read/,
  );
  assert.ok(blockedInsteadOfFailing(BLOCK, call("zx_vmo_op_range"), world(true, pager)));
  // Not judged: a thread that blocks by default, a wait that is no pager wait, a user page fault
  // through a mapping, and a fault on a syscall's user buffer (its waiter holds suspend off).
  assert.equal(blockedInsteadOfFailing(BLOCK, call("zx_vmo_read"), world(false, pager)), null);
  assert.equal(blockedInsteadOfFailing(BLOCK, call("zx_port_wait"), world(true, null)), null);
  assert.equal(blockedInsteadOfFailing(BLOCK, call("mem_read"), world(true, pager)), null);
  assert.equal(
    blockedInsteadOfFailing(BLOCK, call("zx_vmo_read"), world(true, { suspendable: false })),
    null,
  );
});

/** A world of one thread parked on vmo 1005, whose pager port has `portHandles` handles. */
function parkedOn(portHandles: number): Any {
  const vmo = { koid: 1005, proxy: { port: { handleCount: portHandles } } };
  return { threads: [{ k: { waiterVmo: vmo } }] };
}

Deno.test("wait-text: a pager wait names its VMO and request, and a closed port exactly when it is", () => {
  const on = (text: string) => ({ ...BLOCK, on: text });
  const open = "vmo 1005: READ request #1 pages [0,1) at page 0";
  const closed = `${open} (port closed: no packet will be delivered)`;
  assert.equal(pagerWaitTextProblem(on(open), parkedOn(1)), null);
  assert.equal(pagerWaitTextProblem(on(closed), parkedOn(0)), null);
  assert.equal(
    pagerWaitTextProblem(on("vmo 1005: DIRTY request #4 pages [2,5)"), parkedOn(1)),
    null,
  );
  assert.match(pagerWaitTextProblem(on(open), parkedOn(0)) ?? "", /no handle left/);
  assert.match(pagerWaitTextProblem(on(closed), parkedOn(2)) ?? "", /port is open/);
  assert.match(
    pagerWaitTextProblem(on("vmo 1006: nothing"), parkedOn(1)) ?? "",
    /says it waits on/,
  );
  assert.match(pagerWaitTextProblem(on(`${open}x`), parkedOn(1)) ?? "", /no known form/);
  // Not a pager wait: nothing to judge.
  assert.equal(
    pagerWaitTextProblem(on("port 7"), { threads: [{ k: { waiterVmo: null } }] } as Any),
    null,
  );
});

const mirror = sharedMirror("kernel/vmo_pages.ts");

const CASES: [key: string, run: number, rule: RegExp, what: string][] = [
  [
    "kernel/vmo_pages.ts:493:33:BlockStatement:{}",
    72,
    /^fail-instead-of-block: /,
    "a read parks instead of failing",
  ],
  [
    "kernel/vmo_pages.ts:550:33:BlockStatement:{}",
    199,
    /^fail-instead-of-block: /,
    "a COMMIT parks instead of failing",
  ],
  [
    'kernel/vmo_pages.ts:348:13:StringLiteral:""',
    36,
    /^wait-text: .*no handle left/,
    "a wait on a VMO whose port closed does not say so",
  ],
  [
    'kernel/vmo_pages.ts:349:13:StringLiteral:"Stryker was here!"',
    1,
    /^wait-text: .*no known form/,
    "a wait's text gains words",
  ],
];

Deno.test("fail-instead-of-block and wait-text kill the kernel's blocking fail-instead-of-block calls and misdescribed pager waits on campaign runs", async (t) => {
  const m = await mirror();
  const run = (await mirrorCampaignRun(m)) as (k: number) => Any;
  for (const [key, k, rule, what] of CASES) {
    await t.step(what, () => {
      assert.equal(run(k).kind, "pass", `run ${k} unmutated`);
      const v: Any = m.withMutant(key, () => run(k));
      assert.equal(v.kind, "invariant", JSON.stringify(v));
      assert.equal(v.invariant, "syscall-contract", JSON.stringify(v));
      assert.match(v.message, rule);
    });
  }
});

Deno.test("RequestsSent: a fail-instead-of-block call that returned ZX_OK names the request it sent", () => {
  // The request's text is made from its event at the failing return (it was made at every
  // request): the message word for word, and nothing for a call that parked after sending.
  const w: Any = { threads: [{ k: { failInsteadOfBlock: true } }] };
  const call: Call = { tid: 1, name: "zx_vmo_read", args: [0x10, 0, 64], step: 3 };
  const events: Any[] = [
    { k: "call", tid: 1, name: "zx_vmo_read", args: call.args },
    { k: "request", tid: 1, type: "READ", id: 7, vmo: 1005, start: 2, end: 4 },
    { k: "ret", tid: 1, name: "zx_vmo_read", status: 0 },
  ];
  const sent = new RequestsSent();
  const said = events.map((e) => sent.hear(e, call, w));
  assert.deepEqual(said.slice(0, 2), [null, null]);
  assert.equal(
    said[2],
    "t1 runs in the fail-instead-of-block mode and sent READ #7 [2,4) of vmo1005 in zx_vmo_read " +
      "without waiting for it, yet the call returned ZX_OK (it should have returned " +
      "ZX_ERR_SHOULD_WAIT: spec, model decisions)",
  );
  const parked = new RequestsSent();
  const withBlock = [events[0], events[1], { k: "block", tid: 1, on: "x" }, events[2]];
  assert.deepEqual(withBlock.map((e) => parked.hear(e, call, w)), [null, null, null, null]);
});

Deno.test("afterVmoPrefix: where the text after `vmo KOID: ` starts, as a prefix string says", () => {
  // Read digit by digit in place of a `vmo ${koid}: ` string per pager wait: the same answer as
  // that string's startsWith for every koid and text tried.
  const texts = [
    "vmo 1005: nothing",
    "vmo 1005: READ request #1 pages [0,1)",
    "vmo 01005: nothing",
    "vmo 1005:nothing",
    "vmo 1005 : nothing",
    "vmo 10050: nothing",
    "vmo 100: nothing",
    "vmo 0: nothing",
    "vmo : nothing",
    "vmo 1005",
    "vmo 1005:",
    "port 7",
    "",
  ];
  for (const koid of [0, 1, 9, 10, 100, 1005, 10050, 2 ** 40, -1, 1.5]) {
    for (const on of texts) {
      const prefix = `vmo ${koid}: `;
      assert.equal(
        afterVmoPrefix(on, koid),
        on.startsWith(prefix) ? prefix.length : -1,
        `${koid} ${on}`,
      );
    }
    const own = `vmo ${koid}: nothing`;
    assert.equal(afterVmoPrefix(own, koid), own.length - "nothing".length);
  }
});
