/**
 * Loading the user's own code: a pager service module (`--service`) and a
 * kernel variant module (`--kernel`). Each is checked for its shape when it
 * loads, so a wrong module is one clear error line ({@linkcode UserCodeError})
 * instead of a failure in every run.
 *
 * @module
 */

import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { Kernel, type KernelOptions } from "../kernel/kernel.ts";
import type { PagerService } from "../services/service.ts";

/** A user module that cannot be used; the message names the flag, the path and what is wrong. */
export class UserCodeError extends Error {
  override name = "UserCodeError";
}

/** A kernel variant factory: `makeKernel(options)` returning a `Kernel` (or subclass). */
export type MakeKernel = (options: KernelOptions) => Kernel;

async function importModule(flag: string, path: string): Promise<Record<string, unknown>> {
  try {
    return await import(pathToFileURL(resolve(path)).href);
  } catch (e) {
    throw new UserCodeError(`${flag} ${path}: cannot load: ${(e as Error).message.split("\n")[0]}`);
  }
}

/** The constructor name of generator functions (`function*`). */
const GENERATOR = Object.getPrototypeOf(function* () {}).constructor.name;

/**
 * Checks that `fn` is a pager service: a generator function (`function*`)
 * taking `(sys, ctx)`. Returns what is wrong, or null.
 */
export function serviceShapeError(fn: unknown): string | null {
  if (typeof fn !== "function") return 'exports no service (need a default export or "service")';
  const kind = fn.constructor?.name;
  if (kind === GENERATOR) return null;
  if (kind === "AsyncGeneratorFunction") {
    return "the service is an async generator (async function*); it must be a generator " +
      "function (function*) that yields* sys calls";
  }
  if (kind === "AsyncFunction") {
    return "the service is an async function; it must be a generator function (function*) " +
      "that yields* sys calls";
  }
  return "the service is a plain function; it must be a generator function (function*) " +
    "that yields* sys calls";
}

/** Loads a service module (its default export or `service`), checking its shape. */
export async function loadServiceModule(path: string): Promise<PagerService> {
  const mod = await importModule("--service", path);
  const fn = mod.default ?? mod.service;
  const wrong = serviceShapeError(fn);
  if (wrong !== null) throw new UserCodeError(`--service ${path}: ${wrong}`);
  return fn as PagerService;
}

/**
 * Loads a kernel variant module: it exports `makeKernel(options)` returning a
 * `Kernel` (a subclass overriding some steps). The factory is called once
 * here to check what it returns.
 */
export async function loadKernelModule(path: string): Promise<MakeKernel> {
  const mod = await importModule("--kernel", path);
  const make = mod.makeKernel;
  if (typeof make !== "function") {
    throw new UserCodeError(
      `--kernel ${path}: exports no makeKernel (need "export function makeKernel(options)" ` +
        `returning a Kernel)`,
    );
  }
  let k: unknown;
  try {
    k = make({});
  } catch (e) {
    throw new UserCodeError(
      `--kernel ${path}: makeKernel({}) threw: ${(e as Error).message?.split("\n")[0] ?? e}`,
    );
  }
  if (!(k instanceof Kernel)) {
    throw new UserCodeError(
      `--kernel ${path}: makeKernel({}) returned ${
        k === null
          ? "null"
          : typeof k === "object"
          ? (k.constructor?.name ?? "an object")
          : typeof k
      }, not a Kernel (import Kernel from this checkout's kernel/kernel.ts and extend it)`,
    );
  }
  return make as MakeKernel;
}
