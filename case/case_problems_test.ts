import { strict as assert } from "node:assert";
import { caseProblems, readCaseFile, resolveContext } from "./store.ts";
import type { CaseEnvelope } from "./envelope.ts";

// `corpus list` calls a case valid only if repro could replay it: a module outside the project tree
// or missing, or a pager served by a service module the case does not name (a hand-edited case
// that lost its "service" field), makes it invalid; a changed module is a notice (user trial:
// `corpus list` said "5 valid" of cases repro then refused; repro's error named no file or field).
const FILE = "corpus/invariant-quiescent-end-q2-01bde2a7.json";

Deno.test("a corpus case that names its service module has no problems", async () => {
  const r = await caseProblems(await readCaseFile(FILE), FILE);
  assert.deepEqual(r, { problems: [], notices: [] });
});

Deno.test("each way a hand-edited case cannot replay is a problem naming what is wrong", async () => {
  const c = await readCaseFile(FILE);
  const edit = (change: Partial<CaseEnvelope>) => ({ ...c, ...change }) as CaseEnvelope;
  const ref = c.service!;
  const cases: [CaseEnvelope, RegExp][] = [
    [
      edit({ service: { ...ref, path: "../../etc/passwd" } }),
      /^refusing its service module \.\.\/\.\.\/etc\/passwd: outside the project tree /,
    ],
    [
      edit({ service: { ...ref, path: "../examples/no_such.ts" } }),
      /does not exist \(looked for \/\S+\/examples\/no_such\.ts\)$/,
    ],
    [
      edit({ service: undefined }),
      /^its input serves pager "blobfs" with the case's service module, but the case names none \(its "service" field is missing\)$/,
    ],
  ];
  for (const [edited, want] of cases) {
    const r = await caseProblems(edited, FILE);
    assert.equal(r.problems.length, 1, JSON.stringify(r));
    assert.match(r.problems[0], want);
  }
  // repro's own path says the same, naming the file.
  await assert.rejects(
    () => resolveContext(edit({ service: undefined }), FILE),
    (e: Error) => e.message.startsWith(`${FILE}: its input serves pager "blobfs"`),
  );
});

Deno.test("a module changed since the case was written is a notice, not a problem", async () => {
  const c = await readCaseFile(FILE);
  const changed = { ...c, service: { ...c.service!, sha256: "0".repeat(64) } } as CaseEnvelope;
  const r = await caseProblems(changed, FILE);
  assert.deepEqual(r.problems, []);
  assert.equal(r.notices.length, 1);
  assert.match(r.notices[0], /changed since the case was written/);
});

Deno.test("a hand-edited case's envelope errors say what is missing, what a typo was meant to be, and show a bad expected", async () => {
  const { parseCase } = await import("./envelope.ts");
  const doc = JSON.parse(await Deno.readTextFile(FILE));
  const messages = (d: unknown) => {
    const r = parseCase(d, "x.json");
    return "errors" in r ? r.errors.map((e) => e.message) : [];
  };
  assert.ok("case" in parseCase(doc, "x.json"));
  const { input, ...rest } = doc;
  assert.deepEqual(messages({ ...rest, inptu: input }), [
    "input: missing: every case has this field",
    '(root): Unrecognized key: "inptu"; "inptu": did you mean "input"?',
  ]);
  assert.deepEqual(messages({ ...doc, expected: "pas" }), [
    'expected: "pas" is not pass, a verdict kind, or invariant:<name>; did you mean "pass"?',
  ]);
  // A typo in the invariant's name (a user's corpus list called it valid; repro said NOT
  // reproduced).
  assert.deepEqual(messages({ ...doc, expected: "invariant:answers-every-raed" }), [
    'expected: "invariant:answers-every-raed" names no invariant of a scenario case\'s checkers; ' +
    'did you mean "invariant:answers-every-read"?',
  ]);
  assert.deepEqual(messages({ ...doc, expected: "invariant:answers-every-read" }), []);
});

Deno.test("every invariant a committed corpus case expects is one its kind's checkers know", async () => {
  const { knownInvariants } = await import("./envelope.ts");
  const scenario = knownInvariants("scenario");
  assert.ok(scenario.includes("answers-every-read") && scenario.includes("page-state"));
  assert.ok(knownInvariants("program").includes("program-contract"));
  assert.ok(!knownInvariants("program").includes("answers-every-read"));
  const { parseCase } = await import("./envelope.ts");
  let expecting = 0;
  for (const e of [...Deno.readDirSync("corpus")].filter((e) => e.name.endsWith(".json"))) {
    const doc = JSON.parse(await Deno.readTextFile(`corpus/${e.name}`));
    const r = parseCase(doc, e.name);
    assert.ok("case" in r, `${e.name}: ${JSON.stringify(r)}`);
    if (r.case.expected.startsWith("invariant:")) expecting++;
  }
  assert.ok(expecting >= 20, `only ${expecting} corpus cases expect an invariant`);
});

Deno.test("a misspelled op inside a case's scenario gets the hint the scenario file would", async () => {
  const { parseCase } = await import("./envelope.ts");
  const doc = JSON.parse(await Deno.readTextFile(FILE));
  const thread = doc.input.threads.findIndex((t: { ops: unknown[] }) => t.ops.length > 0);
  assert.ok(thread >= 0, "the fixture case has a thread with ops");
  doc.input.threads[thread].ops[0].op = "raed";
  const r = parseCase(doc, "x.json");
  const messages = "errors" in r ? r.errors.map((e) => e.message) : [];
  assert.equal(messages.length, 1, messages.join("\n"));
  assert.match(
    messages[0],
    new RegExp(`^input\\.threads\\.${thread}\\.ops\\.0\\.op: .*; did you mean "read"\\?$`),
  );
});
