// A command's slow module loading under cli/_startup_signals.ts (cli/early_interrupt_test.ts
// signals it while it waits).
import "../_startup_signals.ts";
console.log("ready");
await new Promise((resolve) => setTimeout(resolve, 60_000));
