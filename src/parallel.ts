/**
 * Planning on every core: one worker thread per shard of the ledger (a stable hash of the account
 * id), each streaming its shard through its own adapter. The shards' streams are merged by account
 * id (`compareIds`, the order every adapter streams in), so the events come in the one-thread
 * order; each worker sends batches and waits once a few are unread (back-pressure), so memory
 * stays bounded however far one shard runs ahead of the others or of the consumer.
 */
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { compareIds } from "./adapters/common.js";
import type { PlanEvent, PolicyChoice } from "./plan.js";

export interface ParallelPlanOptions {
  asOf: string;
  policy?: PolicyChoice;
  /** Worker threads; default: the machine's available parallelism. */
  workers?: number;
}

/** Events per message from a worker, and messages a worker may have unread before it waits. */
export const BATCH_EVENTS = 500;
export const BATCHES_IN_FLIGHT = 4;

/** What a worker posts (plan-worker.ts) and what it is told. */
export type WorkerMessage = { type: "events"; events: PlanEvent[] } | { type: "done" } | { type: "error"; message: string };
export type ParentMessage = { type: "ack" };

function startWorker(workerData: unknown): Worker {
  const here = import.meta.url;
  if (here.endsWith(".ts")) {
    // From source (tests, tsx) the worker is TypeScript: register tsx inside the thread, then load it.
    const source = new URL("./plan-worker.ts", here).href;
    return new Worker(`import("tsx/esm/api").then((tsx) => { tsx.register(); return import(${JSON.stringify(source)}); });`, { eval: true, workerData });
  }
  return new Worker(new URL(here.endsWith(".cjs") ? "./plan-worker.cjs" : "./plan-worker.js", here), { workerData });
}

/** One shard's stream as the merge sees it: the batches received and not yet read, in order. */
class ShardStream {
  private batches: PlanEvent[][] = [];
  private at = 0;
  private finished = false;
  private failure: Error | undefined;
  private wake: (() => void) | undefined;
  readonly worker: Worker;

  constructor(workerData: unknown, label: string) {
    this.worker = startWorker(workerData);
    this.worker.on("message", (message: WorkerMessage) => {
      if (message.type === "events") this.batches.push(message.events);
      else if (message.type === "done") this.finished = true;
      else this.failure ??= new Error(`${label}: ${message.message}`);
      this.notify();
    });
    this.worker.on("error", (error) => {
      this.failure ??= error;
      this.notify();
    });
    this.worker.on("exit", (code) => {
      if (!this.finished) this.failure ??= new Error(`${label}: worker exited with code ${code}`);
      this.notify();
    });
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }

  /** The next event without taking it; undefined at the end of the shard. Waits only when nothing is buffered. */
  async head(): Promise<PlanEvent | undefined> {
    for (;;) {
      const batch = this.batches[0];
      if (batch && this.at < batch.length) return batch[this.at];
      if (batch) {
        // A batch read to its end: the worker may send one more.
        this.batches.shift();
        this.at = 0;
        this.worker.postMessage({ type: "ack" } satisfies ParentMessage);
        continue;
      }
      if (this.failure) throw this.failure;
      if (this.finished) return undefined;
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
  }

  /** The event `head()` returned, already buffered. */
  take(): PlanEvent {
    return this.batches[0]![this.at++]!;
  }
}

/**
 * Plans the ledger named by `ledger` (a spec `openLedger` understands: `sqlite:…`, `postgres://…`,
 * a JSON or JSON Lines file) on `workers` threads and calls `onEvent` for every account, in
 * ascending account id (`compareIds`): the order of `plan()` on one thread for every ledger that
 * streams in id order (all but a JSON Lines file kept out of order). A memory ledger cannot be
 * shared with threads; use `plan` for it. When `onEvent` returns a promise, the next event waits
 * for it (and the workers wait for the events to be read).
 *
 * @example
 * let actions = 0;
 * await planInParallel("sqlite:estate.db", { asOf: "2026-03-25", workers: 2 }, (e) => {
 *   if (e.type === "planned") actions += e.actions.length;
 * });
 */
export async function planInParallel(ledger: string, options: ParallelPlanOptions, onEvent: (event: PlanEvent) => unknown): Promise<void> {
  const count = Math.max(1, Math.floor(options.workers ?? availableParallelism()));
  const shards = Array.from(
    { length: count },
    (_, index) => new ShardStream({ ledger, asOf: options.asOf, policy: options.policy, shard: { index, count } }, `shard ${index + 1}/${count}`),
  );
  try {
    let open = shards;
    const heads: (PlanEvent | undefined)[] = await Promise.all(open.map((s) => s.head()));
    // A k-way merge: k is the number of threads, so a scan for the least head is the cheapest.
    for (;;) {
      let least = -1;
      for (let i = 0; i < open.length; i++) if (heads[i] && (least < 0 || compareIds(heads[i]!.accountId, heads[least]!.accountId) < 0)) least = i;
      if (least < 0) break;
      // A promise from onEvent (its output is full) pauses the merge, and so the workers.
      const wait = onEvent(open[least]!.take());
      if (wait instanceof Promise) await wait;
      heads[least] = await open[least]!.head();
      if (!heads[least]) {
        open = open.filter((_, i) => i !== least);
        heads.splice(least, 1);
      }
    }
  } finally {
    // Done, or stopped by an error: no worker may be left waiting for an acknowledgement.
    await Promise.all(shards.map((s) => s.worker.terminate()));
  }
}
