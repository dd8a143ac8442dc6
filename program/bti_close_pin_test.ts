// BtiClosePin (program/bti_close_pin.ts): judged only while a page of the pin's range was surely
// supplied after the BTI's last handle closed.
import { strict as assert } from "node:assert";
import { BtiClosePin } from "./bti_close_pin.ts";
import { HandleModel } from "./handle_model.ts";
import {
  ZX_OBJ_TYPE_BTI,
  ZX_OBJ_TYPE_VMO,
  ZX_OK,
  ZX_VM_PERM_READ,
  ZX_VMO_RESIZABLE,
} from "../kernel/constants.ts";

const PS = 4096;

/** A BTI (4, and 8 to it with `duplicate`) and a one-page pager VMO (5, `options`). */
function setup(options = 0, duplicate = false) {
  const model = new HandleModel();
  model.create(4, ZX_OBJ_TYPE_BTI);
  model.create(5, ZX_OBJ_TYPE_VMO, options, 1, PS);
  const bti = model.get(4);
  if (duplicate && bti !== undefined) model.alias(8, bti, 0); // a second handle to the BTI
  const r = new BtiClosePin();
  r.end("zx_pager_create_vmo", [1, options, 2, 0, PS], ZX_OK, 5, model, 0);
  return { model, r };
}

Deno.test("BtiClosePin: a pin whose page was supplied only after its BTI's last close is judged; a supply begun before, or a page supplied earlier, is not", () => {
  {
    const { model, r } = setup();
    r.start("zx_bti_pin", [4, 1, 5, 0, PS], model, 0);
    r.start("zx_handle_close", [4], model, 1);
    r.end("zx_handle_close", [4], ZX_OK, 0, model, 1);
    r.start("zx_pager_supply_pages", [1, 5, 0, PS, 6, 0], model, 1);
    assert.match(r.end("zx_bti_pin", [4, 1, 5, 0, PS], ZX_OK, 7, model, 0) ?? "", /page 0/);
  }
  {
    const { model, r } = setup();
    r.start("zx_bti_pin", [4, 1, 5, 0, PS], model, 0);
    r.start("zx_pager_supply_pages", [1, 5, 0, PS, 6, 0], model, 1); // begun before the close
    r.start("zx_handle_close", [4], model, 2);
    r.end("zx_handle_close", [4], ZX_OK, 0, model, 2);
    assert.equal(r.end("zx_bti_pin", [4, 1, 5, 0, PS], ZX_OK, 7, model, 0), null);
  }
  {
    // A failed pin, a BTI never closed: nothing.
    const { model, r } = setup();
    r.start("zx_bti_pin", [4, 1, 5, 0, PS], model, 0);
    assert.equal(r.end("zx_bti_pin", [4, 1, 5, 0, PS], ZX_OK, 7, model, 0), null);
  }
});

Deno.test("BtiClosePin: a resizable VMO, a VMO another call named, or a BTI with another handle open is not judged", () => {
  const run = (options: number, other: [string, unknown[]] | null, duplicate = false) => {
    const { model, r } = setup(options, duplicate);
    if (other !== null) r.start(other[0], other[1], model, 2);
    r.start("zx_bti_pin", [4, 1, 5, 0, PS], model, 0);
    r.start("zx_handle_close", [4], model, 1);
    r.end("zx_handle_close", [4], ZX_OK, 0, model, 1);
    r.start("zx_pager_supply_pages", [1, 5, 0, PS, 6, 0], model, 1);
    return r.end("zx_bti_pin", [4, 1, 5, 0, PS], ZX_OK, 7, model, 0);
  };
  assert.notEqual(run(0, null), null);
  assert.equal(run(ZX_VMO_RESIZABLE, null), null);
  assert.equal(run(0, ["zx_vmar_map", [3, ZX_VM_PERM_READ, 0, 5, 0, PS]]), null);
  assert.equal(run(0, null, true), null);
});
