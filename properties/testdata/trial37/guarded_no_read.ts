// trial37's focus test D (trial37/focus_test.ts) as properties/guarded_property_test.ts runs it:
// a guarded property over the correct chunk pager, in a `deno test` given no permissions (trial37
// friction 12). Not named `_test.ts`: `deno task test` does not run it with its own permissions.
import fc from "npm:fast-check@4.11.0";
import { checkersOf, guardedPagerProperty, withContract } from "../../../mod.ts";
import chunkPager, { contract } from "./chunk_pager.ts";

Deno.test("D guarded: correct service, no permissions", async () => {
  await fc.assert(
    guardedPagerProperty(checkersOf("kernel+service"), {
      scenario: { services: [], customServices: ["mine"] },
      services: { mine: withContract(chunkPager, contract) },
      serviceModule: new URL("./chunk_pager.ts", import.meta.url),
    }),
    { numRuns: 20, seed: 3 },
  );
});
