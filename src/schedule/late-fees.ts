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
 */
import { describeAccrual, divideRounded, type LateFeeClause, type LateFeeWaiver } from "../rules/late-fee.js";
import type { Account, Charge } from "./account.js";
import { allocatePayments, type Allocation, type AllocationOrder, type LateFeeOwed, type PrincipalStep } from "./allocation.js";
import { addMonths, formatCivilDate, type EpochDay } from "./civil-date.js";

/** A written notice delivered to the owner, for `paidWithinDaysOfNotice` waivers. */
export interface LateFeeNotice {
  on: EpochDay;
  /** Stage kind, e.g. `dunningNotice`. */
  kind: string;
  /** The charges it concerned; when absent, every charge overdue on `on`. */
  chargeIds?: readonly string[];
}

export interface LateFeeOptions {
  /** The holiday calendar (art. 203 shifts); default: every day is a working day. */
  isWorkingDay?: (day: EpochDay) => boolean;
  /** Owner tags for `accountTag` waivers; default the account's `owner.tags`. */
  tags?: readonly string[];
  notices?: readonly LateFeeNotice[];
  /** Payment allocation order; default `principalFirst` (see allocation.ts). */
  order?: AllocationOrder;
}

export type CapKind = "percentOfPrincipal" | "amount" | "annualRate" | "perAccount";

/** One line of a charge's accrual. Rows' amounts sum exactly to `uncappedMinor`. */
export interface AccrualRow {
  kind: "flat" | "percent" | "daily" | "monthly";
  from: string;
  to: string;
  principalMinor: number;
  days: number;
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
  waiver?: { type: LateFeeWaiver["type"]; reason: string };
  amountMinor: number;
  accrual: AccrualRow[];
}

export interface LateFeeReport {
  asOf: string;
  clause: string;
  charges: ChargeLateFee[];
  totalMinor: number;
  /** The allocation the principal history comes from. */
  allocation: Allocation;
}

/** A charge's dates under the clause: holiday-shifted due date, last day without a fee, first accrual day. */
interface Terms { charge: Charge; due: EpochDay; lastFree: EpochDay; accrueFrom: EpochDay }
/** An accrual row with its exact numerator (over 10000) before rounding. */
interface Row { kind: AccrualRow["kind"]; from: EpochDay; to: EpochDay; principal: number; days: number; num: bigint; amount: number }
type Cap = { kind: CapKind; limitMinor: number };
interface Fee { arisen: boolean; rows: Row[]; uncapped: number; cap?: Cap; amount: number }
interface Evaluated { fee: Fee; waiver?: ChargeLateFee["waiver"]; cap?: Cap; amount: number }
interface Ctx { clause: LateFeeClause; terms: Terms[]; tags: ReadonlySet<string>; notices: readonly LateFeeNotice[] }
type StepsOf = (chargeId: string) => readonly PrincipalStep[];

const BP = 10000n;

/** Civil Code art. 203: a last day on a non-working day moves to the next working day. */
function nextWorkingDay(day: EpochDay, isWorkingDay: (day: EpochDay) => boolean): EpochDay {
  for (let d = day; d < day + 366; d++) if (isWorkingDay(d)) return d;
  throw new RangeError(`no working day in the year from ${formatCivilDate(day)}: check the holiday calendar`);
}

function termsOf(clause: LateFeeClause, charge: Charge, isWorkingDay: (day: EpochDay) => boolean): Terms {
  const shift = clause.holidayShift === true ? (d: EpochDay) => nextWorkingDay(d, isWorkingDay) : (d: EpochDay) => d;
  const due = shift(charge.due);
  const grace = clause.graceDays ?? 0;
  const lastFree = grace > 0 ? shift(due + grace) : due;
  return { charge, due, lastFree, accrueFrom: clause.startsAfter === "dueDate" ? due + 1 : lastFree + 1 };
}

function unpaidAt(charge: Charge, steps: readonly PrincipalStep[], day: EpochDay): number {
  let p = charge.amount;
  for (const s of steps) if (s.on <= day) p -= s.amountMinor;
  return p;
}

/** The days `from`..`to` split where the unpaid principal changes; only days with principal left. */
function segments(charge: Charge, steps: readonly PrincipalStep[], from: EpochDay, to: EpochDay): { from: EpochDay; to: EpochDay; principal: number }[] {
  const out: { from: EpochDay; to: EpochDay; principal: number }[] = [];
  let p = unpaidAt(charge, steps, from);
  let start = from;
  for (const s of steps) {
    if (s.on <= from) continue;
    if (s.on > to) break;
    if (s.on > start && p > 0) out.push({ from: start, to: s.on - 1, principal: p });
    if (s.on > start) start = s.on;
    p -= s.amountMinor;
  }
  if (p > 0 && start <= to) out.push({ from: start, to, principal: p });
  return out;
}

/** One charge's fee through day `T`, before waivers and the per-account cap. */
function chargeFee(clause: LateFeeClause, t: Terms, steps: readonly PrincipalStep[], T: EpochDay): Fee {
  const base = unpaidAt(t.charge, steps, t.lastFree);
  // Nothing arises while the grace period runs, nor when the principal was paid within it.
  if (T <= t.lastFree || base <= 0) return { arisen: false, rows: [], uncapped: 0, amount: 0 };
  const a = clause.accrual;
  const rows: Row[] = [];
  const once = (kind: Row["kind"], num: bigint) => rows.push({ kind, from: t.lastFree + 1, to: t.lastFree + 1, principal: base, days: 0, num, amount: 0 });
  if (a.type === "flat" || a.type === "flatPlusDaily") once("flat", BigInt(a.amountMinor) * BP);
  if (a.type === "percentOnce") once("percent", BigInt(base) * BigInt(a.rateBasisPoints));
  if (a.type === "daily" || a.type === "flatPlusDaily")
    for (const s of segments(t.charge, steps, t.accrueFrom, T)) {
      const days = s.to - s.from + 1;
      rows.push({ kind: "daily", from: s.from, to: s.to, principal: s.principal, days, num: BigInt(s.principal) * BigInt(a.rateBasisPoints) * BigInt(days), amount: 0 });
    }
  if (a.type === "monthly")
    // Each month or part of a month of lateness, counted from the first accrual day (art. 202 month ends).
    for (let k = 0; ; k++) {
      const from = addMonths(t.accrueFrom, k);
      const p = unpaidAt(t.charge, steps, from);
      if (from > T || p <= 0) break;
      const to = Math.min(addMonths(t.accrueFrom, k + 1) - 1, T);
      rows.push({ kind: "monthly", from, to, principal: p, days: to - from + 1, num: BigInt(p) * BigInt(a.rateBasisPoints), amount: 0 });
    }
  // Round the running total, not each row: the rows then sum exactly to the rounded fee.
  const mode = clause.rounding ?? "halfUp";
  let cum = 0n;
  let prev = 0n;
  for (const r of rows) {
    cum += r.num;
    const now = divideRounded(cum, BP, mode);
    r.amount = Number(now - prev);
    prev = now;
  }
  if (prev > BigInt(Number.MAX_SAFE_INTEGER)) throw new RangeError(`late fee of charge ${t.charge.id} exceeds ${Number.MAX_SAFE_INTEGER} minor units: add a cap`);
  const uncapped = Number(prev);
  const caps = clause.caps ?? {};
  const limits: Cap[] = [];
  // Caps round down, so that a fee never exceeds the exact cap.
  if (caps.percentOfPrincipalBasisPoints !== undefined)
    limits.push({ kind: "percentOfPrincipal", limitMinor: Number(divideRounded(BigInt(t.charge.amount) * BigInt(caps.percentOfPrincipalBasisPoints), BP, "floor")) });
  if (caps.amountMinor !== undefined) limits.push({ kind: "amount", limitMinor: caps.amountMinor });
  if (caps.annualRateBasisPoints !== undefined) {
    let num = 0n;
    for (const s of segments(t.charge, steps, t.due + 1, T)) num += BigInt(s.principal) * BigInt(s.to - s.from + 1);
    limits.push({ kind: "annualRate", limitMinor: Number(divideRounded(num * BigInt(caps.annualRateBasisPoints), BP * 365n, "floor")) });
  }
  let cap: Fee["cap"];
  for (const l of limits) if (l.limitMinor < uncapped && (!cap || l.limitMinor < cap.limitMinor)) cap = l;
  return { arisen: true, rows, uncapped, cap, amount: cap ? cap.limitMinor : uncapped };
}

/** The day the principal was paid in full, if it was by `T`. */
function paidInFullOn(charge: Charge, steps: readonly PrincipalStep[], T: EpochDay): EpochDay | undefined {
  let p = charge.amount;
  for (const s of steps) if (s.on <= T && (p -= s.amountMinor) <= 0) return s.on;
  return charge.amount === 0 ? charge.due : undefined;
}

/** The first matching waiver. `provisional`: a payment on that day is being allocated (see below). */
function waiverFor(ctx: Ctx, i: number, stepsOf: StepsOf, T: EpochDay, provisional?: EpochDay): ChargeLateFee["waiver"] {
  const t = ctx.terms[i]!;
  for (const w of ctx.clause.waivers ?? []) {
    if (w.type === "accountTag" && ctx.tags.has(w.tag)) return { type: w.type, reason: `the account carries the tag "${w.tag}"` };
    if (w.type === "firstLateInMonths") {
      const since = addMonths(t.charge.due, -w.months);
      const earlier = ctx.terms.slice(0, i).some((o) => o.charge.due >= since && chargeFee(ctx.clause, o, stepsOf(o.charge.id), T).arisen);
      if (!earlier) return { type: w.type, reason: `first late payment in ${w.months} months` };
    }
    if (w.type === "paidWithinDaysOfNotice") {
      const n = ctx.notices.find((x) => x.on > t.charge.due && (!w.stageKinds || (w.stageKinds as readonly string[]).includes(x.kind)) && (!x.chargeIds || x.chargeIds.includes(t.charge.id)));
      // While a payment is allocated on a day that would still earn the waiver, the fee is not
      // collected first: if that payment clears the principal, the fee is waived.
      const day = paidInFullOn(t.charge, stepsOf(t.charge.id), T) ?? provisional;
      if (day !== undefined && (!n || day <= n.on + w.days))
        return { type: w.type, reason: n ? `principal paid in full by ${formatCivilDate(day)}, within ${w.days} days of the ${n.kind} of ${formatCivilDate(n.on)}` : `principal paid in full by ${formatCivilDate(day)}, before any notice` };
    }
  }
  return undefined;
}

function evaluate(ctx: Ctx, stepsOf: StepsOf, T: EpochDay, provisional?: EpochDay): Evaluated[] {
  const out: Evaluated[] = ctx.terms.map((t, i) => {
    const fee = chargeFee(ctx.clause, t, stepsOf(t.charge.id), T);
    const waiver = fee.arisen ? waiverFor(ctx, i, stepsOf, T, provisional) : undefined;
    return { fee, waiver, cap: fee.cap, amount: waiver ? 0 : fee.amount };
  });
  const amounts = (day: EpochDay) => ctx.terms.map((t, i) => (out[i]!.waiver ? 0 : chargeFee(ctx.clause, t, stepsOf(t.charge.id), day).amount));
  const cap = ctx.clause.caps?.perAccountMinor;
  const sum = (xs: number[]) => xs.reduce((s, x) => s + x, 0);
  if (cap === undefined || sum(out.map((e) => e.amount)) <= cap) return out;
  // The account cap stops accrual on the day it is reached: find the last day under it, then
  // share what is left of the cap on the next day oldest charge first. Each charge's fee so
  // never decreases as days pass (an oldest-first share of the totals could shrink a younger
  // charge's fee as older ones grow, and take back a fee it had already been paid).
  let lo = Math.min(...ctx.terms.map((t) => t.lastFree));
  let hi = T;
  while (hi - lo > 1) {
    const mid = lo + Math.floor((hi - lo) / 2);
    if (sum(amounts(mid)) <= cap) lo = mid;
    else hi = mid;
  }
  const before = amounts(lo);
  const after = amounts(hi);
  let room = cap - sum(before);
  out.forEach((e, i) => {
    const take = Math.min(after[i]! - before[i]!, room);
    room -= take;
    const limitMinor = before[i]! + take;
    if (limitMinor < e.amount) (e.amount = limitMinor), (e.cap = { kind: "perAccount", limitMinor });
  });
  return out;
}

function context(clause: LateFeeClause, account: Account, asOf: EpochDay, options: LateFeeOptions): Ctx {
  const isWorkingDay = options.isWorkingDay ?? (() => true);
  const notices = [...(options.notices ?? [])].filter((n) => n.on <= asOf).sort((a, b) => a.on - b.on);
  return { clause, terms: account.charges.map((c) => termsOf(clause, c, isWorkingDay)), tags: new Set(options.tags ?? account.snapshot.owner?.tags ?? []), notices };
}

/** Allocates the payments up to asOf, paying fees as the order says, and returns the principal history. */
function principalHistory(ctx: Ctx, account: Account, asOf: EpochDay, order: AllocationOrder | undefined) {
  const cache = new Map<EpochDay, Evaluated[]>();
  const index = new Map(ctx.terms.map((t, i) => [t.charge.id, i]));
  // Fees through the day before a payment depend only on earlier payments, so one evaluation per day.
  const owed: LateFeeOwed = (chargeId, day, stepsOf) => {
    let ev = cache.get(day);
    if (!ev) cache.set(day, (ev = evaluate(ctx, stepsOf, day - 1, day)));
    return ev[index.get(chargeId)!]!.amount;
  };
  const allocation = allocatePayments(account.charges, account.payments.filter((p) => p.on <= asOf), { order: order ?? "principalFirst", lateFees: owed });
  const steps = new Map(allocation.charges.map((b) => [b.chargeId, b.principalPaid]));
  return { allocation, stepsOf: (id: string): readonly PrincipalStep[] => steps.get(id) ?? [] };
}

/**
 * Late fees per charge and for the account on `asOf`. Payments after `asOf` are ignored.
 *
 * @example
 * // 300.00 due 2026-03-01 at 0.05 % a day, unpaid on 2026-04-01: 31 days × 0.15 = 4.65
 * computeLateFees(BUILTIN_LATE_FEE, account, civilDate("2026-04-01")).totalMinor // 465
 */
export function computeLateFees(clause: LateFeeClause, account: Account, asOf: EpochDay, options: LateFeeOptions = {}): LateFeeReport {
  const ctx = context(clause, account, asOf, options);
  const { allocation, stepsOf } = principalHistory(ctx, account, asOf, options.order);
  const rate = describeAccrual(clause.accrual);
  const charges = evaluate(ctx, stepsOf, asOf).map((e, i): ChargeLateFee => {
    const t = ctx.terms[i]!;
    const paid = paidInFullOn(t.charge, stepsOf(t.charge.id), asOf);
    return {
      chargeId: t.charge.id,
      dueOn: formatCivilDate(t.charge.due),
      payableBy: formatCivilDate(t.lastFree),
      accrualStartsOn: e.fee.arisen ? formatCivilDate(t.accrueFrom) : null,
      daysLate: Math.max(0, Math.min(asOf, paid === undefined ? asOf : paid - 1) - t.due),
      rate,
      uncappedMinor: e.fee.uncapped,
      ...(e.cap && !e.waiver ? { capApplied: e.cap } : {}),
      ...(e.waiver ? { waiver: e.waiver } : {}),
      amountMinor: e.amount,
      accrual: e.fee.rows.map((r) => ({ kind: r.kind, from: formatCivilDate(r.from), to: formatCivilDate(r.to), principalMinor: r.principal, days: r.days, amountMinor: r.amount })),
    };
  });
  return { asOf: formatCivilDate(asOf), clause: clause.label, charges, totalMinor: charges.reduce((s, c) => s + c.amountMinor, 0), allocation };
}

export interface TimelineRow {
  on: string;
  chargeId: string;
  /** Principal unpaid that day. */
  principalMinor: number;
  /** What the day added to the charge's fee (after its per-charge caps). */
  accruedMinor: number;
  /** The charge's fee through that day, per-charge caps applied; waivers and the account cap are in computeLateFees. */
  totalMinor: number;
}

/**
 * The accrual day by day, for `explain`: one row per charge and day from the first accrual day
 * to `asOf`, while principal is unpaid or the fee moves.
 */
export function lateFeeTimeline(clause: LateFeeClause, account: Account, asOf: EpochDay, options: LateFeeOptions = {}): TimelineRow[] {
  const ctx = context(clause, account, asOf, options);
  const { stepsOf } = principalHistory(ctx, account, asOf, options.order);
  const rows: TimelineRow[] = [];
  for (const t of ctx.terms) {
    const steps = stepsOf(t.charge.id);
    if (!chargeFee(clause, t, steps, asOf).arisen) continue;
    let prev = 0;
    for (let d = t.accrueFrom; d <= asOf; d++) {
      const total = chargeFee(clause, t, steps, d).amount;
      const principal = Math.max(0, unpaidAt(t.charge, steps, d));
      if (principal > 0 || total !== prev) rows.push({ on: formatCivilDate(d), chargeId: t.charge.id, principalMinor: principal, accruedMinor: total - prev, totalMinor: total });
      prev = total;
    }
  }
  return rows;
}
