/**
 * Writes `docs/kernel_variants.md`, the reference of every method a kernel variant may override
 * (README, "Writing a kernel variant"): the seams of `Kernel` (`createPageSource`,
 * `createPagerProxy`, `createPages`, `detachVmo`), every public member of `PageSource`,
 * `RequestProvider` and `PagerProxy`, and the steps of `VmoPages`, each with its signature read
 * from the types and its TSDoc: what it does, `@calledWhen` (when the kernel calls it), `@must`
 * (what an override must do) and `@asserts` (what the model asserts there). A userS27k kernel
 * engineer listed the methods at run time and learned from `deno check` that `PageSource`'s 4th
 * constructor argument is a function: the README named the seams without signatures.
 *
 * `deno task sys-reference` writes it with docs/sys.md, and `--check` checks both
 * (tools/sys_reference.ts); tools/variant_reference_test.ts fails when it is stale or when a
 * member lacks one of the three tags.
 *
 * @module
 */

import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type TS from "npm:typescript@6.0.3";
import { createProgram, loadTypeScript } from "../quality/determinism_lint.ts";

type Ts = typeof TS;

const ROOT = dirname(dirname(fileURLToPath(import.meta.url)));

/** Where the reference goes, relative to the root. */
export const VARIANT_OUTPUT = "docs/kernel_variants.md";

/** The tags every member of the reference carries, in the order it shows them. */
export const TAGS = ["calledWhen", "must", "asserts"] as const;

/** One seam class: which file declares it, and which members a variant overrides ("all"). */
export interface Seam {
  /** The section title (the class a variant subclasses). */
  readonly title: string;
  /** The declaring file, relative to the root. */
  readonly file: string;
  /** The declared class or interface. */
  readonly name: string;
  /**
   * Its members in the reference: every public one, or these (protected steps included), or
   * `"fields"`: a record a variant reads and sets (`Waiter`, `PageRequest`), shown by its
   * constructor, public fields (constructor parameter properties too) and public methods, each
   * with its TSDoc, and no tags (a variant calls them; it does not override them).
   */
  readonly members: "all" | "fields" | readonly string[];
  /** What the section says before its members. */
  readonly intro: string;
}

/** The seams, in the reference's order. */
export const SEAMS: readonly Seam[] = [
  {
    title: "Kernel",
    file: "kernel/kernel_objects.ts",
    name: "KernelObjects",
    members: ["createPageSource", "createPagerProxy", "createPages"],
    intro: "The factories a `Kernel` subclass overrides to build a pager VMO's parts " +
      "(declared on `KernelObjects`, which `Kernel` extends; protected).",
  },
  {
    title: "Kernel",
    file: "kernel/kernel.ts",
    name: "Kernel",
    members: ["detachVmo"],
    intro: "",
  },
  {
    title: "PageSource",
    file: "kernel/page_source.ts",
    name: "PageSource",
    members: "all",
    intro: "A pager VMO's request tracking (`mod.ts` exports it). Its methods are plain calls: " +
      "they cannot yield. `Waiter` and `PageRequest` are the records it keeps (exported too).",
  },
  {
    title: "Waiter",
    file: "kernel/page_source.ts",
    name: "Waiter",
    members: "fields",
    intro: "One thread's wait on a page request (`mod.ts` exports the class: a variant may " +
      "`new Waiter(tid)`). `PageSource.populate` attaches it to a request; the fields below are " +
      "what the model's steps read and set on it (`waiting`, `status` and `pendingSignal` decide " +
      "when the thread runs again).",
  },
  {
    title: "PageRequest",
    file: "kernel/page_source.ts",
    name: "PageRequest",
    members: "fields",
    intro: "An outstanding request: a page range and the threads waiting on it. `mod.ts` exports " +
      'it as a type only (`import { type PageRequest } from "pagersim"`; `new PageRequest` is ' +
      "TS1362): a variant reads and changes the requests the model makes " +
      "(`PageSource.outstanding`, `RequestProvider.send`), or imports the class from " +
      "kernel/page_source.ts by path to make its own.",
  },
  {
    title: "RequestProvider",
    file: "kernel/page_source.ts",
    name: "RequestProvider",
    members: "all",
    intro: "What a `PageSource` sends requests to: `PagerProxy` is the model's.",
  },
  {
    title: "PagerProxy",
    file: "kernel/pager_proxy.ts",
    name: "PagerProxy",
    members: "all",
    intro: "A pager VMO's packet delivery to its port (`mod.ts` exports it): one packet slot, " +
      "a FIFO behind it in creation order, COMPLETE last.",
  },
  {
    title: "VmoPages",
    file: "kernel/vmo_pages.ts",
    name: "VmoPages",
    members: ["touch", "requestPages", "park", "fault", "insertSupplied", "detach"],
    intro: "The page machinery's steps a variant overrides (import `VmoPages`, `sourceOf` and " +
      "`proxyOf` from kernel/vmo_pages.ts by path; `createPages` returns the subclass). A " +
      "generator step (`*requestPages`, `*park`, `*fault`, `*insertSupplied`) may `yield` a " +
      'scheduling point (`{ kind: "syscall", name: "zx_..." }`) before `return yield* ' +
      "super.step(...)`. Its other methods are the model's internals.",
  },
];

/** One member of the reference. */
export interface SeamMember {
  readonly seam: string;
  readonly name: string;
  /** `name(param: type, ...): type`, `get name(): type`, or `new Class(...)`. */
  readonly signature: string;
  /** "protected " or "". */
  readonly access: string;
  /** The TSDoc text (without the tags). */
  readonly doc: string;
  /** The three tags' text ("" where missing). */
  readonly tags: Readonly<Record<typeof TAGS[number], string>>;
}

/** One line of text, `{@linkcode X}` shown as `X`. */
function flat(s: string): string {
  return s.replace(/\{@link(?:code|plain)?\s+([^}\s|]+)[^}]*\}/g, "`$1`").replace(/\s+/g, " ")
    .trim();
}

function typeText(checker: TS.TypeChecker, t: TS.Type): string {
  return checker.typeToString(t, undefined, 1 /* NoTruncation */)
    .replace(/Uint8Array<ArrayBufferLike>/g, "Uint8Array");
}

/** A parameter list, each type as the source writes it (`Status`, not `number`). */
function params(checker: TS.TypeChecker, sig: TS.Signature): string {
  return sig.getParameters().map((p) => {
    const decl = p.valueDeclaration as TS.ParameterDeclaration | undefined;
    const optional = decl?.questionToken !== undefined || decl?.initializer !== undefined;
    const t = checker.getTypeOfSymbol(p);
    const written = decl?.type?.getText();
    return `${p.name}${optional ? "?" : ""}: ${
      written ?? typeText(checker, optional ? checker.getNonNullableType(t) : t)
    }`;
  }).join(", ");
}

/** A declaration's return type as the source writes it, else as the checker prints it. */
function returns(checker: TS.TypeChecker, m: TS.SignatureDeclaration, t: TS.Type): string {
  return flat(m.type?.getText() ?? typeText(checker, t));
}

function tagsOf(ts: Ts, tags: readonly TS.JSDocTagInfo[]): SeamMember["tags"] {
  const out = { calledWhen: "", must: "", asserts: "" };
  for (const t of tags) {
    if ((TAGS as readonly string[]).includes(t.name)) {
      out[t.name as typeof TAGS[number]] = flat(ts.displayPartsToString(t.text));
    }
  }
  return out;
}

/** Reads the seams' members from the types, in declaration order within each seam. */
export async function readVariantSeams(): Promise<SeamMember[]> {
  return (await readSeams()).members;
}

/** A public field of a seam class, as the source declares it. */
export interface SeamField {
  readonly seam: string;
  readonly text: string;
  readonly doc: string;
}

/** Reads the seams' members and public fields from the types. */
export async function readSeams(): Promise<{ members: SeamMember[]; fields: SeamField[] }> {
  const ts = await loadTypeScript();
  const files = [...new Set(SEAMS.map((s) => join(ROOT, s.file)))];
  const { program } = createProgram(ts, files, ["lib.es2022.d.ts"]);
  const checker = program.getTypeChecker();
  const out: SeamMember[] = [];
  const fields: SeamField[] = [];
  for (const seam of SEAMS) {
    const sf = program.getSourceFile(join(ROOT, seam.file));
    const mod = sf === undefined ? undefined : checker.getSymbolAtLocation(sf);
    const sym = mod === undefined
      ? undefined
      : checker.getExportsOfModule(mod).find((s) => s.name === seam.name);
    if (sym === undefined) throw new Error(`${seam.file}: no exported ${seam.name}`);
    // `Kernel` is an interface (its table calls) merged with the class: the class is the seam.
    const decls = sym.declarations ?? [];
    const decl = decls.find((d) => ts.isClassDeclaration(d)) ?? decls[0];
    if (decl === undefined) throw new Error(`${seam.name}: no declaration`);
    if (seam.members === "fields" && ts.isClassDeclaration(decl)) {
      recordFields(ts, checker, sf, seam.title, decl, fields);
      continue;
    }
    if (seam.members === "all" && ts.isClassDeclaration(decl)) {
      const ctor = checker.getTypeOfSymbol(sym).getConstructSignatures()[0];
      out.push({
        seam: seam.title,
        name: "constructor",
        signature: `new ${seam.name}(${params(checker, ctor)})`,
        access: "",
        doc: flat(ts.displayPartsToString(ctor.getDocumentationComment(checker))),
        tags: tagsOf(ts, ctor.getJsDocTags()),
      });
    }
    const members = (decl as TS.ClassDeclaration | TS.InterfaceDeclaration).members;
    for (const m of members) {
      if (m.name === undefined || ts.isPrivateIdentifier(m.name)) continue;
      if (ts.isConstructorDeclaration(m)) continue;
      const name = m.name.getText(sf);
      if (ts.isPropertyDeclaration(m)) {
        const f = ts.getCombinedModifierFlags(m);
        if ((f & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected)) !== 0) continue;
        const fsym = checker.getSymbolAtLocation(m.name);
        const shown = m.type?.getText(sf) ?? m.initializer?.getText(sf) ?? "";
        fields.push({
          seam: seam.title,
          text: `\`${(f & ts.ModifierFlags.Readonly) !== 0 ? "readonly " : ""}${name}${
            m.type !== undefined ? ": " : " = "
          }${flat(shown)}\``,
          doc: fsym === undefined
            ? ""
            : flat(ts.displayPartsToString(fsym.getDocumentationComment(checker))),
        });
        continue;
      }
      const flags = ts.getCombinedModifierFlags(m as TS.Declaration);
      if ((flags & ts.ModifierFlags.Private) !== 0 || (flags & ts.ModifierFlags.Static) !== 0) {
        continue;
      }
      if (
        seam.members === "all" ? false : seam.members === "fields" || !seam.members.includes(name)
      ) continue;
      if (seam.members === "all" && (flags & ts.ModifierFlags.Protected) !== 0) continue;
      const msym = checker.getSymbolAtLocation(m.name);
      if (msym === undefined) continue;
      let signature: string;
      let doc: string;
      let tags: readonly TS.JSDocTagInfo[];
      if (ts.isGetAccessorDeclaration(m)) {
        signature = `get ${name}(): ${returns(checker, m, checker.getTypeOfSymbol(msym))}`;
        doc = ts.displayPartsToString(msym.getDocumentationComment(checker));
        tags = msym.getJsDocTags(checker);
      } else {
        const sig = checker.getSignatureFromDeclaration(m as TS.SignatureDeclaration);
        if (sig === undefined) continue;
        const star = (m as TS.MethodDeclaration).asteriskToken !== undefined ? "*" : "";
        signature = `${star}${name}(${params(checker, sig)}): ${
          returns(checker, m as TS.SignatureDeclaration, sig.getReturnType())
        }`;
        doc = ts.displayPartsToString(sig.getDocumentationComment(checker));
        tags = sig.getJsDocTags();
      }
      out.push({
        seam: seam.title,
        name,
        signature,
        access: (flags & ts.ModifierFlags.Protected) !== 0 ? "protected " : "",
        doc: flat(doc),
        tags: tagsOf(ts, tags),
      });
    }
    if (seam.members !== "all" && seam.members !== "fields") {
      for (const want of seam.members) {
        if (!out.some((r) => r.seam === seam.title && r.name === want)) {
          throw new Error(`${seam.file}: ${seam.name} has no member ${want}`);
        }
      }
    }
  }
  return { members: out, fields };
}

/**
 * A record's constructor, public fields (its constructor's parameter properties first) and public
 * methods, as `SeamField`s of `title`, each with its TSDoc.
 */
function recordFields(
  ts: Ts,
  checker: TS.TypeChecker,
  sf: TS.SourceFile | undefined,
  title: string,
  decl: TS.ClassDeclaration,
  fields: SeamField[],
): void {
  const docOf = (n: TS.Node): string => {
    const sym = checker.getSymbolAtLocation(n);
    return sym === undefined
      ? ""
      : flat(ts.displayPartsToString(sym.getDocumentationComment(checker)));
  };
  const name = decl.name?.getText(sf) ?? title;
  for (const m of decl.members) {
    if (!ts.isConstructorDeclaration(m)) continue;
    const sig = checker.getSignatureFromDeclaration(m);
    if (sig === undefined) continue;
    fields.push({
      seam: title,
      text: `\`new ${name}(${params(checker, sig)})\``,
      doc: flat(ts.displayPartsToString(sig.getDocumentationComment(checker))),
    });
    for (const p of m.parameters) {
      const f = ts.getCombinedModifierFlags(p);
      const property = ts.ModifierFlags.Readonly | ts.ModifierFlags.Public;
      if ((f & property) === 0 || (f & ts.ModifierFlags.Private) !== 0) continue;
      fields.push({
        seam: title,
        text: `\`${(f & ts.ModifierFlags.Readonly) !== 0 ? "readonly " : ""}${
          p.name.getText(sf)
        }: ${flat(p.type?.getText(sf) ?? "")}\``,
        doc: "set by the constructor.",
      });
    }
  }
  for (const m of decl.members) {
    if (m.name === undefined || ts.isPrivateIdentifier(m.name)) continue;
    const f = ts.getCombinedModifierFlags(m as TS.Declaration);
    if ((f & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected)) !== 0) continue;
    const n = m.name.getText(sf);
    if (ts.isPropertyDeclaration(m)) {
      const shown = m.type?.getText(sf) ?? m.initializer?.getText(sf) ?? "";
      fields.push({
        seam: title,
        text: `\`${(f & ts.ModifierFlags.Readonly) !== 0 ? "readonly " : ""}${n}${
          m.type !== undefined ? ": " : " = "
        }${flat(shown)}\``,
        doc: docOf(m.name),
      });
    } else if (ts.isMethodDeclaration(m)) {
      const sig = checker.getSignatureFromDeclaration(m);
      if (sig === undefined) continue;
      fields.push({
        seam: title,
        text: `\`${n}(${params(checker, sig)}): ${returns(checker, m, sig.getReturnType())}\``,
        doc: flat(ts.displayPartsToString(sig.getDocumentationComment(checker))),
      });
    }
  }
}

/** The members that lack a tag, as `Seam.member: @tag` lines (empty: every member documented). */
export function missingTags(members: readonly SeamMember[]): string[] {
  const out: string[] = [];
  for (const m of members) {
    for (const t of TAGS) if (m.tags[t] === "") out.push(`${m.seam}.${m.name}: @${t}`);
  }
  return out;
}

/** The Markdown of the reference (deterministic: the types' declaration order). */
export function renderVariants(
  members: readonly SeamMember[],
  fields: readonly SeamField[] = [],
): string {
  const out = [
    "# Kernel variant reference",
    "",
    "<!-- Generated by tools/variant_reference.ts from the types and TSDoc of kernel/: do not",
    "     edit; run `deno task sys-reference`. -->",
    "",
    'Every method a kernel variant (README, "Writing a kernel variant") may override, with its',
    "signature as the types have it. For each: what it does; **called** — when the kernel calls it;",
    "**must** — what an override must do (call `super`'s, or do what it does and emit its trace",
    "events: the checkers judge a run from the trace, not from the kernel's state); **asserts** —",
    "what the model itself asserts there. A failed assertion is a `KernelAssertionError`, a run",
    "signed `kernel-assertion:...`; everything else a variant changes is the checkers' to judge",
    "([rules.md](rules.md) says what each rule requires).",
    "",
  ];
  let title = "";
  for (const seam of SEAMS) {
    if (seam.title !== title) {
      title = seam.title;
      out.push(`## \`${title}\``, "");
    }
    if (seam.intro !== "") out.push(seam.intro, "");
    const own = fields.filter((f) =>
      f.seam === seam.title && (seam.members === "all" || seam.members === "fields")
    );
    if (own.length > 0) {
      out.push(
        seam.members === "fields" ? "Constructor, fields and methods:" : "Public fields:",
        "",
      );
      for (const f of own) out.push(`- ${f.text}${f.doc === "" ? "" : ` — ${f.doc}`}`);
      out.push("");
    }
    for (
      const m of members.filter((x) =>
        x.seam === seam.title &&
        (seam.members === "all" || (seam.members !== "fields" && seam.members.includes(x.name)))
      )
    ) {
      out.push(`### \`${m.access}${m.signature}\``, "");
      if (m.doc !== "") out.push(m.doc, "");
      out.push(
        `- **called:** ${m.tags.calledWhen}`,
        `- **must:** ${m.tags.must}`,
        `- **asserts:** ${m.tags.asserts}`,
        "",
      );
    }
  }
  return out.join("\n");
}
