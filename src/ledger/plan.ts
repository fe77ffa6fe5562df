/**
 * Planning a whole ledger: stream accounts through an adapter, plan each with the scheduler of
 * its policy, and yield the due actions. Memory stays constant however large the ledger; one
 * account that fails to load or plan is reported (id and issues) and the rest go on.
 */
import type { ExecutedAction, LedgerAdapter, Shard } from "./adapter.js";
import { InvalidArgumentError, type Issue } from "../rules/errors.js";
import { builtinPolicySource } from "../rules/builtins.js";
import { parsePolicy } from "../rules/parse.js";
import type { Policy } from "../rules/schema.js";
import { formatAccountIssues, ledgerIssue, UnsafeAmountError, type Account, type AccountSnapshot } from "./account.js";
import { isObject, normalizeAccount } from "./check-account.js";
import type { PlannedAction } from "../schedule/ladder/action.js";
import { civilDate } from "../schedule/time/civil-date.js";
import { compileScheduler, isAccountError, type PlanningScheduler } from "../schedule/ladder/scheduler.js";
import type { HoldReview } from "../schedule/ladder/hold-review.js";

/** The kinds of unit a policy is written for (`Policy.segment`); an account without one is residential. */
export type Segment = NonNullable<Policy["segment"]>;
export const SEGMENTS: readonly Segment[] = ["residential", "commercial"];

/** A policy per segment; a segment not named follows its built-in. */
export type SegmentPolicies = { readonly [S in Segment]?: Policy };

/**
 * Which policy accounts follow: one policy, or one per segment. One policy covers the segment it
 * declares (`"segment"` in the file, inherited through `extends`); accounts of the other segment
 * follow their built-in, and each action names the policy it came from (`action.policy`). One
 * policy that declares no segment is refused (an `InvalidArgumentError`, `policy_without_segment`):
 * a shop must not get a flat's door postings by default. To give one policy to every segment, say
 * so: `{ residential: p, commercial: p }`.
 */
export type PolicyChoice = Policy | SegmentPolicies;

export interface PlanOptions {
  /** The planning day, `YYYY-MM-DD` in the policy's time zone. */
  asOf: string;
  /** Default: the built-in of each account's segment (residential when absent). */
  policy?: PolicyChoice;
  shard?: Shard;
  /** Resume after this cursor (from a previous run's last `cursor`). */
  after?: string;
}

export type PlanEvent =
  | {
      type: "planned";
      cursor: string;
      accountId: string;
      segment: Segment;
      actions: PlannedAction[];
      /** Actions recorded on or before `asOf` inside a hold that pauses them (a hold recorded after the fact), for a person's review; usually empty. */
      review: readonly HoldReview[];
    }
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

/** The segment an account's `segment` field names: commercial, or residential (also when absent). */
export function segmentOf(segment: unknown): Segment {
  return segment === "commercial" ? "commercial" : "residential";
}

/** One policy or a policy per segment, as a policy per segment (`PolicyChoice` says how one policy is read; an error, code `policy_without_segment`, for one that declares no segment). */
export function policiesBySegment(choice: PolicyChoice | undefined): SegmentPolicies {
  if (choice === undefined) return {};
  if (!isPolicy(choice)) return choice;
  if (!choice.segment) throw new InvalidArgumentError("policy_without_segment", "policy", `policy ${choice.id} declares no segment: pass { residential: policy } or { commercial: policy } (or both)`);
  return { [choice.segment]: choice };
}

function isPolicy(choice: PolicyChoice): choice is Policy {
  return "stages" in choice;
}

/** Picks a scheduler per account: the policy chosen for the account's segment, or its built-in. */
export function schedulerPicker(choice?: PolicyChoice): (segment: unknown) => PlanningScheduler {
  const chosen = policiesBySegment(choice);
  const cache = new Map<Segment, PlanningScheduler>();
  return (raw) => {
    const segment = segmentOf(raw);
    let s = cache.get(segment);
    if (!s) cache.set(segment, (s = compileScheduler(chosen[segment] ?? parsePolicy(builtinPolicySource(segment), segment))));
    return s;
  };
}

/**
 * Streams the due actions of every account in `ledger` on `asOf`.
 *
 * @example
 * // On 2026-03-25, the 25th of the billing month (S2): A-1201 has not paid March, A-0302 has,
 * // and B-7's charge is due on a day that does not exist, so it is reported, not planned.
 * const ledger = memoryLedger([
 *   { id: "A-0302", charges: [{ id: "c1", period: "2026-03", dueOn: "2026-03-01", amountMinor: 28000 }], payments: [{ id: "p1", on: "2026-03-05", amountMinor: 28000 }] },
 *   { id: "A-1201", charges: [{ id: "c2", period: "2026-03", dueOn: "2026-03-01", amountMinor: 32000 }] },
 *   { id: "B-7", charges: [{ id: "c3", period: "2026-02", dueOn: "2026-02-30", amountMinor: 32000 }] },
 * ]);
 * const due = [], skipped = [];
 * for await (const event of plan(ledger, { asOf: "2026-03-25" }))
 *   if (event.type === "planned") due.push(...event.actions.map((a) => `${a.accountId} ${a.stage}`));
 *   else skipped.push(`${event.accountId} ${event.issues[0].path}`);
 * due // => ["A-1201 dunning_notice"]
 * skipped // => ["B-7 charges[0].dueOn"]
 */
export async function* plan(ledger: LedgerAdapter, options: PlanOptions): AsyncGenerator<PlanEvent> {
  const asOf = civilDate(options.asOf);
  const pick = schedulerPicker(options.policy);
  // The last line of defence against sending twice: an adapter (a vendor's own, say) that streams
  // an account twice has the repeat reported. Adapters stream in id order, so a repeat comes
  // right after the first (a view joined to a table with two rows for one account, say): the
  // previous id is all there is to remember. (JSON Lines, in file order, finds its own repeats.)
  let previous: string | undefined;
  // paidUpOn: a ledger whose database vouches for its rows may hand over an account that is paid
  // up and has no holds without them (nothing is due: findCandidates returns early for it).
  // (Not when a policy chases a fee left once the principal is paid: such an account is paid up.)
  const paidUpOn = Object.values(policiesBySegment(options.policy)).some((p) => p?.residualLateFee) ? undefined : options.asOf;
  for await (const entry of ledger.accounts({ shard: options.shard, after: options.after, paidUpOn })) {
    if (!entry.ok) {
      yield { type: "skipped", cursor: entry.cursor, accountId: entry.accountId, issues: entry.issues, reason: entry.reason };
      continue;
    }
    const checked = checkSnapshot(entry.account);
    if (!checked.ok) {
      yield { type: "skipped", cursor: entry.cursor, accountId: checked.accountId, issues: checked.issues, reason: checked.reason };
      continue;
    }
    if (checked.account.id === previous) {
      const issues = [ledgerIssue("duplicate_account", "id", "duplicate account id: the ledger streamed it again in this run; only the first is planned")];
      yield { type: "skipped", cursor: entry.cursor, accountId: checked.account.id, issues, reason: formatAccountIssues(checked.account.id, issues) };
      continue;
    }
    previous = checked.account.id;
    // Planning one account must never end the run: what it throws is that account's issue.
    let event: PlanEvent;
    try {
      const segment = segmentOf(entry.account.segment);
      const scheduler = pick(segment);
      event = { type: "planned", cursor: entry.cursor, accountId: checked.account.id, segment, actions: scheduler.dueActionsOn(checked.account, asOf), review: scheduler.actionsInsideHoldsOn(checked.account, asOf) };
    } catch (error) {
      event = { type: "skipped", cursor: entry.cursor, accountId: checked.account.id, ...unplannable(checked.account.id, error) };
    }
    yield event;
  }
}

/**
 * A ledger's account snapshot, checked (`normalizeAccount`), or why it cannot be used: its issues,
 * or what checking threw (amounts past the safe range, say). For everything that
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
  // An AccountError (a recorded stage no version names, say) carries its issues as data.
  const issues = isAccountError(error) ? [...error.issues] : [error instanceof UnsafeAmountError ? error.issue : { code: "unplannable", path: "", message: error instanceof Error ? error.message : String(error) }];
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
