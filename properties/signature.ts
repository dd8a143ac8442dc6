/**
 * Failure signatures: what makes two failures "the same bug" for dedupe.
 * One signature per root cause, computed from the run's verdict alone (no
 * trace), so a campaign compares a failing run with the known ones before it
 * spends anything on it:
 *
 * - an invariant: its name and the spec rule it reports (`K4`, `P10`, ...),
 *   or the check's word where it has no rule ID (`sizing`, `complete`, `complete-wakes`,
 *   `lost-write`, ...), not the syscall it surfaced in (one kernel bug surfaces in many);
 * - a thread's exception (a service that threw): `thread-fault`, the error's
 *   name and where the code threw: the file of the first frame outside the
 *   simulator and the function that threw there ({@linkcode throwKey}: not the
 *   line, which an edit above it moves), even when a service checker judged it;
 * - a kernel assertion: its message and the kernel file that raised it;
 * - a hang: what the stuck workload waits for;
 * - a deadlock between threads (a check's message that names a wait-for
 *   cycle): `deadlock:` and the cycle's locks, whichever check
 *   caught it;
 * - a lost wake-up (what a liveness check found, as its facts record it, not its words: a
 *   service thread parked on a condition variable while serving a request: one that took its
 *   packet from a port, or a worker that took a handed-off packet from the
 *   queue and is parked elsewhere; or parked on the condition variable a
 *   request's packet was handed off through: a receiver thread queued it for
 *   a worker and signalled, and no worker was woken for it: no service thread
 *   can run): `lost-wakeup:` and the condition
 *   variable, whichever check caught it (writeback-served W3 names them for
 *   a writeback packet, properties/writeback_served.ts)
 *   (a hang, a READ never answered, a request left at quiescence: one stuck
 *   thread seen three ways). A handed-off packet left unanswered when every
 *   hand-off through the condition variable was followed by a worker taking
 *   the lock the signal was made under without waiting lost no wake-up: a
 *   worker dropped it, and the check's own signature stands (trial35).
 *   Not told apart (properties/wait_for.ts `PacketHolders`, which cannot see
 *   the service's queue): a packet a worker took and dropped, in a run where
 *   another hand-off was followed by no such look, signs as the same lost
 *   wake-up; a packet the receiver took before an earlier port wait than its
 *   signal's, or handed through anything but a futex, keeps the check's
 *   signature;
 * - a request the service dropped on a failed answer (a liveness check's message that names a
 *   supply or pager op answering the request, by the kernel's record, that returned an error,
 *   properties/_failed_answers.ts):
 *   `dropped-after-error:`, the op (`ZX_PAGER_OP_FAIL`, or `zx_pager_supply_pages`) and the
 *   status, ahead of any lost wake-up the same message names (the worker back on the queue's
 *   condition variable dropped the request; nobody missed a signal);
 * - a READ a service thread took and never answered, left at rest (quiescent-end's Q2, no thread
 *   waiting for it): `invariant:answers-every-read`, P1's finding, as that checker signs it;
 * - the watchdog's kinds: {@linkcode SERVICE_HANG}, {@linkcode KERNEL_HANG} (the thread never
 *   returned from a syscall of a `--kernel` variant, whose code is under test; {@linkcode hangSignature})
 *   and {@linkcode OUT_OF_MEMORY}.
 *
 * Numbers that vary between runs (koids, handles, steps, ids) are taken out.
 *
 * @module
 */

import type { BlockedThread, FailureFacts, Verdict } from "../sim/world.ts";
import { threadLabel } from "../sim/trace.ts";
import { insideKernel, type StuckAt } from "../sim/stuck.ts";
import { FAILED_ANSWER } from "./_failed_answers.ts";

/** Liveness invariants: signed by name alone. */
export const LIVENESS: ReadonlySet<string> = new Set(["no-lost-requests", "answers-every-read"]);

/** A run that did not finish within the wall-clock run limit: user code that never yields. */
export const SERVICE_HANG = "service-hang: no yield";

/**
 * A run that did not finish within the wall-clock run limit with its thread inside a syscall: the
 * kernel's code (a `--kernel` variant's) never returned (userS27k's vh_hostile.ts looped in
 * `onPagesSupplied`, signed {@linkcode SERVICE_HANG} before).
 */
export const KERNEL_HANG = "kernel-hang: no yield";

/**
 * Whether the kernel's code is the code under test, for {@linkcode hangSignature}: a `--kernel`
 * variant is loaded (`kernel` names its module), or no service runs (`--mode programs`: the
 * program's calls test the kernel itself). With pagersim's own kernel model under a service
 * (`kernel` null) the service is under test: a thread stopped inside a syscall is there on the
 * service's input (userS33a's hog service read "kernel-hang: no yield"). Undefined when not
 * known (`kernel` undefined outside program mode).
 *
 * @example
 * ```ts
 * import { kernelUnderTest } from "./signature.ts";
 * console.assert(kernelUnderTest("k.ts", false) && kernelUnderTest(null, true));
 * console.assert(kernelUnderTest(null, false) === false);
 * console.assert(kernelUnderTest(undefined, false) === undefined);
 * ```
 */
export function kernelUnderTest(
  kernel: string | null | undefined,
  program: boolean,
): boolean | undefined {
  return program ? true : kernel === undefined ? undefined : kernel !== null;
}

/**
 * The signature of a run the clock stopped, by where it stood and whose code is under test
 * ({@linkcode kernelUnderTest}): {@linkcode KERNEL_HANG} inside a syscall when the kernel's code
 * is (or when that is not known, as before session 34), else {@linkcode SERVICE_HANG}. The
 * second parameter is required so that no call site forgets it.
 *
 * @example
 * ```ts
 * import { hangSignature, KERNEL_HANG, SERVICE_HANG } from "./signature.ts";
 * import { IN_SYSCALL } from "../sim/world.ts";
 * const inSyscall = { step: 8, tid: 1, entry: 9 * IN_SYSCALL + 1 };
 * console.assert(hangSignature({ step: 8, tid: 1, entry: 1 }, true) === SERVICE_HANG);
 * console.assert(hangSignature(inSyscall, true) === KERNEL_HANG);
 * console.assert(hangSignature(inSyscall, false) === SERVICE_HANG);
 * console.assert(hangSignature(null, true) === SERVICE_HANG);
 * ```
 */
export function hangSignature(
  at: StuckAt | null | undefined,
  kernelTested: boolean | undefined,
): string {
  return hangKind(at, kernelTested) === "kernel-hang" ? KERNEL_HANG : SERVICE_HANG;
}

/**
 * The case's `expected` kind of a run the clock stopped: `kernel-hang` or `service-hang`, by the
 * rule of {@linkcode hangSignature}.
 *
 * @example
 * ```ts
 * import { hangKind } from "./signature.ts";
 * import { IN_SYSCALL } from "../sim/world.ts";
 * console.assert(hangKind({ step: 2, tid: 1, entry: IN_SYSCALL + 1 }, false) === "service-hang");
 * console.assert(hangKind({ step: 2, tid: 1, entry: IN_SYSCALL + 1 }, true) === "kernel-hang");
 * ```
 */
export function hangKind(
  at: StuckAt | null | undefined,
  kernelTested: boolean | undefined,
): "kernel-hang" | "service-hang" {
  return insideKernel(at) && kernelTested !== false ? "kernel-hang" : "service-hang";
}

/**
 * A run whose fair liveness phase (`liveness.bound` steps) ended with the workload unfinished
 * and a thread still runnable, and no checker named a request forgotten: slow, or a livelock;
 * replay it with a larger `liveness.bound` to tell which.
 */
export const LIVENESS_BUDGET = "liveness-budget";

/** A run that reached the worker's memory limit. */
export const OUT_OF_MEMORY = "out-of-memory";

/**
 * Numbers and hex out, so the text names a kind of failure, not one run of it; a rule's ID
 * (`K6`, `K14w`, `R3`, `PX9`: one or two capitals, digits, maybe a letter) stays, since it names
 * the kind (userS26k: `K6: COMPLETE queued ...` signed as `K#: ...`).
 *
 * @example
 * ```ts
 * import { generalize } from "./signature.ts";
 * console.assert(generalize("K6: COMPLETE queued before 1 pending requests, vmo1005 0x30") ===
 *   "K6: COMPLETE queued before # pending requests, vmo# #");
 * ```
 */
export function generalize(text: string): string {
  return text.replace(/0x[0-9a-f]+/gi, "#").replace(RULE_OR_NUMBER, (_n, rule) => rule ?? "#")
    .replace(/\s+/g, " ").trim().slice(0, 160);
}

/** A rule ID (kept) or a run of digits (scrubbed), for {@linkcode generalize}. */
const RULE_OR_NUMBER = /\b([A-Z]{1,2}\d+[a-z]?)\b|\d+/g;

/** One stack frame: file name, line, full path, and the function's name ("" if anonymous). */
interface Frame {
  readonly file: string;
  readonly line: string;
  readonly path: string;
  readonly fn: string;
}

/** Stack frames `file:line` (file name only) and their functions, innermost first. */
function frames(stack: string): Frame[] {
  const out: Frame[] = [];
  for (
    const m of stack.matchAll(
      /^(?:\s*at (?:(?:async |new )?([^\s(][^()]*?) \()?)?\(?((?:file|https?|data|blob):[^\s()]+?|\/[^\s():]+?):(\d+):\d+\)?$/gm,
    )
  ) {
    const path = m[2];
    const fn = m[1] === undefined || m[1].includes("<anonymous>") ? "" : m[1];
    out.push({ file: path.slice(path.lastIndexOf("/") + 1), line: m[3], path, fn });
  }
  return out;
}

/** Whether a frame is the simulator's or the kernel model's (not the code under test). */
const PAGERSIM_FRAME = /\/(sim|kernel)\/[^/]+$/;

/** Where user (or service) code threw: the first frame outside the simulator and the kernel. */
export function throwSite(stack: string): string | null {
  const f = frames(stack).find((f) => !PAGERSIM_FRAME.test(f.path));
  return f === undefined ? null : `${f.file}:${f.line}`;
}

/**
 * Where user (or service) code threw, as a thread fault's signature names it: the file of the
 * first frame outside the simulator and the kernel, and the function that threw there, `file:fn`
 * (`throwing_service.ts:throwingService`, `v6_typo.ts:WakeFirstSource.onPagesSupplied`); an
 * anonymous function (a callback, `function* () {...}` passed to a helper) is named by the
 * nearest named frame of the same file it ran under. Never the line: a comment or an import added
 * above the throw moved `file:line` signatures (session 33), so the one bug got a second case.
 * Only a file with no named frame on the stack keeps `file:line`.
 *
 * @example
 * ```ts
 * import { throwKey } from "./signature.ts";
 * const stack = "Error: corrupt\n" +
 *   "    at file:///p/svc.ts:14:11\n" +
 *   "    at Generator.next (<anonymous>)\n" +
 *   "    at serveReads (file:///p/services/service.ts:249:32)\n" +
 *   "    at mySvc (file:///p/svc.ts:13:10)\n" +
 *   "    at World.#advance (file:///p/sim/world.ts:961:17)";
 * console.assert(throwKey(stack) === "svc.ts:mySvc");
 * console.assert(throwKey(stack.replace("at mySvc (file:///p/svc.ts:13:10)", "at file:///p/svc.ts:13:10")) === "svc.ts:14");
 * ```
 */
export function throwKey(stack: string): string | null {
  const all = frames(stack);
  const at = all.findIndex((f) => !PAGERSIM_FRAME.test(f.path));
  if (at < 0) return null;
  const top = all[at];
  const named = all.slice(at).find((f) => f.path === top.path && f.fn !== "");
  return `${top.file}:${named?.fn ?? top.line}`;
}

/** The kernel file that raised an assertion (the assert helper itself left out). */
function kernelSite(stack: string): string | null {
  const f = frames(stack).find((f) => /\/kernel\/[^/]+$/.test(f.path) && f.file !== "assert.ts");
  return f === undefined ? null : f.file;
}

/**
 * The check an invariant message reports, as a sub-code: the spec rule (`K4: ...`, `P10: ...`)
 * or the check's word where it has no rule ID (`sizing: ...`, `complete: ...`,
 * `complete-wakes: ...`, `lost-write: ...`: a checker's `fail(code, ...)` writes `code: `
 * first), or "". A word-named check signed without its word (trial32b: packet-discipline's
 * `complete` and `sizing` both signed `invariant:packet-discipline`) let one root cause hide
 * another in a campaign, which writes one case per signature.
 */
function rule(message: string): string {
  const m = /^(?:([A-Z][A-Za-z]*\d+[a-z]?)\s*:|([a-z]+(?:-[a-z]+)*): )/.exec(message);
  return m === null ? "" : `:${m[1] ?? m[2]}`;
}

/**
 * A wait-for cycle as a root cause: the locks its threads wait on (a `Mutex`'s
 * name, else the wait without addresses), in a fixed order, so the one
 * deadlock signs alike whichever threads took part (a pool's workers are
 * interchangeable), whichever a checker reached first and whichever check (a
 * lost request, an unanswered read, requests left at quiescence) caught it.
 */
function cycleShape(cycle: string): string {
  const waits = cycle.split(" -> ").flatMap((segment) => {
    const m = /^t\d+ .*? waits on (.*?)(?: (?:owned|held) by t\d+)?$/.exec(segment);
    if (m === null) return [];
    // A page request held by the service thread that took its packet: its kind, not its numbers.
    const page = /^vmo \d+: (READ|DIRTY) request #\d+/.exec(m[1]);
    if (page !== null) return [`${page[1]} request`];
    return [generalize(/\(([^()]*)\)$/.exec(m[1])?.[1] ?? m[1])];
  });
  return [...new Set(waits)].sort().join(" & ");
}

/** The deadlock a failure's message names (`...; wait-for cycle: ...`), signed; or null. */
function deadlock(message: string): string | null {
  const m = /; wait-for cycle: (.*)$/.exec(message);
  if (m === null) return null;
  const shape = cycleShape(m[1]);
  return shape === "" ? null : `deadlock:${shape}`;
}

/**
 * The lost wake-up a failure's check found (its facts, {@linkcode FailureFacts.lostWakeup}:
 * properties/wait_for.ts `PacketHolders`, whose message says `...; parked holding a packet:
 * ...`): the condition variables the service threads serving a request, or handed its packet,
 * are parked on, by their futex labels (`condvar NAME`), signed; or null. Read from the data the
 * check recorded, never its message (session 33: a reworded message, or a lock named
 * `(condvar x`, moved the signature when it was parsed out of the text).
 */
function lostWakeup(facts: FailureFacts | undefined): string | null {
  const names = (facts?.lostWakeup ?? []).map(generalize);
  return names.length === 0 ? null : `lost-wakeup:${[...new Set(names)].sort().join(" & ")}`;
}

/**
 * The failed answer a liveness message names as what left a request unanswered
 * ({@linkcode FAILED_ANSWER}: `...; left unanswered after a failed answer: step 11: t2
 * zx_pager_op_range(0x30, ZX_PAGER_OP_FAIL, ...) -> ZX_ERR_OUT_OF_RANGE`), signed by the op and
 * the status; or null.
 */
function droppedAfterError(message: string): string | null {
  const at = message.indexOf(FAILED_ANSWER);
  if (at < 0) return null;
  const m = /^step \d+: t\d+ (\w+)\(([^()]*)\) -> (\w+)/.exec(
    message.slice(at + FAILED_ANSWER.length),
  );
  if (m === null) return null;
  const op = m[1] === "zx_pager_op_range" ? m[2].split(", ")[1] ?? m[1] : m[1];
  return `dropped-after-error:${op}:${m[3]}`;
}

/** The checker of P1, every READ packet a service took is answered. */
const ANSWERS_EVERY_READ = "answers-every-read";

/** The checker of Q2, no request outstanding at rest. */
const QUIESCENT_END = "quiescent-end";

/**
 * A READ request whose packet a service thread took and that no answer followed, as
 * quiescent-end's Q2 names it at rest (`READ #2 pages [0,1): taken by t1 "p1.svc", never
 * answered`): no thread waited for it (a fail-instead-of-block reader's), so no hang let P1
 * judge it. It is P1's "took a READ and never answered it", and the run signs as
 * answers-every-read (userS28c: one service that ignored every READ after a range's first signed
 * three ways). Q2 is a service obligation (`kernel+service`, where P1 judges too). A
 * no-lost-requests hang names such a READ the same way but keeps its own signature: it is the
 * kernel's check, run without P1 under `--checkers kernel` (a kernel variant can leave a taken
 * READ's page present and its request open, so the service rightly supplies nothing), and under
 * `kernel+service` P1 has judged every waiter first.
 */
const READ_TAKEN_UNANSWERED =
  /\bREAD #\d+ pages \[\d+,\d+\): taken by t\d+\b[^;]*?, never answered/;

/**
 * A cycle among a hang's blocked threads, each waiting on what another holds
 * (a futex wait names its owner, `... owned by t3`, or a `Mutex` its holder by
 * its word, `... held by t3`), in the words of
 * properties/wait_for.ts; or null.
 */
function hangCycle(blocked: readonly BlockedThread[]): string | null {
  const byTid = new Map(blocked.map((b) => [b.tid, b]));
  for (const first of blocked) {
    const path: BlockedThread[] = [];
    let at: BlockedThread | undefined = first;
    while (at !== undefined && !path.includes(at)) {
      path.push(at);
      const owner = /(?:owned|held) by t(\d+)$/.exec(at.on);
      at = owner === null ? undefined : byTid.get(Number(owner[1]));
    }
    if (at === undefined) continue;
    const cycle = path.slice(path.indexOf(at));
    return cycle.map((b) => `${threadLabel(b.tid, b.thread)} waits on ${b.on}`).join(" -> ") +
      ` -> t${at.tid}`;
  }
  return null;
}

/**
 * The dedupe signature of a failing run; `null` for a pass. `raw` is the
 * run's verdict before the checkers settled it: a thread's exception that a
 * service checker judged is still signed as the exception it was.
 *
 * @example
 * ```ts
 * import { signatureOf } from "./signature.ts";
 * const v = { kind: "invariant" as const, invariant: "page-state", message: "K4: vmo 12 page 3", step: 9, tid: 2 };
 * console.assert(signatureOf(v) === "invariant:page-state:K4");
 * ```
 */
export function signatureOf(verdict: Verdict, raw: Verdict = verdict): string | null {
  if (verdict.kind === "pass") return null;
  if (raw.kind === "thread-fault") {
    const name = /^(\w+):/.exec(raw.message)?.[1] ?? "Error";
    const site = throwKey(raw.stack);
    return `thread-fault:${name}@${site ?? generalize(raw.message)}`;
  }
  switch (verdict.kind) {
    case "invariant":
      // A deadlock of the service's own threads is one bug whichever liveness check caught it;
      // so is a service thread parked on a condition variable with a request in hand.
      if (deadlock(verdict.message) !== null) return deadlock(verdict.message);
      // A request dropped on its failed answer: the service's error handling, whoever is parked.
      if (droppedAfterError(verdict.message) !== null) return droppedAfterError(verdict.message);
      if (lostWakeup(verdict.facts) !== null) return lostWakeup(verdict.facts);
      // A READ a service thread took and never answered, left at rest, is P1's finding.
      if (verdict.invariant === QUIESCENT_END && READ_TAKEN_UNANSWERED.test(verdict.message)) {
        return `invariant:${ANSWERS_EVERY_READ}`;
      }
      // A lost request surfaces wherever a wait happens to hang or time out: the rule says nothing.
      if (LIVENESS.has(verdict.invariant)) return `invariant:${verdict.invariant}`;
      return `invariant:${verdict.invariant}${rule(verdict.message)}`;
    case "kernel-assertion": {
      const site = kernelSite(verdict.stack);
      return `kernel-assertion:${generalize(verdict.message)}${site ? `@${site}` : ""}`;
    }
    case "thread-fault": // settled verdict differs from raw only when raw was a fault (above)
      return `thread-fault:${generalize(verdict.message)}`;
    case "hang": {
      const cycle = hangCycle(verdict.blocked);
      const locked = cycle === null ? null : deadlock(`; wait-for cycle: ${cycle}`);
      if (locked !== null) return locked;
      // The fair phase ran out with threads still runnable: the budget, not a bug found yet.
      if (verdict.unfinished !== undefined) return LIVENESS_BUDGET;
      // What the stuck workload waits for names the bug; which service threads idle does not.
      const waits = verdict.blocked.filter((b) => b.role === "workload")
        .map((b) =>
          b.on.replace(/#\d+ pages \[\d+,\d+\)( at page \d+)?/, "").replace(/^vmo \d+: /, "")
        );
      return `hang:${
        [...new Set(waits.map(generalize))].sort().join("|") || "no workload thread blocked"
      }`;
    }
    case "step-budget":
      return "step-budget";
  }
}
