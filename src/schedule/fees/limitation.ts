/**
 * Limitation dates (诉讼时效): the last day each charge can still be claimed in court.
 *
 * Civil Code art. 188: three years from when the creditor knew its right was harmed; for a debt
 * with a due date, that is the due date's passing, and art. 201 does not count the start day. So
 * the period's last day is the due date's corresponding day three years on (art. 202: no
 * corresponding day, the month's last day: due 2024-02-29 → 2027-02-28), moved to the next
 * working day when it is a holiday (art. 203). Each billing period is its own debt, with its own
 * date (DOMAIN.md). Art. 195 restarts the period from a written demand delivered to the owner, a
 * partial payment, or the owner's agreement to pay (an installment plan).
 *
 * Art. 195(3): filing a lawsuit or applying for arbitration (提起诉讼或者申请仲裁) interrupts it
 * too, and the period runs anew when the proceedings end (有关程序终结时起), a day no ledger
 * records. A recorded action of a court kind (`STAGE_KIND_TABLE[k].court`) is therefore an event of
 * its own (`lawsuit`) counted from the filing day: filing + the limitation years is the earliest the
 * period can end, a conservative bound (the staff's review comes no later than the law needs; a
 * person reads the court's dates for the real one).
 *
 * Events after a period has expired do not restart it here: whether an owner's later payment or
 * agreement waives the defence (art. 192) is a question for a lawyer, not for a schedule.
 */
import { STAGE_KINDS, STAGE_KIND_TABLE } from "../../rules/kinds.js";
import type { Account } from "../../ledger/account.js";
import { allocatePayments, type Allocation } from "./allocation.js";
import { addMonths, civilDate, formatCivilDate, type EpochDay } from "../time/civil-date.js";
import { CalendarError, InvalidArgumentError } from "../../rules/errors.js";

/** Stage kinds whose delivery is a written demand that restarts the period (art. 195). */
export const RESTARTING_STAGE_KINDS: ReadonlySet<string> = new Set(STAGE_KINDS.filter((k) => STAGE_KIND_TABLE[k].restartsLimitation));

/**
 * Stage kinds that go to court or to arbitration (the table's `court` column, read directly: art.
 * 195(3) interrupts the period by exactly that step, so a second column would only repeat it).
 */
export const LAWSUIT_STAGE_KINDS: ReadonlySet<string> = new Set(STAGE_KINDS.filter((k) => STAGE_KIND_TABLE[k].court));

export interface InstallmentPlanRecord {
  agreedOn: EpochDay;
  /** The charges the plan covers; when absent, every charge overdue on `agreedOn`. */
  chargeIds?: readonly string[];
}

export interface LimitationOptions {
  /** Default 3 (art. 188). */
  years?: number;
  /** Default RESTARTING_STAGE_KINDS. */
  restartingStageKinds?: ReadonlySet<string>;
  /** Kinds whose recorded action is a filed lawsuit or arbitration (art. 195(3)); default LAWSUIT_STAGE_KINDS. */
  lawsuitStageKinds?: ReadonlySet<string>;
  /** The kind of a policy stage id; recorded actions name only their stage. */
  stageKindOf: (stageId: string) => string | undefined;
  plans?: readonly InstallmentPlanRecord[];
  /**
   * Which charges a demand (or a lawsuit) restarts. `named` (default): those the recorded action covers
   * (`covers` keys `stage@chargeId`, else its id). `overdue`: every charge overdue on that day,
   * as the printed notice lists them. `named` errs early, so that no debt silently expires.
   */
  demandCovers?: "named" | "overdue";
  /** Ignore events after this day; default: every event in the account. */
  asOf?: EpochDay;
  /** The holiday calendar (art. 203); default: every day is a working day. */
  isWorkingDay?: (day: EpochDay) => boolean;
  /** The allocation partial payments come from; default principal first, without fees. */
  allocation?: Allocation;
}

export interface LimitationEvent {
  /** `lawsuit`: a lawsuit filed or arbitration applied for (art. 195(3)); its date is a lower bound (see the module comment). */
  type: "demand" | "payment" | "plan" | "lawsuit";
  on: string;
  /** The recorded action's id, the payment's id, or `plan`. */
  ref: string;
}

/** One charge's limitation date, as `limitationDates` states it (civil dates). */
export interface ChargeLimitation {
  chargeId: string;
  dueOn: string;
  /** The last day of the limitation period. */
  endsOn: string;
  /** The latest event that restarted the period, if any. */
  restartedBy?: LimitationEvent;
  /** The principal is paid: nothing left to expire. */
  paidInFull: boolean;
}

/** Each charge's limitation date and the earliest still open, as `limitationDates` states them (civil dates). */
export interface LimitationReport {
  charges: ChargeLimitation[];
  /** The first limitation date among charges not paid in full. */
  earliest?: { chargeId: string; endsOn: string };
}

/** {@link ChargeLimitation} with its last day also as an epoch day, for the planner's and the reports' day arithmetic. */
export interface ChargeLimitationOnDays extends ChargeLimitation {
  endsOnDay: EpochDay;
}

/** {@link LimitationReport} as the core reckons it (`limitationDatesFromTerms`); `limitationDates` drops the epoch days. */
export interface LimitationReportOnDays {
  charges: ChargeLimitationOnDays[];
  earliest?: { chargeId: string; endsOn: string; endsOnDay: EpochDay };
}

/** The report without its epoch days, for a public caller. */
export function limitationReport(report: LimitationReportOnDays): LimitationReport {
  const charges = report.charges.map(({ endsOnDay: _, ...c }): ChargeLimitation => c);
  if (!report.earliest) return { charges };
  const { chargeId, endsOn } = report.earliest;
  return { charges, earliest: { chargeId, endsOn } };
}

/** An account's installment plans as the limitation dates read them (each restarts the period of its charges, art. 195). */
export function plansOf(account: Pick<Account, "holds">): InstallmentPlanRecord[] {
  return account.holds.flatMap((h) => (h.type === "installmentPlan" ? [{ agreedOn: h.agreed, chargeIds: [...h.charges] }] : []));
}

function namesCharge(action: Account["actions"][number], chargeId: string): boolean {
  const suffix = `@${chargeId}`;
  return action.covers ? action.covers.some((k) => k.endsWith(suffix)) : action.id.endsWith(suffix);
}

/**
 * Each charge's limitation date, and the earliest one still open, its terms given (years, the
 * stage kinds that restart it, plans, working days). A vendor asks
 * `limitationDates(policy, account, asOf)` (money.ts), which reads these terms from a policy.
 *
 * @example
 * // due 2026-03-01, a final notice delivered 2027-06-10: ends 2030-06-10 instead of 2029-03-01
 * limitationDatesFromTerms(account, { stageKindOf: (id) => (id === "final" ? "finalNotice" : undefined) }).charges[0].endsOn // "2030-06-10"
 */
export function limitationDatesFromTerms(account: Account, options: LimitationOptions): LimitationReportOnDays {
  const years = options.years ?? 3;
  if (!Number.isInteger(years) || years < 1 || years > 30) throw new InvalidArgumentError("invalid_number", "years", `years must be a whole number from 1 to 30 (got ${years})`);
  const asOf = options.asOf ?? Number.POSITIVE_INFINITY;
  const kinds = options.restartingStageKinds ?? RESTARTING_STAGE_KINDS;
  const isWorkingDay = options.isWorkingDay ?? (() => true);
  const lastDay = (from: EpochDay): EpochDay => {
    let d = addMonths(from, years * 12); // art. 202: corresponding day, or the month's last day
    for (let n = 0; !isWorkingDay(d); n++, d++) if (n > 366) throw new CalendarError("no_working_day", "", `no working day in the year from ${formatCivilDate(d)}`);
    return d;
  };
  const allocation = options.allocation ?? allocatePayments(account.charges, account.payments.filter((p) => p.on <= asOf));
  const balances = new Map(allocation.charges.map((b) => [b.chargeId, b]));
  const payments = allocation.payments.filter((p) => p.lines.length > 0);
  const suits = options.lawsuitStageKinds ?? LAWSUIT_STAGE_KINDS;
  const interruptions: { action: Account["actions"][number]; type: "demand" | "lawsuit" }[] = [];
  for (const a of account.actions) {
    if (a.on > asOf) continue;
    const kind = options.stageKindOf(a.stage) ?? "";
    if (kinds.has(kind)) interruptions.push({ action: a, type: "demand" });
    else if (suits.has(kind)) interruptions.push({ action: a, type: "lawsuit" });
  }

  const charges = account.charges.map((c): ChargeLimitationOnDays => {
    const events: (LimitationEvent & { day: EpochDay })[] = [];
    for (const { action: a, type } of interruptions)
      if (a.on > c.due && (options.demandCovers === "overdue" || namesCharge(a, c.id))) events.push({ type, on: formatCivilDate(a.on), ref: a.id, day: a.on });
    for (const p of payments) {
      const day = civilDate(p.on);
      if (day > c.due && p.lines.some((l) => l.chargeId === c.id)) events.push({ type: "payment", on: p.on, ref: p.paymentId, day });
    }
    for (const plan of options.plans ?? [])
      if (plan.agreedOn > c.due && plan.agreedOn <= asOf && (!plan.chargeIds || plan.chargeIds.includes(c.id)))
        events.push({ type: "plan", on: formatCivilDate(plan.agreedOn), ref: "plan", day: plan.agreedOn });
    events.sort((a, b) => a.day - b.day);
    let end = lastDay(c.due);
    let restartedBy: LimitationEvent | undefined;
    for (const e of events) {
      if (e.day > end) break; // expired before the event: not restarted (art. 192 is for a lawyer)
      end = lastDay(e.day); // art. 195: the period runs anew from the interruption (a lawsuit: from its end, so at the earliest this)
      restartedBy = { type: e.type, on: e.on, ref: e.ref };
    }
    const balance = balances.get(c.id);
    return {
      chargeId: c.id,
      dueOn: formatCivilDate(c.due),
      endsOn: formatCivilDate(end),
      endsOnDay: end,
      ...(restartedBy ? { restartedBy } : {}),
      paidInFull: balance ? balance.principalUnpaidMinor <= 0 : false,
    };
  });
  let earliest: LimitationReportOnDays["earliest"];
  for (const c of charges) if (!c.paidInFull && (!earliest || c.endsOnDay < earliest.endsOnDay)) earliest = { chargeId: c.chargeId, endsOn: c.endsOn, endsOnDay: c.endsOnDay };
  return { charges, ...(earliest ? { earliest } : {}) };
}
