import { strict as assert } from "node:assert";
import { runScenario } from "../scenario/interpreter.ts";
import { parseScenario } from "../scenario/schema.ts";
import { serveReads, type ServiceContext, supplyFromBacking } from "../services/service.ts";
import type { Sys, ThreadBody } from "./sys.ts";
import { ZX_OK } from "../kernel/constants.ts";
import { formatEvent, Trace } from "./trace.ts";

Deno.test("a call's out-value is in its trace line: zx_vmo_get_size -> ZX_OK size=0x80", () => {
  function* sizer(sys: Sys, ctx: ServiceContext): ThreadBody {
    for (const vmo of ctx.vmos) yield* sys.vmoGetSize(vmo.handle);
    yield* serveReads(sys, ctx, (p, vmo) => supplyFromBacking(sys, ctx, vmo, p.offset, p.length));
  }
  const scenario = parseScenario({
    pageSize: 64,
    pagers: [{ name: "fs", service: { kind: "custom", name: "sizer" } }],
    vmos: [{ name: "a", pager: "fs", pages: 2 }],
    threads: [{ name: "r", ops: [{ op: "read", vmo: "a", page: 0 }] }],
  });
  const run = runScenario(scenario, { seed: 1, services: { sizer } });
  assert.match(run.trace.text(), /zx_vmo_get_size -> ZX_OK size=0x80$/m);
});

Deno.test("the out-value is shown, not hashed: a trace hash stays what it was before it was shown", () => {
  assert.equal(
    formatEvent({ k: "ret", tid: 1, name: "zx_vmo_get_size", status: ZX_OK, value: 0x2000 }),
    "t1 zx_vmo_get_size -> ZX_OK size=0x2000",
  );
  assert.equal(
    formatEvent({ k: "ret", tid: 1, name: "zx_vmo_read", status: ZX_OK }),
    "t1 zx_vmo_read -> ZX_OK",
  );
  const shown = new Trace(), bare = new Trace();
  shown.emit({ k: "ret", tid: 1, name: "zx_vmo_get_size", status: ZX_OK, value: 0x2000 });
  bare.emit({ k: "ret", tid: 1, name: "zx_vmo_get_size", status: ZX_OK });
  assert.equal(shown.hash, bare.hash);
  assert.notEqual(shown.text(), bare.text());
});
