/**
 * Actions recorded inside a hold, for a person's review (issue 18, backdated holds): gathered
 * account by account for `report`, and printed as one table by `report` and `plan`. The rule of
 * what is inside a hold is the scheduler's (src/schedule/ladder/hold-review.ts); this file only
 * collects and shows it.
 */
import type { Account } from "../ledger/account.js";
import type { CompiledPolicy } from "../schedule/ladder/compile.js";
import { actionsInsideHolds, type HoldReview } from "../schedule/ladder/hold-review.js";
import type { EpochDay } from "../schedule/time/civil-date.js";
import { table, terminalText } from "../text/index.js";

/** The columns of the review list, for the text table and the CSV section. */
export const REVIEW_HEADER = ["account", "action", "stage", "on", "hold", "hold_type", "hold_from", "hold_to", "hold_recorded", "reason"] as const;

/** One item as its row (ledger text as it is: each output escapes it its own way). */
export function reviewRow(r: HoldReview): string[] {
  return [r.accountId, r.actionId, r.stage, r.on, r.holdId, r.holdType, r.holdFrom, r.holdTo ?? "", r.holdRecordedOn ?? "", r.message];
}

/**
 * The review list as a table for a terminal (`table` escapes every cell): the reason's parts in
 * their columns (the action, the hold, its days, when it was recorded); the sentence itself is in
 * the JSON and CSV, and on each stderr line beside a JSON plan.
 */
export function reviewTable(items: readonly HoldReview[]): string {
  return table(REVIEW_HEADER.slice(0, -1), items.map((r) => reviewRow(r).slice(0, -1)));
}

/** One item as one line for a terminal (stderr beside a JSON plan): escaped, so a line is always one item. */
export function reviewLine(r: HoldReview): string {
  return terminalText(`review ${r.accountId} ${r.actionId}: ${r.message}`);
}

/**
 * Gathers every account's items as a report reads the ledger; `items` earliest first by account.
 * `add` takes the account as planning reads it (`PlanningScheduler.currentOn`: an older version's
 * actions in this one's terms), so that report lists what plan lists.
 */
export function reviewCollector(): { add(compiled: CompiledPolicy, account: Account, asOf: EpochDay): void; items: HoldReview[] } {
  const items: HoldReview[] = [];
  return {
    items,
    add(compiled, account, asOf) {
      if (account.holds.length === 0) return;
      for (const r of actionsInsideHolds(compiled, account, asOf)) items.push(r);
    },
  };
}
