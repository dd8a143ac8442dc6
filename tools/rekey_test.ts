/**
 * Tests of `deno task rekey` (tools/rekey.ts): a synthetic edit of a mutated file (lines
 * inserted above a function, one line inside it changed) in a temporary repository.
 *
 * @module
 */

import assert from "node:assert/strict";
import { type Mutant, mutantsOf } from "../mutate/instrument.ts";
import { mutantKey } from "../mutate/report.ts";
import { lineMap, matchMutants } from "./_mutant_match.ts";
import { encodeKey, findRefs, keyIndex } from "./_mutant_refs.ts";
import { checkKeys, rekey, staleKeys } from "./rekey.ts";

const ROOT = new URL("../", import.meta.url).pathname.replace(/\/$/, "");

const BEFORE = `export function clamp(x: number, lo: number): number {
  if (x < lo && lo > 0) return lo;
  return x;
}

export function twice(a: number): string {
  const b = a * 2;
  return b > 10 ? "big" : "small";
}
`;

// Three lines above twice, and its first line changed.
const AFTER = BEFORE.replace(
  "\nexport function twice",
  "\n// one\n// two\n// three\nexport function twice",
)
  .replace("a * 2", "a * 3");

/** The 0-based line of `text` that holds `needle`. */
const lineOf = (text: string, needle: string) =>
  text.split("\n").findIndex((l) => l.includes(needle));

const covers = (m: Mutant, line: number) =>
  m.location.start.line <= line && line <= m.location.end.line;

async function mutantsOfText(text: string): Promise<Mutant[]> {
  return await mutantsOf(new Map([["kernel/demo.ts", text]]));
}

Deno.test("lineMap pairs the unchanged lines and leaves the changed ones out", () => {
  const map = lineMap(["a", "b", "c", "d"], ["a", "x", "y", "b", "C", "d"]);
  assert.deepEqual([...map], [0, 3, -1, 5]);
});

Deno.test("matchMutants: unchanged lines keep their mutants exactly; the changed line's are lost and new", async () => {
  const was = await mutantsOfText(BEFORE), now = await mutantsOfText(AFTER);
  const m = matchMutants(BEFORE, AFTER, was, now);
  const changedWas = lineOf(BEFORE, "a * 2"), changedNow = lineOf(AFTER, "a * 3");
  const twiceAt = lineOf(BEFORE, "function twice");
  // Every mutant not covering the changed line is found, 0 or 3 lines down, same columns.
  for (const o of was.filter((o) => !covers(o, changedWas))) {
    const n = m.found.get(o);
    assert.ok(n !== undefined, `${mutantKey(o)} found`);
    const shift = o.location.start.line < twiceAt ? 0 : 3;
    assert.deepEqual(n.location, {
      start: { line: o.location.start.line + shift, column: o.location.start.column },
      end: { line: o.location.end.line + shift, column: o.location.end.column },
    });
    assert.equal(n.mutatorName, o.mutatorName);
    assert.equal(n.replacement, o.replacement);
  }
  assert.equal(m.exact, m.found.size);
  // The changed line's mutants (and the block around it) are lost; the new line's are new.
  assert.deepEqual(
    m.lost.map(mutantKey).sort(),
    was.filter((o) => covers(o, changedWas)).map(mutantKey).sort(),
  );
  assert.ok(m.lost.some((o) => o.replacement === "a / 2"));
  assert.deepEqual(
    m.added.map(mutantKey).sort(),
    now.filter((n) => covers(n, changedNow)).map(mutantKey).sort(),
  );
  assert.deepEqual(m.ambiguous, []);
});

Deno.test("matchMutants: a reindented function's mutants are found in the changed region", async () => {
  const after = BEFORE.replace(/^ {2}/gm, "    ");
  const was = await mutantsOfText(BEFORE), now = await mutantsOfText(after);
  const m = matchMutants(BEFORE, after, was, now);
  const cond = was.find((o) => o.replacement === "x >= lo") as Mutant;
  assert.equal(m.found.get(cond)?.location.start.column, cond.location.start.column + 2);
  // The one-line mutants are found; the function blocks' text changed with the indent.
  assert.deepEqual(m.lost.map((o) => o.mutatorName), ["BlockStatement", "BlockStatement"]);
});

Deno.test("findRefs reads keys written plainly, in JSON strings, in Markdown tables and in regular expressions", async () => {
  const was = await mutantsOfText(BEFORE);
  const index = keyIndex(was), files = new Set(["kernel/demo.ts"]);
  const or = was.find((o) => o.mutatorName === "LogicalOperator") as Mutant;
  const str = was.find((o) => o.mutatorName === "StringLiteral") as Mutant;
  const text = [
    `| \`${mutantKey(or).replaceAll("|", "\\|")}\` | md |`,
    JSON.stringify({ key: mutantKey(str) }),
    `"kernel/demo.ts:99:1:ConditionalExpression:true"`,
    `"kernel/a.ts:1:1:M:r" and "kernel/demo.ts:2:7:Nope:x": examples, not references`,
    `assert.match(stderr, /mutant ${encodeKey(mutantKey(or), "regexp")} campaign/);`,
  ].join("\n");
  const refs = findRefs(text, index, files);
  assert.deepEqual(refs.map((r) => [r.line, r.key, r.encoding, r.mutants.length]), [
    [1, mutantKey(or), "markdown", 1],
    [2, mutantKey(str), "json", 1],
    [3, "kernel/demo.ts:99:1:ConditionalExpression:true", "plain", 0],
    [5, mutantKey(or), "regexp", 1],
  ]);
  assert.ok(text.includes("kernel\\/demo\\.ts:2:7:LogicalOperator:x < lo \\|\\| lo > 0"));
});

/** A git repository in a temporary directory holding `files`, committed. */
function repo(files: Record<string, string>): string {
  const dir = Deno.makeTempDirSync({ prefix: "pagersim-rekey-" });
  for (const [path, text] of Object.entries(files)) {
    Deno.mkdirSync(`${dir}/${path.slice(0, path.lastIndexOf("/"))}`, { recursive: true });
    Deno.writeTextFileSync(`${dir}/${path}`, text);
  }
  const git = (...args: string[]) => {
    const o = new Deno.Command("git", {
      args: ["-C", dir, "-c", "user.name=t", "-c", "user.email=t@t", ...args],
      stdout: "null",
      stderr: "piped",
    }).outputSync();
    assert.ok(o.success, new TextDecoder().decode(o.stderr));
  };
  git("init", "-q", "-b", "main");
  git("add", "-A");
  git("commit", "-q", "-m", "base");
  return dir;
}

/** The demo file's mutants' keys, and a reference file for each kind of mention. */
async function demoRepo(): Promise<{ dir: string; keep: string; gone: string; shifted: string }> {
  const was = await mutantsOfText(BEFORE);
  const pick = (f: (m: Mutant) => boolean) => mutantKey(was.find(f) as Mutant);
  const keep = pick((m) => m.replacement === "x >= lo");
  const gone = pick((m) => m.replacement === "a / 2");
  const shifted = pick((m) => m.replacement === "b >= 10");
  const dir = repo({
    "kernel/demo.ts": BEFORE,
    "services/none.ts": "export const NONE = 0;\n",
    "notes.md": `- \`${keep}\`\n- \`${shifted}\`\n- \`${gone}\`\n`,
    "mutate/demo_test.ts": `const KEYS = [${JSON.stringify(shifted)}, ${JSON.stringify(keep)}];\n`,
    "docs/mutation-sample-abc.jsonl": `{"key":${JSON.stringify(shifted)}}\n`,
  });
  Deno.writeTextFileSync(`${dir}/kernel/demo.ts`, AFTER);
  return { dir, keep, gone, shifted };
}

Deno.test("rekey rewrites the keys an edit moved, lists the ones it lost, and leaves the sample journals", async () => {
  const { dir, keep, gone, shifted } = await demoRepo();
  try {
    const moved = shifted.replace(
      /^kernel\/demo\.ts:(\d+):/,
      (_, l) => `kernel/demo.ts:${+l + 3}:`,
    );
    const stale = await staleKeys(dir);
    assert.deepEqual(stale.stale.map((k) => `${k.path}:${k.line}: ${k.key}`), [
      `mutate/demo_test.ts:1: ${shifted}`,
      `notes.md:2: ${shifted}`,
      `notes.md:3: ${gone}`,
    ]);
    const dry = await rekey(dir, "main", true);
    assert.equal(Deno.readTextFileSync(`${dir}/notes.md`).includes(moved), false);
    assert.deepEqual(dry.files, ["mutate/demo_test.ts", "notes.md"]);
    const r = await rekey(dir, "main");
    assert.deepEqual(r.rewrites.map((w) => `${w.path}:${w.line}: ${w.to}`), [
      `mutate/demo_test.ts:1: ${moved}`,
      `notes.md:2: ${moved}`,
    ]);
    assert.deepEqual(r.lost.map((k) => `${k.path}:${k.line}: ${k.key}`), [`notes.md:3: ${gone}`]);
    assert.equal(
      Deno.readTextFileSync(`${dir}/notes.md`),
      `- \`${keep}\`\n- \`${moved}\`\n- \`${gone}\`\n`,
    );
    assert.equal(
      Deno.readTextFileSync(`${dir}/docs/mutation-sample-abc.jsonl`),
      `{"key":${JSON.stringify(shifted)}}\n`,
    );
    // After the rewrite only the lost key is stale.
    const after = await checkKeys(dir);
    assert.deepEqual(after.stale.map((k) => `${k.path}:${k.line}: ${k.key}`), [
      `notes.md:3: ${gone}`,
    ]);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

/** Runs tools/rekey.ts in `cwd`. */
async function cli(cwd: string, ...args: string[]) {
  const o = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--config",
      `${ROOT}/deno.json`,
      "--allow-read",
      "--allow-write",
      "--allow-env",
      "--allow-run=git",
      `${ROOT}/tools/rekey.ts`,
      ...args,
    ],
    cwd,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const d = new TextDecoder();
  return { code: o.code, stdout: d.decode(o.stdout), stderr: d.decode(o.stderr) };
}

Deno.test("deno task rekey: exit 1 naming a lost key, 0 with --allow-lost, 2 on bad input, 1 on a stale key with --check", async () => {
  const { dir, gone, shifted } = await demoRepo();
  try {
    const dry = await cli(dir, "--base", "main", "--dry-run");
    assert.equal(dry.code, 1, dry.stderr);
    assert.ok(dry.stdout.includes(`notes.md:2: ${shifted} -> kernel/demo.ts:11:`), dry.stdout);
    assert.ok(dry.stderr.includes(`notes.md:3: ${gone}: its mutant is gone`), dry.stderr);
    const check = await cli(dir, "--check");
    assert.equal(check.code, 1);
    assert.ok(check.stderr.includes(`notes.md:3: ${gone}: names no mutant`), check.stderr);
    const allowed = await cli(dir, "--base", "main", "--allow-lost");
    assert.equal(allowed.code, 0, allowed.stderr);
    assert.match(allowed.stdout, /rekey: 2 key\(s\) rewritten in 2 file\(s\), 1 lost/);
    const bad = await cli(dir, "--base", "no-such-rev");
    assert.equal(bad.code, 2);
    assert.equal(bad.stderr.trim(), `error: --base no-such-rev: no such commit in ${dir}`);
    const none = await cli(dir);
    assert.equal(none.code, 2);
    assert.match(none.stderr, /^error: --base REV is required/);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("rekey marks a rewritten key that names a mutant of the working tree too (right only if written at REV)", async () => {
  const twin =
    "export function f(x: number): number {\n  if (x > 1) return 1;\n  if (x > 1) return 2;\n  return 0;\n}\n";
  const was = await mutantsOfText(twin);
  const second = mutantKey(
    was.find((m) => m.location.start.line === 2 && m.replacement === "x >= 1") as Mutant,
  );
  const dir = repo({
    "kernel/demo.ts": twin,
    "services/none.ts": "export const NONE = 0;\n",
    "notes.md": `\`${second}\`\n`,
  });
  try {
    Deno.writeTextFileSync(`${dir}/kernel/demo.ts`, twin.replace("{\n", "{\n  // moved\n"));
    const r = await rekey(dir, "main");
    assert.deepEqual(r.rewrites.map((w) => [w.from, w.to, w.alsoNow]), [
      [second, second.replace(":3:", ":4:"), true],
    ]);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});
