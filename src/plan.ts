/**
 * Planning a whole ledger: stream accounts through an adapter, plan each with the scheduler of
 * its policy, and yield the due actions. Memory holds the account ids seen (so that no account is
 * planned twice in one run), nothing else per account, however large the ledger; one account
 * that fails to load or plan is reported (id and reason) and the rest go on.
 */
import { isObject } from "./adapters/common.js";
import type { ExecutedAction, LedgerAdapter, Shard } from "./adapters/types.js";
import type { Issue } from "./rules/errors.js";
import { builtinPolicySource, type BuiltinPolicyId } from "./rules/builtins.js";
import { parsePolicy } from "./rules/parse.js";
import type { Policy } from "./rules/schema.js";
import { normalizeAccount, formatAccountIssues, ledgerIssue, UnsafeAmountError, type Account, type AccountSnapshot } from "./schedule/account.js";
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
  | {
      type: "skipped";
      cursor: string;
      accountId: string;
      /** What is wrong, as data: `code`, `path` within the account, `message`. */
      issues: Issue[];
      /** The issues printed (`formatAccountIssues`), for a log line. */
      reason: string;
    };

/** Why an account could not be used: its issues, and them printed once. */
export type SnapshotProblem = { ok: false; accountId: string; issues: Issue[]; reason: string };

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
  // The last line of defence against sending twice: an adapter (a vendor's own, say) that streams
  // an account id twice has the repeat reported, whatever it did. Memory: the ids only.
  const seen = new Set<string>();
  for await (const entry of ledger.accounts({ shard: options.shard, after: options.after })) {
    if (!entry.ok) {
      yield { type: "skipped", cursor: entry.cursor, accountId: entry.accountId, issues: entry.issues, reason: entry.reason };
      continue;
    }
    const checked = entry.checked !== undefined ? { ok: true as const, account: entry.checked } : checkSnapshot(entry.account);
    if (!checked.ok) {
      yield { type: "skipped", cursor: entry.cursor, accountId: checked.accountId, issues: checked.issues, reason: checked.reason };
      continue;
    }
    if (seen.has(checked.account.id)) {
      const issues = [ledgerIssue("duplicate_account", "id", "duplicate account id: the ledger streamed it again in this run; only the first is planned")];
      yield { type: "skipped", cursor: entry.cursor, accountId: checked.account.id, issues, reason: formatAccountIssues(checked.account.id, issues) };
      continue;
    }
    seen.add(checked.account.id);
    // An adapter's checked account may read its lists lazily: planning may throw too.
    let event: PlanEvent;
    try {
      event = { type: "planned", cursor: entry.cursor, accountId: checked.account.id, actions: pick(entry.account.segment).dueActionsOn(checked.account, asOf) };
    } catch (error) {
      event = { type: "skipped", cursor: entry.cursor, accountId: checked.account.id, ...unplannable(checked.account.id, error) };
    }
    yield event;
  }
}

/**
 * A ledger's account snapshot, checked (`normalizeAccount`), or why it cannot be used: its issues,
 * or what an adapter's lazily read lists threw (a damaged checked copy, say). For everything that
 * reads a ledger account by account: one bad account is reported and skipped, never the end of
 * the run.
 */
export function checkSnapshot(snapshot: AccountSnapshot): { ok: true; account: Account } | SnapshotProblem {
  try {
    const normalized = normalizeAccount(snapshot);
    return normalized.ok ? normalized : { ok: false, accountId: normalized.accountId, issues: normalized.issues, reason: formatAccountIssues(normalized.accountId, normalized.issues) };
  } catch (error) {
    return { ok: false, accountId: snapshot.id, ...unplannable(snapshot.id, error) };
  }
}

/** An error thrown while reading or planning one account, as that account's issue. */
export function unplannable(accountId: string, error: unknown): { issues: Issue[]; reason: string } {
  const issues = [error instanceof UnsafeAmountError ? error.issue : { code: "unplannable", path: "", message: error instanceof Error ? error.message : String(error) }];
  return { issues, reason: formatAccountIssues(accountId, issues) };
}

/** What a vendor writes back after carrying out a planned action. */
export function toRecorded(action: PlannedAction, on: string): ExecutedAction {
  return executedFrom(action, on) as ExecutedAction;
}

/**
 * {@link toRecorded} of anything (a planned action as read from a file, say), on `on` or else
 * on the day it was planned for: what is not shaped as a planned action is passed on as it is,
 * for `record()`'s check to name (`actions[3].covers: …`); it never throws.
 */
export function executedFrom(action: unknown, on: string | undefined): unknown {
  if (!isObject(action)) return action;
  const { covers, channels } = action;
  return {
    accountId: action.accountId,
    id: action.id,
    stage: action.stage,
    on: on ?? action.plannedOn,
    covers: Array.isArray(covers) ? covers.map((c: unknown) => (isObject(c) ? c.key : c)) : covers,
    // The channels actually used count toward frequency caps, so record them too.
    channels: Array.isArray(channels) ? [...channels] : channels,
  };
}
