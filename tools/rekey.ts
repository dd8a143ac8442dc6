/**
 * `deno task rekey --base REV`: after an edit of `kernel/` or `services/`, rewrites the mutant
 * keys (`file:line:column:mutator:replacement`, which carry a line and a column) that tests,
 * docs and JSON files name, from the mutants of the tree at REV to the same mutants of the
 * working tree. Each mutated file is instrumented as REV has it and as it is now (the
 * instrumenter `deno task mutate` uses, mutate/instrument.ts); an old mutant is the new one on
 * the same unchanged lines, or on changed lines the one with the same mutator, replacement and
 * mutated code in the same changed region (tools/_mutant_match.ts). Keys whose mutant is gone,
 * or ambiguous, are listed with the file and line naming them, and left as they are.
 *
 * `deno task rekey --check` checks instead that every key the tracked files name is a mutant of
 * the working tree (one step of `deno task check`).
 *
 * The sample journals `docs/mutation-sample-*.json(l)` and the full run's shard journals
 * `docs/mutation-full-COMMIT/*.jsonl` are never rewritten nor checked: each is the record of the
 * commit its name gives (tools that read their keys relocate them with
 * `--was`, tools/_mutant_args.ts). The mutated sources themselves are never rewritten.
 *
 * Exit status: 0 done; 1 keys lost or ambiguous (unless `--allow-lost`), or with `--check`
 * stale keys; 2 bad input.
 *
 * @example
 * ```sh
 * deno task rekey --base main --dry-run   # print the rewrites, write nothing
 * deno task rekey --base main             # rewrite them
 * deno task rekey --check
 * ```
 *
 * @module
 */

import { HELP_FLAG, InputError, parseFlags, runCommand, usage, UsageError } from "../cli/args.ts";
import { mutableFiles, type Mutant, mutantsOf, MUTATED_DIRS } from "../mutate/instrument.ts";
import { spanKey } from "../mutate/mutant_mirror.ts";
import { matchMutants } from "./_mutant_match.ts";
import { encodeKey, findRefs, keyFor, keyIndex, type KeyRef } from "./_mutant_refs.ts";

const FLAGS = {
  base: { type: "string" as const, value: "REV", help: "the revision the keys were written at" },
  "dry-run": { type: "boolean" as const, help: "print the rewrites; write nothing" },
  "allow-lost": {
    type: "boolean" as const,
    help: "exit 0 even if some keys' mutants are gone or ambiguous",
  },
  check: {
    type: "boolean" as const,
    help: "check that every key names a mutant of the working tree; rewrite nothing",
  },
  help: HELP_FLAG,
};

const USAGE = usage("deno task rekey", "--base REV [--dry-run] [--allow-lost] | --check", FLAGS) +
  `

Rewrites the mutant keys of kernel/ and services/ that tracked files name (tests, docs, JSON;
never docs/mutation-sample-*) from the tree at REV to the working tree, and lists the keys whose
mutant is gone or ambiguous. Exit status: 0 done, 1 keys lost or stale, 2 bad input.`;

/** The instrumenter's version: part of the cache key, so a new instrumenter recomputes. */
const INSTRUMENTER = "@stryker-mutator/instrumenter@10.1.1";

/** Where {@linkcode cachedMutants} keeps each file's mutants, by the hash of its text. */
export const CACHE_DIR = "/tmp/pagersim-mutant-cache";

/** Journals of past commits: their keys name that commit's mutants. */
const RECORD = /^docs\/mutation-(?:sample-[^/]*|full-[^/]+\/[^/]*)\.jsonl?$/;

/** What {@linkcode cachedMutants} computed. */
export interface Instrumented {
  readonly mutants: Mutant[];
  /** How many files were instrumented (not found in the cache). */
  readonly instrumented: number;
}

/**
 * The mutants of `sources` (name to text), each file's from the cache in `cacheDir` when its
 * text was instrumented before (a missing or unreadable entry is recomputed and written).
 */
export async function cachedMutants(
  sources: ReadonlyMap<string, string>,
  cacheDir = CACHE_DIR,
): Promise<Instrumented> {
  const mutants: Mutant[] = [];
  const missing = new Map<string, string>(), paths = new Map<string, string>();
  for (const [name, text] of sources) {
    const bytes = new TextEncoder().encode(`${INSTRUMENTER}\0${name}\0${text}`);
    const hash = [...new Uint8Array(await crypto.subtle.digest("SHA-256", bytes))]
      .map((b) => b.toString(16).padStart(2, "0")).join("");
    const path = `${cacheDir}/${hash}.json`;
    try {
      mutants.push(...JSON.parse(Deno.readTextFileSync(path)) as Mutant[]);
    } catch {
      missing.set(name, text);
      paths.set(name, path);
    }
  }
  const fresh = await mutantsOf(missing);
  for (const [name, path] of paths) {
    const own = fresh.filter((m) => m.fileName === name);
    try {
      Deno.mkdirSync(cacheDir, { recursive: true });
      Deno.writeTextFileSync(`${path}.${Deno.pid}`, JSON.stringify(own));
      Deno.renameSync(`${path}.${Deno.pid}`, path);
    } catch {
      // no cache: the next run instruments again
    }
  }
  mutants.push(...fresh);
  return { mutants, instrumented: missing.size };
}

function git(root: string, args: readonly string[]): string {
  const o = new Deno.Command("git", {
    args: ["-C", root, ...args],
    stdout: "piped",
    stderr: "piped",
  })
    .outputSync();
  if (!o.success) {
    throw new InputError(`git ${args.join(" ")}: ${new TextDecoder().decode(o.stderr).trim()}`);
  }
  return new TextDecoder().decode(o.stdout);
}

/** The mutated files (as mutate/instrument.ts `mutableFiles` picks them) and their text at `rev`. */
export function sourcesAt(root: string, rev: string): Map<string, string> {
  let commit: string;
  try {
    commit = git(root, ["rev-parse", "--verify", "--quiet", `${rev}^{commit}`]).trim();
  } catch {
    throw new InputError(`--base ${rev}: no such commit in ${root}`);
  }
  const names = git(root, ["ls-tree", "-r", "--name-only", commit, "--", ...MUTATED_DIRS])
    .split("\n")
    .filter((n) => n.endsWith(".ts") && !/_(test|fixture)\.ts$/.test(n)).sort();
  return new Map(names.map((n) => [n, git(root, ["show", `${commit}:${n}`])]));
}

/** The mutated files of the working tree and their text. */
export function sourcesNow(root: string): Map<string, string> {
  return new Map(mutableFiles(root).map((n) => [n, Deno.readTextFileSync(`${root}/${n}`)]));
}

/**
 * The tracked text files that may name keys: not the journals of past commits, not the sources,
 * not {@linkcode KNOWN_STALE}.
 */
export function referringFiles(root: string, sources: ReadonlySet<string>): Map<string, string> {
  const out = new Map<string, string>();
  const decoder = new TextDecoder("utf-8", { fatal: true });
  for (const path of git(root, ["ls-files", "-z"]).split("\0").sort()) {
    if (path === "" || RECORD.test(path) || path === KNOWN_STALE || sources.has(path)) continue;
    let text: string;
    try {
      const bytes = Deno.readFileSync(`${root}/${path}`);
      if (bytes.includes(0)) continue;
      text = decoder.decode(bytes);
    } catch {
      continue; // deleted in the working tree, or not text
    }
    if (MUTATED_DIRS.some((d) => text.includes(`${d}/`))) out.set(path, text);
  }
  return out;
}

/** A key a file names that could not be carried over, or that names no mutant. */
export interface LostKey {
  readonly path: string;
  readonly line: number;
  readonly key: string;
  readonly why: string;
}

/** One key rewritten. */
export interface Rewrite {
  readonly path: string;
  readonly line: number;
  readonly from: string;
  readonly to: string;
  /**
   * The old key names a mutant of the working tree too: right if the key was written at REV,
   * wrong if it was written for the working tree (a branch's own new key, when merging).
   */
  readonly alsoNow: boolean;
}

/** What {@linkcode rekey} did. */
export interface RekeyResult {
  readonly rewrites: Rewrite[];
  /** Keys that named one mutant at REV, gone or ambiguous now. */
  readonly lost: LostKey[];
  /** Keys that named no single mutant at REV already: left as they are, not counted as lost. */
  readonly staleBefore: LostKey[];
  /** The files it rewrote (or would, with `dryRun`). */
  readonly files: string[];
  /** Mutants of REV found again (and of them, on unchanged lines), lost, ambiguous; new ones. */
  readonly mutants: {
    found: number;
    exact: number;
    lost: number;
    ambiguous: number;
    added: number;
  };
  /** Files instrumented (not cached). */
  readonly instrumented: number;
}

/** Why a reference names no single mutant. */
function unresolved(ref: KeyRef, where: string): string {
  if (ref.mutants.length === 0) return `names no mutant of ${where}`;
  return `names ${ref.mutants.length} mutants of ${where} (${
    ref.mutants.map(spanKey).join(", ")
  }): write one with its end`;
}

/**
 * Rewrites the keys the tracked files of the repository `root` name, from the mutants of
 * `kernel/` and `services/` at `base` to those of the working tree (with `dryRun`, only says
 * which). A key whose mutant is lost or ambiguous, or that named no single mutant at `base`, is
 * left as it is and listed (in `lost` or `staleBefore`).
 */
export async function rekey(root: string, base: string, dryRun = false): Promise<RekeyResult> {
  const was = sourcesAt(root, base), now = sourcesNow(root);
  const a = await cachedMutants(was), b = await cachedMutants(now);
  const wasIndex = keyIndex(a.mutants), nowIndex = keyIndex(b.mutants);
  const fileOf = (ms: readonly Mutant[], f: string) => ms.filter((m) => m.fileName === f);
  const found = new Map<Mutant, Mutant>(), lostWhy = new Map<Mutant, string>();
  const counts = { found: 0, exact: 0, lost: 0, ambiguous: 0, added: 0 };
  for (const f of new Set([...was.keys(), ...now.keys()])) {
    const m = matchMutants(
      was.get(f) ?? "",
      now.get(f) ?? "",
      fileOf(a.mutants, f),
      fileOf(b.mutants, f),
    );
    for (const [o, n] of m.found) found.set(o, n);
    for (const o of m.lost) lostWhy.set(o, "its mutant is gone (its code changed)");
    for (const o of m.ambiguous) lostWhy.set(o, "ambiguous: its code is in two places now");
    counts.found += m.found.size;
    counts.exact += m.exact;
    counts.lost += m.lost.length;
    counts.ambiguous += m.ambiguous.length;
    counts.added += m.added.length;
  }
  const rewrites: Rewrite[] = [], lost: LostKey[] = [], staleBefore: LostKey[] = [];
  const files: string[] = [];
  const mutated = new Set([...was.keys(), ...now.keys()]);
  for (const [path, text] of referringFiles(root, mutated)) {
    let out = "", last = 0;
    for (const ref of findRefs(text, wasIndex, new Set(was.keys()))) {
      if (ref.mutants.length !== 1) {
        // Stale before the edit: not this edit's to carry (deno task rekey --check lists it).
        staleBefore.push({ path, line: ref.line, key: ref.key, why: unresolved(ref, base) });
        continue;
      }
      const next = found.get(ref.mutants[0]);
      if (next === undefined) {
        const why = lostWhy.get(ref.mutants[0]) ?? "";
        lost.push({ path, line: ref.line, key: ref.key, why });
        continue;
      }
      const key = keyFor(next, nowIndex, ref.withEnd);
      if (key === ref.key) continue;
      const alsoNow = findRefs(ref.key, nowIndex, mutated).some((r) => r.mutants.length === 1);
      rewrites.push({ path, line: ref.line, from: ref.key, to: key, alsoNow });
      out += text.slice(last, ref.from) + encodeKey(key, ref.encoding);
      last = ref.to;
    }
    if (last === 0) continue;
    files.push(path);
    if (!dryRun) Deno.writeTextFileSync(`${root}/${path}`, out + text.slice(last));
  }
  return {
    rewrites,
    lost,
    staleBefore,
    files,
    mutants: counts,
    instrumented: a.instrumented + b.instrumented,
  };
}

/** What {@linkcode staleKeys} found. */
export interface KeyCheck {
  /** Keys that name no single mutant of the working tree. */
  readonly stale: LostKey[];
  /** How many keys were checked, in how many files. */
  readonly refs: number;
  readonly files: number;
  /** Files instrumented (not cached). */
  readonly instrumented: number;
}

/** The keys the tracked files of `root` name that name no single mutant of its working tree. */
export async function staleKeys(root: string): Promise<KeyCheck> {
  const now = sourcesNow(root);
  const { mutants, instrumented } = await cachedMutants(now);
  const index = keyIndex(mutants), names = new Set(now.keys());
  const stale: LostKey[] = [];
  let refs = 0, files = 0;
  for (const [path, text] of referringFiles(root, names)) {
    const found = findRefs(text, index, names);
    refs += found.length;
    if (found.length > 0) files++;
    for (const ref of found) {
      if (ref.mutants.length !== 1) {
        stale.push({
          path,
          line: ref.line,
          key: ref.key,
          why: unresolved(ref, "the working tree"),
        });
      }
    }
  }
  return { stale, refs, files, instrumented };
}

/** The keys known to be stale (path and key), listed to be mended, not to be added to. */
export const KNOWN_STALE = "mutate/stale_keys.json";

/** The entries of {@linkcode KNOWN_STALE} under `root` (none if it is missing). */
export function knownStale(root: string): { path: string; key: string }[] {
  let text: string;
  try {
    text = Deno.readTextFileSync(`${root}/${KNOWN_STALE}`);
  } catch {
    return [];
  }
  const doc = JSON.parse(text) as { keys?: unknown };
  const ok = Array.isArray(doc.keys) &&
    doc.keys.every((e) =>
      typeof e === "object" && e !== null && typeof e.path === "string" && typeof e.key === "string"
    );
  if (!ok) throw new InputError(`${KNOWN_STALE}: expected {"keys": [{"path", "key"}, ...]}`);
  return doc.keys as { path: string; key: string }[];
}

/**
 * The check of `deno task check`: the stale keys of `root` not in {@linkcode KNOWN_STALE}, and
 * the entries of that list no longer stale (a key mended or gone: the list only shrinks).
 */
export async function checkKeys(root: string): Promise<KeyCheck & { mended: string[] }> {
  const r = await staleKeys(root);
  const known = knownStale(root);
  const id = (e: { path: string; key: string }) => `${e.path}: ${e.key}`;
  const listed = new Set(known.map(id)), seen = new Set(r.stale.map(id));
  return {
    ...r,
    stale: r.stale.filter((k) => !listed.has(id(k))),
    mended: [...listed].filter((e) => !seen.has(e)),
  };
}

const show = (k: LostKey) => `${k.path}:${k.line}: ${k.key}: ${k.why}`;

async function main(): Promise<number> {
  const { values } = parseFlags(Deno.args, FLAGS);
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const root = Deno.cwd();
  const t0 = performance.now();
  if (values.check) {
    if (values.base !== undefined) throw new UsageError("--check takes no --base");
    const r = await checkKeys(root);
    for (const k of r.stale) console.error(show(k));
    if (r.stale.length > 0) {
      console.error(
        `${r.stale.length} stale mutant key(s): after an edit of kernel/ or services/, run ` +
          `deno task rekey --base REV (REV: the commit before the edit)`,
      );
    }
    for (const e of r.mended) {
      console.error(`${KNOWN_STALE}: ${e}: names a mutant now, or is gone: remove the entry`);
    }
    console.log(
      `mutant keys: ${r.refs} key(s) in ${r.files} file(s), ${r.stale.length} stale beyond the ` +
        `${knownStale(root).length} of ${KNOWN_STALE} (${r.instrumented} file(s) instrumented, ${
          ((performance.now() - t0) / 1000).toFixed(1)
        }s)`,
    );
    return r.stale.length === 0 && r.mended.length === 0 ? 0 : 1;
  }
  if (typeof values.base !== "string") throw new UsageError("--base REV is required");
  const r = await rekey(root, values.base, values["dry-run"] === true);
  if (values["dry-run"]) {
    for (const w of r.rewrites) {
      const mark = w.alsoNow ? " (the old key names a mutant now too)" : "";
      console.log(`${w.path}:${w.line}: ${w.from} -> ${w.to}${mark}`);
    }
  }
  for (const k of r.lost) console.error(show(k));
  const m = r.mutants;
  console.log(
    `rekey: ${r.rewrites.length} key(s) ${values["dry-run"] ? "to rewrite" : "rewritten"} in ` +
      `${r.files.length} file(s), ${r.lost.length} lost; mutants of ${values.base}: ${m.found} ` +
      `found (${m.exact} on unchanged lines), ${m.lost} gone, ${m.ambiguous} ambiguous; ` +
      `${m.added} new; ${r.staleBefore.length} key(s) named no single mutant at ` +
      `${values.base} already (deno task rekey --check lists them); ` +
      `${r.rewrites.filter((w) => w.alsoNow).length} old key(s) named a mutant of the working ` +
      `tree too (right only if written at ${values.base}: --dry-run marks them)`,
  );
  return r.lost.length === 0 || values["allow-lost"] ? 0 : 1;
}

if (import.meta.main) await runCommand(USAGE, main);
