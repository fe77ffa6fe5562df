/**
 * Planning a whole ledger: stream accounts through an adapter, plan each with the scheduler of
 * its policy, and yield the due actions. Memory stays constant however large the ledger; one
 * account that fails to load or plan is reported (id and reason) and the rest go on.
 */
import type { LedgerAdapter, Shard } from "./adapters/types.js";
import { builtinPolicySource, type BuiltinPolicyId } from "./rules/builtins.js";
import { parsePolicy } from "./rules/parse.js";
import type { Policy } from "./rules/schema.js";
import { normalizeAccount, formatAccountIssues, type NormalizeResult } from "./schedule/account.js";
import type { PlannedAction } from "./schedule/action.js";
import { civilDate } from "./schedule/civil-date.js";
import { createScheduler, type Scheduler } from "./schedule/scheduler.js";

export interface PlanOptions {
  /** The planning day, `YYYY-MM-DD` in the policy's time zone. */
  asOf: string;
  /** One policy for every account; default: the built-in of each account's segment (residential when absent). */
  policy?: Policy;
  shard?: Shard;
  /** Resume after this cursor (from a previous run's last `cursor`). */
  after?: string;
}

export type PlanEvent =
  | { type: "planned"; cursor: string; accountId: string; actions: PlannedAction[] }
  | { type: "skipped"; cursor: string; accountId: string; reason: string };

/** Picks a scheduler per account: the given policy, or the built-in of the account's segment. */
export function schedulerPicker(policy?: Policy): (segment: unknown) => Scheduler {
  if (policy) {
    const one = createScheduler(policy);
    return () => one;
  }
  const cache = new Map<BuiltinPolicyId, Scheduler>();
  return (segment) => {
    const id: BuiltinPolicyId = segment === "commercial" ? "commercial" : "residential";
    let s = cache.get(id);
    if (!s) cache.set(id, (s = createScheduler(parsePolicy(builtinPolicySource(id), id))));
    return s;
  };
}

/**
 * Streams the due actions of every account in `ledger` on `asOf`.
 *
 * @example
 * for await (const event of plan(memoryLedger(accounts), { asOf: "2026-03-25" }))
 *   if (event.type === "planned") send(event.actions);
 *   else console.error(`${event.accountId}: ${event.reason}`);
 */
export async function* plan(ledger: LedgerAdapter, options: PlanOptions): AsyncGenerator<PlanEvent> {
  const asOf = civilDate(options.asOf);
  const pick = schedulerPicker(options.policy);
  for await (const entry of ledger.accounts({ shard: options.shard, after: options.after })) {
    if (!entry.ok) {
      yield { type: "skipped", cursor: entry.cursor, accountId: entry.accountId, reason: entry.reason };
      continue;
    }
    // Checking and planning both inside: an adapter's lazily read lists may throw here.
    let event: PlanEvent;
    try {
      const normalized: NormalizeResult = entry.checked !== undefined ? { ok: true, account: entry.checked } : normalizeAccount(entry.account);
      event = normalized.ok
        ? { type: "planned", cursor: entry.cursor, accountId: normalized.account.id, actions: pick(entry.account.segment).dueActionsOn(normalized.account, asOf) }
        : { type: "skipped", cursor: entry.cursor, accountId: normalized.accountId, reason: formatAccountIssues(normalized.accountId, normalized.issues) };
    } catch (error) {
      event = { type: "skipped", cursor: entry.cursor, accountId: entry.checked?.id ?? entry.account.id, reason: (error as Error).message };
    }
    yield event;
  }
}

/** What a vendor writes back after carrying out a planned action. */
export function toRecorded(action: PlannedAction, on: string) {
  // The channels actually used count toward frequency caps, so record them too.
  return { accountId: action.accountId, id: action.id, stage: action.stage, on, covers: action.covers.map((c) => c.key), channels: [...action.channels] };
}
