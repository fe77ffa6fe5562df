/**
 * Ledger arithmetic for the checkers, written independently of the scheduler so that a checker
 * does not trust the code it checks: balances on a day (oldest due first, Civil Code art. 560),
 * the policy's ladders, the window a simulation covers, and the daily planning loop a vendor runs.
 */
import { conditionFacts } from "../rules/conditions.js";
import { DEADLINE_KINDS, type StageKind } from "../rules/kinds.js";
import type { Policy } from "../rules/schema.js";
import { placeInLadder, predecessorOf, roughDaysAfterDue, type Ladder } from "../rules/vocabulary-triggers.js";
import type { AccountSnapshot, ChargeSnapshot, RecordedAction } from "../ledger/account.js";
import { actionId, keyOfActionId, type PlannedAction } from "../schedule/ladder/action.js";
import { addMonths, civilDate, dayOfMonth, formatCivilDate, parsePeriod } from "../schedule/time/civil-date.js";
import type { Scheduler } from "../schedule/ladder/scheduler.js";

/** Charges in the order payments pay them: oldest due first, then period, then id. */
export function chargesInPayOrder(account: AccountSnapshot): ChargeSnapshot[] {
  return [...account.charges].sort((a, b) => {
    const da = civilDate(a.dueOn);
    const db = civilDate(b.dueOn);
    return da - db || (a.period < b.period ? -1 : a.period > b.period ? 1 : 0) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  });
}

export interface Balances {
  /** Charge id → principal still unpaid at the end of `day`. */
  unpaid: Map<string, number>;
  /** Unpaid principal of charges due before `day`. */
  overdueMinor: number;
  /** Unpaid principal of every charge. */
  unpaidMinor: number;
}

/** Balances at the end of `day` (payments on `day` count), payments applied oldest due first. */
export function balancesOn(account: AccountSnapshot, day: string): Balances {
  const d = civilDate(day);
  let paid = 0;
  for (const p of account.payments ?? []) if (civilDate(p.on) <= d) paid += p.amountMinor;
  const unpaid = new Map<string, number>();
  let overdueMinor = 0;
  let unpaidMinor = 0;
  for (const c of chargesInPayOrder(account)) {
    const applied = Math.min(paid, c.amountMinor);
    paid -= applied;
    const rest = c.amountMinor - applied;
    unpaid.set(c.id, rest);
    unpaidMinor += rest;
    if (civilDate(c.dueOn) < d) overdueMinor += rest;
  }
  return { unpaid, overdueMinor, unpaidMinor };
}

/** One stage's place in its ladder, by the rule the README states. */
export interface LadderStage {
  id: string;
  index: number;
  kind: StageKind;
  /**
   * The ladder (rules/vocabulary-triggers.ts). `charge`: runs once per charge; `arrears`: once
   * per arrears episode of the account; `limitation`: before each charge's limitation date, which
   * these checks do not order.
   */
  ladder: Ladder;
  /** The warning this stage follows in its ladder, if any. */
  pred: string | undefined;
}

/**
 * The ladders of a policy, by the rule the compiler uses (`placeInLadder` in
 * rules/vocabulary-triggers.ts): arrears stages form one ladder; in the charge ladder every
 * dunning-class stage follows the one listed before it (bills and reminders only inform); a
 * stage that follows another (`afterStage`) climbs that stage's ladder after it.
 */
export function ladders(policy: Policy): Map<string, LadderStage> {
  const out = new Map<string, LadderStage>();
  const list: LadderStage[] = [];
  policy.stages.forEach((stage, index) => {
    const place = placeInLadder(stage.trigger, stage.kind, list);
    // A stage that follows one not listed before it: parsePolicy refuses that policy.
    const pred = place === undefined ? predecessorOf(stage.trigger) : place.pred >= 0 ? list[place.pred]!.id : undefined;
    const entry: LadderStage = { id: stage.id, index, kind: stage.kind, ladder: place?.ladder ?? "charge", pred };
    list.push(entry);
    out.set(stage.id, entry);
  });
  return out;
}

/** The civil date `n` days after `day`. */
export function addDays(day: string, n: number): string {
  return formatCivilDate(civilDate(day) + n);
}

/** The charge id of an instance key `stage@charge`. */
export function chargeOfKey(key: string): string {
  return key.slice(key.indexOf("@") + 1);
}

/** The facts the policy's conditions read (a twin may differ in anything else). */
export function factsRead(policy: Policy): Set<string> {
  return new Set(policy.stages.flatMap((s) => (s.conditions ? conditionFacts(s.conditions) : [])));
}

/** Owner tags the policy treats specially: every tag when a condition reads `tags`, else those its protections name. */
export function tagsRead(policy: Policy): "all" | Set<string> {
  if (factsRead(policy).has("tags")) return "all";
  return new Set((policy.protections ?? []).map((p) => p.tag));
}

/**
 * What a vendor records after carrying out `action` on `on`: its id, stage, day, the instances it
 * covers and the channels actually used (frequency caps count them; `forecast` does too).
 */
export function recordOf(action: PlannedAction, on: string = action.plannedOn): RecordedAction {
  return { id: action.id, stage: action.stage, on, covers: action.covers.map((c) => c.key), channels: [...action.channels] };
}

/** The same account under another id: recorded action ids keep their `account:` prefix in step. */
export function renameAccount(account: AccountSnapshot, id: string): AccountSnapshot {
  const actions = account.actions?.map((a) => {
    const key = keyOfActionId(account.id, a.id);
    return key === undefined ? a : { ...a, id: actionId(id, key) };
  });
  return { ...account, id, ...(actions ? { actions } : {}) };
}

/** Days (roughly) from a charge's due date to the last regular date of each ladder of `policy`. */
function spans(policy: Policy): { before: number; charge: number; arrears: number; deadline: number } {
  const reach = new Map<string, number>();
  let before = 0;
  let charge = 0;
  let arrears = 0;
  let deadline = 0;
  const lad = ladders(policy);
  for (const s of policy.stages) {
    const days = roughDaysAfterDue(s.trigger, (id) => reach.get(id) ?? 0);
    reach.set(s.id, days);
    if (predecessorOf(s.trigger) === undefined) before = Math.min(before, days); // a pre-due reminder (a chain counts from its first stage)
    if (lad.get(s.id)?.ladder === "arrears") arrears = Math.max(arrears, days);
    else charge = Math.max(charge, days);
    if (DEADLINE_KINDS.has(s.kind)) deadline = Math.max(deadline, s.deadlineDays ?? 15);
  }
  return { before, charge, arrears, deadline };
}

/**
 * The days a simulation of `account` covers: from just before its first charge's billing month
 * (or its earliest pre-due reminder) to when the last ladder step can fall due, with room for
 * catching up and for deadlines; at most five years past the last due date.
 */
export function simulationWindow(policy: Policy, account: AccountSnapshot): { from: string; to: string } {
  if (account.charges.length === 0) return { from: "2025-01-01", to: "2025-03-31" };
  const dues = account.charges.map((c) => civilDate(c.dueOn));
  const starts = account.charges.map((c) => {
    const month = parsePeriod(c.period);
    return month === undefined ? civilDate(c.dueOn) : dayOfMonth(month, 1);
  });
  const firstDue = Math.min(...dues);
  const lastDue = Math.max(...dues);
  const s = spans(policy);
  const from = Math.min(...starts, firstDue + s.before) - 1;
  const ladderCount = Math.max(1, policy.stages.length);
  const slack = s.deadline + 2 * ladderCount + 20;
  const to = Math.min(Math.max(lastDue + s.charge, firstDue + s.arrears) + slack, addMonths(lastDue, 60));
  return { from: formatCivilDate(from), to: formatCivilDate(Math.max(to, from + 31)) };
}

/**
 * Plans every day from `from` to `to` with `dueActions`, carrying out and recording each action
 * (with its covers) on the day it is planned, the way a vendor's nightly job does.
 */
export function planDaily(
  scheduler: Scheduler,
  account: AccountSnapshot,
  from: string,
  to: string,
  onDay?: (day: string, actions: PlannedAction[], log: RecordedAction[]) => void,
): PlannedAction[] {
  const log: RecordedAction[] = [...(account.actions ?? [])];
  const out: PlannedAction[] = [];
  for (let d = civilDate(from), end = civilDate(to); d <= end; d++) {
    const day = formatCivilDate(d);
    const actions = scheduler.dueActions({ ...account, actions: log }, day);
    for (const action of actions) {
      out.push(action);
      log.push(recordOf(action, day));
    }
    onDay?.(day, actions, log);
  }
  return out;
}
