/**
 * The baseline a user would write without pagersim: the zoo bug's scenario
 * as async code under fast-check's `fc.scheduler`. The system under test is
 * the same kernel (with the bug) and the same service and thread bodies, but
 * every syscall is an awaited promise whose order `fc.scheduler` picks, a
 * parked thread polls its wait condition through the scheduler, and the
 * oracle is what a user asserts at the end: every operation returned OK (or
 * BAD_STATE after a detach, or IO from a failing service), every read
 * returned the backing bytes, every thread finished within a step bound, and
 * no thread threw. pagersim's invariant checkers are not available to it.
 *
 * @module
 */

import fc from "npm:fast-check@4.11.0";
import {
  type Status,
  ZX_ERR_BAD_STATE,
  ZX_ERR_IO,
  ZX_INFO_VMO,
  ZX_OK,
  ZX_RIGHT_SAME_RIGHTS,
} from "../kernel/constants.ts";
import { Kernel, type KernelYield, type Syscall } from "../kernel/kernel.ts";
import { makeRng } from "../sim/rng.ts";
import { assert, present } from "../kernel/assert.ts";
import { parseScenario, type Scenario } from "../scenario/schema.ts";
import { Sys, type ThreadBody } from "../sim/sys.ts";
import { writeByte } from "../scenario/interpreter.ts";
import { fileRange, REFERENCE_SERVICES } from "../services/mod.ts";
import type { FileLayout } from "../sim/file_layout.ts";
import type { ServiceVmo } from "../services/service.ts";
import { bug as seededBug, type ZooBug } from "../zoo/registry.ts";

/** Scheduled steps after which a run that has not finished counts as a hang. */
const STEP_BOUND = 3000;

class Hang extends Error {}

function runSync<T>(call: Syscall<T>): T {
  for (;;) {
    const r = call.next();
    if (r.done) return r.value;
  }
}

/** One execution of `bug`'s scenario under `s`; true if the user's oracle saw a failure. */
export async function runUnderScheduler(
  bug: ZooBug,
  scenario: Scenario,
  s: fc.Scheduler,
  drawSeed: number,
  withBug = true,
): Promise<boolean> {
  const seeded = seededBug(bug.id);
  const opts = { pageSize: scenario.pageSize };
  const kernel = (withBug ? seeded.kernel?.(opts) : undefined) ?? new Kernel(opts);
  const [setup] = kernel.createThread("setup", 0);
  const rng = makeRng(drawSeed, "baseline");
  const ps = scenario.pageSize;
  const pagers = new Map<string, { pager: number; port: number; vmos: ServiceVmo[] }>();
  for (const p of scenario.pagers) {
    const pager = runSync(kernel.zx_pager_create(setup, 0))[1];
    const port = runSync(kernel.zx_port_create(setup, 0))[1];
    pagers.set(p.name, { pager, port, vmos: [] });
  }
  const vmos = new Map<string, { handle: number; key: number; file?: FileLayout }>();
  scenario.vmos.forEach((v, i) => {
    const key = v.key ?? i + 1;
    const pg = present(pagers.get(v.pager), () => `zoo baseline: pager ${v.pager}`);
    const h =
      runSync(kernel.zx_pager_create_vmo(setup, pg.pager, 0, pg.port, key, v.pages * ps))[1];
    const own = runSync(kernel.zx_handle_duplicate(setup, h, ZX_RIGHT_SAME_RIGHTS))[1];
    // The file's layout, as the interpreter gives it (bytes past the end and in holes are zero).
    const file = v.bytes === undefined && v.holes === undefined
      ? undefined
      : { bytes: v.bytes ?? v.pages * ps, holes: v.holes ?? [] };
    vmos.set(v.name, { handle: h, key, file });
    pg.vmos.push({ name: v.name, key, handle: own, size: v.pages * ps, ...(file ? { file } : {}) });
  });
  let tid = 0;
  let steps = 0;
  let finished = false;
  let detached = false;
  const sysOf = (name: string) => new Sys(kernel, kernel.createThread(name, ++tid)[0], rng.int);
  // A thread as async code: every syscall is a promise the scheduler releases.
  const drive = async (body: ThreadBody): Promise<void> => {
    let r = body.next();
    while (!r.done && !finished) {
      const y: KernelYield = r.value;
      if (y.kind === "crash") return;
      if (y.kind === "block") {
        while (!y.wait.ready(kernel.now) && !finished) {
          if (++steps > STEP_BOUND) throw new Hang();
          await s.schedule(Promise.resolve("poll"));
        }
      } else await s.schedule(Promise.resolve("step"));
      if (++steps > STEP_BOUND) throw new Hang();
      kernel.now++;
      r = body.next();
    }
  };
  let failed = false;
  const servicesDone: Promise<void>[] = [];
  for (const p of scenario.pagers) {
    const svc = p.service.kind !== "custom"
      ? REFERENCE_SERVICES[p.service.kind]
      : withBug
      ? seeded.services?.[p.service.name ?? ""]
      : REFERENCE_SERVICES.eager;
    assert(svc !== undefined, () => `${bug.id}: no service "${p.service.name}"`);
    const pg = present(pagers.get(p.name), () => `zoo baseline: pager ${p.name}`);
    const sctx = { pager: pg.pager, port: pg.port, vmos: pg.vmos, params: p.service };
    servicesDone.push(
      drive(svc(sysOf(`${p.name}.svc`), sctx)).catch((e) => {
        if (!(e instanceof Hang)) failed = true;
      }),
    );
  }
  const ok = (st: Status) =>
    st === ZX_OK || (st === ZX_ERR_BAD_STATE && detached) || st === ZX_ERR_IO;
  const workload = scenario.threads.map((t) => {
    const sys = sysOf(t.name);
    return drive((function* (): ThreadBody {
      for (let i = 0; i < t.ops.length; i++) {
        const op = t.ops[i];
        const v = present(vmos.get(op.vmo), () => `zoo baseline: VMO ${op.vmo}`);
        if (op.op === "read") {
          const [st, bytes] = yield* sys.vmoRead(v.handle, op.page * ps, op.pages * ps);
          const want = fileRange(v.key, op.page * ps, op.pages * ps, v.file);
          if (!ok(st) || (st === ZX_OK && !bytes.every((b, j) => b === want[j]))) failed = true;
        } else if (op.op === "write") {
          const data = new Uint8Array(op.pages * ps).fill(writeByte(sys.tid, i, op));
          if (!ok(yield* sys.vmoWrite(v.handle, data, op.page * ps))) failed = true;
        } else if (op.op === "info") {
          if ((yield* sys.objectGetInfo(v.handle, ZX_INFO_VMO))[0] !== ZX_OK) failed = true;
        }
      }
    })());
  });
  const env = scenario.events.map((e) => {
    const sys = sysOf(`env.${e.do}`);
    return drive((function* (): ThreadBody {
      if (e.do !== "detach") return;
      const what = () => `zoo baseline: the target ${e.target} of a detach`;
      const v = present(scenario.vmos.find((x) => x.name === e.target), what);
      detached = true;
      const pager = present(pagers.get(v.pager), what).pager;
      yield* sys.pagerDetachVmo(pager, present(vmos.get(e.target), what).handle);
    })());
  });
  try {
    await s.waitFor(Promise.all([...workload, ...env]));
  } catch (e) {
    if (!(e instanceof Hang)) throw e;
    failed = true;
  }
  finished = true;
  await s.waitAll();
  await Promise.all(servicesDone);
  return failed;
}

/** Executions (and whether it found the bug) of the fc.scheduler baseline within a budget. */
export async function baselineDetection(
  bug: ZooBug,
  seed: number,
  budgetRuns: number,
  budgetMs: number,
  withBug = true,
): Promise<{ executions: number; found: boolean; counterexample: number | null }> {
  const scenario = parseScenario(bug.scenario, bug.id);
  let executions = 0;
  let counterexample: number | null = null;
  const result = await fc.check(
    fc.asyncProperty(fc.scheduler(), fc.integer({ min: 0, max: 2 ** 31 - 1 }), async (s, d) => {
      executions++;
      const failed = await runUnderScheduler(bug, scenario, s, d, withBug);
      if (failed) counterexample = s.report().length;
      return !failed;
    }),
    { seed, numRuns: budgetRuns, endOnFailure: true, interruptAfterTimeLimit: budgetMs },
  );
  return { executions, found: result.failed, counterexample };
}
