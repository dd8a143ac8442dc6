/**
 * Where a JSON text stops being JSON, as `line L column C`: V8's `JSON.parse` names the position
 * for most errors (`... in JSON at position 700 (line 6 column 8)`), but not for an unexpected
 * token (`Unexpected token ']', ..."es": 1 }, ] " is not valid JSON`) nor for a text that ends
 * early (`Unexpected end of JSON input`); trial37 met the first in a truncated scenario file,
 * with no place to look, while a truncated case file had one. This scanner follows the JSON
 * grammar (RFC 8259, as `JSON.parse` reads it) only to find that place.
 *
 * @module
 */

const WHITESPACE = new Set([" ", "\t", "\n", "\r"]);
const ESCAPES = new Set(['"', "\\", "/", "b", "f", "n", "r", "t"]);

/**
 * The offset (UTF-16 units, as `JSON.parse` counts) of the first character that makes `text`
 * not JSON: `text.length` when it ends too early; `null` when it is valid JSON.
 *
 * @example
 * ```ts
 * import { jsonErrorOffset } from "./json_position.ts";
 * console.assert(jsonErrorOffset('{"a": [1, ]}') === 10);
 * console.assert(jsonErrorOffset('{"a": 1') === 7);
 * console.assert(jsonErrorOffset('{"a": 1}') === null);
 * ```
 */
export function jsonErrorOffset(text: string): number | null {
  let i = 0;
  const skip = (): void => {
    while (i < text.length && WHITESPACE.has(text[i])) i++;
  };
  /** Reads one value at `i`; returns false at the first bad character, `i` on it. */
  const value = (): boolean => {
    skip();
    const c = text[i];
    if (c === "{") return object();
    if (c === "[") return array();
    if (c === '"') return string();
    if (c === "-" || (c >= "0" && c <= "9")) return number();
    for (const word of ["true", "false", "null"]) {
      if (c === word[0]) return literal(word);
    }
    return false;
  };
  const literal = (word: string): boolean => {
    for (const ch of word) {
      if (text[i] !== ch) return false;
      i++;
    }
    return true;
  };
  const digits = (): boolean => {
    const start = i;
    while (i < text.length && text[i] >= "0" && text[i] <= "9") i++;
    return i > start;
  };
  const number = (): boolean => {
    if (text[i] === "-") i++;
    if (text[i] === "0") i++;
    else if (!digits()) return false;
    if (text[i] === ".") {
      i++;
      if (!digits()) return false;
    }
    if (text[i] === "e" || text[i] === "E") {
      i++;
      if (text[i] === "+" || text[i] === "-") i++;
      if (!digits()) return false;
    }
    return true;
  };
  const string = (): boolean => {
    i++; // the opening quote
    while (i < text.length) {
      const c = text[i];
      if (c === '"') {
        i++;
        return true;
      }
      if (c < " ") return false;
      if (c === "\\") {
        i++;
        if (text[i] === "u") {
          i++;
          for (let k = 0; k < 4; k++, i++) {
            if (!/[0-9a-fA-F]/.test(text[i] ?? "")) return false;
          }
          continue;
        }
        if (!ESCAPES.has(text[i])) return false;
      }
      i++;
    }
    return false;
  };
  const array = (): boolean => {
    i++;
    skip();
    if (text[i] === "]") {
      i++;
      return true;
    }
    for (;;) {
      if (!value()) return false;
      skip();
      if (text[i] === "]") {
        i++;
        return true;
      }
      if (text[i] !== ",") return false;
      i++;
    }
  };
  const object = (): boolean => {
    i++;
    skip();
    if (text[i] === "}") {
      i++;
      return true;
    }
    for (;;) {
      skip();
      if (text[i] !== '"' || !string()) return false;
      skip();
      if (text[i] !== ":") return false;
      i++;
      if (!value()) return false;
      skip();
      if (text[i] === "}") {
        i++;
        return true;
      }
      if (text[i] !== ",") return false;
      i++;
    }
  };
  if (!value()) return Math.min(i, text.length);
  skip();
  return i < text.length ? i : null;
}

/**
 * `line L column C` (both from 1, as V8 writes them) of an offset into `text`.
 *
 * @example
 * ```ts
 * import { lineColumn } from "./json_position.ts";
 * console.assert(lineColumn("{\n  ]", 4) === "line 2 column 3");
 * ```
 */
export function lineColumn(text: string, offset: number): string {
  const before = text.slice(0, offset);
  const line = before.split("\n").length;
  const column = offset - (before.lastIndexOf("\n") + 1) + 1;
  return `line ${line} column ${column}`;
}
