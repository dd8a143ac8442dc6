// trial36's planted lost wake-up (properties/testdata/trial36/blob_pager_lostwake.ts: a worker
// that waits on `blob queue nonempty` without re-checking the queue), as explore wrote it to the
// user's corpus (blobfs/corpus on branch trial36; the service's hash is our copy's, whose import
// paths differ). Friction 8: one READ queued, two workers parked on the queue's condition
// variable, and each read "handed a packet by t1", as if each held one. Neither was woken for it.
import { strict as assert } from "node:assert";
import { replayedCase, verdictMessage } from "./_replay_fixture.ts";
import { signScenarioRun } from "../fuzz/engine.ts";

const DIR = new URL("../properties/testdata/trial36/corpus", import.meta.url).pathname;

Deno.test("trial36 lost wake-up: workers still on the queue's condition variable were never woken for the packet", async () => {
  const { run } = await replayedCase(
    DIR,
    "lost-wakeup-condvar-blob-queue-nonempty-blob-pager-lostwake-43a722c8.json",
  );
  assert.equal(signScenarioRun(run), "lost-wakeup:condvar blob queue nonempty");
  const message = verdictMessage(run);
  const parked = /; parked holding a packet: (.*)$/.exec(message)?.[1] ?? "";
  const workers = parked.split(" & ");
  assert.ok(workers.length >= 1, message);
  for (const w of workers) {
    assert.match(
      w,
      /^t\d+ "[^"]+" waits on futex 0x[0-9a-f]+ \(condvar blob queue nonempty\), never woken for a packet t\d+ "[^"]+" handed off$/,
    );
  }
  assert.doesNotMatch(message, /handed a packet by/);
});
