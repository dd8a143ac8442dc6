/**
 * The README's sample campaign summaries are the tool's output: userS27t found the sample after
 * "delivered to the services:" without the `write N` field the summary had printed for a
 * session. Each sample line is checked against what prints it: the fields and their order
 * (`DELIVERY_KINDS`), the counters' names (`SOMETIMES`, `PROGRAM_SOMETIMES`), the lines' shapes
 * (cli/fuzz.ts `summaryText`, fuzz/orchestrate.ts `progressLine`, fuzz/variant_calls.ts), and
 * where the sample names its service, the contract line that service's contract prints. The
 * counts are the seed's (rates and times are the machine's): the `my_contract` sample's command
 * (200 runs) is run here and its lines compared; the fxfs sample's (10,000 runs, minutes) only
 * under `deno task nightly` (session 29: both had quoted a scenario stream two sessions old).
 */
import { strict as assert } from "node:assert";
import { DELIVERY_KINDS } from "../scenario/contract.ts";
import { contractText, parseContract } from "../scenario/service_contract.ts";
import { SOMETIMES } from "../fuzz/sometimes.ts";
import { PROGRAM_SOMETIMES } from "../fuzz/programs/sometimes.ts";
import { variantCallLines } from "../fuzz/variant_calls.ts";
import { runCampaign } from "../fuzz/orchestrate.ts";
import { summaryText } from "./fuzz.ts";
import { NIGHTLY } from "../tools/nightly.ts";

const README = Deno.readTextFileSync(new URL("../README.md", import.meta.url));

/** The README's unlabelled code blocks (sample output), with the prose line before each. */
const blocks: { text: string; before: string }[] = [];
{
  const lines = README.split("\n");
  for (let i = 0; i < lines.length; i++) {
    if (lines[i] !== "```") continue;
    const end = lines.indexOf("```", i + 1);
    if (end < 0) break;
    const before = lines.slice(Math.max(0, i - 4), i).join("\n");
    blocks.push({ text: lines.slice(i + 1, end).join("\n"), before });
    i = end;
  }
}
const sampleLines = blocks.flatMap((b) => b.text.split("\n"));

Deno.test("every sample 'delivered to the services:' line has the summary's fields, in its order", () => {
  const delivered = sampleLines.filter((l) => l.startsWith("delivered to the services: "));
  assert.ok(delivered.length >= 2, "the README shows deliveries");
  for (const l of delivered) {
    const fields = l.slice("delivered to the services: ".length).split(", ");
    assert.deepEqual(fields.map((f) => f.split(" ")[0]), [...DELIVERY_KINDS], l);
    for (const f of fields) assert.match(f, /^[a-zA-Z]+ \d+$/, l);
  }
  for (const l of sampleLines.filter((x) => x.startsWith("out-of-contract inputs delivered: "))) {
    const kinds = /\((.*)\)$/.exec(l)?.[1].split(", ").map((f) => f.split(" ")[0]) ?? [];
    for (const k of kinds) {
      assert.ok((DELIVERY_KINDS as readonly string[]).includes(k), `${k}: ${l}`);
    }
  }
});

Deno.test("every sample counter line names a counter the summary prints", () => {
  const names = new Set([...Object.keys(SOMETIMES), ...Object.keys(PROGRAM_SOMETIMES)]);
  const counters = sampleLines.map((l) => /^ {4,}\d+ {2}([a-z0-9-]+)$/.exec(l)?.[1])
    .filter((n) => n !== undefined);
  assert.ok(counters.length > 0);
  for (const n of counters) assert.ok(names.has(n), n);
});

Deno.test("sample summary lines have the summary's shape", () => {
  for (const l of sampleLines) {
    if (/^runs \d+ in /.test(l)) {
      assert.match(
        l,
        /^runs \d+ in \d+\.\ds \(\d+ runs\/s; \d+ once every worker ran\), \d+ steps$/,
      );
    }
    if (/^failing runs \d/.test(l)) {
      assert.match(l, /^failing runs \d+.*, new distinct failures \d+$/);
    }
    if (l.startsWith("kernel variant, calls of its own methods")) {
      const counts = Object.fromEntries(
        l.replace(/^.*runs: /, "").split(", ").map((p) => {
          const [k, n] = p.split(" ");
          return [k, Number(n)];
        }),
      );
      const runs = Number(/in (\d+) runs/.exec(l)?.[1]);
      // The README's sample is a scenario campaign's (no --mode programs).
      const printed = variantCallLines(counts, runs, "scenarios");
      assert.equal(printed[0], l);
      for (const w of printed.slice(1)) assert.ok(sampleLines.includes(w), w);
    }
  }
});

Deno.test("a sample summary starts as the summary does: runs, failing runs, memory (or an elision)", () => {
  const summaries = blocks.filter((b) => /^runs \d+ in /.test(b.text));
  assert.ok(summaries.length >= 2);
  for (const b of summaries) {
    const [, failing, third] = b.text.split("\n");
    assert.match(failing, /^failing runs /, b.text);
    assert.match(third ?? "...", /^(memory \(rss\) |\.\.\.$)/, b.text);
  }
});

Deno.test("a sample's contract line is what the contract of the service it names prints", async () => {
  const shown = blocks.filter((b) => /^contract: /m.test(b.text));
  assert.ok(shown.length >= 2);
  for (
    const [module, needle] of [
      ["../examples/my_contract.ts", "fuzz --service examples/my_contract.ts"],
      ["../examples/fxfs_pager.ts", "fuzz --service examples/fxfs_pager.ts"],
    ] as const
  ) {
    const at = README.indexOf(needle);
    assert.ok(at >= 0, `the README names the command: ${needle}`);
    const { contract } = await import(module);
    const want = `contract: ${contractText(parseContract(contract))}`;
    const block = blocks.find((b) => b.text.includes(want));
    assert.ok(block !== undefined, `no sample shows ${want}`);
  }
});

/**
 * The README's sample lines that `command` (a `deno task fuzz --service ... --runs N --seed S
 * --workers 1` the README quotes) prints, run in process as the CLI runs it: the campaign's
 * counts are the seed's, the same on any machine, so a sample that quotes them goes stale when
 * the scenario stream moves (session 28's `requestLayout` and joined readers left both samples
 * quoting the old stream; the shape tests above passed).
 */
async function samplePrinted(
  command: RegExp,
): Promise<{ sample: string[]; printed: string[]; runs: number }> {
  const m = command.exec(README.replace(/\n/g, " "));
  assert.ok(m !== null, `the README quotes ${command}`);
  const [, service, runs, seed] = m;
  const at = README.replace(/\n/g, " ").indexOf(m[0]);
  const block = blocks.find((b) => README.indexOf(b.text) > at);
  assert.ok(block !== undefined, `a sample follows ${m[0]}`);
  const summary = await runCampaign({
    seed: Number(seed),
    workers: 1,
    seconds: null,
    runs: Number(runs),
    servicePath: service,
    known: [],
    maxShrink: 2000,
    checkers: "kernel+service",
    persist: () => Promise.reject(new Error("the sample campaign found a failure")),
    progress: () => {},
    progressEvery: 60,
  });
  return {
    sample: block.text.split("\n"),
    printed: summaryText(summary).split("\n"),
    runs: Number(runs),
  };
}

Deno.test("the my_contract sample is what its command prints now: deliveries, contract, out-of-contract", async () => {
  const { sample, printed } = await samplePrinted(
    /deno task fuzz --service (examples\/my_contract\.ts) --runs (\d+) --seed (\d+) --workers 1/,
  );
  assert.ok(sample.some((l) => l.startsWith("delivered to the services: ")));
  for (const l of sample) assert.ok(printed.includes(l), `${l}\nprinted:\n${printed.join("\n")}`);
});

// 10,000 runs (minutes): the nightly run holds the fxfs sample to its command; the suite, its
// shape only (above).
Deno.test({
  name: "the fxfs_pager sample is what its command prints now: steps, counters, deliveries",
  ignore: !NIGHTLY,
  async fn() {
    const { sample, printed } = await samplePrinted(
      /deno task fuzz --service (examples\/fxfs_pager\.ts) --runs (\d+) --seed (\d+) --workers 1/,
    );
    const steps = (l: string) => / \d+ steps$/.exec(l)?.[0];
    for (const l of sample) {
      if (l === "...") continue;
      // The time and rates are the machine's; the step count is the seed's.
      if (/^runs \d+ in /.test(l)) {
        const now = printed.find((p) => /^runs \d+ in /.test(p)) ?? "";
        assert.equal(steps(now), steps(l), `${l}\nprinted: ${now}`);
        continue;
      }
      assert.ok(printed.includes(l), `${l}\nprinted:\n${printed.join("\n")}`);
    }
  },
});
