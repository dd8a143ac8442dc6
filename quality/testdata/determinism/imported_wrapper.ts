import { double, jitter } from "./_lib/wrappers.ts";

export function backoff(attempt: number): number {
  return double(attempt) + jitter(10); // ✗
}
