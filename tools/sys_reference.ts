/**
 * Writes `docs/sys.md`, the reference of every `Sys` call a service makes: the
 * signature as a service writes it (`sys.name(param: type, ...)`), the return
 * shape, the Zircon syscall it models and the first sentence of its TSDoc,
 * grouped and sorted. It is read from the types with the TypeScript compiler:
 * the `Sys` interface of sim/sys.ts (the class's own members, and the table's
 * calls it extends through the mapped type `ThreadCalls` of
 * kernel/syscalls.ts, whose TSDoc lives on `KernelCalls`).
 *
 * Run: `deno task sys-reference` (writes docs/sys.md, and docs/kernel_variants.md by
 * tools/variant_reference.ts) or `deno task sys-reference --check` (exits 1 if either is stale).
 *
 * @module
 */

import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type TS from "npm:typescript@6.0.3";
import { badInputStatus, parseFlags, usage } from "../cli/args.ts";
import { createProgram, loadTypeScript } from "../quality/determinism_lint.ts";
import { methodName, SYSCALLS } from "../kernel/syscalls.ts";
import * as CONSTANTS from "../kernel/constants.ts";
import { missingTags, readSeams, renderVariants, VARIANT_OUTPUT } from "./variant_reference.ts";

type Ts = typeof TS;

/** The project root (this file's parent's parent). */
const ROOT = dirname(dirname(fileURLToPath(import.meta.url)));

/** Where the reference goes, relative to the root. */
export const OUTPUT = "docs/sys.md";

/** One row of the reference. */
export interface SysCallDoc {
  /** The `Sys` member's name (`pagerOpRange`). */
  readonly name: string;
  /** Its group (a section of the reference). */
  readonly group: Group;
  /** As a service writes it: `sys.pagerOpRange(pager: number, ...)`, or `sys.now` for a property. */
  readonly signature: string;
  /** What it returns: `status`, `[status, ...outs]` with names, or a plain type. */
  readonly returns: string;
  /** The Zircon syscall it models (`zx_pager_op_range`), or "" for none. */
  readonly zircon: string;
  /** The first sentence of its TSDoc. */
  readonly summary: string;
}

/** The sections of the reference, in order. */
export const GROUPS = [
  "pager",
  "VMO",
  "VMAR",
  "port",
  "handles and objects",
  "futex and threads",
  "misc",
] as const;

/** A section of the reference. */
export type Group = typeof GROUPS[number];

/** The group of a table call, by its Zircon name's family. */
function groupOfZircon(zx: string): Group {
  if (zx.startsWith("zx_pager_")) return "pager";
  if (zx.startsWith("zx_vmo_")) return "VMO";
  if (zx.startsWith("zx_vmar_")) return "VMAR";
  if (zx.startsWith("zx_port_")) return "port";
  if (zx.startsWith("zx_handle_") || zx.startsWith("zx_object_") || zx === "zx_event_create") {
    return "handles and objects";
  }
  if (zx.startsWith("zx_futex_") || zx.startsWith("zx_task_")) return "futex and threads";
  return "misc";
}

/** The group of a `Sys` member that is not a table call. */
function groupOfMember(name: string): Group {
  if (/^(spawn|self|tid|futexWord|atomic)/.test(name)) return "futex and threads";
  if (name === "memRead" || name === "memWrite") return "VMAR";
  return "misc";
}

/**
 * The first sentence of a doc comment: up to the first `.` followed by a space or the end, outside
 * code spans and parentheses.
 */
export function firstSentence(doc: string): string {
  const flat = doc.replace(/\s+/g, " ").trim();
  let inCode = false, parens = 0;
  for (let i = 0; i < flat.length; i++) {
    const c = flat[i];
    if (c === "`") inCode = !inCode;
    else if (inCode) continue;
    else if (c === "(") parens++;
    else if (c === ")") parens = Math.max(0, parens - 1);
    else if (c === "." && parens === 0 && (i + 1 === flat.length || flat[i + 1] === " ")) {
      return flat.slice(0, i + 1);
    }
  }
  return flat;
}

/**
 * Names for a call's out-values, from the Zircon signature in its TSDoc
 * (`*out`, `*child_vmar`, ...) where they match the tuple's length; `*out` of a
 * call that creates an object is named by what the table says it produces.
 */
function outNames(zx: string, doc: string, types: readonly string[]): string[] {
  const sig = /`[a-z_]+\(([^)]*)\)/.exec(doc.replace(/\s+/g, " "));
  const stars = sig === null ? [] : [...sig[1].matchAll(/\*([a-z_]+)/g)].map((m) => m[1]);
  const row = (SYSCALLS as Record<string, { produces: string | null }>)[zx];
  const produces = row?.produces;
  return types.map((t, i) => {
    // An array out is the records themselves (`*actual` of zx_pager_query_dirty_ranges is their
    // count in C; the model hands back the ranges).
    let n = t.endsWith("[]") ? "ranges" : stars.length === types.length ? stars[i] : undefined;
    if (n === "out" || n === undefined) {
      if (i === 0 && produces !== undefined && produces !== null && produces !== "same") {
        n = produces;
      } else if (n === undefined) {
        n = /Uint8Array/.test(t)
          ? "bytes"
          : /Packet/.test(t)
          ? "packet"
          : /VmoInfo/.test(t)
          ? "info"
          : /Stats/.test(t)
          ? "stats"
          : `out${i + 1}`;
      } else n = "handle";
    }
    return n.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
  });
}

/** The symbol of the top-level declaration `name` of a source file. */
function declared(checker: TS.TypeChecker, sf: TS.SourceFile, name: string): TS.Symbol {
  const mod = checker.getSymbolAtLocation(sf);
  const sym = mod === undefined
    ? undefined
    : checker.getExportsOfModule(mod).find((s) => s.name === name);
  if (sym === undefined) throw new Error(`${sf.fileName}: no exported ${name}`);
  return sym;
}

function docOf(ts: Ts, checker: TS.TypeChecker, sym: TS.Symbol): string {
  return ts.displayPartsToString(sym.getDocumentationComment(checker));
}

function isInternal(sym: TS.Symbol): boolean {
  return sym.getJsDocTags().some((t) => t.name === "internal");
}

/** Reads the `Sys` interface of sim/sys.ts and returns its rows, sorted by group then name. */
export async function readSysCalls(): Promise<SysCallDoc[]> {
  const ts = await loadTypeScript();
  const sysFile = join(ROOT, "sim", "sys.ts");
  const { program } = createProgram(ts, [sysFile], ["lib.es2022.d.ts"]);
  const checker = program.getTypeChecker();
  const sysSf = program.getSourceFile(sysFile);
  const callsSf = program.getSourceFile(join(ROOT, "kernel", "syscalls.ts"));
  if (sysSf === undefined || callsSf === undefined) throw new Error("sim/sys.ts: not loaded");
  const sysType = checker.getDeclaredTypeOfSymbol(declared(checker, sysSf, "Sys"));
  const kernelCalls = checker.getDeclaredTypeOfSymbol(declared(checker, callsSf, "KernelCalls"));
  // A remapped (`as`) mapped type keeps no declarations: a table call's TSDoc and Zircon name
  // are those of the `KernelCalls` member it is mapped from.
  const byMethod = new Map<string, TS.Symbol>();
  for (const k of checker.getPropertiesOfType(kernelCalls)) {
    byMethod.set(methodName(k.name as keyof typeof SYSCALLS), k);
  }
  const rows: SysCallDoc[] = [];
  for (const prop of checker.getPropertiesOfType(sysType)) {
    const name = prop.name;
    if (name.startsWith("#") || isInternal(prop)) continue;
    const decl = prop.valueDeclaration ?? prop.declarations?.[0];
    const flags = decl === undefined ? 0 : ts.getCombinedModifierFlags(decl);
    if ((flags & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected)) !== 0) continue;
    const origin = byMethod.get(name);
    // memRead and memWrite are loads and stores through a mapping, not Zircon syscalls.
    const zircon = origin?.name ?? "";
    const doc = docOf(ts, checker, origin ?? prop);
    const type = checker.getTypeOfSymbol(prop);
    const sigs = type.getCallSignatures();
    const group = origin !== undefined ? groupOfZircon(zircon) : groupOfMember(name);
    // The world's wiring (`sys.random` is the call that draws), not calls.
    if (name === "kernel" || name === "draw") continue;
    if (sigs.length === 0) {
      rows.push({
        name,
        group,
        signature: `sys.${name}`,
        returns: typeText(checker, type),
        zircon,
        summary: firstSentence(doc),
      });
      continue;
    }
    const sig = sigs[0];
    const params = paramList(checker, sig);
    rows.push({
      name,
      group,
      signature: `sys.${name}(${params.join(", ")})`,
      returns: returnShape(checker, sig.getReturnType(), zircon, doc),
      zircon,
      summary: firstSentence(doc),
    });
  }
  return rows.sort((a, b) =>
    GROUPS.indexOf(a.group) - GROUPS.indexOf(b.group) ||
    (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)
  );
}

/** A type as the reference shows it (`Uint8Array`, not `Uint8Array<ArrayBufferLike>`). */
function typeText(checker: TS.TypeChecker, t: TS.Type): string {
  return checker.typeToString(t).replace(/Uint8Array<ArrayBufferLike>/g, "Uint8Array");
}

/**
 * The parameters of a signature, `name: type` each (`name?:` if it may be left out); a table
 * call's rest parameter of a labelled tuple (`...args: CallArgs<K>`) is spread into its elements.
 */
function paramList(checker: TS.TypeChecker, sig: TS.Signature): string[] {
  const out: string[] = [];
  sig.getParameters().forEach((p) => {
    const t = checker.getTypeOfSymbol(p);
    const decl = p.valueDeclaration as TS.ParameterDeclaration | undefined;
    if (decl?.dotDotDotToken !== undefined || (checker.isTupleType(t) && p.name === "args")) {
      const tuple = (t as TS.TypeReference).target as TS.TupleType;
      const labels = tuple.labeledElementDeclarations ?? [];
      checker.getTypeArguments(t as TS.TypeReference).forEach((et, j) => {
        const label = labels[j]?.name.getText() ?? `arg${j + 1}`;
        const opt = (tuple.elementFlags[j] & 2) !== 0; // ElementFlags.Optional
        out.push(
          `${label}${opt ? "?" : ""}: ${
            typeText(checker, opt ? checker.getNonNullableType(et) : et)
          }`,
        );
      });
      return;
    }
    const optional = decl?.questionToken !== undefined || decl?.initializer !== undefined;
    out.push(
      `${p.name}${optional ? "?" : ""}: ${
        typeText(checker, optional ? checker.getNonNullableType(t) : t)
      }`,
    );
  });
  return out;
}

/** `status`, `[status, name: type, ...]`, or the type a non-syscall returns. */
function returnShape(checker: TS.TypeChecker, ret: TS.Type, zircon: string, doc: string): string {
  const symName = ret.getSymbol()?.name;
  if (symName !== "Generator") return typeText(checker, ret);
  const [, result] = checker.getTypeArguments(ret as TS.TypeReference);
  if (!checker.isTupleType(result)) {
    // `Syscall<Status>`: `Status` is `number`, so a syscall whose result is a number is its status.
    const shown = typeText(checker, result);
    return `\`yield*\` → ${shown === "number" ? "status" : shown}`;
  }
  const elems = checker.getTypeArguments(result as TS.TypeReference).map((t) =>
    typeText(checker, t)
  );
  const outs = elems.slice(1);
  const names = outNames(zircon, doc, outs);
  return `\`yield*\` → [status, ${outs.map((t, i) => `${names[i]}: ${t}`).join(", ")}]`;
}

function cell(s: string): string {
  return s.replace(/\|/g, "\\|");
}

function code(s: string): string {
  return s === "" ? "—" : `\`${s.replace(/\|/g, "\\|")}\``;
}

/** The Markdown of the reference (deterministic: no dates, rows sorted). */
export function render(rows: readonly SysCallDoc[]): string {
  const out = [
    "# `Sys` call reference",
    "",
    "<!-- Generated by tools/sys_reference.ts from the types of sim/sys.ts and kernel/syscalls.ts:",
    "     do not edit; run `deno task sys-reference`. -->",
    "",
    "Every call a service makes on its `sys`, with the arguments in the order `Sys` takes them (the",
    "calling thread is implicit; out-parameters are returned, not passed). A call marked `yield*` is a",
    "generator and a scheduling point: `const [st, vmo] = yield* sys.vmoCreate(size, 0);`. A syscall",
    "returns its status alone, or `[status, ...outs]` when Zircon's call fills out-parameters (a",
    "failed call's outs are 0, empty or null, but for the signals `objectWaitOne` observed before it",
    "timed out or was cancelled). `Status`, `ZX_OK` and `ZX_TIME_INFINITE` are exported by",
    '`mod.ts`, every other `ZX_*` constant by kernel/constants.ts (`pagersim/constants`; "What a',
    'service imports" below); the README\'s "How `Sys` spells a call" lists where a call differs from Zircon\'s C',
    "signature. The last column is the first sentence of the TSDoc; the full text is on `KernelCalls`",
    "in kernel/syscalls.ts (table calls) or on the `Sys` class in sim/sys.ts.",
    "",
  ];
  for (const g of GROUPS) {
    const inGroup = rows.filter((r) => r.group === g);
    if (inGroup.length === 0) continue;
    out.push(
      `## ${g}`,
      "",
      "| call | returns | models | what it does |",
      "| --- | --- | --- | --- |",
    );
    for (const r of inGroup) {
      const ret = r.returns.startsWith("`yield*`")
        ? r.returns.replace(/ → (.*)$/, (_, x: string) => ` → ${x === "status" ? x : code(x)}`)
        : code(r.returns);
      out.push(`| ${code(r.signature)} | ${ret} | ${code(r.zircon)} | ${cell(r.summary)} |`);
    }
    out.push("");
  }
  out.push(...renderImports(Deno.readTextFileSync(join(ROOT, "mod.ts")), CONSTANTS));
  return out.join("\n");
}

/** The modules whose mod.ts exports a service's code uses, and what each holds. */
export const SERVICE_SOURCES: readonly (readonly [module: string, what: string])[] = [
  ["./kernel/constants.ts", "status and the constants of a service's loop"],
  ["./sim/sys.ts", "the calls (`Sys`, above) and a thread's body"],
  ["./services/mod.ts", "sync primitives, packet tests, supply helpers, the reference services"],
  ["./scenario/service_contract.ts", "the contract and the entry points a contract names"],
];

/** Kernel types a service's generators name: `Syscall<T>` is what a helper returns. */
export const SERVICE_KERNEL_TYPES: readonly string[] = ["Syscall"];

/** The names mod.ts exports from `module` (`type X` for a type), in its order. */
export function modExports(modSource: string, module: string): string[] {
  const out: string[] = [];
  for (const m of modSource.matchAll(/^export (type )?\{([^}]*)\} from "([^"]+)";/gm)) {
    if (m[3] !== module) continue;
    for (const part of m[2].split(",")) {
      const name = part.trim().split(/\s+as\s+/).pop() ?? "";
      if (name === "") continue;
      out.push(m[1] !== undefined && !name.startsWith("type ") ? `type ${name}` : name);
    }
  }
  return out;
}

/** The title of a constant group by its prefix (`ZX_ERR_`): a new prefix is titled by itself. */
const CONSTANT_GROUPS: Readonly<Record<string, string>> = {
  ERR: "statuses",
  RIGHT: "rights",
  RIGHTS: "right sets",
  DEFAULT: "default rights of new objects",
  PAGER: "pager ops and options",
  VMO: "VMO options, child options and ops",
  VM: "mapping flags",
  VMAR: "VMAR ops",
  PKT: "packet types",
  INFO: "object info topics",
  OBJ: "object types",
  USER: "user signals",
  EVENT: "event signals",
  WAIT: "wait options",
  BTI: "BTI options",
  KOID: "koids",
  TIME: "time",
};

/**
 * The reference's last section: what a service imports from `pagersim` (mod.ts's exports of
 * {@linkcode SERVICE_SOURCES}, read from its source) and from `pagersim/constants`
 * (kernel/constants.ts's exports by group, with their values): generated, so it names what the
 * modules export today (userS27t grepped kernel/constants.ts and mod.ts for
 * `ZX_ERR_IO_DATA_INTEGRITY`, `ZX_RIGHT_SAME_RIGHTS`, `Mutex`, `CondVar` and `OpenFile`).
 */
export function renderImports(
  modSource: string,
  constants: Readonly<Record<string, unknown>>,
): string[] {
  const out = [
    "## What a service imports",
    "",
    "From `pagersim` (mod.ts; `../mod.ts` inside this project), by the module that defines them:",
    "",
    "| module | what | exports |",
    "| --- | --- | --- |",
  ];
  const kernel = modExports(modSource, "./kernel/kernel.ts").filter((n) =>
    SERVICE_KERNEL_TYPES.includes(n.replace(/^type /, ""))
  );
  const sources: [string, string, string[]][] = [
    ...SERVICE_SOURCES.map(([m, what]): [string, string, string[]] => [
      m,
      what,
      modExports(modSource, m),
    ]),
    ["./kernel/kernel.ts", "the type of a call (a helper returns `Syscall<T>`)", kernel],
  ];
  for (const [m, what, names] of sources) {
    out.push(`| ${m.slice(2)} | ${what} | ${names.map((n) => code(n)).join(", ")} |`);
  }
  out.push(
    "",
    "From `pagersim/constants` (kernel/constants.ts; `../kernel/constants.ts` inside this project),",
    "every constant by group, with its value:",
    "",
    "| group | constants |",
    "| --- | --- |",
  );
  const groups = new Map<string, string[]>();
  const other: string[] = [];
  for (const [name, value] of Object.entries(constants)) {
    const prefix = /^ZX_([A-Z]+)_/.exec(name)?.[1];
    const shown = typeof value !== "number"
      ? ""
      : !Number.isInteger(value) || value < 4096
      ? ` ${value}`
      : ` 0x${value.toString(16)}`;
    if (typeof value !== "number" || prefix === undefined) {
      other.push(`${code(name)}${shown}`);
      continue;
    }
    const list = groups.get(prefix) ?? [];
    list.push(`${code(name)}${shown}`);
    groups.set(prefix, list);
  }
  const order = [
    ...Object.keys(CONSTANT_GROUPS).filter((g) => groups.has(g)),
    ...[...groups.keys()].filter((g) => !(g in CONSTANT_GROUPS)).sort(),
  ];
  for (const g of order) {
    out.push(
      `| ${CONSTANT_GROUPS[g] ?? g} (\`ZX_${g}_*\`) | ${(groups.get(g) ?? []).join(", ")} |`,
    );
  }
  out.push(`| other | ${other.join(", ")} |`, "");
  return out;
}

/**
 * Null if the file at `path` holds `md`; else why it is stale, and what to run. `name` is the
 * file as the message names it (docs/sys.md by default).
 */
export function staleness(path: string, md: string, name: string = OUTPUT): string | null {
  let old: string;
  try {
    old = Deno.readTextFileSync(path);
  } catch {
    return `${name} is missing: run \`deno task sys-reference\` and commit it`;
  }
  if (old === md) return null;
  const a = old.split("\n"), b = md.split("\n");
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return `${name} is stale (first difference at line ${
    i + 1
  }): run \`deno task sys-reference\` and commit it`;
}

const FLAGS = {
  check: {
    type: "boolean" as const,
    help: `exit 1 if ${OUTPUT} or ${VARIANT_OUTPUT} is not what would be written`,
  },
  help: { type: "boolean" as const, help: "show this help" },
};

async function main(args: string[]): Promise<number> {
  const text = usage("deno task sys-reference", "[--check]", FLAGS);
  let flags: Record<string, string | boolean | undefined>;
  try {
    flags = parseFlags(args, FLAGS).values;
  } catch (e) {
    return badInputStatus(e, text);
  }
  if (flags.help === true) {
    console.log(text);
    return 0;
  }
  const seams = await readSeams();
  const missing = missingTags(seams.members);
  if (missing.length > 0) {
    // Every method a variant may override says when it is called, what it must do, what the
    // model asserts: a member without them is a hole in docs/kernel_variants.md.
    console.error(`kernel variant seams lack TSDoc tags: ${missing.join(", ")}`);
    return 1;
  }
  const outputs: [string, string][] = [
    [OUTPUT, render(await readSysCalls())],
    [VARIANT_OUTPUT, renderVariants(seams.members, seams.fields)],
  ];
  if (flags.check === true) {
    const stale = outputs.map(([name, md]) => staleness(join(ROOT, name), md, name))
      .filter((s) => s !== null);
    for (const s of stale) console.error(s);
    return stale.length === 0 ? 0 : 1;
  }
  for (const [name, md] of outputs) {
    Deno.writeTextFileSync(join(ROOT, name), md);
    console.log(`wrote ${name}`);
  }
  return 0;
}

if (import.meta.main) Deno.exit(await main(Deno.args));
