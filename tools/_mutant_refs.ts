/**
 * Where text names a mutant of `kernel/` or `services/` by its key
 * (`file:line:column:mutator:replacement`, mutate/report.ts `mutantKey`, optionally with its end,
 * ` @end+L:C`, mutate/mutant_mirror.ts `spanKey`), as written in a test, a doc or a JSON file:
 * plain, escaped as in a JSON or TypeScript string (`\"`, `\\`), as in a Markdown table (`\|`), or
 * as in a regular expression literal (`kernel\/a\.ts:…`).
 *
 * A replacement can hold anything, so a key's end is found by the mutants it may name: the
 * longest replacement of a mutant with that file, line, column and mutator written there.
 *
 * @module
 */

import type { Mutant } from "../mutate/instrument.ts";
import { mutantKey } from "../mutate/report.ts";
import { spanKey } from "../mutate/mutant_mirror.ts";

/**
 * How a key is written: as is, in a JSON (or TypeScript) string, in a Markdown table cell, or in
 * a regular expression literal (its metacharacters escaped).
 */
export type KeyEncoding = "plain" | "json" | "markdown" | "regexp";

const ENCODINGS: readonly KeyEncoding[] = ["plain", "json", "markdown"];

/** `text` as written in `encoding`. */
export function encodeKey(text: string, encoding: KeyEncoding): string {
  if (encoding === "json") return JSON.stringify(text).slice(1, -1);
  if (encoding === "markdown") return text.replaceAll("|", "\\|");
  if (encoding === "regexp") return text.replace(/[\\^$.*+?()[\]{}|/]/g, "\\$&");
  return text;
}

/** The mutants of some files, looked up by the start of their key. */
export interface KeyIndex {
  /** Mutants by `file:line:column:mutator:` (their key less the replacement). */
  readonly byPlace: ReadonlyMap<string, readonly Mutant[]>;
  /** How many mutants share each key: a key two share names neither without its end. */
  readonly shared: ReadonlyMap<string, number>;
  /** The mutator names among them: a key with another (`M`, `Nope`) is a made-up example. */
  readonly mutators: ReadonlySet<string>;
}

/** Indexes `mutants`. */
export function keyIndex(mutants: readonly Mutant[]): KeyIndex {
  const byPlace = new Map<string, Mutant[]>(), shared = new Map<string, number>();
  const mutators = new Set<string>();
  for (const m of mutants) {
    const k = mutantKey(m);
    const place = k.slice(0, k.length - m.replacement.length);
    byPlace.set(place, [...byPlace.get(place) ?? [], m]);
    shared.set(k, (shared.get(k) ?? 0) + 1);
    mutators.add(m.mutatorName);
  }
  return { byPlace, shared, mutators };
}

/** A mutant's key as a reference names it: with its end if asked or if its key is shared. */
export function keyFor(m: Mutant, index: KeyIndex, withEnd: boolean): string {
  return withEnd || (index.shared.get(mutantKey(m)) ?? 0) > 1 ? spanKey(m) : mutantKey(m);
}

/** One place a text names a mutant. */
export interface KeyRef {
  /** Offsets of the key in the text (`to` exclusive). */
  readonly from: number;
  readonly to: number;
  /** 1-based line of the text. */
  readonly line: number;
  /** The key as it names the mutant (unescaped); for an unknown key, the text up to a quote. */
  readonly key: string;
  readonly encoding: KeyEncoding;
  /** Whether it is written with its end (` @end+L:C`). */
  readonly withEnd: boolean;
  /** The mutants it names: one, none (a stale key), or several (a key they share). */
  readonly mutants: readonly Mutant[];
}

// A key's start, plain or escaped as in a regular expression literal (`kernel\/a\.ts:`).
const PLACE = /(?:kernel|services)\\?\/[\w/\\]+?\\?\.ts:\d+:\d+:[A-Za-z]+:/g;
const END = /^ @end\\?\+(\d+):(\d+)/;

/**
 * The keys `text` writes that `index` could name: every `file:line:column:mutator:` of a
 * mutated file (one of `files`) with a mutator of the index. Keys of other files, and keys with
 * made-up mutators, are examples, not references.
 */
export function findRefs(text: string, index: KeyIndex, files: ReadonlySet<string>): KeyRef[] {
  const out: KeyRef[] = [];
  let line = 1, counted = 0;
  for (const hit of text.matchAll(PLACE)) {
    const place = hit[0].replaceAll("\\", "");
    const encodings = place === hit[0] ? ENCODINGS : ["regexp" as const];
    const file = place.slice(0, place.indexOf(":"));
    const mutator = place.slice(0, -1).split(":").at(-1) as string;
    if (!files.has(file) || !index.mutators.has(mutator)) continue;
    const from = hit.index, at = from + hit[0].length;
    for (; counted < from; counted++) if (text.charCodeAt(counted) === 10) line++;
    let best: { length: number; encoding: KeyEncoding; mutants: Mutant[] } | undefined;
    for (const m of index.byPlace.get(place) ?? []) {
      for (const encoding of encodings) {
        const r = encodeKey(m.replacement, encoding);
        if (!text.startsWith(r, at) || (best !== undefined && r.length < best.length)) continue;
        if (best !== undefined && r.length === best.length) {
          if (!best.mutants.includes(m)) best.mutants.push(m);
        } else best = { length: r.length, encoding, mutants: [m] };
      }
    }
    if (best === undefined) {
      const rest = /^[^"'`|\n]*/.exec(text.slice(at, at + 80))?.[0] ?? "";
      out.push({
        from,
        to: at + rest.length,
        line,
        key: place + rest.trimEnd(),
        encoding: "plain",
        withEnd: false,
        mutants: [],
      });
      continue;
    }
    const end = END.exec(text.slice(at + best.length, at + best.length + 24));
    const written = place + best.mutants[0].replacement;
    const endText = end === null ? "" : ` @end+${end[1]}:${end[2]}`;
    const mutants = end === null
      ? best.mutants
      : best.mutants.filter((m) => spanKey(m) === `${written}${endText}`);
    out.push({
      from,
      to: at + best.length + (end?.[0].length ?? 0),
      line,
      key: written + endText,
      encoding: best.encoding,
      withEnd: end !== null,
      mutants,
    });
  }
  return out;
}
