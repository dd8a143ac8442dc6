/**
 * What the guarded property costs next to the in-process one: the README's property over
 * examples/my_service.ts (`numRuns` runs, fast-check seed = round), as `pagerProperty` in this
 * thread and as `guardedPagerProperty` (its worker started, run and stopped within the
 * assert), interleaved round by round in one process. CPU time is the process's (node:process
 * `cpuUsage`: every thread, so the worker's too) and its ended child processes' (/proc/self/stat
 * `cutime` + `cstime`: the guarded property's child process, when it may run deno), with the
 * load average at the start and end.
 *
 *     deno run -A tools/guarded_property_cost.ts [ROUNDS] [RUNS] [in-process]
 *
 * Guarded in a child process; with `in-process` the script gives up its permission to run
 * programs first, so the guarded property's worker runs in this process (as under
 * `deno test --allow-read`).
 *
 * @module
 */

import { cpuUsage } from "node:process";
import fc from "npm:fast-check@4.11.0";
import { checkersOf, guardedPagerProperty, pagerProperty } from "../mod.ts";
import myService from "../examples/my_service.ts";

const rounds = Number(Deno.args[0] ?? 5);
const runs = Number(Deno.args[1] ?? 200);
const inProcess = Deno.args[2] === "in-process";
if (inProcess) Deno.permissions.revokeSync({ name: "run" });
const options = {
  scenario: { services: [], customServices: ["mine"] },
  services: { mine: myService },
  serviceModule: new URL("../examples/my_service.ts", import.meta.url),
};

/**
 * CPU seconds of this process's ended (and reaped) child processes: cutime + cstime (0 in-process:
 * none, and /proc/self/stat needs every permission, given up with the one to run programs).
 */
function childrenCpu(): number {
  if (inProcess) return 0;
  const stat = Deno.readTextFileSync("/proc/self/stat");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  // Fields 16 and 17 of proc(5), counted from the state (field 3) here; clock ticks of 1/100 s.
  return (Number(fields[13]) + Number(fields[14])) / 100;
}

/** CPU seconds (this process's and its children's) and wall seconds of `f`. */
async function measure(f: () => unknown): Promise<{ cpu: number; wall: number }> {
  const c0 = cpuUsage();
  const k0 = childrenCpu();
  const w0 = performance.now();
  await f();
  const wall = (performance.now() - w0) / 1000;
  // The guarded property kills its child once its runs went idle: let it be reaped.
  await new Promise((r) => setTimeout(r, 500));
  const c = cpuUsage(c0);
  return { cpu: (c.user + c.system) / 1e6 + childrenCpu() - k0, wall };
}

const load = () => Deno.loadavg().map((x) => x.toFixed(1)).join(" ");
const child = Deno.permissions.querySync({ name: "run", command: Deno.execPath() }).state;
console.log(
  `load ${load()}; ${rounds} rounds of ${runs} runs each, interleaved; guarded in ${
    child === "granted" ? "a child process" : "a worker of this process"
  }`,
);
const total = { inProcess: 0, guarded: 0 };
for (let r = 1; r <= rounds; r++) {
  // Alternate which goes first, so neither always runs on a warmer (or busier) machine.
  const order = r % 2 === 1 ? ["inProcess", "guarded"] as const : ["guarded", "inProcess"] as const;
  const got: Record<string, { cpu: number; wall: number }> = {};
  for (const which of order) {
    got[which] = await measure(() =>
      which === "inProcess"
        ? fc.assert(pagerProperty(checkersOf("kernel+service"), options), {
          numRuns: runs,
          seed: r,
        })
        : fc.assert(guardedPagerProperty(checkersOf("kernel+service"), options), {
          numRuns: runs,
          seed: r,
        })
    );
    total[which] += got[which].cpu;
  }
  console.log(
    `round ${r}: in-process ${got.inProcess.cpu.toFixed(2)} s CPU (${
      got.inProcess.wall.toFixed(2)
    } s wall), guarded ${got.guarded.cpu.toFixed(2)} s CPU (${got.guarded.wall.toFixed(2)} s wall)`,
  );
}
console.log(
  `total CPU: in-process ${total.inProcess.toFixed(2)} s, guarded ${total.guarded.toFixed(2)} s ` +
    `(ratio ${(total.guarded / total.inProcess).toFixed(2)}); load ${load()}`,
);
