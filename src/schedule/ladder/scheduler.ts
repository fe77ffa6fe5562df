/**
 * The scheduler: compile a policy once, then ask, for any account, which actions are due
 * (`dueActions`) or what will unfold if nothing more is paid (`forecast`). Pure: no clock, no
 * host time zone, no randomness; `asOf` is always an argument.
 */
import { InvalidArgumentError, PropertyDunningError } from "../../rules/errors.js";
import type { Policy } from "../../rules/schema.js";
import { formatAccountIssues, type Account, type AccountIssue, type AccountSnapshot } from "../../ledger/account.js";
import { normalizeAccount } from "../../ledger/check-account.js";
import type { PlannedAction } from "./action.js";
import { civilDate, type EpochDay } from "../time/civil-date.js";
import { compilePolicy, type CompiledPolicy } from "./compile.js";
import { DoneLog } from "./log.js";
import { buildActions } from "./deliver.js";
import { findCandidates } from "./plan-day.js";
import { actionsInsideHolds, type HoldReview } from "./hold-review.js";
import { continuation } from "./continues.js";
import { owedOnDay, type UnitOwed } from "./owed.js";

/** An account snapshot that cannot be planned; `issues` name the fields. */
export class AccountError extends PropertyDunningError {
  readonly accountId: string;
  readonly issues: readonly AccountIssue[];
  constructor(accountId: string, issues: readonly AccountIssue[]) {
    super("invalid_account", `invalid account\n${formatAccountIssues(accountId, issues)}`);
    this.name = "AccountError";
    this.accountId = accountId;
    this.issues = issues;
  }
}

export function isAccountError(error: unknown): error is AccountError {
  return error instanceof AccountError;
}

/** A compiled policy: which actions are due for an account on a day, and what will follow. */
export interface Scheduler {
  readonly policy: Policy;
  /**
   * The actions due on or before `asOf` (`YYYY-MM-DD` in the policy's zone) that the account's
   * action log does not already hold: at most one owner-facing action (the most severe due,
   * covering the rest) and at most one staff action. Throws `AccountError` for a malformed snapshot.
   *
   * @example
   * const scheduler = createScheduler(parsePolicy(builtinPolicySource("residential")));
   * const account = { id: "A-1201", charges: [{ id: "c-2026-03", period: "2026-03", dueOn: "2026-03-01", amountMinor: 32000 }] };
   * // S2: the billing notice at the start of the billing month…
   * scheduler.dueActions(account, "2026-03-24").map((a) => a.stage) // => ["billing_notice"]
   * // …and on day 25 of the same month, still unpaid, the dunning notice: the most severe stage
   * // due is the one action, posted on the door with an SMS.
   * const [notice] = scheduler.dueActions(account, "2026-03-25");
   * [notice.stage, notice.kind, notice.channels] // => ["dunning_notice", "dunningNotice", ["doorPosting", "sms"]]
   */
  dueActions(account: AccountSnapshot, asOf: string): PlannedAction[];
  /**
   * The timeline from `from` to `to` (inclusive) if nothing more is paid and every action is
   * carried out on the day it is planned. Actions recorded before `from` count; later ones are
   * replaced by the forecast.
   */
  forecast(account: AccountSnapshot, from: string, to: string): PlannedAction[];
  /**
   * The actions recorded on or before `asOf` that fall inside a hold which pauses them, for a
   * person's review: a hold recorded after the day it took effect (a backdated dispute or
   * promise) holds from its own date, and what was carried out in between is listed with the
   * hold and the reason. Throws `AccountError` for a malformed snapshot.
   *
   * @example
   * const scheduler = createScheduler(parsePolicy(builtinPolicySource("residential")));
   * // S2: March's dunning notice went up late, on 04-03; the owner's complaint, opened on 04-01,
   * // was entered only on 04-08. A dispute holds what presses for payment: the notice is listed.
   * const account = {
   *   id: "A-1201",
   *   charges: [{ id: "c1", period: "2026-03", dueOn: "2026-03-01", amountMinor: 32000 }],
   *   actions: [{ id: "A-1201:dunning_notice@c1", stage: "dunning_notice", on: "2026-04-03" }],
   *   holds: [{ type: "dispute", id: "d1", openedOn: "2026-04-01", severity: "major", recordedOn: "2026-04-08" }],
   * };
   * scheduler.actionsInsideHolds(account, "2026-04-08").map((r) => [r.actionId, r.holdId, r.holdFrom]) // => [["A-1201:dunning_notice@c1", "d1", "2026-04-01"]]
   */
  actionsInsideHolds(account: AccountSnapshot, asOf: string): readonly HoldReview[];
}

/**
 * The scheduler as the library's own planners use it: it also takes accounts already checked
 * (`normalizeAccount`) and, on the hot path, an epoch day. Not exported from the package: its
 * public form is {@link Scheduler}.
 */
export interface PlanningScheduler extends Scheduler {
  dueActions(account: AccountSnapshot | Account, asOf: string): PlannedAction[];
  forecast(account: AccountSnapshot | Account, from: string, to: string): PlannedAction[];
  actionsInsideHolds(account: AccountSnapshot | Account, asOf: string): readonly HoldReview[];
  /** `actionsInsideHolds` on an already normalised account and an epoch day. */
  actionsInsideHoldsOn(account: Account, asOf: EpochDay): readonly HoldReview[];
  /** `dueActions` on an already normalised account and an epoch day (the hot path). */
  dueActionsOn(account: Account, asOf: EpochDay): PlannedAction[];
  /**
   * The account as planning reads it on `asOf`: its recorded actions in this version's terms
   * (`continues`, continues.ts). Throws `AccountError` (`unknown_stage`) exactly when planning
   * it would: for `report`, which must count, review and skip accounts as `plan` does.
   */
  currentOn(account: Account, asOf: EpochDay): Account;
  /** What the account owes on `asOf`, each overdue charge with its late fee (owed.ts): what an owner's one notice lists for a unit. */
  owedOn(account: Account, asOf: EpochDay): UnitOwed;
}

/**
 * An account ready for planning: a checked one as it is, a snapshot checked (`normalizeAccount`);
 * an `AccountError` naming the fields when the snapshot has issues. What every function that
 * takes `AccountSnapshot | Account` does first.
 */
export function toAccount(input: AccountSnapshot | Account): Account {
  if ("snapshot" in input) return input;
  const result = normalizeAccount(input);
  if (!result.ok) throw new AccountError(result.accountId, result.issues);
  return result.account;
}

/** Compiles `policy` once into the planners' scheduler ({@link PlanningScheduler}). */
export function compileScheduler(policy: Policy): PlanningScheduler {
  const compiled: CompiledPolicy = compilePolicy(policy);
  // Recorded actions in this version's terms (continues.ts); a stage nothing names is the
  // account's issue: planned anyway, that warning could go out again.
  const continued = continuation(compiled);
  const current = (input: Account, asOf: EpochDay): Account => {
    // Paid up with no holds and no residualLateFee: nothing is planned and the log is never read
    // (plan-day.ts). A SQL ledger hands such an account over without its rows
    // (ReadOptions.paidUpOn), so every ledger must plan it alike, whatever its actions name. What
    // `continues` names is still read anew (a report counts it under its stage now). With
    // residualLateFee the fee left is planned from the log (its notices, its steps): read in this
    // version's terms like any account's.
    if (compiled.residual === undefined && input.holds.length === 0 && paidUpOn(input, asOf)) return compiled.policy.continues ? continued(input).account : input;
    const { account, issues } = continued(input);
    if (issues.length > 0) throw new AccountError(input.id, issues);
    return account;
  };

  function dueActionsOn(input: Account, asOf: EpochDay): PlannedAction[] {
    const account = current(input, asOf);
    const day = findCandidates(compiled, account, asOf);
    return day ? buildActions(compiled, account, asOf, day) : [];
  }

  // The review lists an action of a stage nothing names, saying so (hold-review.ts).
  const actionsInsideHoldsOn = (account: Account, asOf: EpochDay) => actionsInsideHolds(compiled, continued(account).account, asOf);

  return {
    policy,
    dueActionsOn,
    actionsInsideHoldsOn,
    currentOn: current,
    owedOn: (input, asOf) => owedOnDay(compiled, current(input, asOf), asOf),
    actionsInsideHolds: (input, asOf) => actionsInsideHoldsOn(toAccount(input), civilDate(asOf)),
    dueActions(input, asOf) {
      return dueActionsOn(toAccount(input), civilDate(asOf));
    },
    forecast(input, fromText, toText) {
      const from = civilDate(fromText);
      const to = civilDate(toText);
      // Paid up on `from` is paid up on every later day (the charges are the ledger's; payments only add).
      const account = current(toAccount(input), from);
      if (to < from) throw new InvalidArgumentError("invalid_range", "to", `forecast: to (${toText}) is before from (${fromText})`);
      const log = DoneLog.fromRecorded(compiled, account, from);
      const out: PlannedAction[] = [];
      for (let d = from; d <= to; d++) {
        const day = findCandidates(compiled, account, d, log);
        if (!day) continue;
        for (const action of buildActions(compiled, account, d, day)) {
          out.push(action);
          log.add(action.stage, action.covers.map((c) => c.key), d, action.channels);
        }
      }
      return out;
    },
  };
}

/**
 * Compiles `policy` once; the returned scheduler plans any number of accounts. Throws
 * `PolicyError` for a policy that does not compile (a condition on an unknown fact).
 */
export function createScheduler(policy: Policy): Scheduler {
  const scheduler = compileScheduler(policy);
  return { policy, dueActions: scheduler.dueActions, forecast: scheduler.forecast, actionsInsideHolds: scheduler.actionsInsideHolds };
}

/** Whether the account's payments up to `asOf` cover everything it was billed (plan-day.ts's first question). */
function paidUpOn(account: Account, asOf: EpochDay): boolean {
  let paid = 0;
  for (const p of account.payments) {
    if (p.on > asOf) break;
    paid += p.amount;
  }
  let billed = 0;
  for (const c of account.charges) billed += c.amount;
  return paid >= billed;
}
