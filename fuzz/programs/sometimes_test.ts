// Program campaigns count what a user can't otherwise see: whether calls were given a user buffer,
// and whether those copies faulted on a pager VMO's mapping and parked (trial 4: `fuzz --mode
// programs` printed no counter, `--json` had empty `sometimes`).
import { strict as assert } from "node:assert";
import { ZX_INFO_VMO } from "../../kernel/constants.ts";
import { makeRng } from "../../sim/rng.ts";
import { generateProgram, rngDraw } from "../../program/generate.ts";
import type { ProgramCall } from "../../program/program.ts";
import { programMonitors, runProgram } from "../../program/run.ts";
import { ProgramFuzzer } from "./campaign.ts";
import { PROGRAM_SOMETIMES, ProgramSometimesMonitor } from "./sometimes.ts";
import { mappedProgram } from "../../program/_mapped_program.ts";

const root = new URL("../../", import.meta.url);

Deno.test("a copy through a pager VMO's mapping counts as a user-buffer call whose copy faulted and parked", () => {
  for (
    const call of [
      // The read's own page 0, then its copy's fault on page 1 of the same VMO, where the buffer is.
      { call: "zx_vmo_read", args: [{ h: [0, 2] }, 0, 64, { addr: [0, 4], plus: 64 }] },
      // zx_object_get_info writes its record through the buffer, into the absent page 1.
      {
        call: "zx_object_get_info",
        args: [{ h: [0, 2] }, ZX_INFO_VMO, { addr: [0, 4], plus: 64 }],
      },
    ] satisfies ProgramCall[]
  ) {
    const reached = new Set<string>();
    for (let seed = 0; seed < 40; seed++) {
      const m = new ProgramSometimesMonitor();
      const run = runProgram(mappedProgram(call), {
        seed,
        monitors: () => [...programMonitors(), m],
      });
      assert.equal(run.verdict.kind, "pass", `seed ${seed}: ${JSON.stringify(run.verdict)}`);
      for (const h of m.hit) reached.add(h);
    }
    const want = ["user-buffer-call", "user-copy-request", "user-copy-parked"];
    if (call.call === "zx_vmo_read") want.push("user-copy-ok");
    for (const h of want) {
      assert.ok(reached.has(h), `${call.call}: ${h} not reached: ${[...reached]}`);
    }
  }
  // Without a buffer, none of them.
  const m = new ProgramSometimesMonitor();
  runProgram(mappedProgram({ call: "zx_object_get_info", args: [{ h: [0, 2] }, ZX_INFO_VMO] }), {
    seed: 0,
    monitors: () => [...programMonitors(), m],
  });
  assert.deepEqual([...m.hit].filter((h) => h.startsWith("user-")), []);
});

Deno.test("a zx_vmo_read of a pager VMO's own pages is not counted as its copy's request", () => {
  // The buffer is in an anonymous VMO's mapping: the read's own READ request only.
  for (let seed = 0; seed < 10; seed++) {
    const p = mappedProgram({
      call: "zx_vmo_read",
      args: [{ h: [0, 2] }, 0, 128, { addr: [0, 4], plus: 0 }],
    }, 3);
    const m = new ProgramSometimesMonitor();
    runProgram(p, { seed, monitors: () => [...programMonitors(), m] });
    assert.ok(m.hit.has("user-buffer-call"), [...m.hit].join(", "));
    assert.ok(!m.hit.has("user-copy-request"), `seed ${seed}: ${[...m.hit].join(", ")}`);
  }
});

Deno.test("the program counters watch only: verdicts, results and trace hashes are the same without them", () => {
  let counted = 0;
  for (let seed = 0; seed < 150; seed++) {
    const p = generateProgram(rngDraw(makeRng(seed)));
    const m = new ProgramSometimesMonitor();
    const a = runProgram(p, { seed, monitors: programMonitors });
    const b = runProgram(p, { seed, monitors: () => [...programMonitors(), m] });
    assert.equal(b.traceHash, a.traceHash, `seed ${seed}`);
    assert.deepEqual(b.verdict, a.verdict, `seed ${seed}`);
    assert.deepEqual(b.results, a.results, `seed ${seed}`);
    counted += m.hit.size;
  }
  assert.ok(counted > 0);
});

Deno.test("a short seeded program campaign reaches user-buffer calls, the same counts every time", () => {
  const counts = () => {
    const f = new ProgramFuzzer({ seed: 1, guided: true, checks: "kernel" });
    const out: Record<string, number> = {};
    while (f.runs < 300) for (const h of f.step().sometimes) out[h] = (out[h] ?? 0) + 1;
    return out;
  };
  const first = counts();
  assert.deepEqual(counts(), first);
  assert.ok(first["user-buffer-call"] > 0, JSON.stringify(first));
  for (const k of Object.keys(first)) assert.ok(k in PROGRAM_SOMETIMES, k);
});

Deno.test("fuzz --mode programs prints the program counters, names those never reached, and --json has them", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const run = async (...more: string[]) => {
      const o = await new Deno.Command(Deno.execPath(), {
        args: [
          "run",
          "-A",
          "cli/fuzz.ts",
          "--mode",
          "programs",
          "--runs",
          "200",
          "--seed",
          "1",
          "--workers",
          "1",
          "--corpus",
          dir,
          ...more,
        ],
        cwd: root,
        stdout: "piped",
        stderr: "piped",
      }).output();
      assert.equal(o.code, 0, new TextDecoder().decode(o.stderr));
      return new TextDecoder().decode(o.stdout);
    };
    const text = await run();
    assert.match(text, /^sometimes \(runs that reached each program event\):$/m);
    const shown = /^\s+(\d+)\s+user-buffer-call$/m.exec(text);
    assert.ok(shown !== null && Number(shown[1]) > 0, text);
    const copies = /^\s+(\d+)\s+user-copy-request$/m.exec(text);
    assert.ok(
      copies !== null && Number(copies[1]) > 0,
      `no copy faulted on a pager mapping:\n${text}`,
    );
    const json = JSON.parse(await run("--json"));
    assert.equal(json.sometimes["user-buffer-call"], Number(shown[1]));
    // The text names the counters never reached, as --json does (200 runs reach no DIRTY request).
    assert.ok(json.neverReached.length > 0, JSON.stringify(json.sometimes));
    assert.match(text, new RegExp(`^never reached: ${json.neverReached.join(", ")}$`, "m"));
    for (const k of Object.keys(PROGRAM_SOMETIMES)) {
      assert.equal(json.neverReached.includes(k), !(json.sometimes[k] > 0), k);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
