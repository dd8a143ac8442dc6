/**
 * The fault of a thread that yields something that is not a syscall (`yield sys.vmoGetSize(h)`
 * without the star, `yield 42`): said in the words of the user's code, not the scheduler's.
 *
 * @module
 */

import type { Kernel } from "../kernel/kernel.ts";
import { methodName, SYSCALL_NAMES } from "../kernel/syscalls.ts";

/**
 * What a thread yielded instead of a syscall, as its author would write it: `sys.vmoGetSize(...)`'s
 * generator (matched by its generator function's prototype against the kernel's
 * calls), any other generator object, a Promise, or the value itself.
 *
 * @example
 * ```ts
 * import { yieldedShape } from "./bad_yield.ts";
 * console.assert(yieldedShape(42, null) === "42");
 * console.assert(yieldedShape((function* helper() {})(), null) === "a generator object");
 * ```
 */
export function yieldedShape(value: unknown, kernel: Kernel | null): string {
  if (value !== null && typeof value === "object") {
    const proto = Object.getPrototypeOf(value);
    if (kernel !== null) {
      const k = kernel as unknown as Record<string, { prototype?: unknown } | undefined>;
      for (const name of SYSCALL_NAMES) {
        const call = name === "mem_read" ? "memRead" : name === "mem_write" ? "memWrite" : name;
        if (proto !== null && k[call]?.prototype === proto) {
          return `sys.${methodName(name)}(...)'s generator`;
        }
      }
    }
    if (typeof (value as { next?: unknown }).next === "function" && Symbol.iterator in value) {
      return "a generator object";
    }
    if (typeof (value as { then?: unknown }).then === "function") return "a Promise";
  }
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/**
 * The TypeError a thread faults with when it yields `value` instead of a syscall. `origin` names
 * the thread's body as a stack frame does (`svc (file:///me/fs.ts:28:16)`, or without a position
 * when its source was not found), the module's code that runs on the thread: the error's stack is
 * that one frame, so the failure's signature names the user's code (the same at any step), never
 * the scheduler that found the yield.
 *
 * @example
 * ```ts
 * import { notASyscall } from "./bad_yield.ts";
 * const e = notASyscall(42, null, "svc (file:///me/fs.ts:28:16)");
 * console.assert(e.message.startsWith("svc (fs.ts:28) yielded 42 instead of a syscall, "));
 * console.assert(e.stack === `TypeError: ${e.message}\n    at svc (file:///me/fs.ts:28:16)`);
 * ```
 */
export function notASyscall(
  value: unknown,
  kernel: Kernel | null,
  origin: string | null,
): TypeError {
  const shape = yieldedShape(value, kernel);
  const call = /^(sys\.\w+)\(/.exec(shape)?.[1];
  const m = origin === null ? null : /^(.*?) \((?:.*\/)?([^/()]+?)(?::(\d+):\d+)?\)$/.exec(origin);
  const who = m === null ? "" : `${m[1]} (${m[2]}${m[3] !== undefined ? `:${m[3]}` : ""}) `;
  const e = new TypeError(
    `${who}yielded ${shape} instead of a syscall, there or in a helper it runs (use yield* ${
      call ?? "sys.call"
    }(...); deno task lint-service names the line)`,
  );
  e.stack = origin === null
    ? `TypeError: ${e.message}`
    : `TypeError: ${e.message}\n    at ${origin}`;
  return e;
}
