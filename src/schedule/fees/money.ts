/**
 * The money API as a vendor calls it: a policy, an account snapshot and a civil date in; late
 * fees per charge with their accrual rows, and limitation dates, out (civil dates, no epoch
 * days). The functions of given terms (`lateFeesUnderClause` in late-fees.ts,
 * `limitationDatesFromTerms` in limitation.ts) do the arithmetic on epoch days; this file reads
 * the terms from the policy. `limitationDaysOf` is `limitationDates` on a checked account and an
 * epoch day, for the reports, which hold one already and count days with it.
 */
import type { Policy } from "../../rules/schema.js";
import type { Account, AccountSnapshot } from "../../ledger/account.js";
import { workingCalendarOf } from "../time/calendar.js";
import { civilDate, formatCivilDate, type EpochDay } from "../time/civil-date.js";
import { allocationReport } from "./allocation.js";
import { lateFeesUnderClause, type LateFeeReport, type LateFeeReportOnDays } from "./late-fees.js";
import { limitationDatesFromTerms, limitationReport, plansOf, type LimitationReport, type LimitationReportOnDays } from "./limitation.js";
import { toAccount } from "../ladder/scheduler.js";

/**
 * The account's late fees on `asOf` under the policy's clause: per charge the days late, the
 * rate, the uncapped amount, the cap that applied, any waiver and why, the amount and its accrual
 * rows; the total. A policy without a clause yields no fees. Dates in and out are civil dates.
 *
 * @example
 * // The built-in clause: 0.05% a day from the day after due. 300.00 due 2026-03-01 and unpaid on
 * // 2026-04-01 is 31 days late (03-02..04-01): 31 × 0.05% × 300.00 = 4.65.
 * const report = computeLateFees(parsePolicy(builtinPolicySource("residential")),
 *   { id: "A", charges: [{ id: "c1", period: "2026-03", dueOn: "2026-03-01", amountMinor: 30000 }] }, "2026-04-01");
 * report.totalMinor // => 465
 */
export function computeLateFees(policy: Policy, account: AccountSnapshot, asOf: string): LateFeeReport {
  const report = lateFeesOfAccount(policy, toAccount(account), civilDate(asOf));
  return { ...report, allocation: allocationReport(report.allocation) };
}

/** `computeLateFees` of a checked account on an epoch day, the allocation on epoch days. */
function lateFeesOfAccount(policy: Policy, account: Account, day: EpochDay): LateFeeReportOnDays {
  if (!policy.lateFee) return { asOf: formatCivilDate(day), clause: "none", charges: [], totalMinor: 0, allocation: { order: "principalFirst", payments: [], charges: [], creditMinor: 0 } };
  const kinds = new Map(policy.stages.map((s) => [s.id, s.kind]));
  const notices = account.actions.filter((a) => a.on <= day).flatMap((a) => (kinds.has(a.stage) ? [{ on: a.on, kind: kinds.get(a.stage)! }] : []));
  return lateFeesUnderClause(policy.lateFee, account, day, { isWorkingDay: workingCalendarOf(policy).isStatutoryWorkingDay, notices, order: policy.paymentOrder ?? "costsLateFeePrincipal" });
}

/**
 * Each charge's limitation date (Civil Code art. 188), restarts (art. 195) counted, and the
 * earliest still open. Dates in and out are civil dates.
 */
export function limitationDates(policy: Policy, account: AccountSnapshot, asOf: string): LimitationReport {
  return limitationReport(limitationDaysOf(policy, toAccount(account), civilDate(asOf)));
}

/** @internal `limitationDates` of a checked account on an epoch day, each date also as an epoch day (the reports count days with it). */
export function limitationDaysOf(policy: Policy, account: Account, asOf: EpochDay): LimitationReportOnDays {
  const kinds = new Map(policy.stages.map((s) => [s.id, s.kind as string]));
  return limitationDatesFromTerms(account, {
    years: policy.limitationYears ?? 3,
    asOf,
    stageKindOf: (id) => kinds.get(id),
    plans: plansOf(account),
    isWorkingDay: workingCalendarOf(policy).isStatutoryWorkingDay,
  });
}
