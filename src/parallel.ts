/**
 * Planning on every core: one worker thread per shard of the ledger (a stable hash of the account
 * id), each streaming its shard through its own adapter. The sharded plans together are exactly
 * the unsharded plan; events arrive per shard, so order them by account id if order matters.
 */
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import type { PlanEvent, PolicyChoice } from "./plan.js";

export interface ParallelPlanOptions {
  asOf: string;
  policy?: PolicyChoice;
  /** Worker threads; default: the machine's available parallelism. */
  workers?: number;
}

function startWorker(workerData: unknown): Worker {
  const here = import.meta.url;
  if (here.endsWith(".ts")) {
    // From source (tests, tsx) the worker is TypeScript: register tsx inside the thread, then load it.
    const source = new URL("./plan-worker.ts", here).href;
    return new Worker(`import("tsx/esm/api").then((tsx) => { tsx.register(); return import(${JSON.stringify(source)}); });`, { eval: true, workerData });
  }
  return new Worker(new URL(here.endsWith(".cjs") ? "./plan-worker.cjs" : "./plan-worker.js", here), { workerData });
}

/**
 * Plans the ledger named by `ledger` (a spec `openLedger` understands: `sqlite:…`, `postgres://…`,
 * a JSON or JSON Lines file) on `workers` threads and calls `onEvent` for every account. A memory
 * ledger cannot be shared with threads; use `plan` for it.
 *
 * @example
 * const actions = [];
 * await planInParallel("sqlite:estate.db", { asOf: "2026-03-25", workers: 2 }, (e) => {
 *   if (e.type === "planned") actions.push(...e.actions);
 * });
 */
export async function planInParallel(ledger: string, options: ParallelPlanOptions, onEvent: (event: PlanEvent) => void): Promise<void> {
  const count = Math.max(1, Math.floor(options.workers ?? availableParallelism()));
  await Promise.all(
    Array.from(
      { length: count },
      (_, index) =>
        new Promise<void>((resolve, reject) => {
          const worker = startWorker({ ledger, asOf: options.asOf, policy: options.policy, shard: { index, count } });
          let finished = false;
          worker.on("message", (message: { type: string; events?: PlanEvent[]; message?: string }) => {
            if (message.type === "events") for (const event of message.events!) onEvent(event);
            else if (message.type === "done") (finished = true), resolve();
            else if (message.type === "error") (finished = true), reject(new Error(`shard ${index + 1}/${count}: ${message.message}`));
          });
          worker.on("error", reject);
          worker.on("exit", (code) => {
            if (!finished) reject(new Error(`shard ${index + 1}/${count}: worker exited with code ${code}`));
          });
        }),
    ),
  );
}
