// The README's "In your own tests" example, run as written.
import fc from "fast-check";
import { checkersOf, pagerProperty } from "../mod.ts";
import myService from "./my_service.ts";

Deno.test("my service keeps every pager invariant", () => {
  fc.assert(
    pagerProperty(checkersOf("kernel+service"), {
      scenario: { services: [], customServices: ["mine"] },
      services: { mine: myService },
    }),
    { numRuns: 200, seed: 1 },
  );
});
