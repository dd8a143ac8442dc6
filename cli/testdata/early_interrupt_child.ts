// A long set-up under earlyInterrupt (cli/early_interrupt_test.ts signals it while it waits).
import { earlyInterrupt } from "../args.ts";
const early = earlyInterrupt("fuzz");
console.log("ready");
await new Promise((resolve) => setTimeout(resolve, 60_000));
early.remove();
