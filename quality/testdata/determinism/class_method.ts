import { Stopwatch } from "./_lib/wrappers.ts";

export function timed(): number {
  const sw = new Stopwatch(); // ✗
  return sw.elapsed(); // ✗
}
