/**
 * Finds test files that leave work running in the `deno test` process after they end: each file
 * runs in a `deno test` of its own, through a module in TMPDIR that imports it and then
 * tools/testdata/idle_probe.ts (so the probe's test is registered, and runs, last: deno test
 * orders the modules it is given by path), which waits 5 s and reads the process's CPU time
 * meanwhile. A file that left a worker spinning (a never-yielding
 * service's run stopped in-process: Deno 2.9.6's `Worker.terminate()` does not stop a worker busy
 * in a loop, tools/busy_worker_terminate.ts) reads seconds; the rest ~0. Session 21: CI's rest
 * ran 2-4x its files' own CPU because of two such files.
 *
 *     deno run --allow-read --allow-write=/tmp --allow-env=TMPDIR --allow-run=deno tools/idle_cpu.ts [FILE_test.ts|DIR...]
 *
 * Prints one line per file, `CPU-SECONDS FILE`, the worst first; exit 1 if any reads over 0.5 s.
 *
 * @module
 */

import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { parseFlags, runCommand, usage } from "../cli/args.ts";

const FLAGS = { help: { type: "boolean" as const, help: "show this help" } };
const USAGE = usage(
  "deno run --allow-read --allow-run=deno tools/idle_cpu.ts",
  "[FILE|DIR...]",
  FLAGS,
);
const PROBE = new URL("./testdata/idle_probe.ts", import.meta.url).href;
const CONFIG = new URL("../deno.json", import.meta.url).pathname;

async function testFiles(paths: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  const walk = async (p: string) => {
    const st = await Deno.stat(p);
    if (st.isFile) {
      if (p.endsWith("_test.ts")) out.push(p);
      return;
    }
    const names: string[] = [];
    for await (const e of Deno.readDir(p)) names.push(e.name);
    for (const n of names.sort()) {
      if (n !== "node_modules" && n !== "testdata") await walk(`${p}/${n}`);
    }
  };
  for (const p of paths) await walk(p.replace(/\/$/, ""));
  return out;
}

async function main(): Promise<number> {
  const { values, positionals } = parseFlags(Deno.args, FLAGS, true);
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const files = await testFiles(positionals.length > 0 ? positionals : ["."]);
  const rows: [number, string][] = [];
  const dir = await Deno.makeTempDir({ prefix: "pagersim-idle-cpu-" });
  try {
    for (const f of files) {
      const wrapper = `${dir}/probe_after_test.ts`;
      await Deno.writeTextFile(
        wrapper,
        `import ${JSON.stringify(pathToFileURL(resolve(f)).href)};\nimport ${
          JSON.stringify(PROBE)
        };\n`,
      );
      const o = await new Deno.Command("deno", {
        args: [
          "test",
          "--no-check",
          `--config=${CONFIG}`,
          "--allow-read",
          "--allow-write=corpus,/tmp",
          "--allow-env",
          "--allow-run",
          wrapper,
        ],
        stdout: "piped",
        stderr: "null",
      }).output();
      const m = /idle-probe-cpu ([\d.]+)/.exec(new TextDecoder().decode(o.stdout));
      const cpu = m === null ? NaN : Number(m[1]);
      rows.push([cpu, f]);
      console.error(`${Number.isNaN(cpu) ? "  ?  " : cpu.toFixed(2)} ${f}`);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
  rows.sort((a, b) => (b[0] || 0) - (a[0] || 0));
  for (const [cpu, f] of rows) console.log(`${Number.isNaN(cpu) ? "?" : cpu.toFixed(2)} ${f}`);
  return rows.some(([cpu]) => cpu > 0.5) ? 1 : 0;
}

if (import.meta.main) await runCommand(USAGE, main);
