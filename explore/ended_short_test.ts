// kfix27: a kernel variant with module state (it throws on every 7th supply it counts) made an
// execution's replay of the schedule before it end early, at the throw, before the choice it was
// to branch at; no choice differed, so the replay check passed, and the search crashed reading
// the steps it never made ("Cannot read properties of undefined (reading 'tids')"). A replay that
// ends short is nondeterminism too: the search stops with NondeterministicReplay, no verdict.
import { strict as assert } from "node:assert";
import { explore, NondeterministicReplay } from "./explore.ts";
import { Kernel, type KernelOptions, type PagerProxy, PageSource } from "../mod.ts";
import { DEFAULT_SCENARIO } from "../scenario/default.ts";
import { parseScenario } from "../scenario/schema.ts";

/** A variant whose supplies are counted across every kernel it makes: state outliving a run. */
function flakyVariant(): (options: KernelOptions) => Kernel {
  let calls = 0;
  class CrashFlaky extends PageSource {
    override onPagesSupplied(start: number, end: number): void {
      calls++;
      if (calls % 7 === 0) throw new Error(`flaky ${calls}`);
      super.onPagesSupplied(start, end);
    }
  }
  class K extends Kernel {
    protected override createPageSource(vmoKoid: number, proxy: PagerProxy): PageSource {
      const model = super.createPageSource(vmoKoid, proxy);
      return new CrashFlaky(vmoKoid, proxy, this.sink, model.nextId);
    }
  }
  return (options) => new K(options);
}

Deno.test("explore: a replay that ends before its branch point is nondeterminism, not a crash", () => {
  assert.throws(
    () => explore(parseScenario(DEFAULT_SCENARIO), { preemptions: 1, makeKernel: flakyVariant() }),
    (e: Error) => {
      assert.ok(e instanceof NondeterministicReplay, String(e));
      assert.match(
        e.message,
        /^nondeterministic replay: the replay ended after \d+ choices, before choice \d+ its first/,
      );
      return true;
    },
  );
});
