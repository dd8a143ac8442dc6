/**
 * The base of the checkers: buffers the kernel events of one scheduler step
 * and replays them in order after the step, with the world at hand, the
 * syscall each thread is in, and every handle value ever seen (values are
 * never reused, so a handle closed during the step still resolves).
 *
 * @module
 */

import type { KernelEvent } from "../kernel/events.ts";
import type { HandleEntry } from "../kernel/handles.ts";
import type { Vmo } from "../kernel/objects.ts";
import { InvariantViolation, type Monitor, type Verdict, type World } from "../sim/world.ts";

/** A syscall a thread is in: its name, arguments and the step it started in. */
export interface Call {
  /** The calling thread. */
  readonly tid: number;
  readonly name: string;
  readonly args: readonly unknown[];
  readonly step: number;
}

/**
 * A monitor that can also judge a run the world ended without a pass (a hang,
 * a thread fault): it may throw an {@linkcode InvariantViolation} naming the
 * cause, or return true when the outcome is documented behaviour.
 */
export interface VerdictJudge {
  judge(world: World, verdict: Verdict): boolean;
}

/** True if a monitor can judge non-pass verdicts. */
export function isJudge(m: Monitor): m is Monitor & VerdictJudge {
  return typeof (m as Partial<VerdictJudge>).judge === "function";
}

/** A checker that sees each step's events after the step, with the world. */
export abstract class StepMonitor implements Monitor, VerdictJudge {
  abstract readonly name: string;
  readonly #handles = new Map<number, HandleEntry>();
  readonly #calls = new Map<number, Call>();
  #events: KernelEvent[] = [];
  #steps: number[] = [];
  /** Handle values issued when the table was last read: unchanged means no new handle. */
  #issued = -1;

  onEvent(event: KernelEvent, step: number): void {
    this.immediate(event, step);
    this.#events.push(event);
    this.#steps.push(step);
  }

  afterStep(world: World): void {
    this.#flush(world);
  }

  atEnd(world: World, verdict: Verdict): void {
    this.#flush(world);
    this.finish(world, verdict);
  }

  judge(world: World, verdict: Verdict): boolean {
    this.#flush(world);
    return this.judgeEnd(world, verdict);
  }

  /** Checks that need only the event, run as it is emitted (before any kernel assertion). */
  protected immediate(_event: KernelEvent, _step: number): void {}

  /** One event of the step, in order; `call` is the syscall of the event's (or stepping) thread. */
  protected onStepEvent(_event: KernelEvent, _call: Call | undefined, _world: World): void {}

  /** After the step's events: compare kernel state. */
  protected endStep(_world: World): void {}

  /** After a passing run. */
  protected finish(_world: World, _verdict: Verdict): void {}

  /** After a run that did not pass; true if the outcome is documented behaviour. */
  protected judgeEnd(_world: World, _verdict: Verdict): boolean {
    return false;
  }

  /** The handle entry a value named at any point of the run. */
  protected entry(handle: unknown): HandleEntry | undefined {
    return typeof handle === "number" ? this.#handles.get(handle) : undefined;
  }

  /** The VMO a handle named, if it named one. */
  protected vmoOf(handle: unknown): Vmo | undefined {
    const o = this.entry(handle)?.object;
    return o !== undefined && "slots" in o ? o as Vmo : undefined;
  }

  /** The syscall `tid` is in. */
  protected callOf(tid: number): Call | undefined {
    return this.#calls.get(tid);
  }

  /** Throws the violation of this checker; `code` names the spec item (K4, P10, ...). */
  protected fail(code: string, message: string): never {
    throw new InvariantViolation(this.name, `${code}: ${message}`);
  }

  #flush(world: World): void {
    const issued = world.kernel.handles.issued;
    if (issued !== this.#issued) {
      this.#issued = issued;
      for (const [h, e] of world.kernel.handles) if (!this.#handles.has(h)) this.#handles.set(h, e);
    }
    const events = this.#events;
    const steps = this.#steps;
    if (events.length > 0) {
      this.#events = [];
      this.#steps = [];
    }
    const stepping = world.running?.tid;
    for (let i = 0; i < events.length; i++) {
      const event = events[i];
      const step = steps[i];
      if (event.k === "call") {
        this.#calls.set(event.tid, { tid: event.tid, name: event.name, args: event.args, step });
      }
      const tid = "tid" in event ? event.tid : stepping;
      const call = tid === undefined ? undefined : this.#calls.get(tid);
      this.onStepEvent(event, call, world);
      if (event.k === "ret" && call?.name === event.name) this.#calls.delete(event.tid);
    }
    this.endStep(world);
  }
}

/** The pager VMO with a koid, if any. */
export function pagerVmo(world: World, koid: number): Vmo | undefined {
  return world.kernel.pagerVmos.find((v) => v.koid === koid);
}

/** A canonical text of per-VMO fail codes and detached VMOs, for {@linkcode Monitor.stateKey}. */
export function failCodesKey(
  failCodes: ReadonlyMap<number, ReadonlySet<number>>,
  detached: ReadonlySet<number>,
): string {
  const codes = [...failCodes].map(([vmo, c]) => `${vmo}:${[...c].sort((a, b) => a - b)}`);
  return `fail ${codes.sort().join(" ")}; detached ${[...detached].sort((a, b) => a - b)}`;
}
