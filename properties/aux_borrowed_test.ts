/**
 * page-state judges a supplied page's bytes against the aux page it came from (K26), from a
 * record taken at the supply's call. A borrowed aux page (the reference services' supplies are
 * `SharedBytes`) is recorded by reference, not copied (issue 17; session 30): these tests hold
 * that a kernel whose supply changes the bytes it moves is still caught, at the same step with
 * the same message, whether the aux page was borrowed (recorded by reference) or its own
 * (copied), and that the default scenario's supplies pass.
 */

import { strict as assert } from "node:assert";
import { Kernel, type Syscall } from "../kernel/kernel.ts";
import { type Status, ZX_OK } from "../kernel/constants.ts";
import type { KThread, Page, Vmo } from "../kernel/objects.ts";
import { VmoPages } from "../kernel/vmo_pages.ts";
import { DEFAULT_SCENARIO } from "../scenario/default.ts";
import { runScenario } from "../scenario/interpreter.ts";
import { parseScenario } from "../scenario/schema.ts";
import { isRead, type PagerService, serveReads } from "../services/service.ts";
import { PageState } from "./page_state.ts";

/** Which supplied pages the kernel below saw borrowed, and which it saw owning their bytes. */
const seen = { borrowed: 0, owned: 0 };

/** A supply insert that flips one byte of the first page it inserts, through `Page.data`. */
class FlipSuppliedPages extends VmoPages {
  protected override *insertSupplied(
    t: KThread,
    vmo: Vmo,
    base: number,
    pages: readonly (Page | undefined)[],
  ): Syscall<Status> {
    const page = pages.find((p) => p !== undefined);
    if (page !== undefined) {
      if (page.borrowed) seen.borrowed++;
      else seen.owned++;
      page.data[1] ^= 0x5a; // (a borrowed page copies its bytes first: the aux bytes stay)
    }
    return yield* super.insertSupplied(t, vmo, base, pages);
  }
}

class FlipSuppliedKernel extends Kernel {
  protected override createPages(): VmoPages {
    return new FlipSuppliedPages(this);
  }
}

const SCENARIO = parseScenario(DEFAULT_SCENARIO, "DEFAULT_SCENARIO");

Deno.test("page-state: a supply that changes the bytes it moves from a borrowed aux page fails K26", () => {
  seen.borrowed = seen.owned = 0;
  const r = runScenario(SCENARIO, {
    seed: 1,
    keepTrace: false,
    monitors: [new PageState()],
    makeKernel: (o) => new FlipSuppliedKernel(o),
  });
  assert.ok(seen.borrowed > 0, "the reference services' aux pages are borrowed");
  const v = r.verdict;
  assert.ok(v.kind === "invariant" && v.invariant === "page-state", JSON.stringify(v));
  assert.match(
    v.message,
    /^K26: vmo\d+ page \d+ content differs from the aux page it was supplied from$/,
  );
});

Deno.test("page-state: the same change from an aux page that owns its bytes fails K26 alike", () => {
  // A page's own bytes: a write of less than a whole page copies into bytes of the page's own.
  const scenario = parseScenario({
    name: "a service whose aux pages own their bytes",
    pageSize: 64,
    pagers: [{ name: "fs", service: { kind: "custom", name: "own-bytes" } }],
    vmos: [{ name: "f", pager: "fs", pages: 2 }],
    threads: [{ name: "reader", ops: [{ op: "read", vmo: "f", page: 0 }] }],
  });
  seen.borrowed = seen.owned = 0;
  const r = runScenario(scenario, {
    seed: 1,
    keepTrace: false,
    monitors: [new PageState()],
    makeKernel: (o) => new FlipSuppliedKernel(o),
    services: { "own-bytes": ownBytes },
  });
  assert.ok(seen.owned > 0 && seen.borrowed === 0, JSON.stringify(seen));
  const v = r.verdict;
  assert.ok(v.kind === "invariant" && v.invariant === "page-state", JSON.stringify(v));
  assert.match(
    v.message,
    /^K26: vmo\d+ page \d+ content differs from the aux page it was supplied from$/,
  );
});

Deno.test("page-state: the default scenario's supplies, borrowed and unchanged, pass", () => {
  for (let seed = 1; seed <= 20; seed++) {
    const r = runScenario(SCENARIO, { seed, keepTrace: false, monitors: [new PageState()] });
    assert.equal(r.verdict.kind, "pass", `seed ${seed}: ${JSON.stringify(r.verdict)}`);
  }
});

/** Supplies each READ from an aux VMO written one byte short of each page (its pages own their bytes). */
const ownBytes: PagerService = (sys, ctx) =>
  serveReads(sys, ctx, function* (packet, vmo) {
    if (!isRead(packet)) return;
    const [st, aux] = yield* sys.vmoCreate(packet.length, 0);
    if (st !== ZX_OK) return;
    yield* sys.vmoWrite(aux, new Uint8Array(packet.length - 1).fill(7), 0);
    yield* sys.pagerSupplyPages(ctx.pager, vmo.handle, packet.offset, packet.length, aux, 0);
    yield* sys.handleClose(aux);
  }, "own-bytes: waiting for a packet");
