// userS27k: a kernel variant that loops forever inside a syscall (vh_hostile.ts, in
// onPagesSupplied) was reported "in the kernel, inside zx_pager_supply_pages (the kernel
// variant's code ...)" but signed `service-hang: no yield`, the signature of a service's own
// spin. A stop inside a syscall is `kernel-hang: no yield` (expected `kernel-hang`) in fuzz, its
// case and repro of it; a service's own spin keeps `service-hang`.
import { strict as assert } from "node:assert";
import { readCaseFile } from "../case/store.ts";
import {
  hangKind,
  hangSignature,
  KERNEL_HANG,
  kernelUnderTest,
  SERVICE_HANG,
} from "./signature.ts";
import { IN_SYSCALL } from "../sim/world.ts";
import { SYSCALL_NAMES } from "../kernel/syscalls.ts";
import { stoppedLine } from "../cli/_guard.ts";
import { FUZZ, run, summaryOf } from "./testdata/fuzz_cli.ts";

const SUPPLY = (SYSCALL_NAMES.indexOf("zx_pager_supply_pages") + 1) * IN_SYSCALL;
const LIMITS = { runTimeout: 1, memoryMb: 512, confirmTimeout: 2, maxSteps: 100 };

Deno.test("a stop inside a syscall signs kernel-hang, a service's own spin service-hang", () => {
  const inKernel = { step: 8, tid: 1, entry: SUPPLY + 1 };
  const inService = { step: 8, tid: 1, entry: 1 };
  const variant = kernelUnderTest("vh_hostile.ts", false);
  assert.equal(hangSignature(inKernel, variant), KERNEL_HANG);
  assert.equal(KERNEL_HANG, "kernel-hang: no yield");
  assert.equal(hangKind(inKernel, variant), "kernel-hang");
  assert.equal(hangSignature(inService, variant), SERVICE_HANG);
  assert.equal(hangKind(inService, variant), "service-hang");
  assert.equal(hangSignature(null, variant), SERVICE_HANG);
  // A program's calls test the kernel itself, variant or not (sig29).
  assert.equal(hangKind(inKernel, kernelUnderTest(null, true)), "kernel-hang");
  // Session 34: pagersim's own kernel model under a service is not the code under test.
  assert.equal(hangKind(inKernel, kernelUnderTest(null, false)), "service-hang");
  const line = stoppedLine({ kind: "service-hang", at: inKernel }, LIMITS, "vh_hostile.ts");
  assert.match(
    line,
    /^verdict: kernel-hang: no yield \(t1 at step 8 never yielded, in the kernel, inside zx_pager_supply_pages \(the kernel variant's code, vh_hostile\.ts;/,
  );
  assert.match(
    stoppedLine({ kind: "service-hang", at: inService }, LIMITS, null),
    /^verdict: service-hang: no yield \(t1 at step 8 never yielded, in the service's body/,
  );
  assert.match(
    stoppedLine({ kind: "service-hang", at: inKernel }, LIMITS, null),
    /^verdict: service-hang: no yield \(t1 at step 8 never yielded, in the kernel, inside zx_pager_supply_pages \(the kernel model's code: no --kernel variant is loaded; .*\), on its caller's input: the caller's hang:/,
  );
});

// Session 34 (left from session 33's review): with no --kernel variant, every stop inside a
// syscall signed `kernel-hang` (the shared rule read only where the thread stood), though the
// kernel model is not the code under test: here a service hands zx_vmo_write a buffer whose
// `subarray` spins, so its thread stops inside the kernel model on its own input.
Deno.test("fuzz of a service that makes the kernel model spin on its input: a service-hang case that repro reproduces", async () => {
  const dir = await Deno.makeTempDir({ prefix: "pagersim-shang-" });
  try {
    const r = await run([
      ...FUZZ,
      "--service",
      "fuzz/testdata/spinning_buffer_service.ts",
      "--runs",
      "7", // seed 1's run 6 is the first to take two READs
      "--run-timeout",
      "2",
      "--confirm-timeout",
      "2",
      "--workers",
      "1",
      "--seed",
      "1",
      "--corpus",
      dir,
      "--json",
    ]);
    const s = summaryOf(r.out);
    assert.ok(!s.findings.some((f) => f.signature === KERNEL_HANG), JSON.stringify(s.findings));
    const hang = s.findings.find((f) => f.signature === SERVICE_HANG);
    assert.ok(hang !== undefined, JSON.stringify(s.findings) + r.err);
    assert.match(
      hang.description,
      /never yielded, in the kernel, inside zx_vmo_write \(the kernel model's code: no --kernel variant is loaded; called from the service's body .*\), on its caller's input: the caller's hang;/,
    );
    const c = await readCaseFile(hang.file);
    assert.equal(c.expected, "service-hang");
    assert.equal(c.signature, SERVICE_HANG);
    const replay = await run(["run", "-A", "cli/repro.ts", hang.file, "--trace", "none"]);
    assert.equal(replay.code, 0, replay.out + replay.err);
    assert.match(
      replay.out,
      /^verdict: service-hang: no yield \(t\d+ at step \d+ never yielded, in the kernel, inside zx_vmo_write \(the kernel model's code/m,
    );
    assert.match(replay.out, /^signature: service-hang: no yield$/m);
    assert.match(replay.out, /^expected: service-hang: reproduced$/m);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("fuzz --kernel with a variant that never returns from a supply: a kernel-hang case that repro reproduces", async () => {
  const dir = await Deno.makeTempDir({ prefix: "pagersim-khang-" });
  try {
    const r = await run([
      ...FUZZ,
      "--kernel",
      "fuzz/testdata/spin_kernel.ts",
      "--runs",
      "5", // seed 1's run 1 supplies nothing; run 2 does
      "--run-timeout",
      "1",
      "--confirm-timeout",
      "1",
      "--workers",
      "1",
      "--seed",
      "1",
      "--corpus",
      dir,
      "--json",
    ]);
    const s = summaryOf(r.out);
    // The stopped worker took its variant call counts with it: the summary says so (userS28c).
    assert.ok(s.workersStopped >= 1, JSON.stringify(s.workersStopped));
    const hang = s.findings.find((f) => f.signature === KERNEL_HANG);
    assert.ok(hang !== undefined, JSON.stringify(s.findings) + r.err);
    assert.ok(!s.findings.some((f) => f.signature === SERVICE_HANG));
    assert.match(hang.description, /in the kernel, inside zx_pager_supply_pages/);
    // The watchdog names the variant's method it stopped in (from the run's record; no line).
    assert.match(hang.description, /spin_kernel\.ts, in its SpinSource\.onPagesSupplied;/);
    const c = await readCaseFile(hang.file);
    assert.equal(c.expected, "kernel-hang");
    assert.equal(c.signature, KERNEL_HANG);
    assert.match(hang.file, /\/kernel-hang-no-yield-spin-kernel-[0-9a-f]{8}\.json$/);
    const replay = await run(["run", "-A", "cli/repro.ts", hang.file, "--trace", "none"]);
    assert.equal(replay.code, 0, replay.out + replay.err);
    assert.match(replay.out, /^signature: kernel-hang: no yield$/m);
    assert.match(replay.out, /^expected: kernel-hang: reproduced$/m);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

// userS28c/sig29: a program campaign's runs did not tell the watchdog where they stood, so a kernel
// hang was written as `service-hang` with no thread or step, and repro of its case (which knows)
// said "expected: service-hang: NOT reproduced (got kernel-hang)".
Deno.test("fuzz --mode programs --kernel with a variant that never returns from a supply: a kernel-hang case naming the program thread", async () => {
  const dir = await Deno.makeTempDir({ prefix: "pagersim-khang-p-" });
  try {
    const r = await run([
      ...FUZZ,
      "--mode",
      "programs",
      "--kernel",
      "fuzz/testdata/spin_kernel.ts",
      "--runs",
      "1", // seed 1's run 0 supplies
      // 2 s: a loaded machine (the suite's other processes) once stopped the run at step 1.
      "--run-timeout",
      "2",
      "--confirm-timeout",
      "2",
      "--workers",
      "1",
      "--seed",
      "1",
      "--corpus",
      dir,
      "--json",
    ]);
    const s = summaryOf(r.out);
    const hang = s.findings.find((f) => f.signature === KERNEL_HANG);
    assert.ok(hang !== undefined, JSON.stringify(s.findings) + r.err);
    assert.match(
      hang.description,
      /t\d+ at step \d+ never yielded, in the kernel, inside zx_pager_supply_pages \(the kernel variant's code, fuzz\/testdata\/spin_kernel\.ts, in its SpinSource\.onPagesSupplied; called from a program thread/,
    );
    const c = await readCaseFile(hang.file);
    assert.equal(c.expected, "kernel-hang");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("explore --kernel with a variant that never returns from a supply: a kernel-hang verdict and case", async () => {
  const dir = await Deno.makeTempDir({ prefix: "pagersim-khang-x-" });
  try {
    const r = await run([
      "run",
      "-A",
      "cli/explore.ts",
      "--kernel",
      "fuzz/testdata/spin_kernel.ts",
      "--preemptions",
      "0",
      "--run-timeout",
      "1",
      "--confirm-timeout",
      "1",
      "--workers",
      "1",
      "--corpus",
      dir,
    ]);
    assert.equal(r.code, 1, r.out + r.err);
    assert.match(
      r.out,
      /^verdict: kernel-hang: no yield \(t\d+ at step \d+ never yielded, in the kernel, inside zx_pager_supply_pages \(the kernel variant's code, fuzz\/testdata\/spin_kernel\.ts;/m,
    );
    assert.match(r.out, /^signature: kernel-hang: no yield$/m);
    const file = /^written: (.+)$/m.exec(r.out)?.[1] ?? "";
    const c = await readCaseFile(file);
    assert.equal(c.expected, "kernel-hang");
    assert.equal(c.signature, KERNEL_HANG);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
