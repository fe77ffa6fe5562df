/**
 * What remains after the principal (issue 18, item 5; the policy's `residualLateFee`,
 * rules/residual-fee.ts): the reminders about a late fee left on a charge whose principal is paid,
 * and the waiver a person confirms. Two hooks: compile.ts adds the steps (rules/residual-fee.ts
 * `residualSteps`) as stages of the scheduler's own (ladder `hold`: their day comes from the
 * payment, not from a trigger; marked `residual`: anchored on a charge, so the holds judge them per
 * charge), and plan-day.ts asks `residualFeeCandidates` for the day's due steps.
 *
 * The rule, per charge. The day its principal was paid (payments counted principal first, oldest
 * charge first, as the ladder counts them) is day 0 of its fee's ladder. While something remains
 * on it under the policy's payment order (the fee less what was paid of it; under art. 561, the
 * principal the fee took), reminder k is due on day `daysAfterPrincipalPaid` of it and, once the
 * waiver's day has come, only the waiver: a staff task that a person confirms. Recording the
 * waiver ends the charge's fee ladder. Nothing while any principal is overdue (the main ladder
 * speaks then, and resumes the fee's steps after it). The holds pause a step as they pause any
 * stage, by the one rule (holds.ts `heldOn`): a kept instalment plan every step on its charges, a
 * manual hold of scope `all` everything, a dispute or a promise a reminder that presses for payment.
 * A kept plan is over once its instalments are all paid (holds.ts `planFinishedOn`): the fee's
 * steps of its charges then resume, counted from the day it ended rather than from the day the
 * principal was paid (which may lie months inside the plan), so that they do not all fall due at
 * once; `because` says so.
 *
 * Without the field nothing here runs: the ladder then plans nothing for such a fee (the scheduler
 * returns early for an account whose payments cover every charge), and the fee stays owed.
 */
import type { Account, Charge } from "../../ledger/account.js";
import type { StageKind } from "../../rules/kinds.js";
import { unpaidOldestFirst } from "../fees/allocation.js";
import { lateFeesUnderClause } from "../fees/late-fees.js";
import { formatMinor } from "../fees/money-text.js";
import { formatDay, type EpochDay } from "../time/civil-date.js";
import type { CompiledPolicy, CompiledStage } from "./compile.js";
import { heldOn, planFinishedOn, type HoldView } from "./holds.js";
import type { DoneLog } from "./log.js";

/** A due residual step, in the shape of plan-day.ts's `Candidate`. */
export interface ResidualCandidate {
  cs: CompiledStage;
  charge: Charge;
  anchor: string;
  key: string;
  due: EpochDay;
  regular: EpochDay;
  note: string;
}

/** The recorded notices, for a `paidWithinDaysOfNotice` waiver of the clause (as deliver.ts reads them). */
function noticesOf(compiled: CompiledPolicy, log: DoneLog): Array<{ on: EpochDay; kind: StageKind }> {
  const out: Array<{ on: EpochDay; kind: StageKind }> = [];
  if (!compiled.policy.lateFee?.waivers?.some((w) => w.type === "paidWithinDaysOfNotice")) return out;
  for (const [id, days] of log.byStage) {
    const kind = log.stageOf(id)?.kind;
    if (kind) for (const on of days) out.push({ on, kind });
  }
  return out;
}

/**
 * The residual steps due on `asOf` (see the file's comment). `unpaid`: each charge's principal
 * unpaid as the ladder counts it (plan-day.ts's allocation), `log` and `holds` as plan-day.ts has them.
 */
export function residualFeeCandidates(compiled: CompiledPolicy, account: Account, asOf: EpochDay, unpaid: readonly number[], log: DoneLog, holds: HoldView): ResidualCandidate[] {
  const r = compiled.residual;
  const clause = compiled.policy.lateFee;
  if (r === undefined || clause === undefined) return [];
  const { charges, payments } = account;
  // While principal is overdue the main ladder speaks; the fee's steps wait for it.
  for (let i = 0; i < charges.length; i++) if (unpaid[i]! > 0 && charges[i]!.due < asOf) return [];
  const paidOffOn = new Array<EpochDay>(charges.length);
  unpaidOldestFirst(charges, payments, asOf, paidOffOn);
  // Only a charge paid after its due date can carry a fee: most accounts stop here.
  let late = false;
  for (let i = 0; i < charges.length && !late; i++) late = paidOffOn[i]! > charges[i]!.due && paidOffOn[i]! <= asOf;
  if (!late) return [];
  const order = compiled.policy.paymentOrder ?? "costsLateFeePrincipal";
  const fees = lateFeesUnderClause(clause, account, asOf, { isWorkingDay: compiled.calendar.isStatutoryWorkingDay, notices: noticesOf(compiled, log), order, detail: false, balances: true });
  const { code, minorDigits } = compiled.policy.currency;
  const money = (minor: number) => `${formatMinor(minor, minorDigits, false)} ${code}`;
  const out: ResidualCandidate[] = [];
  const ended = plansEnded(compiled, account, asOf);
  for (let i = 0; i < charges.length; i++) {
    const charge = charges[i]!;
    const cleared = paidOffOn[i]!;
    if (!(cleared > charge.due && cleared <= asOf)) continue;
    // Day 0 of the fee's ladder: the day the principal was paid, or a later day a plan holding the charge ended.
    const plan = ended.get(charge.id);
    const start = plan !== undefined && plan.on > cleared ? plan.on : cleared;
    const balance = fees.balances![i]!;
    const fee = Math.max(0, fees.charges[i]!.amountMinor - balance.lateFeePaidMinor);
    const remaining = balance.principalUnpaidMinor + fee;
    if (remaining <= 0) continue;
    if (r.waiver && log.doneFor(charge.id, r.waiver.cs.index) !== undefined) continue; // a person waived it
    const paid = formatDay(cleared);
    const left =
      balance.principalUnpaidMinor > 0
        ? `${money(remaining)} remains: principal ${money(balance.principalUnpaidMinor)} left because payments paid the late fee first (art. 561), and ${money(fee)} of late fee accrued on it since`
        : `${money(fee)} of its late fee remains`;
    const since =
      start === cleared
        ? `charge ${charge.id} (${charge.period}) was paid on ${paid}`
        : `installment plan ${plan!.id} ended on ${formatDay(start)}, its instalments all paid (charge ${charge.id} (${charge.period}) was paid on ${paid}, inside the plan, which held its fee's steps)`;
    const step = (cs: CompiledStage, days: number, what: string): ResidualCandidate => ({
      cs,
      charge,
      anchor: charge.id,
      key: `${cs.id}@${charge.id}`,
      due: start + days,
      regular: start + days,
      note: `${what} ${days} days after ${since}: ${left}`,
    });
    if (r.waiver && start + r.waiver.days <= asOf) {
      if (!heldOn(compiled, holds, r.waiver.cs, charge.id)) out.push(step(r.waiver.cs, r.waiver.days, "waiver for a person to confirm"));
      continue; // no reminder once the waiver is due
    }
    for (const { cs, days } of r.reminders) {
      if (start + days > asOf || log.doneFor(charge.id, cs.index) !== undefined || heldOn(compiled, holds, cs, charge.id)) continue;
      out.push(step(cs, days, "late-fee reminder"));
    }
  }
  return out;
}

/** Each charge's latest installment plan that is finished by `asOf` (its instalments all paid): its id and the day it ended. */
function plansEnded(compiled: CompiledPolicy, account: Account, asOf: EpochDay): Map<string, { id: string; on: EpochDay }> {
  const ended = new Map<string, { id: string; on: EpochDay }>();
  for (const hold of account.holds) {
    if (hold.type !== "installmentPlan" || hold.agreed > asOf) continue;
    const on = planFinishedOn(account, hold, compiled.holdRules.installmentGraceDays);
    if (on === undefined || on > asOf) continue;
    for (const c of hold.charges) {
      const before = ended.get(c);
      if (before === undefined || before.on < on) ended.set(c, { id: hold.id, on });
    }
  }
  return ended;
}
