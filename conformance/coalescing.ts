/**
 * Conformance cases tagged `coalescing`: request sizing, splitting around
 * present pages, and overlapping accesses sharing one request (spec 3.4, 3.5).
 *
 * @module
 */

import { present } from "../kernel/assert.ts";
import { child } from "./_level2.ts";
import { check, type ConformanceCase, pagerCase, vmoVmarCases, type Worker } from "./harness.ts";

const AREA = "coalescing";

/** The `coalescing` cases. */
export const COALESCING_CASES: readonly ConformanceCase[] = [
  // A parent reader and a clone reader of page 0 share one READ on the parent; one supply wakes both.
  ...vmoVmarCases("P35", "CloneSimultaneousReadTest", AREA, function* (t, access) {
    const vmo = yield* t.vmo(1);
    const clone = yield* child(t, vmo, 1);
    const parentReader = t.reader(vmo, 0, 1, access);
    const cloneReader = t.reader(clone, 0, 1, access);
    yield* t.waitUntilBlocked(parentReader);
    yield* t.waitUntilBlocked(cloneReader);
    yield* t.waitForPageRead(vmo, 0, 1);
    yield* t.expectNoPacket();
    yield* t.supplyOk(vmo, 0, 1);
    yield* t.expectRead(parentReader, vmo, 0, 1);
    yield* t.expectRead(cloneReader, clone, 0, 1);
    yield* t.expectNoPacket();
  }),

  // A 555-page commit is one READ [0,555), completed by one supply.
  pagerCase("P45", "SimpleCommitTest", AREA, function* (t) {
    const vmo = yield* t.vmo(555);
    const c = t.committer(vmo, 0, 555);
    yield* t.waitForPageRead(vmo, 0, 555);
    yield* t.supplyOk(vmo, 0, 555);
    yield* t.expectOk(c);
    yield* t.expectNoPacket();
  }),

  // A present page splits a commit into READ [0,2) then READ [3,5).
  pagerCase("P91", "PresentPageSplitsRange", AREA, function* (t) {
    const vmo = yield* t.vmo(5);
    yield* t.supplyOk(vmo, 2, 1);
    const c = t.committer(vmo, 0, 5);
    yield* t.waitUntilBlocked(c);
    yield* t.waitForPageRead(vmo, 0, 2);
    yield* t.supplyOk(vmo, 0, 2);
    yield* t.waitUntilBlocked(c);
    yield* t.waitForPageRead(vmo, 3, 2);
    yield* t.supplyOk(vmo, 3, 2);
    yield* t.expectOk(c);
    yield* t.expectNoPacket();
  }),

  // Five overlapping early-wake readers: one packet; data appears as supplies land.
  pagerCase("P95", "EarlyWakeOverlappingRequests", AREA, function* (t) {
    const vmo = yield* t.vmo(128);
    const ranges = [[0, 92], [16, 42], [0, 32], [48, 64], [82, 128]];
    const readers: (Worker | null)[] = [];
    readers.push(t.reader(vmo, 0, 92, "vmo"));
    yield* t.waitForPageRead(vmo, 0, 92);
    for (const [s, e] of ranges.slice(1)) readers.push(t.reader(vmo, s, e - s, "vmo"));
    for (const r of readers) yield* t.waitUntilBlocked(present(r, "P95: a reader just spawned"));
    yield* t.expectNoRead(vmo);

    // Upstream `validate_requests`: data up to maxPage is visible; finished readers ended.
    const validate = function* (maxPage: number, cutoff = Number.POSITIVE_INFINITY) {
      for (let i = 0; i < ranges.length; i++) {
        const [s, e] = ranges[i];
        if (maxPage < s || s >= cutoff) continue;
        const r = readers[i];
        if (r === null) continue;
        yield* t.waitForData(r, vmo, s, Math.min(maxPage, e) - s);
        if (maxPage >= e) {
          yield* t.expectRead(r, vmo, s, e - s);
          readers[i] = null;
        }
      }
    };
    yield* t.supplyOk(vmo, 0, 8);
    yield* validate(8);
    yield* t.supplyOk(vmo, 16, 1); // a later page, at the start of an overlap
    yield* t.supplyOk(vmo, 8, 8);
    yield* validate(17, 16);
    yield* t.supplyOk(vmo, 17, 1);
    yield* validate(18);
    yield* t.supplyOk(vmo, 30, 2); // ahead of a gap, before an overlap's end
    yield* t.supplyOk(vmo, 18, 12);
    yield* validate(32);
    yield* t.supplyOk(vmo, 32, 18);
    yield* validate(50);
    yield* t.supplyOk(vmo, 50, 50); // completes the one request sent
    yield* validate(100);
    for (const r of readers) if (r !== null) yield* t.waitUntilBlocked(r);
    // The unfinished reader re-requests what is still absent: pages from 100 on only (K2).
    const rest = yield* t.getPageReadRequest(vmo);
    check(
      rest !== null && rest[0] >= 100 && rest[0] + rest[1] <= 128,
      () => `re-request ${rest} is not inside the absent tail [100,128)`,
    );
    yield* t.supplyOk(vmo, 100, 28);
    yield* validate(128);
    yield* t.expectNoPacket();
  }),
];
