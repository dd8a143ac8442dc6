import { strict as assert } from "node:assert";
import { MEMORY_BUDGET_BYTES, parseScenario, ScenarioError, scenarioMemory } from "./schema.ts";

const base = () => ({
  pagers: [{ name: "fs" }],
  vmos: [{ name: "a", pager: "fs", pages: 2 }],
  threads: [{ name: "r", ops: [{ op: "read", vmo: "a", page: 0, pages: 2 }] }],
});

function problems(input: unknown): string[] {
  try {
    parseScenario(input, "test.json");
  } catch (e) {
    assert.ok(e instanceof ScenarioError, String(e));
    assert.match(e.message, /^test\.json: invalid scenario:/);
    return [...e.problems];
  }
  assert.fail("expected the scenario to be rejected");
}

Deno.test("a valid scenario gets its defaults", () => {
  const s = parseScenario(base());
  assert.equal(s.pageSize, 4096);
  assert.equal(s.pagers[0].service.kind, "eager");
  assert.equal(s.pagers[0].threads, 1);
  assert.deepEqual(s.events, []);
});

Deno.test("every bad field is named by its path", () => {
  const cases: [unknown, string][] = [
    [{ ...base(), pageSize: 1000 }, "pageSize: must be a power of two"],
    [{ ...base(), pageSize: 4 }, "pageSize:"],
    [
      { ...base(), vmos: [{ name: "a", pager: "nope", pages: 2 }] },
      'vmos.0.pager: no pager named "nope"',
    ],
    [
      { ...base(), threads: [{ name: "r", ops: [{ op: "read", vmo: "b", page: 0 }] }] },
      'threads.0.ops.0.vmo: no VMO named "b"',
    ],
    [
      { ...base(), threads: [{ name: "r", ops: [{ op: "read", vmo: "a", page: 1, pages: 2 }] }] },
      "threads.0.ops.0.pages: pages [1,3) go past the end",
    ],
    [
      { ...base(), threads: [{ name: "r", ops: [{ op: "fly", vmo: "a" }] }] },
      "threads.0.ops.0.op:",
    ],
    [
      { ...base(), threads: [{ name: "r", ops: [{ op: "read", vmo: "a", page: 0, extra: 1 }] }] },
      "threads.0.ops.0:",
    ],
    [{ ...base(), pagers: [{ name: "fs" }, { name: "fs" }] }, 'pagers.1.name: duplicate name "fs"'],
    [
      { ...base(), events: [{ do: "kill", target: "nobody" }] },
      'events.0.target: no thread named "nobody"',
    ],
    [
      { ...base(), events: [{ do: "closePort", target: "a" }] },
      'events.0.target: no pager named "a"',
    ],
    [{ ...base(), events: [{ do: "detach", target: "fs" }] }, 'events.0.target: no VMO named "fs"'],
    [
      { ...base(), pagers: [{ name: "fs", service: { kind: "custom" } }] },
      "pagers.0.service.name: a custom service needs",
    ],
    [
      { ...base(), pagers: [{ name: "fs", service: { kind: "eager", batch: 0 } }] },
      "pagers.0.service.batch:",
    ],
    [{ ...base(), threads: [] }, "threads:"],
    [{ ...base(), bogus: true }, "(root):"],
    ["not an object", "(root):"],
  ];
  for (const [input, expected] of cases) {
    const p = problems(input);
    assert.ok(p.some((x) => x.startsWith(expected)), `${expected}\n  got: ${p.join(" | ")}`);
  }
});

Deno.test("all problems are reported at once", () => {
  const p = problems({
    ...base(),
    vmos: [{ name: "a", pager: "nope", pages: 2 }],
    events: [{ do: "kill", target: "nobody" }],
  });
  assert.equal(p.length, 2, p.join(" | "));
});

// Regression (issue 12): 8 VMOs of 4,096 pages of 64 KiB passed the schema, then took over 6 GB.
const huge = () => ({
  pageSize: 65536,
  pagers: [{ name: "fs" }],
  vmos: Array.from({ length: 8 }, (_, i) => ({ name: `v${i}`, pager: "fs", pages: 4096 })),
  threads: [{ name: "r", ops: [{ op: "read", vmo: "v0", page: 0, pages: 4096 }] }],
});

Deno.test("memory budget: a scenario whose operations touch more than it is rejected, naming the budget and the field", () => {
  const [p, ...rest] = problems(huge());
  assert.deepEqual(rest, []);
  assert.match(p, /^threads\.0\.ops\.0\.pages: /);
  assert.match(
    p,
    /touch up to 256 MiB of pages \(256 MiB in VMOs, 0 B copied into clones, at pageSize 65536\)/,
  );
  assert.match(p, /memory budget of 128 MiB \(MEMORY_BUDGET_BYTES\)/);
  assert.equal(MEMORY_BUDGET_BYTES, 128 * 2 ** 20);
  // Declaring 2 GiB costs nothing by itself: only what the operations touch counts.
  const declared = {
    ...huge(),
    threads: [{ name: "r", ops: [{ op: "read", vmo: "v0", page: 0 }] }],
  };
  assert.equal(scenarioMemory(parseScenario(declared)).vmoBytes, 2 * 2 ** 30);
});

Deno.test("memory budget: ranges, read-ahead, resizes and clone writes count, and the costliest field is named", () => {
  const read = (pages: number) => ({
    ...base(),
    pageSize: 65536,
    vmos: [{ name: "a", pager: "fs", pages: 4096 }],
    threads: [{ name: "r", ops: [{ op: "read", vmo: "a", page: 0, pages }] }],
  });
  // 2046 pages of 64 KiB and the pager's read-ahead of 2: exactly the budget.
  assert.equal(scenarioMemory(parseScenario(read(2046))).totalBytes, MEMORY_BUDGET_BYTES);
  assert.match(problems(read(2047))[0], /^threads\.0\.ops\.0\.pages: .*touch up to 128\.06 MiB/);
  // A VMO's pages count once, however many operations touch them.
  const twice = read(2046);
  twice.threads[0].ops.push(twice.threads[0].ops[0], twice.threads[0].ops[0]);
  assert.equal(scenarioMemory(parseScenario(twice)).totalBytes, MEMORY_BUDGET_BYTES);
  const cloned = {
    ...base(),
    pageSize: 65536,
    vmos: [{ name: "a", pager: "fs", pages: 4096 }],
    threads: [{ name: "r", ops: [{ op: "cloneWrite", vmo: "a", page: 0, pages: 1000 }] }],
  };
  assert.deepEqual(scenarioMemory(parseScenario(cloned)), {
    vmoBytes: 4096 * 65536,
    touchBytes: 1002 * 65536,
    cloneBytes: 1000 * 65536,
    totalBytes: 2002 * 65536,
    largest: { path: ["threads", 0, "ops", 0, "pages"], bytes: 2002 * 65536 },
  });
  cloned.threads[0].ops[0].pages = 1100;
  const p = problems(cloned);
  assert.equal(p.length, 1);
  assert.match(p[0], /^threads\.0\.ops\.0\.pages: .*\(68\.88 MiB in VMOs, 68\.75 MiB copied/);
});

Deno.test("memory budget: `deno task sim` rejects the scenario at once with one error, exit 2", async () => {
  const file = await Deno.makeTempFile({ suffix: ".json" });
  try {
    await Deno.writeTextFile(file, JSON.stringify(huge()));
    const t0 = performance.now();
    const out = await new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "--allow-read",
        new URL("../cli/sim.ts", import.meta.url).pathname,
        "--scenario",
        file,
      ],
      env: { NO_COLOR: "1" },
    }).output();
    const err = new TextDecoder().decode(out.stderr);
    assert.equal(out.code, 2, err);
    // One problem is one line (case@2 work); several are listed one per line.
    assert.match(
      err,
      /invalid scenario:(\n {2}- | )threads\.0\.ops\.0\.pages: .*memory budget of 128 MiB/,
    );
    assert.doesNotMatch(err, /\n\s+at /, "no stack trace");
    assert.ok(performance.now() - t0 < 20_000);
  } finally {
    await Deno.remove(file);
  }
});

Deno.test("ops on a resizable VMO may reach as far as a resize grows it, and run clean whichever comes first", async () => {
  const { runScenario } = await import("./interpreter.ts");
  const { scenarioCheckers } = await import("../case/kinds.ts");
  const input = (page: number) => ({
    pageSize: 64,
    pagers: [{ name: "fs", service: { kind: "eager" } }],
    vmos: [{ name: "f", pager: "fs", pages: 2, resizable: true }],
    threads: [
      {
        name: "grow",
        ops: [{ op: "resize", vmo: "f", newPages: 6 }, { op: "read", vmo: "f", page }],
      },
      { name: "early", ops: [{ op: "read", vmo: "f", page }, { op: "mapRead", vmo: "f", page }] },
    ],
  });
  const s = parseScenario(input(5));
  const statuses = new Set<number>();
  for (let seed = 0; seed < 60; seed++) {
    const r = runScenario(s, {
      seed,
      strategy: seed % 2 === 0 ? "random" : "pct",
      monitors: scenarioCheckers("kernel+service")(),
    });
    assert.equal(r.verdict.kind, "pass", `seed ${seed}`);
    for (const o of r.outcomes) {
      if (o.tid !== undefined && o.op.op === "read") statuses.add(o.status);
    }
  }
  // A read before the grow is out of range; after it, the page is served.
  assert.ok(statuses.has(0) && statuses.size >= 2, [...statuses].join(","));
  assert.throws(
    () => parseScenario(input(6)),
    /pages \[6,7\) go past the end of VMO "f" \(2 pages, grown to at most 6\)/,
  );
  // A VMO that is not resizable keeps its size as the bound.
  assert.throws(
    () => parseScenario({ ...input(5), vmos: [{ name: "f", pager: "fs", pages: 2 }] }),
    /not resizable/,
  );
});

Deno.test("schema errors and dangling references come in one pass", () => {
  // The new-user trial: a bad page size, a misspelled service kind and op, and three references
  // to nothing. The references were reported only once the rest was fixed.
  const got = problems({
    pageSize: 100,
    pagers: [{ name: "fs", service: { kind: "eagr" } }],
    vmos: [{ name: "a", pager: "fss", pages: 2 }],
    threads: [{ name: "r", ops: [{ op: "read", vmo: "b", page: 0 }, { op: "rea", vmo: "a" }] }],
    events: [{ do: "detach", target: "zz" }, { do: "kill", target: "nobody" }],
  });
  assert.equal(got[0], "pageSize: must be a power of two");
  assert.ok(got.some((p) => p.startsWith("pagers.0.service.kind:")), got.join("\n"));
  assert.ok(got.some((p) => p.startsWith("threads.0.ops.1.op:")), got.join("\n"));
  for (
    const ref of [
      'vmos.0.pager: no pager named "fss"; did you mean "fs"?',
      'threads.0.ops.0.vmo: no VMO named "b"',
      'events.0.target: no VMO named "zz"',
      'events.1.target: no thread named "nobody"',
    ]
  ) assert.ok(got.includes(ref), `${ref} missing from:\n${got.join("\n")}`);
  // Once the rest parses, each reference is still named once (the schema's own check).
  const refsOnly = problems({
    ...base(),
    vmos: [{ name: "a", pager: "fss", pages: 2 }],
    threads: [{ name: "r", ops: [{ op: "read", vmo: "b", page: 0 }] }],
  });
  assert.deepEqual(refsOnly, [
    'vmos.0.pager: no pager named "fss"; did you mean "fs"?',
    'threads.0.ops.0.vmo: no VMO named "b"',
  ]);
});

Deno.test("a reference is not judged against a list whose names did not parse", () => {
  // The second VMO's name is no string: "b" may be it, so only the name itself is reported.
  const got = problems({
    ...base(),
    vmos: [{ name: "a", pager: "fs", pages: 2 }, { name: 7, pager: "fs", pages: 1 }],
    threads: [{ name: "r", ops: [{ op: "read", vmo: "b", page: 0 }] }],
  });
  assert.ok(got.some((p) => p.startsWith("vmos.1.name:")), got.join("\n"));
  assert.ok(!got.some((p) => p.includes('no VMO named "b"')), got.join("\n"));
});

Deno.test("an op past its VMO's end is named beside an invalid op elsewhere (one pass, every bad field)", () => {
  // Trial 4: the range check of ops.1 was reported only once the invalid op at ops.2 was fixed.
  const input = {
    ...base(),
    vmos: [
      { name: "a", pager: "fs", pages: 2 },
      { name: "r", pager: "fs", pages: 4, resizable: true },
      { name: "bad", pager: "fs", pages: "many" },
    ],
    threads: [{
      name: "t",
      ops: [
        { op: "read", vmo: "a", page: 0 },
        { op: "mapRead", vmo: "a", page: 5 },
        { op: "frobnicate", vmo: "a" },
        { op: "resize", vmo: "a", newPages: 3 },
        // Within what the resize of r grows it to: not past its end.
        { op: "read", vmo: "r", page: 6 },
        { op: "resize", vmo: "r", newPages: 8 },
        // On a VMO whose own fields are bad: not judged.
        { op: "read", vmo: "bad", page: 9 },
      ],
    }],
  };
  let message = "";
  try {
    parseScenario(input, "x.json");
  } catch (e) {
    assert.ok(e instanceof ScenarioError);
    message = e.message;
  }
  const lines = message.split("\n").slice(1).map((l) => l.replace(/^ {2}- /, ""));
  assert.ok(lines.some((l) => l.startsWith("threads.0.ops.2.op:")), message);
  assert.ok(lines.some((l) => l.startsWith("vmos.2.pages:")), message);
  const ours = lines.filter((l) => !l.startsWith("threads.0.ops.2.op:") && !l.startsWith("vmos.2"));
  assert.deepEqual(ours, [
    'threads.0.ops.1.pages: pages [5,6) go past the end of VMO "a" (2 pages)',
    'threads.0.ops.3.vmo: VMO "a" is not resizable',
  ]);
  // Each line once, when the scenario parses whole too.
  const valid = {
    ...input,
    vmos: input.vmos.slice(0, 2),
    threads: [{ name: "t", ops: input.threads[0].ops.slice(0, 2) }],
  };
  assert.throws(
    () => parseScenario(valid, "y.json"),
    (e) =>
      e instanceof ScenarioError &&
      e.message ===
        'y.json: invalid scenario:\n  - threads.0.ops.1.pages: pages [5,6) go past the end of VMO "a" (2 pages)',
  );
});

Deno.test("a misspelled value or key gets a did-you-mean (issue hC: only flags had one)", () => {
  const got = problems({
    pagers: [{ name: "fs", service: { kind: "eagr" }, threds: 1 }],
    vmos: [{ name: "file", pager: "fss", pages: 4, trapDirt: true }],
    threads: [
      { name: "reader", ops: [{ op: "raed", vmo: "fiel", page: 0 }] },
      { name: "w", ops: [{ op: "write", vmo: "fiel", page: 0, pgaes: 1 }] },
    ],
    events: [{ do: "detatch", target: "file" }, { do: "kill", target: "raeder" }],
  });
  const expect = [
    /^pagers\.0\.service\.kind: .*; did you mean "eager"\?$/,
    /^pagers\.0: Unrecognized key: "threds"; did you mean "threads"\?$/,
    /^vmos\.0: Unrecognized key: "trapDirt"; did you mean "trapDirty"\?$/,
    /^threads\.0\.ops\.0\.op: .*; did you mean "read"\?$/,
    /^threads\.1\.ops\.0: Unrecognized key: "pgaes"; did you mean "pages"\?$/,
    /^events\.0\.do: .*; did you mean "detach"\?$/,
    /^vmos\.0\.pager: no pager named "fss"; did you mean "fs"\?$/,
    /^threads\.1\.ops\.0\.vmo: no VMO named "fiel"; did you mean "file"\?$/,
    /^events\.1\.target: no thread named "raeder"; did you mean "reader"\?$/,
  ];
  for (const re of expect) assert.ok(got.some((p) => re.test(p)), `${re}\n${got.join("\n")}`);
  // Nothing near: no guess.
  const far = problems({ ...base(), events: [{ do: "frobnicate", target: "a" }] });
  assert.ok(far.length > 0 && far.every((p) => !p.includes("did you mean")), far.join("\n"));
});

Deno.test("a misspelled key is suggested the field the object lacks, not one it has (userS23)", async () => {
  // "pagse" is one edit from "page" (a deletion) and from "pages" (a swap); the op has "page".
  const typo = JSON.parse(await Deno.readTextFile("case/testdata/userS23/bad/typo2.json"));
  const got = problems(typo);
  assert.ok(
    got.includes('threads.0.ops.0: Unrecognized key: "pagse"; did you mean "pages"?'),
    got.join("\n"),
  );
  // Without "page" given, either is as near: the first of the schema's order, as before.
  const op = { op: "read", vmo: "file", pagse: 1 };
  const bare = problems({ ...typo, threads: [{ name: "r", ops: [op] }] });
  assert.ok(
    bare.some((p) => p.endsWith('Unrecognized key: "pagse"; did you mean "page"?')),
    bare.join("\n"),
  );
  // A field given is still suggested when it is the only near one.
  const dup = problems({
    ...typo,
    threads: [{ name: "r", ops: [{ op: "read", vmo: "file", page: 0, pgae: 1 }] }],
  });
  assert.ok(
    dup.some((p) => p.endsWith('Unrecognized key: "pgae"; did you mean "page"?')),
    dup.join("\n"),
  );
});
