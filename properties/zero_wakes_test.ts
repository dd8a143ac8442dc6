import { strict as assert } from "node:assert";
import { ZeroWakes } from "./_zero_wakes.ts";

const PS = 64;
const store = (vmo: number, page: number, pages = 1) => ({
  k: "store" as const,
  tid: 9,
  vmo,
  offset: page * PS,
  bytes: new Uint8Array(pages * PS),
});

Deno.test("ZeroWakes: a reader whose READ overlaps a page the ZERO stored was woken by it; one beside it was not", () => {
  const z = new ZeroWakes(PS);
  z.note({ k: "request", vmo: 5, id: 1, type: "READ", start: 1, end: 2, tid: 7 }, false);
  z.note({ k: "request", vmo: 5, id: 2, type: "READ", start: 2, end: 4, tid: 8 }, false);
  z.note({ k: "coalesce", vmo: 5, id: 2, tid: 6 }, false);
  z.note(store(5, 3), true);
  assert.equal(z.strayWake(8), null);
  assert.equal(z.strayWake(6), null, "an overlap waiter goes with its request");
  assert.equal(z.strayWake(7), "t7's READ [1,2) of vmo5");
  z.endStep();
  assert.equal(z.strayWake(8), "t8's READ [2,4) of vmo5", "stores are the step's own");
});

Deno.test("ZeroWakes: stores outside a ZERO's step, of another VMO, and DIRTY waiters do not count", () => {
  const z = new ZeroWakes(PS);
  z.note({ k: "request", vmo: 5, id: 1, type: "READ", start: 0, end: 1, tid: 7 }, false);
  z.note({ k: "request", vmo: 5, id: 2, type: "DIRTY", start: 0, end: 1, tid: 8 }, false);
  z.note(store(5, 0), false);
  z.note(store(6, 0), true);
  assert.equal(z.strayWake(7), "t7's READ [0,1) of vmo5");
  assert.equal(z.strayWake(8), null, "a DIRTY waiter is another rule's");
  assert.equal(z.strayWake(4), null, "a thread with no request known");
});
