// guardedPagerProperty: a property over a service that never yields fails with sim's finding
// instead of hanging `deno test` (session 35, trial35 frictions 3 and 11; the trial's services
// are properties/testdata/trial35/, as the user wrote them).
import { strict as assert } from "node:assert";
import fc from "npm:fast-check@4.11.0";
import {
  guardedPagerProperty,
  GuardedPropertyFailure,
  type GuardedPropertyOptions,
} from "./guarded_property.ts";
import { pagerProperty } from "./pager_property.ts";
import { checkersOf } from "../mod.ts";
import throwsService from "./testdata/trial35/throws.ts";
import blockService from "./testdata/blocks.ts";
import myService from "../examples/my_service.ts";
import chunkStore from "../case/testdata/userS35/chunkstore.ts";
import blobPager, { contract as blobContract } from "./testdata/trial36/blob_pager.ts";
import blobLostWake from "./testdata/trial36/blob_pager_lostwake.ts";
import fxfsPager, { contract as fxfsContract, flush } from "../examples/fxfs_pager.ts";
import { withContract } from "../scenario/service_contract.ts";
import { CONFIRM_FACTOR, DEFAULT_MEMORY_MB, DEFAULT_RUN_TIMEOUT } from "../fuzz/engine.ts";
import { GUARD_CONFIRM_FACTOR, GUARD_MEMORY_MB, GUARD_RUN_TIMEOUT } from "./guarded_property.ts";

const throws = new URL("./testdata/trial35/throws.ts", import.meta.url);
const blocks = new URL("./testdata/blocks.ts", import.meta.url);
const trial36 = (name: string) => new URL(`./testdata/trial36/${name}`, import.meta.url);

/** fast-check's error for a failing property, with the property's own failure as its cause. */
async function failure(run: Promise<unknown>): Promise<{ report: string; cause: unknown }> {
  try {
    await run;
  } catch (e) {
    assert.ok(e instanceof Error, String(e));
    return { report: e.message, cause: e.cause };
  }
  assert.fail("the property passed");
}

/** The error `run` rejects with (a property that refuses to run rejects with its refusal). */
async function rejection(run: Promise<unknown>): Promise<Error> {
  try {
    await run;
  } catch (e) {
    assert.ok(e instanceof Error, String(e));
    return e;
  }
  assert.fail("the property passed");
}

// The three hang cases (a service that never yields, the hang's replay line run as printed, a
// kernel variant in a syscall that never returns) run in this test process again (session 37; a
// child `deno test` ran them since f45cfa0, when each left its spinning threads burning a core for
// the rest of the suite). Their service (properties/testdata/blocks.ts, trial35/spins.ts's twin)
// and kernel variant (fuzz/testdata/spin_kernel.ts) block in Atomics.wait instead of looping, the
// same hang to the guard, and since 4697cf5 a test that may run deno hosts the runs in a child
// process killed at the hang: tools/idle_cpu.ts reads ~0 CPU-s after this file.
Deno.test("a service that never yields fails the guarded property with service-hang, in bounded time", async () => {
  const t0 = performance.now();
  const { report, cause } = await failure(fc.assert(
    guardedPagerProperty(checkersOf("kernel+service"), {
      scenario: { services: [], customServices: ["mine"] },
      services: { mine: blockService },
      serviceModule: blocks,
      runTimeout: 1,
      confirmTimeout: 2,
    }),
    { numRuns: 50, seed: 1 },
  ));
  const seconds = (performance.now() - t0) / 1000;
  assert.ok(cause instanceof GuardedPropertyFailure, String(cause));
  assert.equal(cause.signature, "service-hang: no yield");
  const text = cause.message;
  // sim's finding: the thread, the step, whose code and which module.
  assert.match(
    text,
    /^pagersim: service-hang: no yield \(t\d+ at step \d+ never yielded, in the service's body \(the service function each service thread runs\) \(properties\/testdata\/blocks\.ts\): the run did not finish within --run-timeout 1s, nor when run again within --confirm-timeout 2s\)$/m,
  );
  assert.match(text, /^signature: service-hang: no yield$/m);
  // Run with --allow-run: the cases ran in a child process, killed with both spinning threads.
  assert.match(
    text,
    /the worker threads that never yielded \(the run's and its confirmation run's\) ended with the child process that ran them, killed$/m,
  );
  assert.match(
    text,
    /^stuck: t\d+ "[^"]+" \(service\) never yielded at step \d+, running the service's body/m,
  );
  assert.match(text, /^trace, steps \d+\.\.\d+:$/m);
  const replay = /^replay: (deno task repro .*)$/m.exec(text)?.[1] ?? "";
  assert.match(replay, / --service 'properties\/testdata\/blocks\.ts' /);
  assert.match(replay, / --run-timeout 1 --confirm-timeout 2$/);
  // Not shrunk: every shrinking run would hang too, and no case ran after it.
  assert.match(report, /Shrunk 0 time\(s\)/);
  assert.ok(seconds < 25, `took ${seconds.toFixed(1)} s`);
});

Deno.test("the hang's replay line runs as printed: repro stops the same thread at the same step", async () => {
  // Not run again (confirmTimeout equal to runTimeout), here and in the replay, to keep it short.
  const { cause } = await failure(fc.assert(
    guardedPagerProperty(checkersOf("kernel+service"), {
      scenario: { services: [], customServices: ["mine"] },
      services: { mine: blockService },
      serviceModule: blocks,
      runTimeout: 1,
      confirmTimeout: 1,
    }),
    { numRuns: 50, seed: 1 },
  ));
  assert.ok(cause instanceof GuardedPropertyFailure, String(cause));
  assert.match(
    cause.message,
    /within --run-timeout 1s \(not run again: --confirm-timeout 1 is not above it\)/,
  );
  const replay = /^replay: (deno task repro .*)$/m.exec(cause.message)?.[1] ?? "";
  assert.match(replay, / --run-timeout 1 --confirm-timeout 1$/);
  const o = await new Deno.Command("sh", {
    args: ["-c", replay],
    cwd: new URL("../", import.meta.url),
    stdout: "piped",
    stderr: "piped",
  }).output();
  const out = new TextDecoder().decode(o.stdout);
  assert.equal(o.code, 1, new TextDecoder().decode(o.stderr));
  assert.match(out, /^signature: service-hang: no yield$/m);
  // The thread and step the property named.
  const named = /t(\d+) at step (\d+) never yielded/.exec(cause.message);
  assert.ok(named !== null);
  // trial36 friction 6: the report's trace and decision count read as repro's do (it said
  // `steps 0..12` and `decisions (12)` over a trace that ended at step 11, where repro said 11).
  const [tid, step] = [Number(named[1]), Number(named[2])];
  assert.match(cause.message, new RegExp(`^trace, steps \\d+\\.\\.${step - 1}:$`, "m"));
  const counted = new RegExp(
    `^decisions \\((\\d+) entries: (\\d+) up to step ${
      step - 1
    }, as repro counts them, and step ${step}'s pick of t${tid}\\): \\[`,
    "m",
  ).exec(cause.message);
  assert.ok(counted !== null, cause.message);
  assert.equal(Number(counted[1]), Number(counted[2]) + 1);
  assert.match(replay, new RegExp(` --decisions (\\d+,){${Number(counted[1]) - 1}}\\d+ `));
  assert.match(
    out,
    new RegExp(`^decision-list \\(${counted[2]} entr(y|ies), up to step ${step - 1}\\): `, "m"),
  );
  assert.match(out, new RegExp(`^steps: ${step - 1} `, "m"));
  assert.match(
    out,
    new RegExp(
      `^verdict: service-hang: no yield \\(t${named[1]} at step ${named[2]} never yielded`,
      "m",
    ),
  );
});

Deno.test("a kernel variant named by kernelModule that spins in a syscall is the kernel's hang", async () => {
  const kernelModule = new URL("../fuzz/testdata/spin_kernel.ts", import.meta.url);
  const { cause } = await failure(fc.assert(
    guardedPagerProperty(checkersOf("kernel"), { kernelModule, runTimeout: 1, confirmTimeout: 1 }),
    { numRuns: 50, seed: 1 },
  ));
  assert.ok(cause instanceof GuardedPropertyFailure, String(cause));
  assert.equal(cause.signature, "kernel-hang: no yield", cause.message);
  assert.match(
    cause.message,
    /never yielded, in the kernel, inside zx_pager_supply_pages \(the kernel variant's code, fuzz\/testdata\/spin_kernel\.ts;/,
  );
  assert.match(
    cause.message,
    /^replay: deno task repro .* --kernel 'fuzz\/testdata\/spin_kernel\.ts' /m,
  );
});

Deno.test("the guarded property passes a correct service", async () => {
  await fc.assert(
    guardedPagerProperty(checkersOf("kernel+service"), {
      scenario: { services: [], customServices: ["mine"] },
      services: { mine: myService },
      serviceModule: new URL("../examples/my_service.ts", import.meta.url),
    }),
    { numRuns: 60, seed: 1 },
  );
});

Deno.test("an ordinary failure shrinks as pagerProperty's does, with the service's own frame", async () => {
  const options = {
    scenario: { services: [], customServices: ["mine"] },
    services: { mine: throwsService },
    serviceModule: throws,
  };
  const guarded = await failure(
    fc.assert(guardedPagerProperty(checkersOf("kernel+service"), options), {
      numRuns: 100,
      seed: 1,
    }),
  );
  let inProcess: { report: string; cause: unknown } | null = null;
  try {
    fc.assert(pagerProperty(checkersOf("kernel+service"), options), { numRuns: 100, seed: 1 });
  } catch (e) {
    inProcess = { report: (e as Error).message, cause: (e as Error).cause };
  }
  assert.ok(inProcess !== null, "the in-process property passed");
  assert.ok(guarded.cause instanceof GuardedPropertyFailure);
  assert.equal(guarded.cause.signature, "thread-fault:Error@throws.ts:blockOf");
  // The same draws, the same shrinking, the same report: the worker runs pagerProperty's run.
  assert.match(guarded.report, /Shrunk [1-9]\d* time\(s\)/);
  assert.equal(guarded.cause.message, (inProcess.cause as Error).message);
  // The thread's stack, cut as sim cuts it: the service's frame is in the report.
  assert.match(guarded.cause.message, /^ {4}at blockOf \(file:\/\/\S+\/throws\.ts:12:25\)$/m);
  assert.match(
    guarded.cause.message,
    /\(pagersim's (scheduler )?frames (below your code )?omitted\)/,
  );
});

Deno.test("guardedPagerProperty refuses what its worker cannot run, at once", () => {
  assert.throws(
    // The type says so too (trial36 friction 10): services without serviceModule do not check.
    // @ts-expect-error: serviceModule is required with services
    () => guardedPagerProperty(checkersOf("kernel+service"), { services: { mine: myService } }),
    /give serviceModule/,
  );
  assert.throws(
    () => guardedPagerProperty(() => [], {}),
    /the checkers must be a named set/,
  );
});

// trial36 friction 4: the refusal of a service not held to its module's contract named
// pagerProperty when the test had called guardedPagerProperty.
Deno.test("guardedPagerProperty's refusal of a service not held to its module's contract names guardedPagerProperty", () => {
  assert.throws(
    () =>
      guardedPagerProperty(checkersOf("kernel+service"), {
        scenario: { services: [], customServices: ["mine"] },
        services: { mine: chunkStore },
        serviceModule: new URL("../case/testdata/userS35/chunkstore.ts", import.meta.url),
      }),
    /^Error: guardedPagerProperty: case\/testdata\/userS35\/chunkstore\.ts exports a contract, but services\.mine is not held to it/,
  );
});

Deno.test("the guard's defaults are sim's and a campaign's", () => {
  assert.equal(GUARD_RUN_TIMEOUT, DEFAULT_RUN_TIMEOUT);
  assert.equal(GUARD_CONFIRM_FACTOR, CONFIRM_FACTOR);
  assert.equal(GUARD_MEMORY_MB, DEFAULT_MEMORY_MB);
});

// The worker imports the service module in the test's process, through the user's deno.json
// (README, "In another project"): a module importing "pagersim" by its mapped name loads, under
// the README's `deno test --allow-read`.
Deno.test("in another project, the worker loads a service that imports pagersim by its mapped name", async () => {
  const dir = await Deno.makeTempDir({ prefix: "pagersim-guarded-" });
  try {
    const mod = new URL("../mod.ts", import.meta.url).href;
    await Deno.writeTextFile(
      `${dir}/deno.json`,
      JSON.stringify({ imports: { "fast-check": "npm:fast-check@4.11.0", "pagersim": mod } }),
    );
    await Deno.writeTextFile(
      `${dir}/my_service.ts`,
      `import { serveReads, type ServiceContext, supplyFromBacking, type Sys, type ThreadBody } from "pagersim";
export default function* mine(sys: Sys, ctx: ServiceContext): ThreadBody {
  yield* serveReads(sys, ctx, (p, vmo) => supplyFromBacking(sys, ctx, vmo, p.offset, p.length));
}
`,
    );
    await Deno.writeTextFile(
      `${dir}/my_service_test.ts`,
      `import fc from "fast-check";
import { checkersOf, guardedPagerProperty } from "pagersim";
import mine from "./my_service.ts";
Deno.test("outside: guarded", async () => {
  await fc.assert(
    guardedPagerProperty(checkersOf("kernel+service"), {
      scenario: { services: [], customServices: ["mine"] },
      services: { mine },
      serviceModule: new URL("./my_service.ts", import.meta.url),
    }),
    { numRuns: 20, seed: 3 },
  );
});
`,
    );
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["test", "--quiet", "--no-check", "--allow-read", "my_service_test.ts"],
      cwd: dir,
      env: { NO_COLOR: "1" },
    }).output();
    const text = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
    assert.equal(out.code, 0, text);
    assert.match(text, /outside: guarded \.\.\. ok/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

// trial36 friction 3: after a guarded hang the run's worker thread and its confirmation run's
// spun in the user's test process until `deno test` ended (Deno 2.9.6 cannot stop a thread busy in
// a loop: tools/busy_worker_terminate.ts), both cores of a 2-core machine for the rest of the
// suite. A test allowed to run deno hosts the runs in a child process, killed after the hang: the
// test process's CPU over 3 s after the failure (as tools/testdata/idle_probe.ts reads it) is ~0.
// Without --allow-run the runs stay in-process, where the same read shows the threads spinning,
// and the note says which.
Deno.test("in another project, a guarded hang leaves no thread spinning when the test may run deno", async () => {
  const dir = await Deno.makeTempDir({ prefix: "pagersim-guarded-spin-" });
  try {
    const mod = new URL("../mod.ts", import.meta.url).href;
    await Deno.writeTextFile(
      `${dir}/deno.json`,
      JSON.stringify({ imports: { "fast-check": "npm:fast-check@4.11.0", "pagersim": mod } }),
    );
    // properties/testdata/trial35/spins.ts, importing pagersim by its mapped name.
    await Deno.writeTextFile(
      `${dir}/spins.ts`,
      (await Deno.readTextFile(new URL("./testdata/trial35/spins.ts", import.meta.url)))
        .replace('"../../../mod.ts"', '"pagersim"'),
    );
    await Deno.writeTextFile(
      `${dir}/spins_test.ts`,
      `import fc from "fast-check";
import { checkersOf, guardedPagerProperty } from "pagersim";
import spins from "./spins.ts";
const cpu = () => {
  const u = (Deno as unknown as { cpuUsage(): { user: number; system: number } }).cpuUsage();
  return u.user + u.system;
};
Deno.test("outside: hang", async () => {
  let report = "";
  try {
    await fc.assert(
      guardedPagerProperty(checkersOf("kernel+service"), {
        scenario: { services: [], customServices: ["mine"] },
        services: { mine: spins },
        serviceModule: new URL("./spins.ts", import.meta.url),
        runTimeout: 1,
        confirmTimeout: 2,
      }),
      { numRuns: 50, seed: 1 },
    );
  } catch (e) {
    report = String((e as Error).cause instanceof Error ? ((e as Error).cause as Error).message : e);
  }
  const t0 = cpu();
  await new Promise((r) => setTimeout(r, 3000));
  console.log(\`after-hang-cpu \${((cpu() - t0) / 1e6).toFixed(2)}\`);
  console.log(report);
});
`,
    );
    const run = async (allow: string[]) => {
      const out = await new Deno.Command(Deno.execPath(), {
        args: ["test", "--no-check", ...allow, "spins_test.ts"],
        cwd: dir,
        env: { NO_COLOR: "1" },
      }).output();
      const text = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
      assert.equal(out.code, 0, text);
      assert.match(text, /^signature: service-hang: no yield$/m, text);
      const cpu = Number(/after-hang-cpu ([\d.]+)/.exec(text)?.[1]);
      return { text, cpu };
    };
    const child = await run(["--allow-read", "--allow-run=deno"]);
    assert.match(
      child.text,
      /the worker threads that never yielded \(the run's and its confirmation run's\) ended with the child process that ran them, killed$/m,
    );
    assert.ok(child.cpu < 0.3, `${child.cpu} CPU-s in the 3 s after the hang\n${child.text}`);
    const inProcess = await run(["--allow-read"]);
    assert.match(
      inProcess.text,
      /the worker threads that never yielded \(the run's and its confirmation run's\) spin on until the test process ends/,
    );
    // Two threads spinning: ~6 CPU-s on an idle machine, less on a loaded one (load ~6: 1.4).
    assert.ok(inProcess.cpu > child.cpu + 0.5, `${inProcess.cpu} CPU-s in the 3 s after the hang`);
    console.log(
      `after the hang, 3 s: ${child.cpu} CPU-s (child process), ${inProcess.cpu} (in-process)`,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

// trial36 friction 2: the buggy function in services with the correct module as serviceModule (a
// copy-paste slip) passed 300 runs: the worker ran the module's service, not the one given.
Deno.test("a service that is not serviceModule's is refused before any case runs, naming both", async () => {
  const property = (service: typeof blobPager) =>
    guardedPagerProperty(checkersOf("kernel+service"), {
      scenario: { services: [], customServices: ["blob"] },
      services: { blob: withContract(service, blobContract) },
      serviceModule: new URL("./testdata/trial36/blob_pager.ts", import.meta.url),
    });
  // Not a failing case (no counterexample, no shrinking): the assert rejects with the refusal.
  const refused = await rejection(fc.assert(property(blobLostWake), { numRuns: 300, seed: 1 }));
  assert.ok(refused instanceof TypeError, String(refused));
  assert.equal(
    refused.message,
    "guardedPagerProperty: services.blob (function blobPager) is not the service of serviceModule " +
      "properties/testdata/trial36/blob_pager.ts (its default export, function blobPager, another " +
      "function of the same name): the cases run in a worker that imports serviceModule and runs " +
      "its service, so the property would test that one, not services.blob. Name the module that " +
      "exports services.blob as serviceModule (its default export, or `service`)",
  );
  // The module's own service (held to its contract, as the trial's test holds it) is not refused.
  await fc.assert(property(blobPager), { numRuns: 10, seed: 1 });
});

// trial36 friction 5: a serviceModule that throws while loading failed with `Error:
// guardedPagerProperty: SyntaxError: Unexpected token ...`, naming neither the module nor where.
Deno.test("a service or kernel module that throws while loading is named, with where it threw", async () => {
  const guarded = (options: Record<string, unknown>) =>
    fc.assert(
      guardedPagerProperty(checkersOf("kernel+service"), options as GuardedPropertyOptions),
      { numRuns: 50, seed: 1 },
    );
  const blob = {
    scenario: { services: [], customServices: ["blob"] },
    services: { blob: withContract(blobPager, blobContract) },
  };
  const json = await rejection(guarded({ ...blob, serviceModule: trial36("load_throws.ts") }));
  assert.equal(
    json.message,
    "guardedPagerProperty: serviceModule properties/testdata/trial36/load_throws.ts did not load: " +
      "the module threw while loading, at properties/testdata/trial36/load_throws.ts:3:26: " +
      `SyntaxError: Unexpected token '}', "{"chunks": [1, 2,}" is not valid JSON`,
  );
  const thrown = await rejection(guarded({ ...blob, serviceModule: trial36("load_throws2.ts") }));
  assert.match(
    thrown.message,
    /^guardedPagerProperty: serviceModule properties\/testdata\/trial36\/load_throws2\.ts did not load: the module threw while loading, at properties\/testdata\/trial36\/load_throws2\.ts:4:\d+: Error: blob chunk table missing$/,
  );
  // A kernel variant's module is imported by the worker alone: its error says the same.
  const kernel = await rejection(guarded({ kernelModule: trial36("load_throws2.ts") }));
  assert.match(
    kernel.message,
    /^guardedPagerProperty: kernelModule properties\/testdata\/trial36\/load_throws2\.ts did not load: the module threw while loading, at properties\/testdata\/trial36\/load_throws2\.ts:4:\d+: Error: blob chunk table missing$/,
  );
  // A parse error: Deno's position (a module outside the working directory: its full path).
  const dir = await Deno.makeTempDir({ prefix: "pagersim-guarded-parse-" });
  try {
    await Deno.writeTextFile(`${dir}/bad.ts`, "export default 1;\nconst x = { a: 1,, };\n");
    const parse = await rejection(guarded({ ...blob, serviceModule: `${dir}/bad.ts` }));
    assert.match(
      parse.message,
      new RegExp(
        `^guardedPagerProperty: serviceModule ${dir}/bad\\.ts did not load: syntax error at ${dir}/bad\\.ts:2:18: Unexpected token`,
      ),
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a service module that does not load fails the assert with the load error, at once", async () => {
  const run = fc.assert(
    guardedPagerProperty(checkersOf("kernel+service"), {
      scenario: { services: [], customServices: ["mine"] },
      services: { mine: myService },
      serviceModule: new URL("./testdata/trial35/no_such_module.ts", import.meta.url),
    }),
    { numRuns: 50, seed: 1 },
  );
  await assert.rejects(run, /guardedPagerProperty: .*no_such_module\.ts/);
});

// A service the test holds to a contract whose writeback is an entry point (`{ entry: "flush" }`):
// the worker holds the module's service to the same contract, with the module's `flush` (without
// it, withContract refuses the contract and the assert rejects with that load error).
Deno.test("a service held to a contract in the test is held to it in the worker, entry points too", async () => {
  await fc.assert(
    guardedPagerProperty(checkersOf("kernel+service"), {
      scenario: { services: [], customServices: ["fxfs"] },
      services: { fxfs: withContract(fxfsPager, fxfsContract, { writeback: flush }) },
      serviceModule: new URL("../examples/fxfs_pager.ts", import.meta.url),
    }),
    { numRuns: 40, seed: 1 },
  );
});

// trial37 friction 6: a refusal's message says what happened and what to do; the stack under it
// was pagersim's own frames (`return new Error(...)` in moduleRefusal, Object.run, fast-check's).
Deno.test("the guarded property's refusals (module does not load, function is not the module's) carry their message alone", async () => {
  const trial37 = (name: string) => new URL(`./testdata/trial37/${name}`, import.meta.url);
  const { default: chunkPager, contract } = await import("./testdata/trial37/chunk_pager.ts");
  const { default: lockOrder } = await import("./testdata/trial37/chunk_pager_lockorder.ts");
  const scenario = { services: [], customServices: ["mine"] };
  const refusals = [
    await rejection(fc.assert(
      guardedPagerProperty(checkersOf("kernel+service"), {
        scenario,
        services: { mine: chunkPager },
        serviceModule: trial37("throws_on_load.ts"),
      }),
      { numRuns: 5, seed: 1 },
    )),
    await rejection(fc.assert(
      guardedPagerProperty(checkersOf("kernel+service"), {
        scenario,
        services: { mine: withContract(lockOrder, contract) },
        serviceModule: trial37("chunk_pager.ts"),
      }),
      { numRuns: 5, seed: 1 },
    )),
  ];
  assert.match(
    refusals[0].message,
    /^guardedPagerProperty: serviceModule .*throws_on_load\.ts did not load: the module threw while loading, at .*throws_on_load\.ts:6:33: Error: chunk size table has no 4-page entry/,
  );
  assert.match(
    refusals[1].message,
    /^guardedPagerProperty: services\.mine \(function chunkPager\) is not the service of serviceModule .*chunk_pager\.ts/,
  );
  for (const e of refusals) {
    assert.equal(e.stack, `${e.name}: ${e.message}`);
  }
});

// trial37 friction 12: under a plain `deno test` (no permissions) the first case failed with
// Deno's `NotCapable: Requires read access to ".../properties/_guarded_worker.ts"` and pagersim's
// stack; the property now says, in one message, what it needs.
Deno.test("a guarded property in a test that may not read says what it needs, in one message", async () => {
  const out = await new Deno.Command(Deno.execPath(), {
    args: [
      "test",
      "--no-check",
      new URL("./testdata/trial37/guarded_no_read.ts", import.meta.url).pathname,
    ],
    env: { NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
  assert.notEqual(out.code, 0, text);
  assert.match(
    text,
    /error: NotCapable: guardedPagerProperty needs to read files: .* Run the test with --allow-read, and with --allow-run=deno too to run the cases in a child process, .*: deno test --allow-read --allow-run=deno FILE \(or -A\)\n/,
  );
  assert.ok(!text.includes("_guarded_worker.ts"), text);
  assert.ok(!text.includes("guarded_property.ts:"), text);
});
