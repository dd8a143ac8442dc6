// `deno task test` sat at Deno's `Check` for ~2.5 minutes with no output of ours on a cold cache
// (trial31, finding 10): the wrapper now says why before it starts the runner, on stderr, and the
// runner's own output and exit status pass through unchanged.
import { strict as assert } from "node:assert";
import { TASK_NOTE } from "./task.ts";

const task = new URL("./task.ts", import.meta.url).pathname;

async function wrap(name: string, code: number) {
  const out = await new Deno.Command("deno", {
    args: [
      "run",
      "--allow-run=deno",
      task,
      name,
      "deno",
      "eval",
      `console.log("ran"); Deno.exit(${code})`,
    ],
    stdout: "piped",
    stderr: "piped",
  }).output();
  return {
    code: out.code,
    stdout: new TextDecoder().decode(out.stdout),
    stderr: new TextDecoder().decode(out.stderr),
  };
}

Deno.test("deno task test says on stderr that the type check comes first, then runs its runner", async () => {
  const r = await wrap("test", 3);
  assert.equal(r.code, 3, "the runner's exit status is the task's");
  assert.equal(r.stdout, "ran\n", "the runner's output passes through");
  assert.match(
    r.stderr,
    /^deno task test: Deno type-checks the test modules before the first result/,
  );
  assert.ok(r.stderr.includes(TASK_NOTE.test));
});

Deno.test("a wrapped task without a note prints nothing of its own", async () => {
  const r = await wrap("stress", 0);
  assert.equal(r.code, 0);
  assert.equal(r.stdout, "ran\n");
  assert.equal(r.stderr, "");
});
