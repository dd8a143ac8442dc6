// conformance --kernel on a variant that loops (session 29, a README-only user's report): every
// stopped row was run again with the confirmation limit (~55 s a row with the default limits, all
// rows hours) and each stopped worker kept spinning (Worker.terminate() cannot stop it), so the
// rows after it ran slower and slower. Now only the first hang is confirmed, and rows run in a
// process of their own that ends when a row is stopped. Also: the guard asked its worker for rows
// by id, which a Vmar and a Vmo row share, so a pair's Vmo row ran its Vmar twin again.
//
// In process: the rows' processes are the only ones that spin, and each is ended.
import { strict as assert } from "node:assert";
import {
  loadFailureLine,
  RowsLoadError,
  runConformanceGuarded,
  runRowsIsolated,
} from "./_conformance_guard.ts";
import { ALL_CASES } from "../conformance/cases.ts";

const VARIANT = "case/testdata/ux29/spin_read.ts"; // loops inside every zx_vmo_read

/** Runs `f` with console.log and console.error captured. */
async function captured<T>(f: () => Promise<T>): Promise<{ value: T; out: string; err: string }> {
  const out: string[] = [], err: string[] = [];
  const { log, error } = console;
  console.log = (...a: unknown[]) => out.push(a.join(" "));
  console.error = (...a: unknown[]) => err.push(a.join(" "));
  try {
    return { value: await f(), out: out.join("\n"), err: err.join("\n") };
  } finally {
    console.log = log;
    console.error = error;
  }
}

/** Whether process `pid` is gone (a signal to it fails). */
function gone(pid: number): boolean {
  try {
    Deno.kill(pid, "SIGCONT"); // harmless to a live process
    return false;
  } catch {
    return true;
  }
}

Deno.test("conformance --kernel: after the first confirmed hang, a later stopped row is a hang not run again; each Vmo row runs itself; no row process is left", async () => {
  const pids: number[] = [];
  const limits = { runTimeout: 1, memoryMb: 256, confirmTimeout: 2 };
  const { value: code, out, err } = await captured(() =>
    runConformanceGuarded(
      { filter: "BulkOdd", verbose: false, kernel: VARIANT },
      VARIANT,
      limits,
      (pid) => pids.push(pid),
    )
  );
  assert.equal(code, 1, out + err);
  const rows = out.split("\n").filter((l) => /^ {2}(PASS|FAIL) /.test(l));
  // The Vmar rows read through a mapping: no zx_vmo_read, they pass (by id, each Vmo row ran its
  // Vmar twin and passed too).
  assert.deepEqual(rows.map((r) => r.split(" [")[0]), [
    "  PASS P10 BulkOddLengthSupplyTestVmar",
    "  FAIL P10 BulkOddLengthSupplyTestVmo",
    "  PASS P11 BulkOddOffsetSupplyTestVmar",
    "  FAIL P11 BulkOddOffsetSupplyTestVmo",
  ], out);
  assert.match(
    rows[1],
    /\[kernel-hang: no yield \(seed \d+: t\d+ at step \d+ never yielded, in the kernel, inside zx_vmo_read .*nor when run again within --confirm-timeout 2s\)\]$/,
  );
  assert.match(
    rows[3],
    /\[kernel-hang: no yield .*inside zx_vmo_read .*: the row did not finish within --run-timeout 1s; not confirmed: the variant already hung confirmed in row P10 BulkOddLengthSupplyTestVmo\)\]$/,
  );
  // One confirmation run, not two.
  assert.equal(err.match(/; running it again/g)?.length, 1, err);
  assert.match(
    err,
    /^note: P11 BulkOddOffsetSupplyTestVmo went past the --run-timeout 1s run limit; not running it again: the variant already hung confirmed in row P10 BulkOddLengthSupplyTestVmo$/m,
  );
  // A process for the first rows, the confirmation run, and the rows after each stop; every
  // one (with its spinning thread) is gone.
  assert.equal(pids.length, 3);
  assert.deepEqual(pids.filter((p) => !gone(p)), []);
});

Deno.test("runRowsIsolated: the process of a stopped row is ended, not left spinning", async () => {
  const row = ALL_CASES.find((c) => c.name === "SinglePageTestVmo")!;
  let pid = 0;
  const outcomes: string[] = [];
  const stop = await runRowsIsolated(
    { program: Deno.execPath(), flags: ["--allow-read", "--allow-env=INIT_CWD"] },
    VARIANT,
    [row],
    1,
    256,
    (c, o) => outcomes.push(`${c.name} ${o.kind}`),
    (p) => pid = p,
  );
  assert.equal(stop?.index, 0, JSON.stringify(outcomes));
  assert.equal(stop?.at?.entry !== undefined, true);
  assert.deepEqual(outcomes, []);
  assert.notEqual(pid, 0);
  assert.ok(gone(pid), `process ${pid} is still running`);
});

// trial32b #6: a pagersim file broken mid-edit (a SyntaxError in program/run.ts) made every row
// fail with the same stack, 171 of them: the row runner failed to load, and each row started
// another. A runner that fails before it has loaded now stops the run with one line (the rows
// runner here is broken by a preloaded module that does not parse).
Deno.test("runRowsIsolated: a row runner that fails to load is one error, no row's outcome", async () => {
  const dir = await Deno.makeTempDir({ prefix: "pagersim-s33-load-" });
  try {
    const broken = `${dir}/broken.ts`;
    await Deno.writeTextFile(broken, "export const x = 1;\nexport function f( {\n");
    const row = ALL_CASES.find((c) => c.name === "SinglePageTestVmo")!;
    const outcomes: string[] = [];
    const e = await runRowsIsolated(
      { program: Deno.execPath(), flags: ["--allow-read", `--preload=${broken}`] },
      VARIANT,
      [row, row],
      5,
      256,
      (c, o) => outcomes.push(`${c.name} ${o.kind}`),
    ).then(() => null, (e: Error) => e);
    assert.ok(e instanceof RowsLoadError, String(e));
    assert.match(
      e.message,
      new RegExp(`^the row runner failed to load: ${broken}:2:\\d+: SyntaxError: Unexpected token`),
    );
    assert.deepEqual(outcomes, []);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
  // A file of pagersim's own is named so.
  const root = new URL("../", import.meta.url).pathname;
  assert.match(
    loadFailureLine(
      `\x1b[1merror\x1b[0m: SyntaxError: Unexpected token\n    at file://${root}program/run.ts:7:3\n`,
    ),
    /^pagersim failed to load: (.*\/)?program\/run\.ts:7:3: SyntaxError: Unexpected token$/,
  );
  // A variant in a user's folder of the tree (README's `myk/`) or a fixture is the user's.
  for (const file of ["myk/variant.ts", "cli/testdata/variant.ts"]) {
    assert.match(
      loadFailureLine(`error: SyntaxError: Unexpected token\n    at file://${root}${file}:7:3\n`),
      new RegExp(`^the row runner failed to load: (.*/)?${file.replace(".", "\\.")}:7:3: `),
    );
  }
});
