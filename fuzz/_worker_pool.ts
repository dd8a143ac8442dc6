/**
 * The worker pool both campaign kinds share: start N module workers, send
 * each its start message, route their messages, collect errors and crashes,
 * and end when every worker said "done" (or crashed).
 *
 * @module
 */

/** What every campaign worker may send besides its own messages. */
export type PoolMessage =
  | { readonly type: "error"; readonly worker: number; readonly message: string }
  | { readonly type: "done"; readonly worker: number };

/**
 * Runs `count` workers of the module at `url`; resolves when all are done,
 * then terminates them. Errors and crashes go to `errors`, every other
 * message to `onMessage`.
 */
export async function runWorkers<
  Start,
  Message extends { readonly type: string; readonly worker: number },
>(
  url: URL,
  count: number,
  start: (worker: number) => Start,
  onMessage: (m: Message) => void,
  errors: string[],
): Promise<void> {
  const workers: Worker[] = [];
  await new Promise<void>((allDone) => {
    let done = 0;
    const finish = () => {
      if (++done === count) allDone();
    };
    for (let w = 0; w < count; w++) {
      const worker = new Worker(url.href, { type: "module" });
      workers.push(worker);
      worker.onmessage = (e: MessageEvent<Message | PoolMessage>) => {
        const m = e.data;
        if (m.type === "error") {
          errors.push(`worker ${m.worker}: ${(m as PoolMessage & { message: string }).message}`);
        } else if (m.type === "done") finish();
        else onMessage(m as Message);
      };
      worker.onerror = (e) => {
        e.preventDefault();
        errors.push(`worker ${w} crashed: ${e.message}`);
        finish();
      };
      worker.postMessage(start(w));
    }
  });
  for (const w of workers) w.terminate();
}
