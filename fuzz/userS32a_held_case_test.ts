// userS32a, findings 10 and 11: when a campaign's case was not written because its file already
// held a case of the same finding no larger, the campaign described its own case as the file's.
// - 11: after an interrupted shrink (the file held the cut 159-decision case), the next campaign
//   printed "new failure ... written unshrunk before shrinking it: FILE"; nothing was written.
// - 10: a campaign whose failure matched a case another campaign had kept printed "shrunk to size
//   56 ... (44 decisions): FILE" and "the shrunk case fails: ..." of a file holding the other
//   campaign's 10-decision case, with another message.
// The cases are the user's (lostC's cut case, lostE's seed-1 case of their bug A service).
import { strict as assert } from "node:assert";
import { foundLine, type HeldCase, jsonSummary, summaryText, writeFinding } from "../cli/fuzz.ts";
import type { CaseEnvelope } from "../case/envelope.ts";
import { readCaseFile } from "../case/store.ts";
import { runCampaign } from "./orchestrate.ts";

const DATA = new URL("../case/testdata/userS32a_reg/", import.meta.url).pathname;
const CUT = `${DATA}held/lostC_cut.json`;
const SEED1 = `${DATA}corpus/invariant-data-integrity-wb-buga-713f1d25.json`;
const SIG = "invariant:data-integrity";

/** A corpus in a temporary folder holding `file` (under its own name); removed after `body`. */
async function withCorpus(
  file: string,
  body: (dir: string, name: string) => Promise<void>,
): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "pagersim-s32a-held-" });
  try {
    const c = await readCaseFile(file);
    const { caseFileName } = await import("../case/envelope.ts");
    const name = caseFileName(c);
    // The module paths stay as recorded: only the file's content is read here.
    await Deno.writeTextFile(`${dir}/${name}`, JSON.stringify(c, null, 2) + "\n");
    await body(dir, name);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** The case `c` grown to `n` decisions, as another run of the same finding found it. */
function larger(c: CaseEnvelope, n: number, found: CaseEnvelope["found"], description: string) {
  const decisions = [...c.decisions, ...Array(n - c.decisions.length).fill(0)];
  return { ...c, decisions, traceHash: "f00df00df00df00d", found, description };
}

Deno.test("userS32a (11): a first write that the file's cut case kept out is not called written", async () => {
  await withCorpus(CUT, async (dir, name) => {
    const cut = await readCaseFile(CUT);
    assert.equal(cut.found?.shrinkCut, true);
    // The next campaign's run 41, unshrunk (277 decisions): no smaller than the cut case.
    const unshrunk = larger(
      cut,
      277,
      { by: "fuzz", campaignSeed: 1, run: 41, unshrunk: true },
      cut.description,
    );
    const kept = new Map<string, HeldCase>();
    const w = await writeFinding(dir, { signature: SIG, case: unshrunk }, kept);
    assert.equal(w.written, false);
    assert.equal(w.file, `${dir}/${name}`);
    assert.deepEqual((await readCaseFile(w.file)).decisions, cut.decisions, "the cut case stays");
    const line = foundLine({ signature: SIG, k: 41, stage: "unshrunk" }, w);
    assert.doesNotMatch(line, /written unshrunk/);
    assert.equal(
      line,
      `new failure ${SIG} (run 41), not written: ${w.file} already holds a case of it no larger ` +
        "(159 decisions, found by fuzz campaign 1, shrunk from run 41; its shrinking was cut " +
        "short), which stays; run 41 is shrunk now, and its shrunk case replaces that one if " +
        `no larger: deno task repro ${w.file}`,
    );
    assert.equal(kept.get(SIG)?.decisions, 159);
  });
});

Deno.test("userS32a (10): the summary describes the case another campaign kept, not its own", async () => {
  await withCorpus(SEED1, async (dir) => {
    const seed1 = await readCaseFile(SEED1);
    const own = "invariant:data-integrity (lost-write: vmo1015 page 0 supplied with byte 0x1 at " +
      "0x0 after the file was re-opened, its last writeback (WRITEBACK_END ZX_OK) wrote back 0x86)";
    const mine = larger(
      seed1,
      44,
      { by: "fuzz", campaignSeed: 2, run: 5, shrunkFrom: 185 },
      `found by fuzz campaign 2, shrunk from run 5: ${own}`,
    );
    const kept = new Map<string, HeldCase>();
    const w = await writeFinding(dir, { signature: SIG, case: mine }, kept);
    assert.equal(w.written, false);
    // A 1-run campaign gives a summary to put the finding in (as cli/ux29b_test.ts does).
    const s = await runCampaign({
      seed: 1,
      workers: 1,
      seconds: null,
      runs: 1,
      servicePath: null,
      kernelPath: new URL("./testdata/variant_kernel.ts", import.meta.url).pathname,
      known: [],
      maxShrink: 5,
      checkers: "kernel",
      modules: {},
      persist: () => Promise.resolve("(not written)"),
      progress: () => {},
      progressEvery: 60,
    });
    const withFinding = {
      ...s,
      findings: [{
        signature: SIG,
        k: 5,
        file: w.file,
        replay: `deno task repro ${w.file}`,
        size: { from: 376, to: 56 },
        shrunk: true,
        shrinkCut: false,
        unconfirmed: false,
        decisions: 44,
        shrunkFrom: 185,
        occurrences: 53,
        description: "found by fuzz campaign 2, run 5: invariant:data-integrity (lost-write: ...)",
        shrunkFailure: own,
      }],
    };
    const lines = summaryText(withFinding, { kept }).split("\n");
    const sized = lines.find((l) => l.startsWith("    run 5, 53 failing runs; "));
    assert.equal(
      sized,
      "    run 5, 53 failing runs; shrunk to size 56 (from 376; 44 decisions from 185), not " +
        `written: ${w.file} holds a case of it no larger, which was kept (10 decisions, found by ` +
        "fuzz campaign 1, shrunk from run 41)",
    );
    assert.ok(!lines.some((l) => l.startsWith("    the shrunk case fails")), lines.join("\n"));
    assert.ok(
      lines.includes(
        "    the kept case fails: invariant:data-integrity (lost-write: vmo1009 page 0 supplied " +
          "with byte 0xa at 0x0, the last write left 0x0)",
      ),
      lines.join("\n"),
    );
    // --json (session 33) describes the held case too, and says it is not this campaign's.
    const j = jsonSummary(withFinding, kept).findings[0];
    assert.equal(j.file, w.file);
    assert.equal(
      j.description,
      "found by fuzz campaign 1, shrunk from run 41: invariant:data-integrity (lost-write: " +
        "vmo1009 page 0 supplied with byte 0xa at 0x0, the last write left 0x0)",
    );
    assert.equal(j.decisions, 10);
    assert.equal(j.heldCase?.thisCampaigns, false);
    assert.equal(j.heldCase?.ownDecisions, 44);
    assert.equal(j.heldCase?.ownShrunkFailure, own);
    assert.equal(
      jsonSummary(withFinding, new Map()).findings[0].description,
      withFinding.findings[0].description,
    );
    // Without a kept case, the summary is as before.
    const plain = summaryText(withFinding).split("\n");
    assert.ok(plain.includes(`    the shrunk case fails: ${own}`), plain.join("\n"));
  });
});
