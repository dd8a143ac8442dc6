/**
 * `deno task corpus`: work with corpora. `merge` combines the corpora of
 * shards (or machines) into one, deduped by signature; `list` shows what a
 * corpus holds and validates every case (any kind, any format); `accept`
 * re-records cases against their modules as they are now (after a fix).
 *
 * @module
 */

import { signProgramRun, signScenarioRun } from "../fuzz/engine.ts";
import { hangKind } from "../fuzz/signature.ts";
import { basename, dirname, isAbsolute, relative, resolve } from "node:path";
import {
  type CaseEnvelope,
  expectsText,
  type ModuleRef,
  recordedSignature,
  replaces,
  unshrunkWords,
} from "../case/envelope.ts";

/** What `corpus list` (and repro's `expected:` line) says a case expects. */
export { expectsText };
import { replayWith } from "../case/replay.ts";
import {
  CaseFileError,
  caseProblems,
  findingKey,
  moduleRef,
  readCaseFile,
  readCorpus,
  rebaseCase,
  resolveContext,
  syncFolder,
  writeCase,
  writeDurably,
} from "../case/store.ts";
import {
  type FlagSpec,
  InputError,
  nearest,
  parseFlags,
  runCommand,
  usage,
  UsageError,
} from "./args.ts";
import { runConfirmed } from "./_guard.ts";
import { campaignLimits, RUN_LIMIT_FLAGS } from "./_run_limits.ts";
import { lookedIn } from "./_user_path.ts";

const FLAGS: Record<string, FlagSpec> = {
  into: { type: "string", value: "DIR", path: true, help: "merge target (default corpus)" },
  ...RUN_LIMIT_FLAGS,
  help: { type: "boolean", help: "show this help" },
};

/** The usage text (the guarded worker prints it with a bad command line). */
export const USAGE = usage(
  "deno task corpus",
  "merge DIR... [--into DIR] | list [DIR | FILE] | accept FILE...",
  FLAGS,
) + `

merge: copy every case of the given corpora into --into, one per finding: its
signature in its context (seeded bug, service and kernel module by path and
content hash, checkers), so one signature of two services stays two cases
(a finding already in the target is kept; between sources the smaller case
wins: input size plus decisions, then the smaller trace hash, then the first
file name). Cases are written as pagersim/case@2 under their file names; a
name held by a different case is never overwritten (the new one gets -2). A
case's service and kernel module paths are rewritten to be relative to
--into, so a merged case names the same modules from its new place. A stale
case (its module changed since it was written) is copied too, and its added
line says so and what repro and accept do with it.
list: validate and list the cases of a corpus (default corpus), and those a
program campaign wrote under its programs/ folder: a case is valid only
if repro could replay it (its modules inside the project tree and present, every
pager served, its input inside the service contract it records), and a bad one is
named in repro's words; a case whose module changed since it was written is
stale, counted apart (repro FILE refuses to replay it against the changed code,
exit 2; repro FILE --current-code replays it against the code as it is now; accept
re-records it). Exit 1 when any case is invalid or stale. A case that expects pass and keeps a failure's
signature is a fix an older accept recorded: "expects pass (an accepted fix of SIGNATURE)";
it makes no failure known (accept it again to drop the signature).
A case whose shrinking was cut short (found.shrinkCut) or never ran (found.unshrunk) says
so: it fails as recorded, and the next campaign that meets its signature shrinks it again.
list FILE lists and validates that one case file.
accept: after you changed a case's service or kernel module (a fix), replay
each case against its modules as they are now and record what it does now:
the verdict (a failure's signature too), the trace hash and the modules'
content hashes (the file keeps
its name, input and decisions). A fixed bug's case then expects pass and
guards the fix in deno task test; it records no signature, so a campaign that
meets the failure again writes and shrinks it as new. It prints the old and the new verdict;
check them (deno task repro FILE --current-code shows the run first). The
replays run under the watchdog of sim and repro (--run-timeout per case,
--memory): a service that never yields or allocates without bound ends
accept with service-hang or out-of-memory, and leaves that case and the
ones after it as they were.`;

interface Entry {
  readonly file: string;
  readonly name: string;
  readonly c: CaseEnvelope;
  readonly signature: string;
  /** The dedupe key: the signature in its context (`findingKey`). */
  readonly key: string;
}

async function readEntries(dir: string, errors: string[], into = dir): Promise<Entry[]> {
  let loaded;
  try {
    loaded = await readCorpus(dir);
  } catch (e) {
    const where = e instanceof Deno.errors.NotFound ? lookedIn(dir) : "";
    throw new InputError(
      `${dir}: cannot read corpus directory: ${(e as Error).message}${where}`,
    );
  }
  // Each bad file in repro's words (userS23: a truncated case was "not valid JSON" to repro but
  // "invalid case" here): what readCaseFile, repro's reader, says of it.
  for (const file of new Set(loaded.errors.map((e) => e.file))) {
    errors.push(
      await readCaseFile(file).then(
        () => `${file}: invalid case`, // valid on a second read: changed meanwhile
        (e) => (e as Error).message,
      ),
    );
  }
  return loaded.cases.map(({ file, case: found }) => {
    const c = rebaseCase(found, dirname(file), into);
    return {
      file,
      name: file.slice(file.lastIndexOf("/") + 1),
      c,
      signature: c.signature ?? `${c.expected}:${c.traceHash}`,
      key: findingKey(c),
    };
  });
}

/** The command (`accept` runs it in a guarded worker: `cli/_guard.ts`). */

export async function main(): Promise<number> {
  const { values, positionals } = parseFlags(Deno.args, FLAGS, true, 1);
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const [verb, ...dirs] = positionals;
  if (verb === "list") {
    if (dirs.length > 1) throw new UsageError("list takes one directory");
    return await list(dirs[0] ?? "corpus");
  }
  if (verb === "accept") return await accept(dirs);
  if (verb !== "merge") {
    throw new UsageError(
      verb === undefined
        ? "missing command: merge, list or accept"
        : `unknown command "${verb}"${didYouMean(verb, COMMANDS)}`,
    );
  }
  return await merge(dirs, (values.into as string | undefined) ?? "corpus");
}

/**
 * A case FILE given to `list` as its one entry: listed and validated as a corpus's case is
 * (session 29: `corpus list FILE` printed the OS's "Not a directory (os error 20)"); a file
 * that is no case is named in repro's words.
 */
async function fileEntries(file: string, errors: string[]): Promise<Entry[]> {
  let c: CaseEnvelope;
  try {
    c = await readCaseFile(file);
  } catch (e) {
    if (!(e instanceof CaseFileError)) throw e;
    errors.push((e as Error).message);
    return [];
  }
  const signature = c.signature ?? `${c.expected}:${c.traceHash}`;
  return [{ file, name: basename(file), c, signature, key: findingKey(c) }];
}

/** What `found` says of a case's shrinking when it did not end (`list`), or "". */
export function shrinkNote(c: Pick<CaseEnvelope, "found">): string {
  const how = c.found?.shrinkCut === true
    ? "shrink cut short (the campaign or explore ended while shrinking it)"
    : c.found?.unshrunk === true
    ? `not shrunk${unshrunkWords(c.found)}`
    : null;
  return how === null ? "" : `, ${how}: it fails as recorded and may shrink further; it is not ` +
    "counted as known, so the next campaign that meets its signature shrinks it again and " +
    "replaces the file with the smaller case";
}

/**
 * `list [DIR]`: validates and lists the cases of corpus DIR (and of DIR/programs); a case FILE
 * instead is listed alone. Prints the list and the `corpus:` count; the exit code.
 */
export async function list(dir: string): Promise<number> {
  const errors: string[] = [];
  const isFile = await Deno.stat(dir).then((st) => st.isFile, () => false);
  const entries = isFile ? await fileEntries(dir, errors) : await readEntries(dir, errors);
  // A program campaign writes under DIR/programs (fuzz --mode programs): its cases are DIR's
  // findings too (userS26k: list said nothing of them).
  const programs = `${dir.replace(/\/+$/, "")}/programs`;
  const hasPrograms = basename(dir) !== "programs" &&
    await Deno.stat(programs).then((st) => st.isDirectory, () => false);
  if (hasPrograms) {
    const below = await readEntries(programs, errors, dir);
    entries.push(...below.map((e) => ({ ...e, name: `programs/${e.name}` })));
  }
  let valid = 0;
  let validBelow = 0;
  // A module changed since the case was written: repro refuses it (exit 2) as it stands, so it
  // is not valid; `--current-code` replays it, `corpus accept` re-records it (userS26s: it was
  // counted valid with the notice on its line).
  let stale = 0;
  let modules = false;
  for (const e of entries) {
    // Read as repro reads it (from its own file, modules relative to it), never run or loaded.
    const { problems, notices } = await caseProblems(await readCaseFile(e.file), e.file);
    if (problems.length > 0) {
      errors.push(`${e.file}: cannot replay: ${problems.join("; ")}`);
      continue;
    }
    if (notices.length > 0) stale++;
    else {
      valid++;
      if (e.name.startsWith("programs/")) validBelow++;
    }
    const by = e.c.bug !== undefined ? `, bug ${e.c.bug}` : "";
    // The modules it runs, as recorded (relative to the case): a kernel variant's case is
    // that variant's finding (userS25: list did not say which variant).
    // Shown from the working directory (the project root under deno task, where replay lines name
    // files from), not as recorded, relative to the case's own folder (session 33: `service
    // ../examples/x.ts` of a case in corpus/ read as a path from nowhere the user could tell).
    const mod =
      (e.c.service !== undefined ? `, service ${modulePath(e.file, e.c.service.path)}` : "") +
      (e.c.kernel !== undefined ? `, kernel ${modulePath(e.file, e.c.kernel.path)}` : "");
    if (mod !== "") modules = true;
    // What each command does with it, exactly (userS28s: the notice's "replaying against the
    // module as it is now" ran on into "repro refuses it").
    const changed = notices.length > 0
      ? ` (stale: ${notices.join("; ")}: \`deno task repro ${e.file}\` refuses to replay it ` +
        `against the changed code (exit 2); with --current-code it replays it against the ` +
        `code as it is now (exit 0 only if it passes now); \`deno task corpus accept ${e.file}\` ` +
        `re-records it)`
      : "";
    console.log(
      `${e.name}: ${e.c.kind}, expects ${expectsText(e.c)}, ${e.c.decisions.length} decisions` +
        `${by}${mod}${shrinkNote(e.c)}${changed}`,
    );
  }
  for (const err of errors) console.error(`error: ${err}`);
  if (modules) {
    console.log(
      `(service and kernel paths above are from ${Deno.cwd()}, the project root under deno ` +
        "task; a case records them relative to its own file)",
    );
  }
  console.log(
    `corpus: ${valid} valid, ${stale > 0 ? `${stale} stale, ` : ""}${errors.length} invalid` +
      (hasPrograms ? ` (${validBelow} valid under ${programs}, a program campaign's)` : "") +
      (isFile ? ` (the one case ${dir}: a file, not a corpus folder)` : ""),
  );
  return errors.length === 0 && stale === 0 ? 0 : 1;
}

/**
 * A module path a case records (relative to the case file's folder) as `corpus list` shows it:
 * from the working directory when under it, else absolute.
 *
 * @example
 * ```ts
 * import { modulePath } from "./corpus.ts";
 * console.assert(modulePath("corpus/x.json", "../examples/s.ts") === "examples/s.ts");
 * ```
 */
export function modulePath(caseFile: string, recorded: string): string {
  const file = resolve(dirname(caseFile), recorded);
  const rel = relative(Deno.cwd(), file);
  return rel.startsWith("..") || isAbsolute(rel) ? file : rel;
}

/** `merge DIR... --into DIR`: the exit code. */
export async function merge(dirs: readonly string[], into: string): Promise<number> {
  const errors: string[] = [];
  if (dirs.length === 0) throw new UsageError("merge needs at least one source directory");
  try {
    await Deno.mkdir(into, { recursive: true });
  } catch (e) {
    throw new InputError(`--into ${into}: cannot create: ${(e as Error).message}`);
  }
  const have = new Set((await readEntries(into, errors)).map((e) => e.key));
  const best = new Map<string, Entry>();
  // Cases of a finding the target holds, and cases that lost to a smaller one of their finding.
  let present = 0, dropped = 0;
  for (const dir of dirs) {
    for (const e of await readEntries(dir, errors, into)) {
      if (have.has(e.key)) {
        present++;
        continue;
      }
      const prev = best.get(e.key);
      if (prev !== undefined) dropped++;
      if (
        prev === undefined || replaces(e.c, prev.c) ||
        (!replaces(prev.c, e.c) && e.name < prev.name)
      ) best.set(e.key, e);
    }
  }
  let written = 0, stale = 0;
  for (const e of [...best.values()].sort((a, b) => (a.name < b.name ? -1 : 1))) {
    // A stale case (a module changed since it was written) is copied, a finding all the same,
    // and named as `list` would count it (session 33, userS33a: merge added one without a word,
    // and the next `corpus list` said "1 stale").
    const { notices } = await caseProblems(await readCaseFile(e.file), e.file);
    const target = await writeCase(into, e.c, e.name);
    written++;
    if (notices.length > 0) stale++;
    console.log(
      `added ${target} (${e.signature})` +
        (notices.length > 0
          ? `, stale: ${notices.join("; ")}: \`deno task repro ${target}\` refuses to replay it ` +
            `against the changed code; --current-code replays it against the code as it is ` +
            `now, \`deno task corpus accept ${target}\` re-records it`
          : ""),
    );
  }
  for (const err of errors) console.error(`skipped: ${err}`);
  console.log(
    `merge: ${written} added${stale > 0 ? ` (${stale} of them stale, named above)` : ""}, ` +
      `${present} of a finding already present, ${dropped} left for a ` +
      `smaller case of their finding, ${errors.length} invalid skipped`,
  );
  return errors.length === 0 ? 0 : 1;
}

/**
 * `accept FILE...`: each case replayed against its modules as they are now, and rewritten in
 * place (a temporary file renamed over it) with the verdict, trace hash and module hashes of
 * that replay. A case that cannot be read or replayed is named and left as it was.
 */
/** The commands `corpus` takes (a typo of one gets a suggestion). */
const COMMANDS = ["merge", "list", "accept"] as const;

/** `; did you mean "X"?` for a typo of one of `names`, else "". */
function didYouMean(typed: string, names: readonly string[]): string {
  const near = nearest(typed, names);
  return near === null ? "" : `; did you mean "${near}"?`;
}

/**
 * The case `corpus accept` writes for a replay that ended in `r` (signed `now`), with the modules
 * as they are now; `resigned` when the signature it records changes, which rewrites the file even
 * if verdict, trace hash and modules are as recorded. A case that passes now records no signature
 * (userS31a: one accept kept the fixed failure's, and campaigns that met that failure again called
 * it known; a committed case that expects pass records none, tools/migrate_corpus_test).
 *
 * @example
 * ```ts
 * import { reRecorded } from "./corpus.ts";
 * import { readCaseFile } from "../case/store.ts";
 * const c = await readCaseFile("corpus/zoo-duplicate-read.json");
 * const fixed = reRecorded(c, { verdict: "pass", traceHash: "0".repeat(16) }, "pass", {});
 * console.assert(fixed.next.expected === "pass" && fixed.next.signature === undefined);
 * console.assert(fixed.resigned);
 * ```
 */
export function reRecorded(
  c: CaseEnvelope,
  r: { readonly verdict: string; readonly traceHash: string },
  now: string,
  modules: { readonly service?: ModuleRef; readonly kernel?: ModuleRef },
): { next: CaseEnvelope; resigned: boolean } {
  const { signature: _recorded, ...rest } = c;
  const next: CaseEnvelope = {
    ...rest,
    expected: r.verdict,
    traceHash: r.traceHash,
    // A failure that changed shape is signed as it fails now, or the case would expect one
    // failure under another's signature; a fix records none (its description still names the
    // failure it was found as).
    ...(r.verdict !== "pass" && c.signature !== undefined ? { signature: now } : {}),
    ...(modules.service !== undefined ? { service: modules.service } : {}),
    ...(modules.kernel !== undefined ? { kernel: modules.kernel } : {}),
  };
  // A failure signed otherwise now (a rule given its ID: userS27k's K11e) is re-recorded too:
  // the file names and dedupes its finding by the signature. So is a passing case that still
  // records a signature (accepted before userS31a).
  return { next, resigned: next.signature !== c.signature };
}

async function accept(files: readonly string[]): Promise<number> {
  if (files.length === 0) throw new UsageError("accept needs at least one case FILE");
  let failed = 0;
  for (const file of files) {
    try {
      const c = await readCaseFile(file);
      const changed: string[] = [];
      const r = replayWith(c, await resolveContext(c, file, { notice: (m) => changed.push(m) }));
      const dir = dirname(file);
      const rehash = async (ref: ModuleRef | undefined) =>
        ref === undefined ? undefined : await moduleRef(resolve(dir, ref.path), dir);
      const service = await rehash(c.service);
      const kernel = await rehash(c.kernel);
      // Both sides as signatures show them, the checker's sub-code included (`...:Q2`).
      const sign = c.kind === "scenario" ? signScenarioRun : signProgramRun;
      const now = r.verdict === "pass" ? "pass" : sign(r.run) ?? r.verdict;
      const { next, resigned } = reRecorded(c, r, now, { service, kernel });
      if (r.ok && changed.length === 0 && !resigned) {
        console.log(`${file}: unchanged (${r.verdict}, modules as recorded)`);
        continue;
      }
      const tmp = await Deno.makeTempFile({ dir, prefix: `.${basename(file)}.accept-` });
      await writeDurably(tmp, JSON.stringify(next, null, 2) + "\n");
      await Deno.rename(tmp, file);
      await syncFolder(dir);
      console.log(
        `${file}: recorded ${recordedSignature(c)}, now ${now}` +
          `${changed.length > 0 ? ` (${changed.length} module(s) changed)` : ""}: re-recorded` +
          // A passing case keeps no signature: it would make its fixed failure "known".
          `${
            c.signature !== undefined && next.signature === undefined
              ? ` (without the signature ${c.signature}: a case that expects pass records none)`
              : ""
          }`,
      );
      // The name was made from the failure it was found as, and stays (trial35: an accepted fix
      // listed as `lost-wakeup-...json: scenario, expects pass`): say so, once it misleads.
      if (recordedSignature(c) !== now) {
        console.log(
          `  note: the file keeps its name, ${basename(file)}, made from the failure it was ` +
            `found as; nothing reads the name: rename it in its folder to say what it holds now ` +
            `(its module paths are relative to the folder)`,
        );
      }
      // Accepting a failure is allowed (a failure that changed shape), never silent: a partial
      // fix would otherwise lock the failure in as what the case expects.
      if (r.verdict !== "pass") {
        console.log(
          `  note: it still fails: the case now expects ${r.verdict}, so deno task test passes ` +
            `while the bug is there; a fixed bug's case expects pass`,
        );
      }
    } catch (e) {
      if (!(e instanceof CaseFileError) && !(e instanceof Deno.errors.NotFound)) throw e;
      failed++;
      // The case file's own errors name it already ("FILE: cannot read: ...").
      const message = (e as Error).message;
      console.error(`error: ${message.startsWith(`${file}: `) ? "" : `${file}: `}${message}`);
    }
  }
  // Every error caught above is the input's (a case that cannot be read, parsed or resolved):
  // bad input, as every command exits for it.
  return failed === 0 ? 0 : 2;
}

if (import.meta.main) {
  await runCommand(USAGE, async () => {
    const { values, positionals } = parseFlags(Deno.args, FLAGS, true, 1);
    if (values.help || positionals[0] !== "accept") return await main();
    // accept replays user modules: under the watchdog, a run limit per case.
    const limits = campaignLimits(values);
    const cases = Math.max(1, positionals.length - 1);
    // Stopped at the run limit (wall-clock time, which a loaded machine stretches), the replays
    // are run again with the confirmation limit (accepting a case again is the same accept).
    const o = await runConfirmed(import.meta.url, {
      ...limits,
      runTimeout: limits.runTimeout * cases,
      confirmTimeout: limits.confirmTimeout * cases,
    });
    if (o.kind === "done") return o.code;
    const why = o.kind === "service-hang"
      ? `the replays did not finish within ${cases} x --run-timeout ${limits.runTimeout}s, ` +
        `nor when run again within ${cases} x --confirm-timeout ${limits.confirmTimeout}s`
      : `a replay reached the --memory ${limits.memoryMb} MiB heap limit`;
    console.error(
      `error: corpus accept stopped: ${
        // Which case's kernel ran is not known here (a variant's or the model's): undefined.
        o.kind === "service-hang"
          ? hangKind(o.at, undefined)
          : o.kind} (${why}); the case being replayed and those ` +
        `after it are as they were`,
    );
    return 1;
  });
}
