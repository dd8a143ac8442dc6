// userS29a (case/testdata/blame29): tinyfs, a read-write filesystem's pager service written from
// the README alone, opens its own VMOs and numbers each pager's files from key 0x7f00000001 (its
// volume state is per service context, so pagers p0 and p1 both use that key). Its planted bug
// (tinyfs/tinyfs_bug.ts) signals the queue's condition variable before it pushes the request, a
// lost wake-up. `deno task fuzz --service tinyfs/tinyfs_bug.ts --workers 1 --runs 2000 --seed 1`
// signed 1083 runs `lost-wakeup:condvar queue nonempty` but 3 `dropped-after-error:
// zx_pager_supply_pages:ZX_ERR_NO_MEMORY` and 7 `dropped-after-error:ZX_PAGER_OP_DIRTY:
// ZX_ERR_NOT_FOUND`: the stranded READ was of p1's vmo1014 (pager 0x50, port 0x60) and the blamed
// answer went to p0's vmo1015 (pager 0x30, port 0x40), matched by key alone (`which had this VMO's
// key 0x7f00000001`). A key is its port's: with keys unique across pagers, the user's 1093 failing
// runs all signed the lost wake-up. The two cases were found as
// dropped-after-error-zx-pager-supply-pages-zx-err-no-memory-tinyfs-bug-2c6c0dcf.json and
// dropped-after-error-zx-pager-op-dirty-zx-err-not-found-tinyfs-bug-266eed7c.json.
import { strict as assert } from "node:assert";
import { projectRoot } from "./store.ts";
import { replayedCase, verdictMessage } from "./_replay_fixture.ts";
import { signScenarioRun } from "../fuzz/engine.ts";
import type { KindRun } from "./kind.ts";
import { denoOutput } from "../cli/_deno_output.ts";
import { SometimesMonitor } from "../fuzz/sometimes.ts";
import { ZX_PAGER_VMO_COMPLETE } from "../kernel/constants.ts";

const TREE = await projectRoot(new URL("../", import.meta.url).pathname);
const DIR = new URL("./testdata/blame29/corpus", import.meta.url).pathname;

/** The case named `name`, replayed as recorded (verdict and trace hash). */
async function replayed(name: string): Promise<KindRun> {
  return (await replayedCase(DIR, name)).run;
}

const message = verdictMessage;

Deno.test("blame29 tinyfs: a failed supply to another pager's VMO with the same key is not blamed for a READ a lost wake-up left", async () => {
  const run = await replayed("lost-wakeup-condvar-queue-nonempty-tinyfs-bug-2c6c0dcf.json");
  // The READ left is vmo1014's (p1, port 0x60); the supply that ran out of memory was to vmo1015
  // (p0, port 0x40), created with the same key 0x7f00000001.
  assert.match(message(run), /took a READ for vmo1014 page 0/);
  assert.doesNotMatch(message(run), /failed answer|which had this VMO's key/);
  assert.equal(signScenarioRun(run), "lost-wakeup:condvar queue nonempty");
  assert.match(
    message(run),
    /; parked holding a packet: t4 "tinyfs\.supplier" waits on futex 0x[0-9a-f]+ \(condvar queue nonempty\), never woken for a packet t3 "p1\.svc" handed off/,
  );
});

Deno.test("blame29 tinyfs: a failed OP_DIRTY to another pager's VMO with the same key is not blamed either", async () => {
  const run = await replayed("lost-wakeup-condvar-queue-nonempty-tinyfs-bug-266eed7c.json");
  assert.doesNotMatch(message(run), /failed answer|which had this VMO's key/);
  assert.equal(signScenarioRun(run), "lost-wakeup:condvar queue nonempty");
});

Deno.test("blame29 repro --current-code: the recorded side is the case's signature, as the now side is", async () => {
  // userS29a: "recorded (against the old code): invariant:answers-every-read; now:
  // lost-wakeup:condvar queue nonempty" for a case whose recorded signature is the lost wake-up.
  const file = `${DIR}/lost-wakeup-condvar-queue-nonempty-tinyfs-bug-2c6c0dcf.json`;
  const r = await denoOutput(
    [
      "run",
      "--allow-read",
      "--allow-run=deno",
      "--allow-env",
      "cli/repro.ts",
      file,
      "--current-code",
    ],
    TREE,
  );
  assert.equal(r.code, 1, r.out + r.err); // it still fails: --current-code exits 0 only on a pass
  assert.match(
    r.out,
    /^recorded \(its modules unchanged since\): lost-wakeup:condvar queue nonempty; now: lost-wakeup:condvar queue nonempty$/m,
  );
});

Deno.test("blame29 sometimes: a key is reused after a COMPLETE only on the port that took it", () => {
  // userS29a's tinyfs never reuses a key on one pager, yet its campaign counted 107 runs of
  // key-reused-after-complete: p1 created key 0x7f00000001 after p0's COMPLETE of that key.
  const key = 0x7f_0000_0001;
  const complete = { key, command: ZX_PAGER_VMO_COMPLETE, offset: 0, length: 0 } as never;
  const world = (...vmos: [koid: number, port: number][]) =>
    ({
      kernel: {
        pagerVmos: vmos.map(([koid, port]) => ({ koid, key, proxy: { port: { koid: port } } })),
      },
      threads: [],
    }) as never;
  const create = {
    k: "call",
    tid: 5,
    name: "zx_pager_create_vmo",
    args: [0x50, 8, 0x60, key, 256],
  };
  const s = new SometimesMonitor();
  s.onEvent({ k: "packet-dequeued", tid: 1, port: 1004, vmo: 1014, id: 0, packet: complete });
  s.afterStep(world([1014, 1004]));
  s.onEvent(create as never);
  s.afterStep(world([1014, 1004], [1015, 1006])); // the new VMO's packets go to port 1006
  assert.ok(!s.hit.has("key-reused-after-complete"));
  s.onEvent({ ...create, args: [0x30, 8, 0x40, key, 256] } as never);
  s.afterStep(world([1014, 1004], [1015, 1006], [1016, 1004])); // re-opened on port 1004
  assert.ok(s.hit.has("key-reused-after-complete"));
});
