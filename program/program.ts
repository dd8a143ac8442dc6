/**
 * Syscall programs: plain JSON that says, per thread, which `zx_*` calls to
 * make with which arguments. Handle arguments are resources: "the handle call
 * `c` of thread `t` returned" (syzkaller's resource references), a program
 * thread's own handle, or the root VMAR; the interpreter resolves them when
 * the call runs, so a reference to a call that has not run (or failed) is an
 * invalid handle, exactly as a racing program would see it.
 *
 * @module
 */

import { z } from "npm:zod@4.6.7";
import {
  type Param,
  type Produces,
  spec,
  SYSCALL_NAMES,
  type SyscallName,
} from "../kernel/syscalls.ts";
import { formatIssues } from "../scenario/schema.ts";

/** The corpus format tag of a program case; bump it when the meaning of a field changes. */
export const PROGRAM_FORMAT = "pagersim/program@1";

/** `[thread, call]`: call `call` of program thread `thread` (`call` -1: a call the shrinker removed). */
export type CallRef = readonly [number, number];

/** One argument of a call. Numbers are passed as they are (garbage included). */
export type Arg =
  | number
  /** The handle call `h` returned (its `out` value); an invalid handle if it returned none. */
  | { readonly h: CallRef }
  /** The handle of program thread `thread`. */
  | { readonly thread: number }
  /** The handle of the root VMAR. */
  | { readonly vmar: 0 }
  /** The address the `zx_vmar_map` call `addr` returned, plus `plus` bytes. */
  | { readonly addr: CallRef; readonly plus: number }
  /** A field of the packet the `zx_port_wait` call `pkt` dequeued (0 if none). */
  | { readonly pkt: CallRef; readonly field: "key" | "offset" | "length" }
  /** A deadline `after` ticks from the moment the call runs. */
  | { readonly after: number }
  /** A buffer of `bytes` bytes, each `fill`. */
  | { readonly bytes: number; readonly fill: number }
  /** A user packet with this key. */
  | { readonly packet: number };

export type { Param, Produces } from "../kernel/syscalls.ts";

/** One call the programs can make: its parameters, and what it produces. */
export interface CallSpec {
  /** What each required argument is. */
  readonly params: readonly Param[];
  /**
   * What each optional trailing argument is (a user buffer's address: given, the kernel copies
   * through the caller's mappings, which may fault, raise a request and park). A call passes
   * the required arguments and then none, some or all of these, in order.
   */
  readonly optional: readonly Param[];
  /** The kind of object (or value) the call's result names, for later calls to use. */
  readonly produces: Produces;
  /**
   * May park the thread on a pager request with its required arguments alone (so pager error
   * codes are allowed); a call given a user buffer may park whatever this says
   * ({@linkcode givesUserBuffer}).
   */
  readonly blocking: boolean;
}

/** The name of a call programs can make. */
export type CallName = SyscallName;

/** Every call name, in table order. */
export const CALL_NAMES: readonly CallName[] = SYSCALL_NAMES;

/**
 * The whole implemented syscall surface in Zircon's argument order, as the
 * syscall table (kernel/syscalls.ts) describes it.
 */
export const CALLS: Readonly<Record<CallName, CallSpec>> = Object.fromEntries(
  SYSCALL_NAMES.map((name) => {
    const s = spec(name);
    const call: CallSpec = {
      params: s.params.filter((p) => p.optional !== true).map((p) => p.kind),
      // The table puts optional parameters last (syscalls.ts `u`), so these trail the others.
      optional: s.params.filter((p) => p.optional === true).map((p) => p.kind),
      produces: s.produces,
      blocking: s.blocks === "pager",
    };
    return [name, call];
  }),
) as Record<CallName, CallSpec>;

/**
 * True if a call passes its optional user-buffer argument: its kernel copy then goes through the
 * caller's mappings, so it may fault on a pager VMO, park, and fail with the fault's status (or
 * `ZX_ERR_INVALID_ARGS` for an unmapped or forbidden address).
 *
 * @example
 * ```ts
 * import { givesUserBuffer } from "./program.ts";
 * console.assert(!givesUserBuffer({ call: "zx_vmo_read", args: [{ h: [0, 0] }, 0, 8] }));
 * console.assert(
 *   givesUserBuffer({ call: "zx_vmo_read", args: [{ h: [0, 0] }, 0, 8, { addr: [0, 1], plus: 0 }] }),
 * );
 * ```
 */
export function givesUserBuffer(c: ProgramCall): boolean {
  const spec = CALLS[c.call];
  return c.args.length > spec.params.length &&
    spec.optional.slice(0, c.args.length - spec.params.length).includes("userBuffer");
}

/** One call of a program thread. */
export interface ProgramCall {
  /** The syscall. */
  readonly call: CallName;
  /** Its arguments: values or references to earlier calls' results. */
  readonly args: readonly Arg[];
}

/** One program thread. */
export interface ProgramThread {
  /** Return ZX_ERR_SHOULD_WAIT instead of blocking on the pager (the documented old mode). */
  readonly failInsteadOfBlock: boolean;
  /** The thread's calls, in order. */
  readonly calls: readonly ProgramCall[];
}

/** A syscall program: a kernel configuration and the threads' calls. */
export interface Program {
  /** Page size of the kernel, bytes. */
  readonly pageSize: number;
  /** Overtime timeout of pager waits, in ticks; 0: never. */
  readonly overtimeTicks: number;
  /** The program's threads. */
  readonly threads: readonly ProgramThread[];
  /**
   * Percent of the calls that may run out of memory that are failed with ZX_ERR_NO_MEMORY
   * (`kernel/alloc_fault.ts`, seeded by the run's seed; absent: none), as the mutation judge's
   * programs run: a case of one replays with it.
   */
  readonly allocFailPercent?: number;
}

const ref = z.tuple([z.number().int().min(0).max(63), z.number().int().min(-1).max(4095)]);

/** The schema of one argument. */
export const ArgSchema: z.ZodType<Arg> = z.union([
  z.number(),
  z.object({ h: ref }).strict(),
  z.object({ thread: z.number().int().min(0).max(63) }).strict(),
  z.object({ vmar: z.literal(0) }).strict(),
  z.object({ addr: ref, plus: z.number() }).strict(),
  z.object({ pkt: ref, field: z.enum(["key", "offset", "length"]) }).strict(),
  z.object({ after: z.number().int().min(0).max(1_000_000) }).strict(),
  z.object({ bytes: z.number().int().min(0).max(1 << 16), fill: z.number().int().min(0).max(255) })
    .strict(),
  z.object({ packet: z.number() }).strict(),
]) as z.ZodType<Arg>;

/** The schema of a program. */
export const ProgramSchema: z.ZodType<Program> = z.object({
  pageSize: z.number().int().refine((n) => n >= 8 && n <= 65536 && (n & (n - 1)) === 0, {
    message: "a power of two in [8, 65536]",
  }),
  overtimeTicks: z.number().int().min(0).max(1_000_000),
  threads: z.array(
    z.object({
      failInsteadOfBlock: z.boolean(),
      calls: z.array(
        z.object({
          call: z.enum(CALL_NAMES as [CallName, ...CallName[]]),
          args: z.array(ArgSchema).max(8),
        }).strict().superRefine((c, ctx) => {
          const { params, optional } = CALLS[c.call];
          const n = c.args.length;
          if (n >= params.length && n <= params.length + optional.length) return;
          ctx.addIssue({
            code: "custom",
            path: ["args"],
            message: `${c.call} takes ${
              optional.length === 0
                ? `${params.length}`
                : `${params.length} to ${params.length + optional.length}`
            } argument${params.length + optional.length === 1 ? "" : "s"}, not ${n}`,
          });
        }),
      ).max(4096),
    }).strict(),
  ).min(1).max(64),
  allocFailPercent: z.number().int().min(0).max(100).optional(),
}).strict() as z.ZodType<Program>;

/** A program document that did not validate. */
export class ProgramError extends Error {
  override name = "ProgramError";
}

/** Validates a program; the error names every bad field. */
export function parseProgram(doc: unknown, where = "program"): Program {
  const r = ProgramSchema.safeParse(doc);
  if (!r.success) {
    throw new ProgramError(`${where}:\n  - ${formatIssues(r.error.issues).join("\n  - ")}`);
  }
  return r.data;
}

/** Total number of calls over all threads. */
export function callCount(p: Program): number {
  return p.threads.reduce((n, t) => n + t.calls.length, 0);
}

/** The call a reference names, if the program has it. */
export function callAt(p: Program, r: CallRef): ProgramCall | undefined {
  return p.threads[r[0]]?.calls[r[1]];
}

/**
 * What kind of resource the call at `r` produces: a duplicate or replacement
 * produces what its source names.
 */
export function producedKind(p: Program, r: CallRef, depth = 0): Produces {
  const c = callAt(p, r);
  if (c === undefined || depth > 64) return null;
  const kind = CALLS[c.call].produces;
  if (kind !== "same") return kind;
  const src = c.args[0];
  if (typeof src === "object" && "h" in src) return producedKind(p, src.h, depth + 1);
  if (typeof src === "object" && "thread" in src) return null;
  return null;
}

/** True if the call at `r` creates a pager-backed VMO (directly or through duplicates). */
export function isPagerVmo(p: Program, r: CallRef, depth = 0): boolean {
  const c = callAt(p, r);
  if (c === undefined || depth > 64) return false;
  if (c.call === "zx_pager_create_vmo") return true;
  const src = c.args[0];
  return CALLS[c.call].produces === "same" && typeof src === "object" && "h" in src &&
    isPagerVmo(p, src.h, depth + 1);
}

/** Every call reference inside an argument (for renumbering). */
export function argRef(a: Arg): CallRef | null {
  if (typeof a !== "object") return null;
  if ("h" in a) return a.h;
  if ("addr" in a) return a.addr;
  if ("pkt" in a) return a.pkt;
  return null;
}

/** The argument with its call reference replaced. */
export function withRef(a: Arg, r: CallRef): Arg {
  if (typeof a !== "object") return a;
  if ("h" in a) return { h: r };
  if ("addr" in a) return { ...a, addr: r };
  if ("pkt" in a) return { ...a, pkt: r };
  return a;
}

/**
 * Rewrites every call reference and thread number of a program: `call`
 * maps a reference to its new one (or null: dangling), `thread` a thread
 * number to its new one (or null: an invalid thread).
 */
export function renumber(
  p: Program,
  call: (r: CallRef) => CallRef | null,
  thread: (t: number) => number | null,
): Program {
  return {
    ...p,
    threads: p.threads.map((t) => ({
      ...t,
      calls: t.calls.map((c) => ({
        ...c,
        args: c.args.map((a) => {
          const r = argRef(a);
          if (r !== null) return withRef(a, call(r) ?? [0, -1]);
          if (typeof a === "object" && "thread" in a) return { thread: thread(a.thread) ?? 63 };
          return a;
        }),
      })),
    })),
  };
}

/** The program without call `index` of thread `t`; references to it dangle, later ones shift. */
export function removeCall(p: Program, t: number, index: number, count = 1): Program {
  const cut = renumber(p, (r) => {
    if (r[0] !== t || r[1] < index) return r;
    if (r[1] < index + count) return null;
    return [t, r[1] - count];
  }, (x) => x);
  return {
    ...cut,
    threads: cut.threads.map((th, i) =>
      i === t ? { ...th, calls: th.calls.filter((_, j) => j < index || j >= index + count) } : th
    ),
  };
}

/** The program with `calls` inserted before call `index` of thread `t`; later references shift. */
export function insertCalls(
  p: Program,
  t: number,
  index: number,
  calls: readonly ProgramCall[],
): Program {
  const moved = renumber(
    p,
    (r) => (r[0] === t && r[1] >= index ? [t, r[1] + calls.length] : r),
    (x) => x,
  );
  return {
    ...moved,
    threads: moved.threads.map((th, i) =>
      i === t
        ? { ...th, calls: [...th.calls.slice(0, index), ...calls, ...th.calls.slice(index)] }
        : th
    ),
  };
}

/** The program without thread `t`; references into it dangle, later threads renumber. */
export function removeThread(p: Program, t: number): Program {
  const cut = renumber(
    p,
    (r) => (r[0] === t ? null : r[0] > t ? [r[0] - 1, r[1]] : r),
    (x) => (x === t ? null : x > t ? x - 1 : x),
  );
  return { ...cut, threads: cut.threads.filter((_, i) => i !== t) };
}
