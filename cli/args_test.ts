// A negative number given to a numeric flag is that flag's range error, not node's "ambiguous".
import { strict as assert } from "node:assert";
import { intFlag, parseFlags, UsageError } from "./args.ts";

const FLAGS = {
  seconds: { type: "string" as const, help: "" },
  json: { type: "boolean" as const, help: "" },
};

Deno.test("a negative value of a numeric flag gets the flag's range error", () => {
  const { values } = parseFlags(["--seconds", "-1", "--json"], FLAGS);
  assert.equal(values.seconds, "-1");
  assert.throws(
    () => intFlag(values, "seconds", 0, 1),
    (e) =>
      e instanceof UsageError && e.message === "--seconds must be between 1 and " +
          `${Number.MAX_SAFE_INTEGER}, got -1`,
  );
  // Anything else starting with "-" is still a flag.
  assert.throws(() => parseFlags(["--seconds", "--json"], FLAGS), UsageError);
});

Deno.test("every command: --seconds -1 and friends are range errors, exit 2", async () => {
  const root = new URL("../", import.meta.url).pathname;
  for (
    const [script, flag] of [
      ["cli/fuzz.ts", "--seconds"],
      ["cli/fuzz.ts", "--workers"],
      ["cli/sim.ts", "--seed"],
      ["cli/explore.ts", "--preemptions"],
    ]
  ) {
    const o = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", script, flag, "-1"],
      cwd: root,
      stdout: "piped",
      stderr: "piped",
    }).output();
    const err = new TextDecoder().decode(o.stderr);
    assert.equal(o.code, 2, `${script} ${flag} -1: ${err}`);
    // The flag's own range message (explore's --preemptions also admits "all").
    assert.match(err, new RegExp(`^error: ${flag}(:| must be between)`), `${script}: ${err}`);
    assert.doesNotMatch(err, /ambiguous/);
  }
});
