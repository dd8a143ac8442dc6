// trial36 wrote a blob pager from the README alone, in a folder of its own inside pagersim's tree
// (`blobfs/`, as README places `myfs/pager.ts`), and reported what the commands told it badly
// (its TRIAL.md). Each test is one of its reports.
import { strict as assert } from "node:assert";
import { denoOutput } from "./_deno_output.ts";
import { copyCode, pagersimCopy } from "./_tree_copy.ts";

const DATA = new URL("./testdata/trial36/", import.meta.url).pathname;

/**
 * A copy of pagersim's code (its parts' modules and JSON, outside testdata/) and deno.json in a
 * temporary folder, with trial36's modules in a user's folder `myfs/` beside its own: a user's
 * folder inside pagersim's tree, which this test cannot make in the tree itself (CI lets a test
 * write to corpus/ and /tmp only, and Deno makes no symlink under a scoped --allow-write).
 */
async function treeWithUserFolder(): Promise<string> {
  const dir = await pagersimCopy();
  await copyCode(`${DATA}myfs`, `${dir}/myfs`);
  return dir;
}

/** `deno task COMMAND ARGS`'s `deno run` (its permissions), in the copied tree `dir`. */
const task = (dir: string, command: "sim" | "fuzz" | "explore", args: string[]) =>
  denoOutput([
    "run",
    "--allow-run=deno",
    "--allow-read",
    ...(command === "sim" ? [] : ["--allow-write"]),
    "--allow-env=INIT_CWD",
    `cli/${command}.ts`,
    ...args,
  ], dir);

Deno.test("a service in a user's folder of pagersim's tree that throws while loading is named at file:line, in sim, fuzz and explore", async (t) => {
  // Was: "cannot load: Error: blob chunk table missing" (every frame under pagersim's root was
  // taken for pagersim's own), where README promises the first frame in the user's code.
  const dir = await treeWithUserFolder();
  try {
    const commands = {
      sim: [],
      fuzz: ["--runs", "5", "--workers", "1"],
      explore: ["--scenario", "myfs/two_readers.json", "--preemptions", "0", "--workers", "1"],
    };
    const cases = {
      "myfs/load_throws.ts": "myfs/load_throws.ts:4:39: Error: blob chunk table missing",
      "myfs/load_json.ts":
        "myfs/load_json.ts:3:23: SyntaxError: Expected property name or '}' in " +
        "JSON at position 1 (line 1 column 2 of the text given to JSON.parse)",
    };
    for (const [command, args] of Object.entries(commands)) {
      for (const [service, at] of Object.entries(cases)) {
        await t.step(`${command} --service ${service}`, async () => {
          const r = await task(dir, command as keyof typeof commands, [
            "--service",
            service,
            ...args,
          ]);
          assert.equal(r.code, 2, r.out + r.err);
          assert.equal(
            r.err,
            `error: --service ${service}: cannot load: the module threw while loading, at ${at}\n`,
          );
        });
      }
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
