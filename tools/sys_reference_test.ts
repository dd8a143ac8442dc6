/**
 * Tests of tools/sys_reference.ts: docs/sys.md is current, and its rows say what the types say.
 *
 * @module
 */

import { strict as assert } from "node:assert";
import { methodName, SYSCALL_NAMES, SYSCALLS } from "../kernel/syscalls.ts";
import {
  firstSentence,
  GROUPS,
  modExports,
  OUTPUT,
  readSysCalls,
  render,
  SERVICE_SOURCES,
  staleness,
  type SysCallDoc,
} from "./sys_reference.ts";

// One compiler run for the whole file (about 1 CPU-s): the rows every test reads.
const rows: SysCallDoc[] = await readSysCalls();
const byName = new Map(rows.map((r) => [r.name, r]));

Deno.test("docs/sys.md is what tools/sys_reference.ts writes (run `deno task sys-reference`)", () => {
  const path = new URL(`../${OUTPUT}`, import.meta.url).pathname;
  assert.deepEqual(staleness(path, render(rows)), null);
});

Deno.test("staleness names a changed or missing file", () => {
  const dir = Deno.makeTempDirSync();
  try {
    const path = `${dir}/sys.md`;
    assert.match(staleness(path, "a\n") ?? "", /missing/);
    Deno.writeTextFileSync(path, "a\nb\n");
    assert.match(staleness(path, "a\nc\n") ?? "", /stale \(first difference at line 2\)/);
    assert.deepEqual(staleness(path, "a\nb\n"), null);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("every table call has a row with its table's parameter count and its Zircon name", () => {
  for (const zx of SYSCALL_NAMES) {
    const row = byName.get(methodName(zx));
    assert.ok(row !== undefined, `no row for ${zx}`);
    if (zx === "mem_read" || zx === "mem_write") continue; // loads and stores, not syscalls
    assert.deepEqual(row.zircon, zx);
    const params = /\((.*)\)$/.exec(row.signature)?.[1] ?? "";
    const count = params === "" ? 0 : params.split(/, (?=[A-Za-z0-9]+\??: )/).length;
    assert.deepEqual(count, SYSCALLS[zx].params.length, row.signature);
  }
});

Deno.test("a row shows the service's argument order and the named outs", () => {
  assert.deepEqual(
    byName.get("pagerOpRange")?.signature,
    "sys.pagerOpRange(pager: number, op: number, pagerVmo: number, offset: number, length: number, data: number)",
  );
  assert.deepEqual(byName.get("pagerOpRange")?.returns, "`yield*` → status");
  assert.deepEqual(
    byName.get("pagerDetachVmo")?.signature,
    "sys.pagerDetachVmo(pager: number, vmo: number)",
  );
  assert.deepEqual(
    byName.get("vmarAllocate")?.returns,
    "`yield*` → [status, childVmar: number, childAddr: number]",
  );
  assert.deepEqual(byName.get("pagerCreateVmo")?.returns, "`yield*` → [status, vmo: number]");
  assert.deepEqual(byName.get("vmoRead")?.signature.endsWith("buffer?: number)"), true);
  assert.deepEqual(byName.get("pagerCreateVmo")?.group, "pager");
  assert.deepEqual(byName.get("futexWait")?.group, "futex and threads");
  // The class's own members: a plain method, a getter; the world's wiring and @internal are out.
  assert.deepEqual(byName.get("atomicCas")?.returns, "number");
  assert.deepEqual(byName.get("now")?.signature, "sys.now");
  for (const hidden of ["kernel", "draw", "thread"]) assert.ok(!byName.has(hidden), hidden);
});

Deno.test("rows are sorted by group, then name", () => {
  const keys = rows.map((r) => `${r.group}\u0000${r.name}`);
  const groups = [...new Set(rows.map((r) => r.group))];
  assert.deepEqual(groups, [...GROUPS]);
  for (const g of groups) {
    const names = rows.filter((r) => r.group === g).map((r) => r.name);
    assert.deepEqual(names, [...names].sort());
  }
  assert.deepEqual(keys.length, new Set(keys).size);
});

Deno.test("firstSentence stops at a sentence's end, not inside code or parentheses", () => {
  assert.deepEqual(firstSentence("`zx_a(b, *out)`. More."), "`zx_a(b, *out)`.");
  assert.deepEqual(
    firstSentence("Uses `x.y` here (see 2.8. above).\n Next."),
    "Uses `x.y` here (see 2.8. above).",
  );
  assert.deepEqual(firstSentence("No full stop"), "No full stop");
});

Deno.test("a bad flag is a one-line error and exit 2, with no stack trace", async () => {
  const out = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--allow-read",
      new URL("./sys_reference.ts", import.meta.url).pathname,
      "--chek",
    ],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const err = new TextDecoder().decode(out.stderr);
  assert.deepEqual(out.code, 2);
  assert.match(err, /unknown flag --chek; did you mean --check\?/);
  assert.ok(!/\n\s+at /.test(err), err);
});

Deno.test("docs/sys.md's last section lists what a service imports, read from mod.ts and kernel/constants.ts", async () => {
  // userS27t grepped kernel/constants.ts and mod.ts for these: the reference listed calls only.
  const md = Deno.readTextFileSync(new URL(`../${OUTPUT}`, import.meta.url));
  const section = md.slice(md.indexOf("## What a service imports"));
  for (const name of ["ZX_ERR_IO_DATA_INTEGRITY", "ZX_RIGHT_SAME_RIGHTS", "Mutex", "CondVar"]) {
    assert.match(section, new RegExp(`\`${name}\``), name);
  }
  assert.match(section, /`type OpenFile`/);
  // Every row is read from mod.ts's export statements: each source still exports something, and
  // each value it names is one mod.ts exports (a moved module would leave a row empty).
  const source = Deno.readTextFileSync(new URL("../mod.ts", import.meta.url));
  const mod = await import("../mod.ts") as Record<string, unknown>;
  for (const [module] of SERVICE_SOURCES) {
    const names = modExports(source, module);
    assert.ok(names.length > 0, `mod.ts exports nothing from ${module}`);
    for (const n of names.filter((x) => !x.startsWith("type "))) assert.ok(n in mod, n);
  }
  assert.deepEqual(
    modExports(source, "./kernel/kernel.ts").filter((n) => n === "type Syscall"),
    ["type Syscall"],
  );
});
