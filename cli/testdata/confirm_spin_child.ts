// confirm_guard_test's never-yielding command, confirmed by the guard in a process of its own:
// Deno 2.9.6's Worker.terminate() does not stop a worker busy in a loop
// (tools/busy_worker_terminate.ts), so in the test process both stopped runs would spin on for
// the rest of `deno test`. Prints the outcome as JSON, then exits (taking the spinning workers).
import { runConfirmed } from "../_guard.ts";

const spin = new URL("./spin_command.ts", import.meta.url).href;
const o = await runConfirmed(spin, { runTimeout: 0.05, memoryMb: 4096, confirmTimeout: 1 });
console.log(JSON.stringify(o));
Deno.exit(0);
