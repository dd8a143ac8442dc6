// page-state on eviction (spec 6.3, properties/_evictable.ts): at each kernel_evict step the
// pages the kernel offers the environment for eviction must be exactly the Clean, unpinned pages
// no ALWAYS_NEED hint protects, and kernel_evict must evict the page asked for iff it is one of
// them. Zircon's EvictAfterDirtyRequest (WX16), run as the campaign judge runs it (expectations
// left out, kernel checkers alone), passes unmutated; with kernel/kernel_objects.ts offering every
// slot (`evictablePages` unfiltered) or reporting ZX_OK without dropping the page, page-state
// fails it. Both mutants passed every checker before (docs/mutation.md, gap list E of session 21).
import { conformanceMutantSteps } from "../mutate/_conformance_mutants.ts";

Deno.test("page-state: the evictable set and kernel_evict's outcome follow spec 6.3 in EvictAfterDirtyRequest", (t) =>
  conformanceMutantSteps(t, "kernel/kernel_objects.ts", [
    {
      what: "an ALWAYS_NEED page offered for eviction",
      id: "WX16",
      name: "EvictAfterDirtyRequest",
      key: "kernel/kernel_objects.ts:238:12:MethodExpression:[...vmo.slots.keys()]",
      checker: "page-state",
      rule: /^K26: vmo\d+ page 0 \(clean\) is offered for eviction \(spec 6\.3\)$/,
    },
    {
      what: "kernel_evict's ZX_OK with the page left in place",
      id: "WX16",
      name: "EvictAfterDirtyRequest",
      key: "kernel/kernel_objects.ts:215:11:ConditionalExpression:false",
      checker: "page-state",
      rule: /^K26: vmo\d+ page 1: kernel_evict returned ZX_OK, the page stays clean$/,
    },
    {
      what: "kernel_evict's refusal of an evictable page",
      id: "WX16",
      name: "EvictAfterDirtyRequest",
      key: "kernel/kernel_objects.ts:201:53:BlockStatement:{}",
      checker: "page-state",
      rule:
        /^K26: vmo\d+ page 1 \(clean, unpinned, no ALWAYS_NEED\): kernel_evict refused it \(ZX_ERR_BAD_HANDLE\) \(spec 6\.3\)$/,
    },
  ]));
