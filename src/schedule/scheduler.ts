/**
 * The scheduler: compile a policy once, then ask, for any account, which actions are due
 * (`dueActions`) or what will unfold if nothing more is paid (`forecast`). Pure: no clock, no
 * host time zone, no randomness; `asOf` is always an argument.
 */
import { InvalidArgumentError, PropertyDunningError } from "../rules/errors.js";
import type { Policy } from "../rules/schema.js";
import { formatAccountIssues, type Account, type AccountIssue, type AccountSnapshot } from "./account.js";
import { normalizeAccount } from "./check-account.js";
import type { PlannedAction } from "./action.js";
import { civilDate, type EpochDay } from "./civil-date.js";
import { compilePolicy, type CompiledPolicy } from "./compile.js";
import { DoneLog } from "./log.js";
import { buildActions } from "./deliver.js";
import { findCandidates } from "./plan-day.js";

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

export interface Scheduler {
  readonly policy: Policy;
  /**
   * The actions due on or before `asOf` that the account's action log does not already hold:
   * at most one owner-facing action (the most severe due, covering the rest) and at most one
   * staff action. Throws `AccountError` for a malformed snapshot.
   */
  dueActions(account: AccountSnapshot | Account, asOf: string): PlannedAction[];
  /**
   * The timeline from `from` to `to` (inclusive) if nothing more is paid and every action is
   * carried out on the day it is planned. Actions recorded before `from` count; later ones are
   * replaced by the forecast.
   */
  forecast(account: AccountSnapshot | Account, from: string, to: string): PlannedAction[];
  /** `dueActions` on an already normalised account and an epoch day (the hot path). */
  dueActionsOn(account: Account, asOf: EpochDay): PlannedAction[];
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

/** Compiles `policy` once; the returned scheduler plans any number of accounts. */
export function createScheduler(policy: Policy): Scheduler {
  const compiled: CompiledPolicy = compilePolicy(policy);

  function dueActionsOn(account: Account, asOf: EpochDay): PlannedAction[] {
    const day = findCandidates(compiled, account, asOf);
    return day ? buildActions(compiled, account, asOf, day) : [];
  }

  return {
    policy,
    dueActionsOn,
    dueActions(input, asOf) {
      return dueActionsOn(toAccount(input), civilDate(asOf));
    },
    forecast(input, fromText, toText) {
      const account = toAccount(input);
      const from = civilDate(fromText);
      const to = civilDate(toText);
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
