/**
 * A worker thread that plans one shard of a ledger and posts the events back in batches. Started
 * by `planInParallel`; not meant to be imported.
 */
import { parentPort, workerData } from "node:worker_threads";
import { openLedger } from "./adapters/open.js";
import { plan, type PlanEvent, type PolicyChoice } from "./plan.js";

interface Job {
  ledger: string;
  asOf: string;
  policy?: PolicyChoice;
  shard: { index: number; count: number };
}

async function run(job: Job): Promise<void> {
  const ledger = await openLedger(job.ledger, { readonly: true });
  let batch: PlanEvent[] = [];
  try {
    for await (const event of plan(ledger, { asOf: job.asOf, policy: job.policy, shard: job.shard })) {
      batch.push(event);
      if (batch.length >= 500) {
        parentPort!.postMessage({ type: "events", events: batch });
        batch = [];
      }
    }
    parentPort!.postMessage({ type: "events", events: batch });
    parentPort!.postMessage({ type: "done" });
  } finally {
    await ledger.close();
  }
}

run(workerData as Job).catch((error: unknown) => {
  parentPort!.postMessage({ type: "error", message: error instanceof Error ? error.message : String(error) });
});
