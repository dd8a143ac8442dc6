// userS32a (case/testdata/userS32a): a README-only user's fxfs-like writeback service, wb_v1.ts,
// opens a VMO per open of a file and persists a closed VMO's dirty pages when its writeback pass
// gets to them. In the user's case the file's page 0 is written 0xa0 in vmo1011, the file is
// closed and opened again as vmo1014, whose page 0 is supplied the store's 0x1 (step 43); then
// vmo1011's writeback ends (step 51: writing back a detached VMO's dirty pages is what upstream
// expects, pager_detach_vmo.md), the kernel evicts vmo1014's clean page and it is supplied again,
// now 0xa0, with no write to vmo1014. A real fault: the kernel may evict a clean page at any
// time (pager_detach_vmo.md: "free to evict clean pages"), so a page of a VMO may not change
// without a write to it. The message said only "the backing store holds 0x1", while the README
// said a later VMO of the file "must be supplied" the newest writeback: it now names the
// writeback that did not count and why, and the README says writebacks count for a later VMO's
// first supply of a page only. wb_v1_noend.ts (no WRITEBACK_END) brings the same 0xa0 back on the
// same schedule; data-integrity passed it, adopting a state of an earlier VMO on a re-supply.
import { strict as assert } from "node:assert";
import { replayedCase, verdictMessage } from "./_replay_fixture.ts";
import { readCaseFile, resolveContext } from "./store.ts";
import { SCENARIO_KIND } from "./kinds.ts";
import { parseScenario } from "../scenario/schema.ts";

const DIR = new URL("./testdata/userS32a/corpus", import.meta.url).pathname;

Deno.test("userS32a: a re-supply that changed a page of a re-opened file names the writeback that did not count", async () => {
  const { run } = await replayedCase(DIR, "wb-v1-19791656.json");
  assert.equal(
    verdictMessage(run),
    "supply: vmo1014 page 0 supplied with byte 0xa0 at 0x0, where it held 0x1 (supplied at " +
      "step 43) and nothing wrote to vmo1014 since: vmo1011's writeback of the page ended " +
      "(WRITEBACK_END ZX_OK) at step 51, after vmo1014 was supplied the page, so it does not " +
      "count for vmo1014: a page of a VMO may not change without a write to it",
  );
});

Deno.test("userS32a: a re-supply may not adopt a state an earlier VMO of the file took (no END)", async () => {
  const { run } = await replayedCase(DIR, "wb-v1-noend-19791656.json");
  assert.equal(run.verdict.kind, "invariant");
  assert.equal(
    verdictMessage(run),
    "supply: vmo1014 page 0 supplied with byte 0xa0 at 0x0, where it held 0x1 (supplied at " +
      "step 43) and nothing wrote to vmo1014 since: a page of a VMO may not change without a " +
      "write to it (what another VMO of the file wrote, or wrote back, counts for the first " +
      "supply of the page only)",
  );
});

Deno.test("userS32a B1: K29 names the thread that took a DIRTY packet, and how much of it was answered", async () => {
  const { run } = await replayedCase(DIR, "wb-bugB1-9b1a431e.json");
  assert.equal(
    verdictMessage(run),
    'K29: hang at step 15: t3 "w0" waits on vmo 1008: DIRTY request #2 pages [0,2); DIRTY #2: ' +
      'taken by t1 "p0.svc" at step 13, answered (ZX_PAGER_OP_DIRTY) for 1 of its 2 pages only; ' +
      'also parked: t1 "p0.svc" waits on port 1004; t2 "flusher" waits on futex 0x40000004 ' +
      "(condvar writeback work)",
  );
});

Deno.test("userS32a B1 at an overtime: P1 names the same DIRTY request K29 names at a hang, and how much was answered", async () => {
  // The same case under a scenario overtime: the writer's wait times out (P1) before the hang
  // (K29). Both messages name DIRTY #2 [0,2), taken at step 13, answered for 1 of its 2 pages.
  const file = `${DIR}/invariant-no-lost-requests-wb-bugB1-9b1a431e.json`;
  const c = await readCaseFile(file);
  const input = parseScenario({ ...(c.input as object), overtimeTicks: 30 });
  const run = SCENARIO_KIND.run(input, { seed: 1 }, await resolveContext(c, file));
  assert.match(
    verdictMessage(run),
    /^P1: t3 zx_vmo_write timed out waiting for the pager on DIRTY #2 \[0,2\), taken at step 13, answered \(ZX_PAGER_OP_DIRTY\) for 1 of its 2 pages only; t1 "p0\.svc" took its DIRTY request/,
  );
});
