// The journal's slot logs: every page whose slot object or kind differs from what a subscriber saw
// at its last look is among the pages it is given, in page order without repeats, whatever the
// other subscribers' looks, resizes and the bound on a lagging subscriber's backlog.
import { strict as assert } from "node:assert";
import fc from "npm:fast-check@4.11.0";
import { MARKER, Page, type Slot, slotKind, ZeroSlot } from "../kernel/objects.ts";
import { SlotLogs, sortPages } from "./_slot_log.ts";

/** One change to a VMO's slots, or a look by a subscriber. */
type Move =
  | { readonly k: "set"; readonly p: number; readonly what: number }
  | { readonly k: "state"; readonly p: number; readonly state: number }
  | { readonly k: "resize"; readonly size: number }
  | { readonly k: "look"; readonly sub: number; readonly again: boolean };

const STATES = ["clean", "dirty", "awaiting-clean"] as const;

const move: fc.Arbitrary<Move> = fc.oneof(
  fc.record({ k: fc.constant("set" as const), p: fc.nat(40), what: fc.nat(4) }),
  fc.record({ k: fc.constant("state" as const), p: fc.nat(40), state: fc.nat(2) }),
  { arbitrary: fc.record({ k: fc.constant("resize" as const), size: fc.nat(40) }), weight: 1 },
  fc.record({ k: fc.constant("look" as const), sub: fc.nat(2), again: fc.boolean() }),
);

Deno.test("slot logs list every page changed since a subscriber's last look, sorted, no repeats", () => {
  fc.assert(
    fc.property(fc.nat(40), fc.array(move, { maxLength: 300 }), (size, moves) => {
      const logs = new SlotLogs();
      const vmo = { slots: new Array<Slot>(size) };
      const pages = [new Page(new Uint8Array(4), "clean"), new Page(new Uint8Array(4), "dirty")];
      // What each subscriber saw at its last look (objects and kinds); null: never looked.
      const seen: ({ slots: Slot[]; kinds: string[] } | null)[] = [null, null, null];
      const out: number[] = [];
      // The slots changed since the last look was begun (a look that follows must be a new one).
      let moved = false;
      for (const m of moves) {
        if (m.k !== "look") moved = true;
        if (m.k === "set") {
          if (m.p >= vmo.slots.length) continue;
          vmo.slots[m.p] = [undefined, MARKER, new ZeroSlot(), pages[0], pages[1]][m.what];
        } else if (m.k === "state") {
          const s = vmo.slots[m.p];
          if (s instanceof Page) s.state = STATES[m.state];
        } else if (m.k === "resize") vmo.slots.length = m.size;
        else {
          // A look: the world changed since the last one unless `again` (one look, two asks).
          if (!m.again || moved) logs.look++;
          moved = false;
          const n = logs.changes(vmo, m.sub, out);
          const was = seen[m.sub];
          // (-1: a first look, or one past the bound on a backlog: the subscriber walks whole.)
          if (n >= 0) {
            assert.ok(was !== null, "a count only after a first look");
            const listed = out.slice(0, n);
            assert.deepEqual(listed, [...new Set(listed)].sort((a, b) => a - b));
            const len = Math.max(was.slots.length, vmo.slots.length);
            for (let p = 0; p < len; p++) {
              const differs = was.slots[p] !== vmo.slots[p] ||
                was.kinds[p] !== slotKind(vmo.slots[p]);
              if (differs) assert.ok(listed.includes(p), `page ${p} changed and is not listed`);
            }
          }
          seen[m.sub] = {
            slots: Array.from(vmo.slots),
            kinds: Array.from(vmo.slots, (s) => slotKind(s)),
          };
        }
      }
    }),
    { numRuns: 300, seed: 27 },
  );
});

Deno.test("a subscriber that lags past the bound is told to walk whole", () => {
  const logs = new SlotLogs();
  const vmo = { slots: new Array<Slot>(4) };
  const out: number[] = [];
  assert.equal(logs.changes(vmo, 0, out), -1);
  assert.equal(logs.changes(vmo, 1, out), -1);
  for (let i = 0; i < 200; i++) {
    vmo.slots[i % 4] = vmo.slots[i % 4] === undefined ? MARKER : undefined;
    logs.look++;
    assert.ok(logs.changes(vmo, 0, out) >= 1);
  }
  assert.equal(logs.changes(vmo, 1, out), -1);
  vmo.slots[3] = vmo.slots[3] === undefined ? MARKER : undefined;
  logs.look++;
  assert.deepEqual(out.slice(0, logs.changes(vmo, 1, out)), [3]);
});

Deno.test("sortPages sorts and drops repeats, short lists and long", () => {
  for (
    const list of [
      [],
      [3],
      [5, 1, 5, 2, 1],
      Array.from({ length: 40 }, (_, i) => (i * 7) % 13),
    ]
  ) {
    const out = [...list, 99, 99];
    const n = sortPages(out, list.length);
    assert.deepEqual(out.slice(0, n), [...new Set(list)].sort((a, b) => a - b));
  }
});

Deno.test("a forgotten VMO's next look is a first one for every subscriber, whatever changed", () => {
  // StepMonitor.slotChanges forgets a VMO while it is small (a whole walk each look): a page
  // changed and changed back meanwhile must not go unlisted once the VMO is listed again.
  const logs = new SlotLogs();
  const vmo = { slots: new Array<Slot>(40) };
  const out: number[] = [];
  assert.equal(logs.changes(vmo, 0, out), -1);
  assert.equal(logs.changes(vmo, 1, out), -1);
  vmo.slots[7] = MARKER;
  logs.look++;
  assert.deepEqual(out.slice(0, logs.changes(vmo, 0, out)), [7]);
  logs.forget(vmo);
  logs.forget(vmo); // (twice: nothing to drop)
  vmo.slots[7] = undefined;
  logs.look++;
  assert.equal(logs.changes(vmo, 0, out), -1);
  assert.equal(logs.changes(vmo, 1, out), -1);
  vmo.slots[9] = MARKER;
  logs.look++;
  assert.deepEqual(out.slice(0, logs.changes(vmo, 1, out)), [9]);
});
