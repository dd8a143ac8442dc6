/**
 * The one way a command redraws its progress line on a terminal (`\r`, erase the line, the new
 * line, no newline): clamped to the terminal's width. A line wider than the terminal wraps, and
 * `\r\x1b[2K` then erases only its last row: userS29a's 80-column terminal kept 78 rows of stale
 * fragments of fuzz's 86- to 167-character line (explore's, ~200). Only the redrawn line is
 * clamped: lines that stay (a bound's end, a finding, the summary) and all that goes to a file or
 * a pipe are printed whole.
 *
 * @module
 */

/** The width assumed when the terminal cannot be asked. */
export const DEFAULT_COLUMNS = 80;

/**
 * The terminal's columns (`Deno.consoleSize()`, which asks stdout, stderr or stdin), through
 * {@linkcode columnsFrom}.
 *
 * @example
 * ```ts
 * import { terminalColumns } from "./_redraw.ts";
 * console.assert(terminalColumns() > 0);
 * ```
 */
export function terminalColumns(): number {
  let columns: number | null;
  try {
    columns = Deno.consoleSize().columns;
  } catch {
    columns = null;
  }
  return columnsFrom(columns);
}

/**
 * The width a redrawn line is cut to, from what the terminal answered: its columns;
 * {@linkcode DEFAULT_COLUMNS} when none could be asked; and no cut at all (`Infinity`) when it
 * answers 0 columns, a width it does not know: a pseudo-terminal with no size, as `script -qec`
 * makes, whose output usually goes to a log (trial32: fuzz's line cut at 80 columns there hid
 * `shrinking run 41: N of at most 2000 replays` after `elapsed …`).
 *
 * @example
 * ```ts
 * import { columnsFrom, DEFAULT_COLUMNS } from "./_redraw.ts";
 * console.assert(columnsFrom(120) === 120 && columnsFrom(null) === DEFAULT_COLUMNS);
 * console.assert(columnsFrom(0) === Infinity);
 * ```
 */
export function columnsFrom(columns: number | null): number {
  if (columns === null) return DEFAULT_COLUMNS;
  return columns > 0 ? columns : Infinity;
}

/**
 * `line` cut to fit `columns - 1` characters, its last one `…` when cut (the last column is left
 * free: a terminal that wraps on the character written there would still scroll), after a whole
 * word when one ends in the line's second half.
 *
 * @example
 * ```ts
 * import { clampLine } from "./_redraw.ts";
 * console.assert(clampLine("runs 12 of 100", 80) === "runs 12 of 100");
 * console.assert(clampLine("abcdefghij", 6) === "abcd…");
 * console.assert(clampLine("runs 5, rss 349 MiB", 18) === "runs 5, rss 349 …");
 * ```
 */
export function clampLine(line: string, columns: number): string {
  const room = Math.max(1, columns - 1);
  const chars = Array.from(line);
  if (chars.length <= room) return line;
  const cut = chars.slice(0, room - 1);
  // After a whole word where one ends in the second half: `rss 349 …`, not `rss 349 M…` (a
  // figure's unit cut off reads as another unit: userS29c).
  const space = cut.lastIndexOf(" ");
  return (space >= room / 2 ? cut.slice(0, space + 1) : cut).join("") + "…";
}

/**
 * The text that redraws `line` in place on a terminal `columns` wide (default: this terminal's):
 * `\r\x1b[2K` and the line clamped by {@linkcode clampLine}.
 *
 * @example
 * ```ts
 * import { redrawText } from "./_redraw.ts";
 * console.assert(redrawText("x".repeat(200), 80) === `\r\x1b[2K${"x".repeat(78)}…`);
 * ```
 */
export function redrawText(line: string, columns: number = terminalColumns()): string {
  return `\r\x1b[2K${clampLine(line, columns)}`;
}
