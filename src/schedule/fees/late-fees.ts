/**
 * Late fees of an account on a day, exact to the minor unit and explainable row by row.
 *
 * Day counting (Civil Code art. 201): the due date is not counted, so accrual starts the day
 * after it (after the grace period, per the clause). A payment on day D lowers the principal that
 * accrues from D on. The fee is simple interest on unpaid principal only (art. 585): the rows
 * never take a fee as their base. Integer arithmetic throughout (BigInt where products grow).
 *
 * Payments are allocated as allocation.ts does, principal first by default: that matches the
 * scheduler's unpaid amounts and never yields a higher fee than the art. 561 order would. With
 * `order: "costsLateFeePrincipal"`, each payment first pays the fee accrued before its day.
 *
 * Cost: a fee is computed in closed form per principal segment (a run of days with the same
 * unpaid principal: principal × rate × days / 10000), never day by day. Sums are kept in Number
 * when a bound shows they stay below 2^52, else in BigInt; both are exact. Dates are formatted only
 * for what is returned, and `{ detail: false }` returns the amounts without rows, strings or the
 * allocation's lines (the scheduler's path).
 *
 * Layout: this module holds the public API and its types; the per-charge arithmetic (terms,
 * accrual, rounding, caps) is in accrual.ts, with the types it fills (rows, caps, notices, waivers), and the cross-charge evaluation (waivers, account cap)
 * with the principal history from allocation.ts in principal-history.ts.
 */
import { describeAccrual, type LateFeeClause } from "../../rules/late-fee.js";
import { exactSum, UnsafeAmountError, type Account } from "../../ledger/account.js";
import type { Allocation, AllocationOrder, AllocationReport } from "./allocation.js";
import type { EpochDay } from "../time/civil-date.js";
import { chargeFee, fmt, newFee, paidInFullOn, termsOf, type AccrualRow, type CapKind, type Ctx, type LateFeeNotice, type Terms, type Waiver } from "./accrual.js";
import { evaluate, principalHistory } from "./principal-history.js";

// Declared with the arithmetic that fills them (accrual.ts imports nothing from here: no cycle).
export type { AccrualRow, CapKind, LateFeeNotice } from "./accrual.js";

export interface LateFeeOptions {
  /** The holiday calendar (art. 203 shifts); default: every day is a working day. */
  isWorkingDay?: (day: EpochDay) => boolean;
  /** Owner tags for `accountTag` waivers; default the account's `owner.tags`. */
  tags?: readonly string[];
  notices?: readonly LateFeeNotice[];
  /** Payment allocation order; default `principalFirst` (see allocation.ts). */
  order?: AllocationOrder;
}

/**
 * Options of the fast path, `lateFeesUnderClause(clause, account, asOf, { detail: false })`: the same
 * amounts as the full report, without accrual rows, date strings or the allocation.
 */
export interface LateFeeAmountsOptions extends LateFeeOptions {
  detail: false;
  /** Also state, per charge, the principal still unpaid and the fee paid under the payment order (`balances`). */
  balances?: boolean;
}

/** What the payments left of a charge under the payment order, on asOf. */
export interface ChargeBalanceAmount {
  principalUnpaidMinor: number;
  lateFeePaidMinor: number;
}

/** One charge's fee as `{ detail: false }` states it: the amounts of {@link ChargeLateFee}, no explanation. */
export interface ChargeLateFeeAmount {
  chargeId: string;
  /** Days after the due date the principal stayed unpaid, through asOf. */
  daysLate: number;
  uncappedMinor: number;
  capApplied?: { kind: CapKind; limitMinor: number };
  waiver?: Waiver;
  amountMinor: number;
}

export interface ChargeLateFee {
  chargeId: string;
  dueOn: string;
  /** The last day to pay without a fee: the due date (holiday-shifted) plus the grace period. */
  payableBy: string;
  /** First day counted, or null when no fee has arisen (paid in time, or still within grace). */
  accrualStartsOn: string | null;
  /** Days after the due date the principal stayed unpaid, through asOf. */
  daysLate: number;
  rate: string;
  uncappedMinor: number;
  capApplied?: { kind: CapKind; limitMinor: number };
  waiver?: Waiver;
  amountMinor: number;
  accrual: AccrualRow[];
}

/** An account's late fees on a civil date, as `computeLateFees` states them: civil dates and minor units, no epoch days. */
export interface LateFeeReport {
  asOf: string;
  clause: string;
  charges: ChargeLateFee[];
  totalMinor: number;
  /** The allocation the principal history comes from. */
  allocation: AllocationReport;
}

/**
 * {@link LateFeeReport} as the core reckons it (`lateFeesUnderClause`): the allocation's principal
 * steps on epoch days, as the accrual reads them. `computeLateFees` turns it into the public form.
 */
export interface LateFeeReportOnDays extends Omit<LateFeeReport, "allocation"> {
  allocation: Allocation;
}

/** What `lateFeesUnderClause(…, { detail: false })` returns: per charge and in total, equal to the full report's amounts. */
export interface LateFeeAmounts {
  charges: ChargeLateFeeAmount[];
  totalMinor: number;
  /** With `balances: true`: one per charge, in `charges`' order. */
  balances?: ChargeBalanceAmount[];
}

const NO_TAGS: ReadonlySet<string> = new Set();
const NO_NOTICES: readonly LateFeeNotice[] = [];
const everyDay = (): boolean => true;

function context(clause: LateFeeClause, account: Account, asOf: EpochDay, options: LateFeeOptions): Ctx {
  const a = clause.accrual;
  const caps = clause.caps ?? {};
  const waivers = clause.waivers ?? [];
  // Tags and notices matter only to their waivers.
  let tagged = false;
  let noticed = false;
  for (const w of waivers) (tagged ||= w.type === "accountTag"), (noticed ||= w.type === "paidWithinDaysOfNotice");
  const tags = tagged ? new Set(options.tags ?? account.snapshot.owner?.tags ?? []) : NO_TAGS;
  const notices = noticed ? [...(options.notices ?? [])].filter((n) => n.on <= asOf).sort((x, y) => x.on - y.on) : NO_NOTICES;
  const isWorkingDay = options.isWorkingDay ?? everyDay;
  const pct = caps.percentOfPrincipalBasisPoints;
  const terms = new Array<Terms>(account.charges.length);
  for (let i = 0; i < terms.length; i++) terms[i] = termsOf(clause, account.charges[i]!, isWorkingDay, pct);
  return {
    clause,
    terms,
    kind: a.type,
    rate: a.type === "flat" ? 0 : a.rateBasisPoints,
    flat: a.type === "flat" || a.type === "flatPlusDaily" ? a.amountMinor : 0,
    mode: clause.rounding ?? "halfUp",
    capAmount: caps.amountMinor,
    capAnnual: caps.annualRateBasisPoints,
    perAccount: caps.perAccountMinor,
    waivers,
    tags,
    notices,
    since: new Map(),
    capReached: undefined,
  };
}

/**
 * Late fees per charge and for the account on `asOf` under one late-fee clause, its terms given
 * (working days, notices, payment order). Payments after `asOf` are ignored. A vendor asks
 * `computeLateFees(policy, account, asOf)` (money.ts), which reads these terms from a policy.
 *
 * With `{ detail: false }` (the scheduler's path), returns only the amounts
 * ({@link LateFeeAmounts}: per charge `chargeId`, `daysLate`, `uncappedMinor`, `capApplied`,
 * `waiver`, `amountMinor`, and `totalMinor`), equal to the full report's, without building the
 * accrual rows, the date strings or the allocation's lines. The default is the full report.
 *
 * @example
 * // 300.00 due 2026-03-01 at 0.05 % a day, unpaid on 2026-04-01: 31 days × 0.15 = 4.65
 * lateFeesUnderClause(BUILTIN_LATE_FEE, account, civilDate("2026-04-01")).totalMinor // 465
 * lateFeesUnderClause(BUILTIN_LATE_FEE, account, civilDate("2026-04-01"), { detail: false }).totalMinor // 465
 */
export function lateFeesUnderClause(clause: LateFeeClause, account: Account, asOf: EpochDay, options?: LateFeeOptions & { detail?: true }): LateFeeReportOnDays;
/**
 * The amounts only, as the full report states them (see the overload above): no accrual rows,
 * no date strings, no allocation. A few microseconds for two years of monthly charges.
 *
 * @example lateFeesUnderClause(BUILTIN_LATE_FEE, account, civilDate("2026-04-01"), { detail: false }).charges[0].amountMinor // 465
 */
export function lateFeesUnderClause(clause: LateFeeClause, account: Account, asOf: EpochDay, options: LateFeeAmountsOptions): LateFeeAmounts;
/** Either, as `detail` says (default true). */
export function lateFeesUnderClause(clause: LateFeeClause, account: Account, asOf: EpochDay, options?: LateFeeOptions & { detail?: boolean }): LateFeeReportOnDays | LateFeeAmounts;
export function lateFeesUnderClause(clause: LateFeeClause, account: Account, asOf: EpochDay, options: LateFeeOptions & { detail?: boolean; balances?: boolean } = {}): LateFeeReportOnDays | LateFeeAmounts {
  const detail = options.detail !== false;
  const ctx = context(clause, account, asOf, options);
  const { allocation, steps } = principalHistory(ctx, account, asOf, options.order, detail);
  const fees = evaluate(ctx, steps, asOf, undefined, detail);
  const n = fees.length;
  // Each fee is exact (accrual.ts refuses one that is not); their sum must be too.
  let totalMinor = 0;
  for (let i = 0; i < n; i++) totalMinor += fees[i]!.amount;
  if (!exactSum(totalMinor)) throw new UnsafeAmountError("charges", "the account's late fees together");
  if (!detail) {
    const charges = new Array<ChargeLateFeeAmount>(n);
    for (let i = 0; i < n; i++) {
      const e = fees[i]!;
      const t = ctx.terms[i]!;
      const paid = paidInFullOn(t.charge, steps[i]!, asOf);
      const c: ChargeLateFeeAmount = { chargeId: t.charge.id, daysLate: Math.max(0, Math.min(asOf, paid === undefined ? asOf : paid - 1) - t.due), uncappedMinor: e.uncapped, amountMinor: e.amount };
      if (e.waiver) c.waiver = e.waiver;
      else if (e.capKind !== undefined) c.capApplied = { kind: e.capKind, limitMinor: e.capLimit };
      charges[i] = c;
    }
    if (options.balances !== true) return { charges, totalMinor };
    // The allocation's balances are in due order: the charges' own order once normalizeAccount sorted them.
    const all = allocation.charges;
    const balances = charges.map((c, i): ChargeBalanceAmount => {
      const b = all[i]?.chargeId === c.chargeId ? all[i]! : all.find((x) => x.chargeId === c.chargeId)!;
      return { principalUnpaidMinor: b.principalUnpaidMinor, lateFeePaidMinor: b.lateFeePaidMinor };
    });
    return { charges, totalMinor, balances };
  }
  const rate = describeAccrual(clause.accrual);
  const charges = new Array<ChargeLateFee>(n);
  for (let i = 0; i < n; i++) {
    const e = fees[i]!;
    const t = ctx.terms[i]!;
    const paid = paidInFullOn(t.charge, steps[i]!, asOf);
    const dueOn = fmt(t.charge.due);
    const payableBy = t.lastFree === t.charge.due ? dueOn : fmt(t.lastFree);
    const accrualStartsOn = e.arisen ? fmt(t.accrueFrom) : null;
    const daysLate = Math.max(0, Math.min(asOf, paid === undefined ? asOf : paid - 1) - t.due);
    // The keys in the report's order, without spreading (the hot loop of the full report).
    if (e.waiver)
      charges[i] = { chargeId: t.charge.id, dueOn, payableBy, accrualStartsOn, daysLate, rate, uncappedMinor: e.uncapped, waiver: e.waiver, amountMinor: e.amount, accrual: e.rows! };
    else if (e.capKind !== undefined)
      charges[i] = { chargeId: t.charge.id, dueOn, payableBy, accrualStartsOn, daysLate, rate, uncappedMinor: e.uncapped, capApplied: { kind: e.capKind, limitMinor: e.capLimit }, amountMinor: e.amount, accrual: e.rows! };
    else charges[i] = { chargeId: t.charge.id, dueOn, payableBy, accrualStartsOn, daysLate, rate, uncappedMinor: e.uncapped, amountMinor: e.amount, accrual: e.rows! };
  }
  return { asOf: fmt(asOf), clause: clause.label, charges, totalMinor, allocation };
}

export interface TimelineRow {
  on: string;
  chargeId: string;
  /** Principal unpaid that day. */
  principalMinor: number;
  /** What the day added to the charge's fee (after its per-charge caps). */
  accruedMinor: number;
  /** The charge's fee through that day, per-charge caps applied; waivers and the account cap are in lateFeesUnderClause. */
  totalMinor: number;
}

/**
 * The accrual day by day, for `explain`: one row per charge and day from the first accrual day
 * to `asOf`, while principal is unpaid or the fee moves.
 */
export function lateFeeTimeline(clause: LateFeeClause, account: Account, asOf: EpochDay, options: LateFeeOptions = {}): TimelineRow[] {
  const ctx = context(clause, account, asOf, options);
  const { steps } = principalHistory(ctx, account, asOf, options.order, false);
  const rows: TimelineRow[] = [];
  const scratch = newFee();
  ctx.terms.forEach((t, i) => {
    const s = steps[i]!;
    if (!chargeFee(ctx, t, s, asOf, scratch, false).arisen) return;
    let prev = 0;
    let unpaid = t.charge.amount;
    let j = 0;
    for (let d = t.accrueFrom; d <= asOf; d++) {
      const total = chargeFee(ctx, t, s, d, scratch, false).amount;
      for (; j < s.length && s[j]!.on <= d; j++) unpaid -= s[j]!.amountMinor;
      const principal = Math.max(0, unpaid);
      if (principal > 0 || total !== prev) rows.push({ on: fmt(d), chargeId: t.charge.id, principalMinor: principal, accruedMinor: total - prev, totalMinor: total });
      prev = total;
    }
  });
  return rows;
}
