/**
 * Whether a service function comes from a module, read from text alone (a property is built and
 * run synchronously, and cannot import the module): `pagerProperty`'s failure report prints a
 * replay line that runs its `serviceModule`'s own service, which is the function the property ran
 * only when the caller named the right module (trial36 passed its buggy copy with the correct
 * module's URL: the property failed, and its replay line, run as printed, passed).
 *
 * A function's text (`Function.prototype.toString`) is what Deno ran: the module's source with
 * its TypeScript removed and reprinted (types, `as` casts, `!`, generic arguments gone; spacing,
 * semicolons, trailing commas and some parentheses changed), so it is looked for token by token,
 * skipping in the source what type-stripping removes.
 *
 * @module
 */

import { pathToFileURL } from "node:url";
import { isPagersimCode } from "../sim/variant_crash.ts";

/** Multi-character punctuators, longest first. */
const PUNCTUATORS = [
  ">>>=",
  "...",
  "===",
  "!==",
  "**=",
  "<<=",
  ">>=",
  ">>>",
  "&&=",
  "||=",
  "??=",
  "=>",
  "==",
  "!=",
  "<=",
  ">=",
  "&&",
  "||",
  "??",
  "?.",
  "++",
  "--",
  "+=",
  "-=",
  "*=",
  "/=",
  "%=",
  "&=",
  "|=",
  "^=",
  "**",
  "<<",
  ">>",
];

/** Tokens type-stripping and reprinting add or drop freely: left out on both sides. */
const LOOSE = new Set([";", ",", "(", ")"]);

/** Words after which a `/` starts a regular expression, not a division. */
const BEFORE_REGEX = new Set([
  "return",
  "typeof",
  "case",
  "do",
  "else",
  "in",
  "of",
  "new",
  "delete",
  "void",
  "throw",
  "yield",
  "await",
]);

/**
 * The tokens of JavaScript or TypeScript text, comments left out, and `;`, `,`, `(` and `)` too
 * (reprinting adds and drops them); a template literal is one token, its spaces left out.
 *
 * @example
 * ```ts
 * import { tokens } from "./service_source.ts";
 * console.assert(
 *   tokens("const a: number = f(1, 'x'); // c\n/* d *\/ yield a!.b as T;").join(" ") ===
 *     "const a : number = f 1 'x' yield a ! . b as T",
 * );
 * ```
 */
export function tokens(text: string): string[] {
  const out: string[] = [];
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === "/" && text[i + 1] === "/") {
      const end = text.indexOf("\n", i);
      i = end < 0 ? n : end;
      continue;
    }
    if (c === "/" && text[i + 1] === "*") {
      const end = text.indexOf("*/", i + 2);
      i = end < 0 ? n : end + 2;
      continue;
    }
    if (c === "'" || c === '"') {
      let j = i + 1;
      while (j < n && text[j] !== c && text[j] !== "\n") j += text[j] === "\\" ? 2 : 1;
      out.push(text.slice(i, j + 1));
      i = j + 1;
      continue;
    }
    if (c === "`") {
      let j = i + 1;
      let depth = 0;
      while (j < n) {
        const d = text[j];
        if (d === "\\") j += 2;
        else if (depth === 0 && d === "`") break;
        else if (d === "$" && text[j + 1] === "{") {
          depth++;
          j += 2;
        } else {
          if (d === "{" && depth > 0) depth++;
          if (d === "}" && depth > 0) depth--;
          j++;
        }
      }
      out.push(text.slice(i, j + 1).replace(/\s+/g, ""));
      i = j + 1;
      continue;
    }
    if (c === "/") {
      const prev = out.at(-1);
      const regex = prev === undefined || BEFORE_REGEX.has(prev) ||
        !/^(?:[\w$#\u0080-\uffff]|[)\]}'"`])/.test(prev.at(-1) ?? "");
      if (regex) {
        let j = i + 1;
        let cls = false;
        while (j < n && text[j] !== "\n" && (cls || text[j] !== "/")) {
          if (text[j] === "\\") j++;
          else if (text[j] === "[") cls = true;
          else if (text[j] === "]") cls = false;
          j++;
        }
        j++;
        while (j < n && /[a-z]/i.test(text[j])) j++;
        out.push(text.slice(i, j));
        i = j;
        continue;
      }
    }
    const word = /^#?[A-Za-z_$\u0080-\uffff][\w$\u0080-\uffff]*/.exec(text.slice(i, i + 200));
    if (word !== null) {
      out.push(word[0]);
      i += word[0].length;
      continue;
    }
    const num = /^(?:0[xXbBoO][\da-fA-F_]+n?|(?:\d[\d_]*\.?[\d_]*|\.\d[\d_]*)(?:[eE][+-]?\d+)?n?)/
      .exec(text.slice(i, i + 100));
    if (num !== null) {
      out.push(num[0]);
      i += num[0].length;
      continue;
    }
    const p = PUNCTUATORS.find((q) => text.startsWith(q, i)) ?? c;
    if (!LOOSE.has(p)) out.push(p);
    i += p.length;
  }
  return out;
}

/** TypeScript modifiers type-stripping removes from a class member or parameter. */
const MODIFIERS = new Set([
  "private",
  "public",
  "protected",
  "readonly",
  "override",
  "declare",
  "abstract",
]);

/** How far `<`, `{`, `[` (+) and `>`, `}`, `]` (-) nest: `>>` closes two. */
function nesting(t: string): number {
  if (t === "<" || t === "{" || t === "[") return 1;
  if (t === "}" || t === "]") return -1;
  if (/^>+$/.test(t)) return -t.length;
  return 0;
}

/**
 * The index in `s` after a type that starts at `i` (a `: T`'s or `as T`'s T), given `next`, the
 * token the stripped text goes on with: a whole bracketed group or one token, then on to the first
 * `next` outside brackets. -1 when there is none.
 */
function skipType(s: readonly string[], i: number, next: string | undefined): number {
  let depth = 0;
  let first = true;
  for (; i < s.length; i++) {
    if (!first && depth === 0 && s[i] === next) return i;
    depth += nesting(s[i]);
    if (depth < 0) return -1;
    if (depth === 0) first = false;
  }
  return next === undefined && depth === 0 ? i : -1;
}

/** The index in `s` after a generic list `<...>` at `i`, or -1. */
function skipAngles(s: readonly string[], i: number): number {
  let depth = 0;
  for (; i < s.length; i++) {
    depth += nesting(s[i]);
    if (depth <= 0) return depth === 0 ? i + 1 : -1;
  }
  return -1;
}

/** Whether `t` (stripped tokens) is `s` from `at` on, but for what type-stripping removes. */
function matchesAt(s: readonly string[], at: number, t: readonly string[]): boolean {
  let i = at;
  let j = 0;
  while (j < t.length) {
    if (i >= s.length) return false;
    if (s[i] === t[j]) {
      i++;
      j++;
      continue;
    }
    const tok = s[i];
    if (tok === ":" || tok === "as" || tok === "satisfies") i = skipType(s, i + 1, t[j]);
    else if (tok === "?" && s[i + 1] === ":") i = skipType(s, i + 2, t[j]);
    else if (tok === "!" || MODIFIERS.has(tok)) i++;
    else if (tok === "<") i = skipAngles(s, i);
    else return false;
    if (i < 0) return false;
  }
  return true;
}

/**
 * Whether the function whose text Deno gives (`fn.toString()`, what it ran) is written in
 * `source` (a module's TypeScript or JavaScript text).
 *
 * @example
 * ```ts
 * import { definedIn } from "./service_source.ts";
 * const source = "export default function* pager(sys: Sys): Body {\n" +
 *   "  const q = (sys as Q).queue!;\n  if (q.length === 0) yield* wait<number>(sys, q);\n}\n";
 * // What Deno runs of it:
 * const ran = "function* pager(sys) {\n  const q = sys.queue;\n" +
 *   "  if (q.length === 0) yield* wait(sys, q);\n}";
 * console.assert(definedIn(ran, source));
 * // The same function without the re-check is another function.
 * console.assert(!definedIn(ran.replace("if (q.length === 0) ", ""), source));
 * ```
 */
export function definedIn(fnText: string, source: string): boolean {
  const t = tokens(fnText);
  if (t.length === 0) return false;
  const s = tokens(source);
  for (let at = 0; at < s.length; at++) {
    if (s[at] === t[0] && matchesAt(s, at, t)) return true;
  }
  return false;
}

/**
 * Relative and `file:` specifiers of a module's static and dynamic imports and re-exports, read
 * from its text (case/store.ts walks a service's own modules with it too).
 *
 * @example
 * ```ts
 * import { localSpecifiers } from "./service_source.ts";
 * const text = 'import { a } from "./a.ts";\nexport * from "../b.ts";\nimport fc from "npm:fast-check";';
 * console.assert(localSpecifiers(text).join() === "./a.ts,../b.ts");
 * ```
 */
export function localSpecifiers(text: string): string[] {
  const out: string[] = [];
  const re =
    /\b(?:import|export)\s[^;'"]*?\bfrom\s*["']([^"']+)["']|\bimport\s*["']([^"']+)["']|\bimport\s*\(\s*["']([^"']+)["']\s*\)/g;
  for (const m of text.matchAll(re)) {
    const spec = m[1] ?? m[2] ?? m[3];
    if (spec.startsWith("./") || spec.startsWith("../") || spec.startsWith("file:")) out.push(spec);
  }
  return out;
}

/**
 * Whether `fn` (the function a property ran) is written in the module `module` or in a module
 * of the user's it imports (by a relative or `file:` specifier, followed on; pagersim's own
 * modules are not the user's service): false when it is in none, null when the module cannot be
 * read.
 *
 * @hostSide reads the caller's module texts, after a run has failed, for the report's words
 */
export function moduleDefines(module: string | URL, fn: { toString(): string }): boolean | null {
  const start = module instanceof URL
    ? module
    : /^[a-z][a-z0-9+.-]*:/i.test(module)
    ? new URL(module)
    : new URL(module, pathToFileURL(`${Deno.cwd()}/`));
  const text = fn.toString();
  const seen = new Set<string>();
  const queue = [start.href];
  let first = true;
  while (queue.length > 0) {
    const url = queue.pop() as string;
    if (seen.has(url)) continue;
    seen.add(url);
    let source: string;
    try {
      source = Deno.readTextFileSync(new URL(url));
    } catch {
      if (first) return null;
      continue;
    }
    first = false;
    if (definedIn(text, source)) return true;
    for (const spec of localSpecifiers(source)) {
      const next = new URL(spec, url).href;
      if (!isPagersimCode(next)) queue.push(next);
    }
  }
  return false;
}
