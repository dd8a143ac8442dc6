// A negative number given to a numeric flag is that flag's range error, not node's "ambiguous".
import { strict as assert } from "node:assert";
import { denoOutput } from "./_deno_output.ts";
import { choiceError, HELP_FLAG, intFlag, nearest, parseFlags, UsageError } from "./args.ts";

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
    const { code, err } = await denoOutput(["run", "-A", script, flag, "-1"], root);
    assert.equal(code, 2, `${script} ${flag} -1: ${err}`);
    // The flag's own range message (explore's --preemptions also admits "all").
    assert.match(err, new RegExp(`^error: ${flag}(:| must be between)`), `${script}: ${err}`);
    assert.doesNotMatch(err, /ambiguous/);
  }
});

Deno.test("a mistyped flag gets the nearest flag's name; one far from every flag gets none", () => {
  const flags = {
    seconds: { type: "string" as const, value: "S", help: "" },
    seed: { type: "string" as const, value: "N", help: "" },
    workers: { type: "string" as const, value: "N", help: "" },
  };
  const message = (args: string[]) => {
    try {
      parseFlags(args, flags);
    } catch (e) {
      return (e as Error).message;
    }
    return "";
  };
  assert.equal(message(["--secods", "5"]), "unknown flag --secods; did you mean --seconds?");
  assert.equal(message(["--sed", "1"]), "unknown flag --sed; did you mean --seed?");
  assert.equal(message(["--work", "2"]), "unknown flag --work; did you mean --workers?");
  assert.equal(message(["--work=2"]), "unknown flag --work; did you mean --workers?");
  assert.equal(message(["--zzzzzz"]), "unknown flag --zzzzzz");
  assert.equal(message(["-x"]), "unknown flag -x");
  assert.equal(message(["-seed", "3"]), "unknown flag -seed; did you mean --seed?");
  assert.equal(message(["-secods=5"]), "unknown flag -secods; did you mean --seconds?");
  assert.equal(nearest("sed", ["seed", "seconds"]), "seed");
});

Deno.test("-h asks for help wherever a command has --help (a user trial got 'unknown flag -h')", () => {
  assert.deepEqual(parseFlags(["-h"], { help: HELP_FLAG }).values, { help: true });
  assert.throws(() => parseFlags(["-h"], {}), /unknown flag -h/);
});

Deno.test("parseFlags: values, positionals and every other mistake in one line of ours", () => {
  const flags = {
    seed: { type: "string" as const, value: "N", help: "" },
    json: { type: "boolean" as const, help: "" },
  };
  const message = (args: string[], positionals = true) => {
    try {
      parseFlags(args, flags, positionals);
    } catch (e) {
      assert.ok(e instanceof UsageError);
      return e.message;
    }
    return "";
  };
  assert.deepEqual(parseFlags(["a", "--seed=3", "--json", "--", "--b"], flags, true), {
    values: { seed: "3", json: true },
    positionals: ["a", "--b"],
  });
  // Unknown flags read the same with positionals allowed or not (node's wording differed).
  assert.equal(message(["f.json", "--seeed", "3"]), "unknown flag --seeed; did you mean --seed?");
  assert.equal(message(["--seeed", "3"], false), "unknown flag --seeed; did you mean --seed?");
  assert.equal(message(["--seed"]), "--seed needs a value (--seed N)");
  assert.equal(message(["--seed", "--json"]), "--seed needs a value (--seed N)");
  assert.equal(message(["--json=1"]), '--json takes no value, got "--json=1"');
  assert.equal(message(["extra"], false), 'unexpected argument "extra"');
});

Deno.test("a file given without its flag names the flag that takes it", () => {
  const flags = {
    scenario: { type: "string" as const, help: "" },
    service: { type: "string" as const, help: "" },
  };
  for (const [arg, flag] of [["my/tiny.json", "scenario"], ["my/fs.ts", "service"]]) {
    assert.throws(
      () => parseFlags([arg], flags),
      (e) =>
        e instanceof UsageError &&
        e.message === `unexpected argument "${arg}"; did you mean --${flag} ${arg}?`,
    );
  }
  assert.throws(
    () => parseFlags(["other"], flags),
    (e) => e instanceof UsageError && e.message === 'unexpected argument "other"',
  );
});

Deno.test("a value that is none of a flag's choices names them and the nearest", () => {
  assert.equal(
    choiceError("trace", "jsn", ["text", "json", "none"]).message,
    '--trace must be text, json or none, got "jsn"; did you mean json?',
  );
  assert.equal(
    choiceError("by", "zzzzzz", ["tests", "campaign"]).message,
    '--by must be tests or campaign, got "zzzzzz"',
  );
});
