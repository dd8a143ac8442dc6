/**
 * The host's globals as the determinism lint's type checker sees them: a
 * declaration file given to the TypeScript program beside the ECMAScript libs.
 * Every symbol declared here is host-dependent unless tagged `@deterministic`;
 * its `@nondeterministic CATEGORY` tag names why (see CATEGORIES in determinism_lint.ts).
 * Resolving through the checker means `globalThis.performance`,
 * `globalThis["crypto"]`, `const p = performance` and `self.setTimeout` all
 * land on the same declaration.
 *
 * @module
 */

/** File name of the virtual declaration file. */
export const HOST_LIB_NAME = "/__pagersim__/host.d.ts";

/** The declarations. */
export const HOST_LIB = `
/** @nondeterministic clock */
declare var performance: HostPerformance;
interface HostPerformance {
  /** @nondeterministic clock */ now(): number;
  /** @nondeterministic clock */ readonly timeOrigin: number;
  /** @nondeterministic clock */ mark(name: string, options?: unknown): unknown;
  /** @nondeterministic clock */ measure(name: string, ...rest: unknown[]): unknown;
}
/** @nondeterministic timer */ declare function setTimeout(handler: unknown, timeout?: number, ...args: unknown[]): number;
/** @nondeterministic timer */ declare function setInterval(handler: unknown, timeout?: number, ...args: unknown[]): number;
/** @nondeterministic timer */ declare function setImmediate(handler: unknown, ...args: unknown[]): number;
/** @deterministic */ declare function clearTimeout(id?: number): void;
/** @deterministic */ declare function clearInterval(id?: number): void;
/** @nondeterministic timer */ declare function requestAnimationFrame(cb: (t: number) => void): number;
/** @nondeterministic scheduling */ declare function queueMicrotask(cb: () => void): void;
/** @nondeterministic scheduling */ declare function requestIdleCallback(cb: () => void): number;

/** @deterministic */ declare var crypto: HostCrypto;
interface HostCrypto {
  /** @nondeterministic random */ getRandomValues<T>(array: T): T;
  /** @nondeterministic random */ randomUUID(): string;
  /** @deterministic */ readonly subtle: HostSubtleCrypto;
}
interface HostSubtleCrypto {
  /** @deterministic */ digest(algorithm: unknown, data: unknown): Promise<ArrayBuffer>;
  /** @nondeterministic random */ generateKey(...args: unknown[]): Promise<unknown>;
  /** @nondeterministic random */ encrypt(...args: unknown[]): Promise<unknown>;
  /** @nondeterministic random */ wrapKey(...args: unknown[]): Promise<unknown>;
}

/** @nondeterministic worker */ declare var Worker: { new (url: string | URL, options?: unknown): unknown };
/** @nondeterministic worker */ declare var SharedWorker: { new (url: string | URL, options?: unknown): unknown };
/** @nondeterministic worker */ declare var MessageChannel: { new (): unknown };
/** @nondeterministic worker */ declare var BroadcastChannel: { new (name: string): unknown };
/** @nondeterministic worker */ declare function postMessage(message: unknown, ...rest: unknown[]): void;

/** @nondeterministic host */ declare var navigator: { readonly hardwareConcurrency: number; readonly userAgent: string; readonly language: string };
/** @nondeterministic host */ declare var location: { readonly href: string };
/** @nondeterministic host */ declare var process: unknown;
/** @nondeterministic io */ declare function fetch(input: unknown, init?: unknown): Promise<unknown>;
/** @nondeterministic io */ declare var WebSocket: { new (url: string): unknown };
/** @nondeterministic io */ declare var localStorage: unknown;
/** @nondeterministic io */ declare var sessionStorage: unknown;
/** @nondeterministic dynamic */ declare var Function: FunctionConstructor;

/** @deterministic */ declare var self: typeof globalThis;
/** @deterministic */ declare var window: typeof globalThis;

/** @deterministic */
declare namespace Deno {
  /** @nondeterministic host */ const env: { get(key: string): string | undefined; has(key: string): boolean; toObject(): { [key: string]: string } };
  /** @nondeterministic host */ const args: string[];
  /** @nondeterministic host */ const pid: number;
  /** @nondeterministic host */ const ppid: number;
  /** @nondeterministic host */ const build: { os: string; arch: string; target: string };
  /** @nondeterministic host */ const version: { deno: string; v8: string; typescript: string };
  /** @nondeterministic host */ const mainModule: string;
  /** @nondeterministic host */ const noColor: boolean;
  /** @nondeterministic host */ function hostname(): string;
  /** @nondeterministic host */ function osRelease(): string;
  /** @nondeterministic host */ function osUptime(): number;
  /** @nondeterministic host */ function loadavg(): number[];
  /** @nondeterministic host */ function systemMemoryInfo(): unknown;
  /** @nondeterministic host */ function memoryUsage(): unknown;
  /** @nondeterministic host */ function networkInterfaces(): unknown[];
  /** @nondeterministic host */ function uid(): number | null;
  /** @nondeterministic host */ function gid(): number | null;
  /** @nondeterministic host */ function cwd(): string;
  /** @nondeterministic host */ function execPath(): string;
  /** @nondeterministic clock */ function hrtime(): unknown;
  /** @nondeterministic io */ function readDir(path: string | URL): AsyncIterable<{ name: string; isFile: boolean; isDirectory: boolean }>;
  /** @nondeterministic io */ function readDirSync(path: string | URL): Iterable<{ name: string; isFile: boolean; isDirectory: boolean }>;
  /** @nondeterministic io */ function readTextFile(path: string | URL): Promise<string>;
  /** @nondeterministic io */ function readTextFileSync(path: string | URL): string;
  /** @nondeterministic io */ function readFile(path: string | URL): Promise<Uint8Array>;
  /** @nondeterministic io */ function readFileSync(path: string | URL): Uint8Array;
  /** @nondeterministic io */ function writeTextFile(path: string | URL, data: string, options?: unknown): Promise<void>;
  /** @nondeterministic io */ function writeFile(path: string | URL, data: Uint8Array, options?: unknown): Promise<void>;
  /** @nondeterministic io */ function rename(from: string | URL, to: string | URL): Promise<void>;
  /** @nondeterministic io */ function mkdir(...args: unknown[]): Promise<void>;
  /** @nondeterministic io */ function mkdirSync(...args: unknown[]): void;
  /** @nondeterministic io */ function remove(...args: unknown[]): Promise<void>;
  /** @nondeterministic io */ function removeSync(...args: unknown[]): void;
  /** @nondeterministic io */ function makeTempDir(...args: unknown[]): Promise<string>;
  /** @nondeterministic io */ function makeTempDirSync(...args: unknown[]): string;
  /** @nondeterministic io */ function makeTempFile(...args: unknown[]): Promise<string>;
  /** @nondeterministic io */ function copyFile(...args: unknown[]): Promise<void>;
  /** @nondeterministic io */ function lstat(...args: unknown[]): Promise<unknown>;
  /** @nondeterministic io */ function statSync(...args: unknown[]): unknown;
  /** @nondeterministic io */ function lstatSync(...args: unknown[]): unknown;
  /** @nondeterministic io */ function realPath(...args: unknown[]): Promise<string>;
  /** @nondeterministic io */ function realPathSync(...args: unknown[]): string;
  /** @nondeterministic io */ function readLink(...args: unknown[]): Promise<string>;
  /** @nondeterministic io */ function symlink(...args: unknown[]): Promise<void>;
  /** @nondeterministic io */ function truncate(...args: unknown[]): Promise<void>;
  /** @nondeterministic io */ function chmod(...args: unknown[]): Promise<void>;
  /** @nondeterministic io */ function chdir(...args: unknown[]): void;
  /** @nondeterministic io */ function create(...args: unknown[]): Promise<unknown>;
  /** @nondeterministic io */ function openSync(...args: unknown[]): unknown;
  /** @nondeterministic io */ function writeFileSync(...args: unknown[]): void;
  /** @nondeterministic io */ function writeTextFileSync(...args: unknown[]): void;
  /** @nondeterministic io */ function renameSync(...args: unknown[]): void;
  /** @nondeterministic io */ function watchFs(...args: unknown[]): unknown;
  /** @nondeterministic io */ function kill(...args: unknown[]): void;
  /** @nondeterministic io */ function stat(path: string | URL): Promise<unknown>;
  /** @nondeterministic io */ function open(path: string | URL, options?: unknown): Promise<unknown>;
  /** @nondeterministic io */ function connect(options: unknown): Promise<unknown>;
  /** @nondeterministic io */ function listen(options: unknown): unknown;
  /** @nondeterministic io */ class Command { constructor(cmd: string | URL, options?: unknown); }
  /** @nondeterministic scheduling */ function exit(code?: number): never;
  /** @deterministic */ function inspect(value: unknown, options?: unknown): string;
  /** @deterministic */ function test(...args: unknown[]): void;
  /** @deterministic */ function bench(...args: unknown[]): void;
  /** @deterministic */ const errors: { [name: string]: ErrorConstructor };
}
`;
