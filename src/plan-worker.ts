/**
 * A worker thread that plans one shard of a ledger and posts the events back in batches, at most
 * `BATCHES_IN_FLIGHT` unread at a time (the main thread acknowledges each batch it has read), so
 * that a shard that runs ahead waits instead of filling memory. Started by `planInParallel`; not
 * meant to be imported.
 */
import { parentPort, workerData } from "node:worker_threads";
import { openLedger } from "./adapters/open.js";
import { BATCH_EVENTS, BATCHES_IN_FLIGHT, type ParentMessage, type WorkerMessage } from "./parallel.js";
import { plan, type PlanEvent, type PolicyChoice } from "./plan.js";

interface Job {
  ledger: string;
  asOf: string;
  policy?: PolicyChoice;
  shard: { index: number; count: number };
}

const port = parentPort!;
let unread = 0;
let waiting: (() => void) | undefined;
port.on("message", (message: ParentMessage) => {
  if (message.type !== "ack") return;
  unread--;
  const wake = waiting;
  waiting = undefined;
  wake?.();
});

async function post(events: PlanEvent[]): Promise<void> {
  port.postMessage({ type: "events", events } satisfies WorkerMessage);
  unread++;
  while (unread >= BATCHES_IN_FLIGHT) await new Promise<void>((resolve) => (waiting = resolve));
}

async function run(job: Job): Promise<void> {
  const ledger = await openLedger(job.ledger, { readonly: true });
  let batch: PlanEvent[] = [];
  try {
    for await (const event of plan(ledger, { asOf: job.asOf, policy: job.policy, shard: job.shard })) {
      batch.push(event);
      if (batch.length >= BATCH_EVENTS) {
        await post(batch);
        batch = [];
      }
    }
    if (batch.length > 0) port.postMessage({ type: "events", events: batch } satisfies WorkerMessage);
    port.postMessage({ type: "done" } satisfies WorkerMessage);
  } finally {
    await ledger.close();
  }
}

run(workerData as Job)
  .catch((error: unknown) => port.postMessage({ type: "error", message: error instanceof Error ? error.message : String(error) } satisfies WorkerMessage))
  // Nothing more to send: stop listening for acknowledgements, so that the thread can end.
  .finally(() => port.removeAllListeners("message"));
