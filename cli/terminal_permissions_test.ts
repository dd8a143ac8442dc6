// On a terminal, a read the task's permissions do not cover is a prompt, not a refusal: every
// command that starts a node:worker_threads Worker (the watchdog of sim, repro and conformance,
// fuzz's and explore's pools) stopped at `Deno requests env access. Allow? [y/n/A]` and waited
// forever, because such a Worker copies the whole environment unless given one (userS28c, session
// 28; the suite runs without a terminal, where Deno refuses and goes on, so nothing saw it).
// Each Worker is now given `env: WORKER_ENV` (fuzz/_worker_pool.ts).
import { strict as assert } from "node:assert";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../", import.meta.url));

/** The non-test modules that build a node:worker_threads Worker, and each `new Worker(` call's options. */
async function nodeWorkerCalls(): Promise<{ file: string; call: string }[]> {
  const out: { file: string; call: string }[] = [];
  const walk = async (dir: string) => {
    for await (const e of Deno.readDir(`${ROOT}${dir}`)) {
      const rel = dir === "" ? e.name : `${dir}/${e.name}`;
      if (e.isDirectory) {
        if (!["node_modules", "coverage", "testdata", ".git"].includes(e.name)) await walk(rel);
      } else if (rel.endsWith(".ts") && !rel.endsWith("_test.ts")) {
        const text = await Deno.readTextFile(`${ROOT}${rel}`);
        if (!/import \{[^}]*\bWorker\b[^}]*\} from "node:worker_threads"/.test(text)) continue;
        for (const m of text.matchAll(/new Worker\(/g)) {
          out.push({ file: rel, call: text.slice(m.index, m.index + 400) });
        }
      }
    }
  };
  await walk("");
  return out;
}

Deno.test("every node:worker_threads Worker of the commands is given an environment", async () => {
  const calls = await nodeWorkerCalls();
  assert(calls.length >= 4, `found only ${calls.map((c) => c.file).join(", ")}`);
  const bare = calls.filter((c) => !/\benv: WORKER_ENV\b/.test(c.call.split("});")[0]));
  assert.deepEqual(
    bare.map((c) => c.file),
    [],
    "a Worker without env: WORKER_ENV reads every variable",
  );
});

const hasScript = (() => {
  try {
    return new Deno.Command("script", { args: ["--version"], stdout: "null", stderr: "null" })
      .outputSync().success;
  } catch {
    return false;
  }
})();

/** Runs `deno task ARGS` on a pseudo-terminal (util-linux `script`), stdin empty, at most 90 s. */
async function onTerminal(args: string): Promise<{ code: number; out: string }> {
  const r = await new Deno.Command("timeout", {
    args: ["90", "script", "-qec", `deno task ${args}`, "/dev/null"],
    cwd: ROOT,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  const dec = new TextDecoder();
  return { code: r.code, out: dec.decode(r.stdout) + dec.decode(r.stderr) };
}

Deno.test({
  name: "sim and fuzz on a terminal run without a permission prompt",
  ignore: !hasScript,
  async fn() {
    const corpus = await Deno.makeTempDir({ prefix: "pagersim-tty-" });
    try {
      for (const args of ["sim --seed 1", `fuzz --runs 5 --workers 1 --corpus ${corpus}`]) {
        const { code, out } = await onTerminal(args);
        assert(!out.includes("Deno requests"), `${args}: prompted:\n${out.slice(0, 400)}`);
        assert.deepEqual(code, 0, `${args}: exit ${code}:\n${out.slice(-600)}`);
      }
    } finally {
      await Deno.remove(corpus, { recursive: true });
    }
  },
});
