import { strict as assert } from "node:assert";
import { denoOutput } from "./_deno_output.ts";
import { parseFlags } from "./args.ts";

const root = Deno.cwd();

/** A command of the project run as `deno task` runs it from `from`: in the root, INIT_CWD=from. */
async function fromSubfolder(from: string, perms: string[], module: string, args: string[]) {
  const r = await denoOutput(
    ["run", ...perms, "--allow-env=INIT_CWD", module, ...args],
    root,
    { INIT_CWD: `${root}/${from}`, NO_COLOR: "1" },
  );
  return { code: r.code, text: r.out + r.err };
}

const REPRO = ["--allow-read", "--allow-write=/tmp", "--allow-run=deno"];
const CASE = "invariant-data-integrity-lost-write.json";

Deno.test("cd corpus && deno task repro FILE: the case is found where the user is, and a printed (root-relative) path still works there", async () => {
  const here = await fromSubfolder("corpus", REPRO, "cli/repro.ts", [CASE]);
  assert.notEqual(here.code, 2, here.text);
  assert.match(here.text, new RegExp(`^replaying: corpus/${CASE}`, "m"), here.text);
  const printed = await fromSubfolder("corpus", REPRO, "cli/repro.ts", [`corpus/${CASE}`]);
  assert.notEqual(printed.code, 2, printed.text);
  assert.match(printed.text, new RegExp(`^replaying: corpus/${CASE}`, "m"), printed.text);
});

Deno.test("a path found nowhere: the error names the folders looked in", async () => {
  const r = await fromSubfolder("corpus", REPRO, "cli/repro.ts", ["nothere.json"]);
  assert.equal(r.code, 2, r.text);
  assert.ok(r.text.includes(`corpus/nothere.json' (looked in ${root}/corpus)`), r.text);
  // lint-service says how a relative path is looked for, too.
  const lint = await fromSubfolder("corpus", ["--allow-read"], "tools/lint_service.ts", ["x.ts"]);
  assert.equal(lint.code, 2, lint.text);
  assert.ok(
    lint.text.includes(
      `looked in ${root}/corpus; a relative path is looked for where deno task ran`,
    ),
    lint.text,
  );
  assert.ok(lint.text.includes(`then in the project root, ${root})`), lint.text);
});

Deno.test("sim --scenario and lint-service take paths from where deno task ran", async () => {
  const sim = await fromSubfolder("examples", ["--allow-read", "--allow-run=deno"], "cli/sim.ts", [
    "--scenario",
    "file_lifecycle.json",
  ]);
  assert.equal(sim.code, 0, sim.text);
  assert.match(sim.text, /^replay: deno task sim --scenario examples\/file_lifecycle\.json/m);
  const lint = await fromSubfolder("examples", ["--allow-read"], "tools/lint_service.ts", [
    "my_service.ts",
  ]);
  assert.equal(lint.code, 0, lint.text);
  assert.match(lint.text, /0 finding\(s\) in 1 module\(s\) of examples\/my_service\.ts/);
});

Deno.test("parseFlags: path flags and path positionals are taken from INIT_CWD below the working directory; elsewhere, unset or a non-path flag, unchanged", () => {
  const flags = {
    corpus: { type: "string" as const, help: "", path: true },
    seed: { type: "string" as const, help: "" },
  };
  const saved = Deno.env.get("INIT_CWD");
  try {
    Deno.env.set("INIT_CWD", `${root}/corpus`);
    assert.deepEqual(
      parseFlags(["--corpus", "new", "--seed", "README.md", "verb", CASE], flags, true, 1),
      {
        values: { corpus: "corpus/new", seed: "README.md" },
        positionals: ["verb", `corpus/${CASE}`],
      },
    );
    // Not under INIT_CWD but in the root (a printed line): as given.
    assert.equal(parseFlags(["--corpus", "deno.json"], flags).values.corpus, "deno.json");
    Deno.env.set("INIT_CWD", "/elsewhere");
    assert.equal(parseFlags(["--corpus", "new"], flags).values.corpus, "new");
    Deno.env.delete("INIT_CWD");
    assert.equal(parseFlags(["--corpus", "new"], flags).values.corpus, "new");
  } finally {
    if (saved === undefined) Deno.env.delete("INIT_CWD");
    else Deno.env.set("INIT_CWD", saved);
  }
});
