/**
 * Planning a whole ledger: stream accounts through an adapter, plan each with the scheduler of
 * its policy, and yield the due actions. Memory stays constant however large the ledger: ledgers
 * stream in the read order (read-order.ts), so one owner's units are held at most; one account
 * that fails to load or plan is reported (id and issues) and the rest go on.
 */
import type { ExecutedAction, LedgerAdapter, Shard } from "./adapter.js";
import type { Issue } from "../rules/errors.js";
import type { Policy } from "../rules/schema.js";
import { formatAccountIssues, ledgerIssue, UnsafeAmountError, type Account, type AccountSnapshot } from "./account.js";
import { isObject, normalizeAccount } from "./check-account.js";
import { compareIds } from "./read-order.js";
import type { PlannedAction } from "../schedule/ladder/action.js";
import { civilDate, formatCivilDate, type EpochDay } from "../schedule/time/civil-date.js";
import { coordinateOwner, type WaitingAction } from "../schedule/owners/coordinate.js";
import { isAccountError, type PlanningScheduler, type Scheduler } from "../schedule/ladder/scheduler.js";
import type { HoldReview } from "../schedule/ladder/hold-review.js";
import { estateSchedulerPicker, policiesBySegment, segmentOf, type EstatePolicies, type PolicyChoice, type Segment } from "./policy-choice.js";
export { estateSchedulerPicker, policiesBySegment, schedulerPicker, segmentOf, SEGMENTS } from "./policy-choice.js";
export type { EstatePolicies, PolicyChoice, Segment, SegmentPolicies } from "./policy-choice.js";

export interface PlanOptions {
  /** The planning day, `YYYY-MM-DD` in the policy's time zone. */
  asOf: string;
  /** Default: the built-in of each account's segment (residential when absent). With `estates`: the policy of a segment in an estate `estates` does not cover. */
  policy?: PolicyChoice;
  /**
   * A policy per estate and segment, chosen by the account's `estate`. An account follows its
   * estate's policy for its segment, else `policy`'s for its segment; when neither names one (an
   * estate not listed, say), it is reported (`skipped`, code `no_policy`, path `estate`), never
   * given a built-in by default: one estate's rules must not reach another's owners unasked.
   */
  estates?: EstatePolicies;
  shard?: Shard;
  /** Resume after this cursor (from a previous run's last `cursor`); `""` reads from the start. */
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
      /** Owner-facing actions held back because another of the owner's units is contacted today, or the owner's caps are reached (`why`); present only when there are some. */
      waiting?: readonly WaitingAction[];
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
  const pick = estateSchedulerPicker(options.policy, options.estates);
  // The units of an owner arrive together (the read order, read-order.ts): they wait here until
  // the key changes, then are planned together (planOwner): the owner, not the unit, is
  // contacted. One owner's units wait at most; a unit without owner.id is planned as it is read
  // (also one whose id is the waiting owner's, which sorts among its units), so events come in
  // the read order.
  let waiting: { ownerId: string; units: Account[]; resume: string } | undefined;
  // The greatest owner key met so far. A unit whose owner is neither the waiting one nor above it
  // came out of the read order: its owner may already have been planned without it, so it is
  // reported (out_of_order), never planned alone (that could contact its owner twice a day).
  let highest: string | undefined;
  // While units wait, an event (a row reported meanwhile) carries the cursor just before the
  // first of them, never one past it: a consumer that resumes from an event's cursor (the jobs
  // worker's checkpoint) reads them again rather than never planning them. An owner's own
  // events carry the cursor of the last entry read before the next key, so a resume never splits
  // an owner. `""` (the first entry waits) reads from the start.
  let read = options.after ?? "";
  // The last line of defence against sending twice: an adapter (a vendor's own, say) that streams
  // an account twice under one key has the repeat reported: ids ascend within a key, so the
  // repeat comes right after the first, and the previous id is all there is to remember. Under
  // two keys (a view joined to a co-owners table: (O-1, A), (O-1, B), (O-2, A)) the repeat is
  // anywhere later, and catching it here would mean remembering every id (about 53 MB a million
  // ids), against the constant memory above: the adapter must stream each id once (adapter.ts);
  // the SQL ledgers ask for repeated ids up front (repeats.ts), JSON Lines remembers its own.
  let previous: string | undefined;
  // paidUpOn: a ledger whose database vouches for its rows may hand over an account that is paid
  // up and has no holds without them (nothing is due: findCandidates returns early for it).
  // (Not when a policy chases a fee left once the principal is paid: such an account is paid up.)
  const chosen = [options.policy, ...Object.values(options.estates ?? {})].flatMap((c) => Object.values(policiesBySegment(c)));
  const paidUpOn = chosen.some((p) => p?.residualLateFee) ? undefined : options.asOf;
  const after = options.after === "" ? undefined : options.after;
  for await (const entry of ledger.accounts({ shard: options.shard, after, paidUpOn })) {
    const before = read;
    read = entry.cursor;
    const cursor = waiting?.resume ?? entry.cursor;
    if (!entry.ok) {
      yield { type: "skipped", cursor, accountId: entry.accountId, issues: entry.issues, reason: entry.reason };
      continue;
    }
    const checked = checkSnapshot(entry.account);
    if (!checked.ok) {
      yield { type: "skipped", cursor, accountId: checked.accountId, issues: checked.issues, reason: checked.reason };
      continue;
    }
    if (checked.account.id === previous) {
      const issues = [ledgerIssue("duplicate_account", "id", "duplicate account id: the ledger streamed it again in this run; only the first is planned")];
      yield { type: "skipped", cursor, accountId: checked.account.id, issues, reason: formatAccountIssues(checked.account.id, issues) };
      continue;
    }
    previous = checked.account.id;
    const ownerId = checked.account.snapshot.owner?.id;
    if (waiting !== undefined && waiting.ownerId === ownerId) {
      waiting.units.push(checked.account);
      continue;
    }
    // Owner ids and account ids share the key: a unit without owner whose id is the waiting
    // owner's sorts among that owner's units, (Z, A), (Z, Z), (Z, ZZ). It is planned alone, as
    // it is read, and the owner goes on waiting; its event carries the owner's resume cursor, so
    // a resume from it reads the whole owner (and it) again.
    if (waiting !== undefined && ownerId === undefined && checked.account.id === waiting.ownerId) {
      yield planUnit(checked.account, waiting.resume, pick, asOf);
      continue;
    }
    // Another key: the owner waiting has all its units (in the read order), so it is planned
    // now, and everything read so far is planned once it is.
    if (waiting !== undefined) yield* planOwner(waiting.ownerId, waiting.units, before, pick, asOf, waiting.resume);
    waiting = undefined;
    if (ownerId === undefined) {
      yield planUnit(checked.account, entry.cursor, pick, asOf);
      continue;
    }
    if (highest !== undefined && compareIds(ownerId, highest) <= 0) {
      const issues = [outOfOrder(ownerId, highest)];
      yield { type: "skipped", cursor: entry.cursor, accountId: checked.account.id, issues, reason: formatAccountIssues(checked.account.id, issues) };
      continue;
    }
    waiting = { ownerId, units: [checked.account], resume: before };
    highest = ownerId;
  }
  if (waiting !== undefined) yield* planOwner(waiting.ownerId, waiting.units, read, pick, asOf, waiting.resume);
}

/** A unit whose owner's key came back after the stream had moved past it. */
function outOfOrder(ownerId: string, highest: string): Issue {
  return ledgerIssue(
    "out_of_order",
    "owner.id",
    `owner ${JSON.stringify(ownerId)} comes after owner ${JSON.stringify(highest)}: the ledger does not stream in the read order (owner id, else account id; then account id), so this owner's units are not together and this one is not planned (planning it alone could contact the owner twice); sort the ledger in that order (docs/ledger-format.md, "The read order")`,
  );
}

type Picker = ReturnType<typeof estateSchedulerPicker>;

/**
 * A planner of what `plan()` yields for some accounts on a day, at once and without a ledger: the
 * same owner pass over the units that share an `owner.id`. For the proof kit, which plans an
 * owner's units day by day; cursors are `""`.
 */
export function accountsPlanner(options: Pick<PlanOptions, "policy" | "estates"> & { scheduler?: (policy: Policy) => Scheduler }): (snapshots: readonly AccountSnapshot[], asOf: string) => PlanEvent[] {
  // The policies are compiled once, on first use, for every day planned.
  const pick = estateSchedulerPicker(options.policy, options.estates);
  const build = options.scheduler;
  if (build === undefined) return (snapshots, day) => planAccountsOn(snapshots, civilDate(day), pick);
  // The proof kit's own scheduler (checkPolicy's `scheduler`, a mutant, say) plans each unit; the owner pass is plan()'s.
  const own = new Map<Policy, PlanningScheduler>();
  const wrapped: Picker = (segment, estate) => {
    const chosen = pick(segment, estate);
    if (!("dueActionsOn" in chosen)) return chosen;
    let s = own.get(chosen.policy);
    if (!s) {
      const custom = build(chosen.policy);
      const snapshot = (a: Account): AccountSnapshot => ({ ...a.snapshot, optOuts: [...a.optOuts] });
      s = { ...chosen, dueActionsOn: (a, d) => custom.dueActions(snapshot(a), formatCivilDate(d)), actionsInsideHoldsOn: (a, d) => custom.actionsInsideHolds(snapshot(a), formatCivilDate(d)) };
      own.set(chosen.policy, s);
    }
    return s;
  };
  return (snapshots, day) => planAccountsOn(snapshots, civilDate(day), wrapped);
}

function planAccountsOn(snapshots: readonly AccountSnapshot[], asOf: EpochDay, pick: Picker): PlanEvent[] {
  const events: PlanEvent[] = [];
  const owners = new Map<string, Account[]>();
  for (const snapshot of snapshots) {
    const checked = checkSnapshot(snapshot);
    if (!checked.ok) events.push({ type: "skipped", cursor: "", accountId: checked.accountId, issues: checked.issues, reason: checked.reason });
    else if (snapshot.owner?.id === undefined) events.push(planUnit(checked.account, "", pick, asOf));
    else owners.set(snapshot.owner.id, [...(owners.get(snapshot.owner.id) ?? []), checked.account]);
  }
  for (const [ownerId, units] of owners) events.push(...planOwner(ownerId, units, "", pick, asOf));
  return events;
}

/** One account's event alone: its actions, or what stopped them (planning one account must never end the run). */
function planUnit(account: Account, cursor: string, pick: Picker, asOf: EpochDay): PlanEvent {
  try {
    const segment = segmentOf(account.snapshot.segment);
    const scheduler = pick(segment, account.snapshot.estate);
    if (!("dueActionsOn" in scheduler)) return { type: "skipped", cursor, accountId: account.id, issues: [scheduler], reason: formatAccountIssues(account.id, [scheduler]) };
    return { type: "planned", cursor, accountId: account.id, segment, actions: scheduler.dueActionsOn(account, asOf), review: scheduler.actionsInsideHoldsOn(account, asOf) };
  } catch (error) {
    return { type: "skipped", cursor, accountId: account.id, ...unplannable(account.id, error) };
  }
}

/**
 * One owner's units: each planned with the owner-level fields of all (tags and opt-outs, their
 * union: an opt-out or a protection on one unit holds for the owner), then the owner pass
 * (`coordinateOwner`). A unit that cannot be planned is reported and the others go on. The last
 * event carries `cursor` (past the owner), the others `resume` (before its first unit).
 */
function* planOwner(ownerId: string, accounts: readonly Account[], cursor: string, pick: Picker, asOf: EpochDay, resume = cursor): Generator<PlanEvent> {
  const tags = [...new Set(accounts.flatMap((a) => a.snapshot.owner?.tags ?? []))];
  const optOuts = new Set(accounts.flatMap((a) => [...a.optOuts]));
  const planned: { account: Account; scheduler: PlanningScheduler; event: PlanEvent & { type: "planned" } }[] = [];
  const events: PlanEvent[] = [];
  for (const unit of accounts) {
    const own = unit.snapshot.owner?.tags ?? [];
    const account: Account =
      accounts.length === 1 ? unit : { ...unit, snapshot: new Set(own).size === tags.length ? unit.snapshot : { ...unit.snapshot, owner: { ...unit.snapshot.owner, tags } }, optOuts: optOuts.size === unit.optOuts.size ? unit.optOuts : optOuts };
    const event = planUnit(account, cursor, pick, asOf);
    events.push(event);
    if (event.type === "planned") planned.push({ account, scheduler: pick(event.segment, account.snapshot.estate) as PlanningScheduler, event });
  }
  // A unit that could not be planned still has its history: what it recorded reached the owner
  // (today's contact, the caps' count); only its planning is skipped.
  const history = events.flatMap((event, i) => (event.type === "skipped" ? [{ account: accounts[i]!, policy: policyOf(accounts[i]!, pick) }] : []));
  try {
    const units = planned.map((p) => ({ account: p.account, policy: p.scheduler.policy, actions: p.event.actions, owed: () => p.scheduler.owedOn(p.account, asOf) }));
    const days = coordinateOwner(ownerId, units, asOf, history);
    days.forEach((day, i) => {
      const { event } = planned[i]!;
      event.actions = day.actions;
      if (day.waiting.length > 0) event.waiting = day.waiting;
    });
  } catch (error) {
    for (const p of planned) events[events.indexOf(p.event)] = { type: "skipped", cursor, accountId: p.account.id, ...unplannable(p.account.id, error) };
  }
  // Only the owner's last event moves the cursor past the owner: a consumer that stops after
  // any other (the jobs worker checkpoints every so many events) reads the whole owner again.
  events.forEach((event, i) => {
    if (i < events.length - 1) event.cursor = resume;
  });
  yield* events;
}

/** The policy a unit follows, if one can be chosen (none for an estate without one, say). */
function policyOf(account: Account, pick: Picker): Policy | undefined {
  try {
    const chosen = pick(segmentOf(account.snapshot.segment), account.snapshot.estate);
    return "dueActionsOn" in chosen ? chosen.policy : undefined;
  } catch {
    return undefined;
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
