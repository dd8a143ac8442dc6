/**
 * Campaign coverage: `deno task fuzz|explore|sim|repro ... --coverage DIR`
 * collects V8 coverage of the kernel model and of the user's service module
 * while the command runs — its workers included — and renders it with c8:
 * DIR/index.html, DIR/lcov.info, and a summary naming, for the service, the
 * lines and branches no run reached.
 *
 * V8 coverage can only be switched on when a Deno process starts, so the
 * command runs itself again as a child under `deno run --coverage=DIR/raw`
 * (same permissions, same arguments less `--coverage`), then a second child
 * with write access to DIR alone renders the report. The parent needs only
 * `--allow-run=deno`.
 *
 * @module
 */

import { dirname, isAbsolute, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import {
  type CoverageMap,
  formatPct,
  lineRanges,
  renderWithC8,
  sumFiles,
  unreached,
} from "./coverage_report.ts";
import { convertRaw, denoDir } from "./v8_coverage.ts";

/** Why a command cannot run under coverage (bad input, not a crash). */
export class CoverageError extends Error {
  override name = "CoverageError";
}

const PERMISSIONS = ["read", "write", "env", "sys", "net", "run", "ffi"] as const;

/** The `--allow-*` flags of what this process holds in full. */
function heldPermissions(): string[] {
  return PERMISSIONS.filter((name) => Deno.permissions.querySync({ name }).state === "granted")
    .map((name) => `--allow-${name}`);
}

/** `args` without `--coverage DIR` / `--coverage=DIR`. */
export function withoutCoverageFlag(args: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === "--coverage") i++;
    else if (!args[i].startsWith("--coverage=")) out.push(args[i]);
  }
  return out;
}

// The configuration flags live with the case store (case/config_flags.ts): conformance's row
// children need them too, and a command that imported them from here had c8 in its graph.
export { configFlags, parentConfigFlags } from "../case/config_flags.ts";
import { parentConfigFlags } from "../case/config_flags.ts";

/** The render child's exit status when the service never loaded (it has said so). */
const NEVER_LOADED = 3;

/** How a command runs itself under coverage. */
export interface CoverageRun {
  /** The report folder (DIR). */
  readonly dir: string;
  /** The command's module (`import.meta.url` of cli/fuzz.ts, ...). */
  readonly module: string;
  /** The command's arguments, as given (`--coverage` is removed). */
  readonly args: readonly string[];
  /** The user's service module, if any. */
  readonly servicePath: string | null;
  /** Deno flags the command's task adds besides permissions (e.g. `--v8-flags=...`). */
  readonly denoFlags?: readonly string[];
  /** The rerun's configuration flags; default: this process's own ({@link parentConfigFlags}). */
  readonly configFlags?: readonly string[];
}

/**
 * Runs the command again under V8 coverage, renders the report, and returns
 * the command's exit status (the render's, if the command succeeded and the
 * render failed).
 */
export async function runUnderCoverage(run: CoverageRun): Promise<number> {
  if (Deno.permissions.querySync({ name: "run", command: "deno" }).state !== "granted") {
    throw new CoverageError("--coverage runs deno again under V8 coverage: needs --allow-run=deno");
  }
  const dir = resolve(run.dir);
  try {
    if (!Deno.statSync(dir).isDirectory) {
      throw new CoverageError(`--coverage ${run.dir}: not a folder`);
    }
  } catch (e) {
    if (e instanceof CoverageError) throw e; // a missing folder is created by the render
  }
  const raw = `${dir}/raw`;
  for (const sub of [raw, `${dir}/c8`]) await Deno.remove(sub, { recursive: true }).catch(() => {});
  const child = await new Deno.Command("deno", {
    args: [
      "run",
      ...heldPermissions(),
      ...(run.denoFlags ?? []),
      ...(run.configFlags ?? await parentConfigFlags()),
      `--coverage=${raw}`,
      fileURLToPath(run.module),
      ...withoutCoverageFlag(run.args),
    ],
    stdin: "inherit",
  }).spawn().status;
  const render = await new Deno.Command("deno", {
    args: [
      "run",
      "--allow-read",
      `--allow-write=${dir}`,
      "--allow-env",
      fileURLToPath(import.meta.url),
      dir,
      ...(run.servicePath !== null ? [resolve(run.servicePath)] : []),
    ],
    stdin: "null",
  }).spawn().status;
  if (!render.success && render.code !== NEVER_LOADED) {
    console.error(`coverage: rendering ${dir} failed (exit ${render.code})`);
  }
  return child.code !== 0 || render.success ? child.code : render.code;
}

/**
 * The files a campaign's coverage reports: the service, and local modules
 * other than tests, the project's tools (the lint, this renderer), its root
 * files and Deno's caches (npm packages).
 */
export function countsForCampaign(
  root: string,
  cache: string,
  servicePath: string | null,
): (path: string) => boolean {
  // The project's root files (mod.ts: re-exports) are left out too, so the
  // report's folders are the project's own (kernel/, services/, ...).
  const atRoot = (path: string) =>
    path.startsWith(`${root}/`) && !path.slice(root.length + 1).includes("/");
  return (path) =>
    path === servicePath ||
    (!path.startsWith(`${cache}/`) && !/_(test|bench)\.tsx?$/.test(path) && !atRoot(path) &&
      !path.startsWith(`${root}/tools/`) && !path.startsWith(`${root}/quality/`));
}

/**
 * The service's own modules among the covered files: the service and every
 * loaded module in its folder or below (what it imports of its own; a service
 * whose folder is the project root counts alone). A new user's summary said
 * 100% of a two-line entry module while its imported core missed 15 lines.
 */
export function serviceFiles(map: CoverageMap, root: string, servicePath: string): string[] {
  const dir = dirname(servicePath);
  const own = dir === root ? [] : map.files().filter((f) => f.startsWith(`${dir}/`));
  return [servicePath, ...own.filter((f) => f !== servicePath).sort()];
}

/** Shown relative to the working directory when inside it. */
function shown(p: string): string {
  const rel = relative(Deno.cwd(), p);
  return rel.startsWith("..") || isAbsolute(rel) ? p : rel;
}

/**
 * What a campaign whose service never loaded prints instead of a report (the command's
 * own error, above, says why): no coverage of it exists, and the kernel's alone would read
 * as the campaign's.
 */
export function neverLoadedLines(servicePath: string, dir: string): string[] {
  return [
    `coverage: error: the service never loaded (${shown(servicePath)}): no run executed it, ` +
    `so no report was written to ${shown(dir)} (the command's error above says why)`,
  ];
}

/** The summary lines of a campaign's coverage. */
export function campaignSummary(
  map: CoverageMap,
  root: string,
  servicePath: string | null,
  dir: string,
): string[] {
  if (servicePath !== null && !map.files().includes(servicePath)) {
    return neverLoadedLines(servicePath, dir);
  }
  const kernel = sumFiles(map, (f) => f.startsWith(`${root}/kernel/`));
  const kernelText = `kernel ${formatPct(kernel.lines.covered, kernel.lines.total)}% lines`;
  const lines: string[] = [];
  if (servicePath === null) {
    lines.push(`coverage: ${kernelText} (no --service: built-in services only)`);
  } else {
    const files = serviceFiles(map, root, servicePath);
    const s = sumFiles(map, (f) => files.includes(f));
    lines.push(
      `coverage: service ${formatPct(s.lines.covered, s.lines.total)}% lines ` +
        `(${s.lines.total - s.lines.covered} uncovered${
          files.length > 1 ? ` in ${files.length} modules` : ""
        }), ${kernelText}`,
    );
    for (const f of files) {
      const u = unreached(map, f);
      lines.push(
        `  ${shown(f)}: lines no run reached: ${lineRanges(u.lines) || "none"}; ` +
          `branches no run took: ${u.branches.length > 0 ? u.branches.join(", ") : "none"}`,
      );
    }
  }
  lines.push(`  report: ${shown(`${dir}/index.html`)}, ${shown(`${dir}/lcov.info`)}`);
  return lines;
}

/** The render child: `deno run ... campaign.ts DIR [SERVICE]`. */
async function renderMain(dir: string, servicePath: string | null): Promise<number> {
  const root = resolve(fileURLToPath(new URL("..", import.meta.url)));
  const counts = countsForCampaign(root, denoDir(), servicePath);
  let serviceRan = false;
  const converted = convertRaw(`${dir}/raw`, `${dir}/c8`, (path) => {
    if (path === servicePath) serviceRan = true;
    return counts(path);
  });
  if (servicePath !== null && !serviceRan) {
    // No report: one of the kernel alone would read as the campaign's, and an older report
    // in DIR would too.
    for (const f of ["index.html", "lcov.info"]) await Deno.remove(`${dir}/${f}`).catch(() => {});
    for (const line of neverLoadedLines(servicePath, dir)) console.error(line);
    return NEVER_LOADED;
  }
  for (const m of converted.missing) {
    console.error(`warning: ${m}: no emitted code in Deno's cache`);
  }
  if (converted.scripts === 0) {
    console.error(`coverage: no coverage was written to ${dir}/raw`);
    return 1;
  }
  const map = await renderWithC8({
    tempDirectory: `${dir}/c8`,
    reportsDirectory: dir,
    reporters: ["html", "lcovonly"],
    root,
  });
  for (const line of campaignSummary(map, root, servicePath, dir)) console.log(line);
  return 0;
}

if (import.meta.main) {
  const [dir, service] = Deno.args;
  Deno.exit(await renderMain(resolve(dir), service !== undefined ? resolve(service) : null));
}
