/** Planning a whole ledger for `plan` and `demo`: on this thread, or on worker threads. */
import { compareIds } from "../adapters/common.js";
import { planInParallel } from "../parallel.js";
import { plan, type PlanEvent, type PolicyChoice, type Segment } from "../plan.js";
import type { PlannedAction } from "../schedule/action.js";
import { openLedgerArg, skippedLine } from "./common.js";
import { progressMeter, type ProgressStream } from "./progress.js";

export interface LedgerPlan {
  actions: PlannedAction[];
  accounts: number;
  skipped: number;
  /** The segments of the accounts planned. */
  segments: Set<Segment>;
}

export interface PlanLedgerOptions {
  policy: PolicyChoice | undefined;
  asOf: string;
  /** More than 1: one worker thread per shard. */
  workers?: number;
  /** Each skipped account's line. */
  err: (line: string) => void;
  /** Where the progress line goes; none without it. */
  progress?: ProgressStream;
}

/** Plans the whole ledger; returns the actions in account order and how many accounts were skipped. */
export async function planLedger(ledgerSpec: string, options: PlanLedgerOptions): Promise<LedgerPlan> {
  const meter = options.progress ? progressMeter(options.progress) : undefined;
  const byAccount: { accountId: string; actions: PlannedAction[] }[] = [];
  let skipped = 0;
  const segments = new Set<Segment>();
  const onEvent = (event: PlanEvent) => {
    if (event.type === "planned") {
      byAccount.push({ accountId: event.accountId, actions: event.actions });
      segments.add(event.segment);
    } else {
      skipped++;
      options.err(skippedLine(event.accountId, event.issues));
    }
    meter?.tick(byAccount.length + skipped);
  };
  try {
    if ((options.workers ?? 1) > 1) {
      await planInParallel(ledgerSpec, { asOf: options.asOf, policy: options.policy, workers: options.workers }, onEvent);
      // Shards finish in any order: the order every adapter streams in.
      byAccount.sort((a, b) => compareIds(a.accountId, b.accountId));
    } else {
      // Planning only reads: a read-only open never migrates or writes (a file may be read-only).
      const ledger = await openLedgerArg(ledgerSpec, { readonly: true });
      try {
        for await (const event of plan(ledger, { asOf: options.asOf, policy: options.policy })) onEvent(event);
      } finally {
        await ledger.close();
      }
    }
  } finally {
    meter?.done();
  }
  return { actions: byAccount.flatMap((a) => a.actions), accounts: byAccount.length + skipped, skipped, segments };
}
