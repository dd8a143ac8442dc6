// A plain pagerProperty's printed replay line is run once, for the failure fast-check reports,
// and the report says when it replays something else (session 37, trial37 friction 1: the
// planted lock-order bug passed as services.mine under the correct module's URL failed the
// property with a deadlock, and its replay line, which runs the module's own service, replayed a
// pass with no note: the source-text check cannot tell a copy whose bug is in a helper). The
// trial's services are properties/testdata/trial37/, as the user wrote them.
import { strict as assert } from "node:assert";
import fc from "npm:fast-check@4.11.0";
import { PagerPropertyFailure } from "./pager_property.ts";
import { FOCUS_B_RUNS, focusB } from "./testdata/trial37/focus_b.ts";

const CHECKED = "(checked: this line, run as printed, replays a pass";

/** fast-check's error for a failing property (its cause, the property's own failure). */
function failure(run: () => void): { report: Error; cause: PagerPropertyFailure } {
  try {
    run();
  } catch (e) {
    assert.ok(e instanceof Error, String(e));
    assert.ok(e.cause instanceof PagerPropertyFailure, String(e.cause));
    return { report: e, cause: e.cause };
  }
  assert.fail("the property passed");
}

Deno.test("a buggy function under the correct module's name: the replay line is run, and the report says it replays a pass", () => {
  const { cause } = failure(() => fc.assert(focusB(), FOCUS_B_RUNS));
  assert.match(cause.message, /signature: deadlock:mutex chunk cache & mutex file #/);
  const lines = cause.message.split("\n");
  const replay = lines.findIndex((l) => l.startsWith("replay: deno task repro "));
  assert.ok(replay > 0, cause.message);
  assert.match(lines[replay], /--service 'properties\/testdata\/trial37\/chunk_pager\.ts'/);
  const note = lines.slice(replay + 1).find((l) => l.startsWith("  (checked:"));
  assert.ok(note !== undefined, cause.message.slice(-2000));
  assert.ok(note.startsWith(`  ${CHECKED} (pass after `), note);
  assert.match(note, /this failure is not in it/);
  assert.match(note, /serviceModule's service \(properties\/testdata\/trial37\/chunk_pager\.ts\)/);
  assert.match(note, /use guardedPagerProperty/);
  assert.match(note, /name as serviceModule the module that exports services\.mine\)$/);
  // What deno test prints is the stack: it carries the note too.
  assert.ok(cause.stack?.includes(CHECKED), cause.stack?.slice(0, 300));
});

Deno.test("the module that exports the function: the line replays the failure, and no note is added", () => {
  const { cause } = failure(() => fc.assert(focusB("chunk_pager_lockorder.ts"), FOCUS_B_RUNS));
  assert.match(cause.message, /signature: deadlock:mutex chunk cache & mutex file #/);
  assert.match(
    cause.message,
    /--service 'properties\/testdata\/trial37\/chunk_pager_lockorder\.ts'/,
  );
  assert.ok(!cause.message.includes("(checked:"), cause.message.slice(-1500));
  assert.ok(!cause.message.includes("not run to check"), cause.message.slice(-1500));
});

Deno.test("includeErrorInReport: fast-check's own message carries the note", () => {
  let message = "";
  try {
    fc.assert(focusB(), { ...FOCUS_B_RUNS, includeErrorInReport: true });
  } catch (e) {
    message = e instanceof Error ? e.message : String(e);
  }
  assert.ok(message.includes(CHECKED), message.slice(-1500));
});

Deno.test("without permission to run deno, the line is not checked and the report says so", async () => {
  const out = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--no-check",
      "--allow-read",
      new URL("./testdata/trial37/focus_b.ts", import.meta.url).pathname,
    ],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(out.stdout);
  assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
  assert.match(text, /signature: deadlock:mutex chunk cache & mutex file #/);
  assert.match(
    text,
    /\n {2}\(this line was not run to check that it replays this failure: the test may not run deno\. With --allow-run=deno/,
  );
  assert.ok(!text.includes("(checked:"), text.slice(-1500));
});
