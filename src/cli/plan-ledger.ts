/** Planning a whole ledger for `plan` and `demo`, streamed in account order. */
import { plan, type EstatePolicies, type PlanEvent, type PolicyChoice, type Segment } from "../ledger/plan.js";
import type { PlannedAction } from "../schedule/ladder/action.js";
import type { HoldReview } from "../schedule/ladder/hold-review.js";
import { openLedgerArg, skippedLine } from "./common.js";
import { terminalText } from "../text/index.js";
import { progressMeter, type ProgressStream } from "./progress.js";

export interface LedgerPlan {
  accounts: number;
  skipped: number;
  /** The segments of the accounts planned. */
  segments: Set<Segment>;
}

export interface PlanLedgerOptions {
  policy: PolicyChoice | undefined;
  /** A policy per estate and segment (`--policy <estate>/<segment>=<file>`). */
  estates?: EstatePolicies;
  asOf: string;
  /** Each skipped account's line. */
  err: (line: string) => void;
  /** Each account's actions recorded inside a hold, for a person's review (a hold recorded after the fact). */
  onReview?: (items: readonly HoldReview[]) => void;
  /** Where the progress line goes; none without it. */
  progress?: ProgressStream;
  /** The progress line's clock (default `performance.now`). */
  now?: () => number;
}

/**
 * Plans the whole ledger and hands each account's actions to `onActions` as they are planned, in
 * account order, so that no action is kept here; returns how many accounts were planned and skipped.
 */
export async function planLedger(ledgerSpec: string, options: PlanLedgerOptions, onActions: (actions: PlannedAction[]) => void | Promise<void>): Promise<LedgerPlan> {
  const meter = options.progress ? progressMeter(options.progress, options.now ? { now: options.now } : {}) : undefined;
  let accounts = 0;
  let skipped = 0;
  const segments = new Set<Segment>();
  // A promise from onActions (stdout is full) pauses the plan until it resolves.
  const onEvent = (event: PlanEvent): void | Promise<void> => {
    accounts++;
    meter?.tick(accounts);
    if (event.type === "planned") {
      segments.add(event.segment);
      if (event.review.length > 0) options.onReview?.(event.review);
      // An owner's other unit is contacted today: said, never dropped silently.
      for (const w of event.waiting ?? []) options.err(terminalText(`waiting ${w.action.id}: ${w.why}`));
      if (event.actions.length > 0) return onActions(event.actions);
    } else {
      skipped++;
      options.err(skippedLine(event.accountId, event.issues));
    }
  };
  try {
    // Planning only reads: a read-only open never migrates or writes (a file may be read-only).
    const ledger = await openLedgerArg(ledgerSpec, { readonly: true });
    try {
      // The total, where the ledger can tell it cheaply, and only when a line will show it.
      if (meter && options.progress?.isTTY) meter.setTotal(await ledger.count?.());
      for await (const event of plan(ledger, { asOf: options.asOf, policy: options.policy, ...(options.estates ? { estates: options.estates } : {}) })) {
        const wait = onEvent(event);
        if (wait) await wait;
      }
    } finally {
      await ledger.close();
    }
  } finally {
    meter?.done();
  }
  return { accounts, skipped, segments };
}
