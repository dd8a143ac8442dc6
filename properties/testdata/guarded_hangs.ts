// The hang cases of properties/guarded_property_test.ts, run by that test in a `deno test` of
// their own: each leaves the worker thread that never yielded spinning (Deno 2.9.6 cannot stop a
// thread busy in a loop, tools/busy_worker_terminate.ts), which in the suite's process burned a
// core for the rest of CI's covered run (tools/idle_cpu.ts read 9.9 CPU-s in its 5-s probe after
// the file; session 36). A process of their own takes the threads with it when it ends. Not named
// `_test.ts`: `deno task test` does not run it in-process. (Since trial36 a property allowed to
// run deno runs its cases in a child process it kills after a hang, as here with --allow-run; the
// process of their own stays, for a property that takes the in-process worker.)
import { strict as assert } from "node:assert";
import fc from "npm:fast-check@4.11.0";
import { guardedPagerProperty, GuardedPropertyFailure } from "../guarded_property.ts";
import { checkersOf } from "../../mod.ts";
import spinService from "./trial35/spins.ts";

const spins = new URL("./trial35/spins.ts", import.meta.url);

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

Deno.test("a service that never yields fails the guarded property with service-hang, in bounded time", async () => {
  const t0 = performance.now();
  const { report, cause } = await failure(fc.assert(
    guardedPagerProperty(checkersOf("kernel+service"), {
      scenario: { services: [], customServices: ["mine"] },
      services: { mine: spinService },
      serviceModule: spins,
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
    /^pagersim: service-hang: no yield \(t\d+ at step \d+ never yielded, in the service's body \(the service function each service thread runs\) \(properties\/testdata\/trial35\/spins\.ts\): the run did not finish within --run-timeout 1s, nor when run again within --confirm-timeout 2s\)$/m,
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
  assert.match(replay, / --service 'properties\/testdata\/trial35\/spins\.ts' /);
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
      services: { mine: spinService },
      serviceModule: spins,
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
    cwd: new URL("../../", import.meta.url),
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
  const kernelModule = new URL("../../fuzz/testdata/spin_kernel.ts", import.meta.url);
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
