// K14w (syscall-contract) when the OP_FAIL that completes a request fails its waiter again, with
// another code: the waiter is woken with the last code (`complete_status_`, PageSource::
// ResolveRequestsLocked sets it on each OP_FAIL that reaches the request's first page), in the
// step of that OP_FAIL, before its `ret`. K14w took the new code only at the ret, so it judged
// the wake against the code before and raised a false alarm. Found by the flaky service
// answering every multi-page request page by page (fresh shard 2 of 8 on db8cb50,
// `services/flaky.ts:33:53` true: services/file_layout_test.ts run 277, a zx_vmo_write parked on
// [35, 38) whose page 35 was failed BAD_STATE, then 36 and 35 again with ZX_ERR_IO):
// docs/mutation.md, helper triage26b.
import { strict as assert } from "node:assert";
import { ZX_ERR_BAD_STATE, ZX_ERR_IO, ZX_OK, ZX_PAGER_OP_FAIL } from "../kernel/constants.ts";
import { parseScenario } from "../scenario/schema.ts";
import { serveReads } from "../services/service.ts";
import type { PagerService } from "../services/service.ts";
import type { Status } from "../kernel/constants.ts";
import { PageSource } from "../kernel/page_source.ts";
import { checkCase } from "./check_case.ts";
import { checkersOf } from "../case/kinds.ts";

/**
 * Fails each READ request's first page ZX_ERR_BAD_STATE, its second ZX_ERR_IO, then its first
 * page again ZX_ERR_IO (the request's third page counted: it completes), then the third page
 * ZX_ERR_IO: a legal pager (spec 2.5: OP_FAIL of any range, any number of times).
 */
const refail: PagerService = (sys, ctx) =>
  serveReads(sys, ctx, function* (packet, vmo) {
    const ps = sys.pageSize;
    const at = packet.offset;
    for (
      const [page, code] of [[0, ZX_ERR_BAD_STATE], [1, ZX_ERR_IO], [0, ZX_ERR_IO], [2, ZX_ERR_IO]]
    ) {
      if ((page + 1) * ps > packet.length) continue;
      const st = yield* sys.pagerOpRange(
        ctx.pager,
        ZX_PAGER_OP_FAIL,
        vmo.handle,
        at + page * ps,
        ps,
        code,
      );
      assert.equal(st, ZX_OK);
    }
  });

const SCENARIO = parseScenario({
  pageSize: 64,
  pagers: [{ name: "fs", service: { kind: "custom", name: "refail" } }],
  vmos: [{ name: "a", pager: "fs", pages: 3 }],
  threads: [{ name: "w", ops: [{ op: "write", vmo: "a", page: 0, pages: 3 }] }],
});

Deno.test("K14w: a waiter failed again by the OP_FAIL that completes its request is woken with that code, no alarm", () => {
  for (let seed = 0; seed < 10; seed++) {
    const c = checkCase({ scenario: SCENARIO, decisions: [], seed }, {
      monitors: checkersOf("kernel"),
      services: { refail },
    });
    assert.equal(c.verdict.kind, "pass", `seed ${seed}: ${JSON.stringify(c.verdict)}`);
  }
});

Deno.test("K14w: a kernel that keeps the first OP_FAIL's code for a waiter failed again still fails K14w", () => {
  // Kernel mutant by hand: a request's first page failed again passes on the code it was
  // first failed with (first wins), so the writer is woken with ZX_ERR_BAD_STATE though the
  // last OP_FAIL that failed it passed ZX_ERR_IO.
  const orig = PageSource.prototype.onPagesFailed;
  const first = new Map<string, Status>();
  PageSource.prototype.onPagesFailed = function (start: number, end: number, error: Status) {
    const key = `${this.vmoKoid}:${start}`;
    if (!first.has(key)) first.set(key, error);
    orig.call(this, start, end, first.get(key) as Status);
  };
  try {
    const c = checkCase({ scenario: SCENARIO, decisions: [], seed: 0 }, {
      monitors: checkersOf("kernel"),
      services: { refail },
    });
    assert.equal(c.verdict.kind, "invariant", JSON.stringify(c.verdict));
    if (c.verdict.kind !== "invariant") return;
    assert.equal(c.verdict.invariant, "syscall-contract");
    assert.match(
      c.verdict.message,
      /^K14w: t\d+ zx_vmo_write .* failed with ZX_ERR_IO; it was woken \(complete\) with ZX_ERR_BAD_STATE/,
    );
  } finally {
    PageSource.prototype.onPagesFailed = orig;
  }
});
