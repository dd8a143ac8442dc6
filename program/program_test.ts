import { strict as assert } from "node:assert";
import { makeRng } from "../sim/rng.ts";
import { generateProgram, rngDraw } from "./generate.ts";
import {
  callCount,
  insertCalls,
  parseProgram,
  producedKind,
  type Program,
  ProgramError,
  removeCall,
  removeThread,
} from "./program.ts";

const P: Program = {
  pageSize: 64,
  overtimeTicks: 0,
  threads: [
    {
      failInsteadOfBlock: false,
      calls: [
        { call: "zx_vmo_create", args: [64, 0] },
        { call: "zx_handle_duplicate", args: [{ h: [0, 0] }, 0x8000_0000] },
        { call: "zx_vmo_read", args: [{ h: [0, 1] }, 0, 8] },
      ],
    },
    { failInsteadOfBlock: false, calls: [{ call: "zx_task_kill", args: [{ thread: 0 }] }] },
  ],
};

Deno.test("removing a call shifts later references and leaves references to it dangling", () => {
  const p = removeCall(P, 0, 0);
  assert.equal(callCount(p), 3);
  assert.deepEqual(p.threads[0].calls[0].args[0], { h: [0, -1] });
  assert.deepEqual(p.threads[0].calls[1].args[0], { h: [0, 0] });
});

Deno.test("inserting calls shifts the references of the calls after them", () => {
  const p = insertCalls(P, 0, 1, [{ call: "zx_port_create", args: [0] }]);
  assert.deepEqual(p.threads[0].calls[3].args[0], { h: [0, 2] });
  assert.equal(producedKind(p, [0, 2]), "vmo");
});

Deno.test("removing a thread renumbers thread handles and references", () => {
  const p = removeThread(P, 0);
  assert.equal(p.threads.length, 1);
  assert.deepEqual(p.threads[0].calls[0].args[0], { thread: 63 });
});

Deno.test("a duplicate produces what its source produces", () => {
  assert.equal(producedKind(P, [0, 1]), "vmo");
  assert.equal(producedKind(P, [0, 2]), null);
});

Deno.test("parseProgram accepts a program as JSON and names a wrong argument count", () => {
  assert.deepEqual(parseProgram(JSON.parse(JSON.stringify(P))), P);
  const bad = {
    ...P,
    threads: [{ failInsteadOfBlock: false, calls: [{ call: "zx_vmo_read", args: [1] }] }],
  };
  assert.throws(
    () => parseProgram(bad),
    (e) => e instanceof ProgramError && /threads\.0\.calls\.0/.test(e.message),
  );
});

// Issue 16: the level-3 calls are in the program fuzzing vocabulary, with their resources: a pin
// names a BTI, an unpin a PMT, a mapping or sub-region call a sub-region.
Deno.test("generated programs draw sub-regions and BTI pinning with their resources", () => {
  const drawn = new Map<string, number>();
  const named = new Set<string>();
  for (let seed = 0; seed < 300; seed++) {
    const p = generateProgram(rngDraw(makeRng(seed)));
    for (const t of p.threads) {
      for (const c of t.calls) {
        drawn.set(c.call, (drawn.get(c.call) ?? 0) + 1);
        const first = c.args[0];
        const third = c.args[2];
        const kind = (a: unknown) =>
          typeof a === "object" && a !== null && "h" in a
            ? producedKind(p, (a as { h: [number, number] }).h)
            : null;
        if (kind(first) !== null) named.add(`${c.call}(${kind(first)}`);
        if (c.call === "zx_bti_pin" && kind(third) === "vmo") named.add("zx_bti_pin(.., vmo");
      }
    }
  }
  for (
    const call of [
      "zx_vmar_allocate",
      "zx_vmar_destroy",
      "zx_bti_create",
      "zx_bti_pin",
      "zx_pmt_unpin",
    ]
  ) assert.ok((drawn.get(call) ?? 0) > 0, `${call} never drawn`);
  for (
    const use of [
      "zx_bti_pin(bti",
      "zx_bti_pin(.., vmo",
      "zx_pmt_unpin(pmt",
      "zx_vmar_map(vmar",
      "zx_vmar_allocate(vmar",
      "zx_vmar_destroy(vmar",
    ]
  ) assert.ok(named.has(use), `no ${use}) in 300 programs`);
});
