import { strict as assert } from "node:assert";
import { planRun } from "../fuzz/campaign.ts";
import { makeRng } from "../sim/rng.ts";
import { DEFAULT_SCENARIO } from "./default.ts";
import { generateScenario } from "./generate.ts";
import { parseBuiltScenario, parseScenario, type ScenarioInput } from "./schema.ts";

/** What a parse did: the scenario as JSON (keys in order), or the error's message. */
function outcome(parse: (input: ScenarioInput) => unknown, input: unknown): string {
  try {
    return `ok ${JSON.stringify(parse(input as ScenarioInput))}`;
  } catch (e) {
    return `error ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`;
  }
}

const agree = (input: unknown, what: string) =>
  assert.equal(outcome(parseBuiltScenario, input), outcome(parseScenario, input), what);

Deno.test("parseBuiltScenario makes the same scenario as parseScenario of every generated run", () => {
  for (const seed of [1, 7, 42]) {
    for (let k = 0; k < 600; k++) {
      const s = generateScenario(planRun(seed, k));
      assert.equal(JSON.stringify(parseScenario(s)), JSON.stringify(s), `seed ${seed} run ${k}`);
    }
  }
});

Deno.test("parseBuiltScenario agrees with parseScenario on the repository's scenarios", async () => {
  agree(DEFAULT_SCENARIO, "DEFAULT_SCENARIO");
  for (const dir of ["examples", "explore/testdata"]) {
    for await (const f of Deno.readDir(new URL(`../${dir}/`, import.meta.url))) {
      if (!f.name.endsWith(".json")) continue;
      const input = JSON.parse(
        await Deno.readTextFile(new URL(`../${dir}/${f.name}`, import.meta.url)),
      );
      agree(input, `${dir}/${f.name}`);
    }
  }
});

/** Every path to a leaf or object in `v`, root first. */
function paths(v: unknown, at: (string | number)[] = []): (string | number)[][] {
  const out = [at];
  if (Array.isArray(v)) v.forEach((x, i) => out.push(...paths(x, [...at, i])));
  else if (typeof v === "object" && v !== null) {
    for (const [k, x] of Object.entries(v)) out.push(...paths(x, [...at, k]));
  }
  return out;
}

/** `v` with the value at `path` replaced (`undefined`: the key dropped). */
function replaced(v: unknown, path: readonly (string | number)[], value: unknown): unknown {
  if (path.length === 0) return value;
  const copy = (Array.isArray(v) ? [...v] : { ...(v as object) }) as Record<
    string | number,
    unknown
  >;
  const [head, ...rest] = path;
  if (rest.length === 0 && value === undefined && !Array.isArray(v)) delete copy[head];
  else copy[head] = replaced(copy[head], rest, value);
  return copy;
}

Deno.test("parseBuiltScenario agrees with parseScenario on inputs with one field changed", () => {
  const values: unknown[] = [
    undefined,
    null,
    true,
    false,
    0,
    1,
    2,
    -1,
    1.5,
    64,
    65,
    100,
    101,
    256,
    4096,
    4097,
    1 << 20,
    2 ** 53,
    Number.NaN,
    "",
    "x",
    "p0",
    "v0",
    "w0",
    "bad name",
    "eager",
    "custom",
    "read",
    "write",
    "resize",
    "open",
    "suspend",
    "evict",
    "writeback",
    [],
    [{}],
    {},
    { op: "info" },
  ];
  const rng = makeRng(3, "parse_built_test");
  let changed = 0;
  for (let k = 0; k < 150; k++) {
    const s = generateScenario(planRun(11, k));
    const all = paths(s);
    for (let n = 0; n < 25; n++) {
      const path = all[rng.int(all.length)];
      const input = replaced(s, path, values[rng.int(values.length)]);
      agree(input, `run ${k}, ${path.join(".")}`);
      changed++;
    }
    // An unknown key at an object's path.
    const objects = all.filter((p) => {
      let v: unknown = s;
      for (const x of p) v = (v as Record<string | number, unknown>)[x];
      return typeof v === "object" && v !== null && !Array.isArray(v);
    });
    const at = objects[rng.int(objects.length)];
    agree(replaced(s, [...at, "extra"], 1), `run ${k}, ${[...at, "extra"].join(".")}`);
  }
  assert.equal(changed, 150 * 25);
});

Deno.test("parseBuiltScenario throws parseScenario's error for a dangling reference", () => {
  const input = {
    pagers: [{ name: "fs" }],
    vmos: [{ name: "a", pager: "fs", pages: 2 }],
    threads: [{ name: "r", ops: [{ op: "read" as const, vmo: "b", page: 0 }] }],
  };
  assert.throws(
    () => parseBuiltScenario(input, "t.json"),
    /t\.json: invalid scenario[^]*no VMO named "b"/,
  );
  agree(input, "dangling VMO");
});
