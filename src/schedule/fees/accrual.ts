/**
 * The arithmetic of one charge's late fee, split out of late-fees.ts: the clause's terms and dates
 * for a charge (art. 203 holiday shifts, grace, first accrual day), the closed-form accrual per
 * principal segment with its exact Number/BigInt sums and rounding, the per-charge caps, and the
 * memo of fees that no longer change. It knows nothing of waivers, the account cap or the
 * allocation (principal-history.ts), nor of the public report (late-fees.ts), so the hot path
 * can be read and benchmarked on its own.
 */
import { divideRounded, type LateFeeClause, type LateFeeWaiver, type RoundingMode } from "../../rules/late-fee.js";
import { UnsafeAmountError, type Charge } from "../../ledger/account.js";
import type { PrincipalStep } from "./allocation.js";
import { civilOf, dayOfMonth, formatCivilDate, formatDay, monthIndexOf, type EpochDay } from "../time/civil-date.js";
import { CalendarError } from "../../rules/errors.js";

/** A written notice delivered to the owner, for `paidWithinDaysOfNotice` waivers. */
export interface LateFeeNotice {
  on: EpochDay;
  /** Stage kind, e.g. `dunningNotice`. */
  kind: string;
  /** The charges it concerned; when absent, every charge overdue on `on`. */
  chargeIds?: readonly string[];
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

/** A waiver that applied to a charge's fee, and why. */
export interface Waiver {
  type: LateFeeWaiver["type"];
  reason: string;
}

/** A charge's dates under the clause: holiday-shifted due date, last day without a fee, first accrual day. */
export interface Terms {
  charge: Charge;
  due: EpochDay;
  lastFree: EpochDay;
  accrueFrom: EpochDay;
  /** The percent-of-principal cap, or -1 without one. */
  pctCap: number;
}
export type Steps = readonly PrincipalStep[];

/**
 * One charge's fee through a day. `chargeFee` fills `arisen`, `uncapped`, `capKind`/`capLimit`
 * (the per-charge cap) and `amount` (after per-charge caps); `evaluate` then applies the waiver
 * and the account cap to `amount` and `capKind`/`capLimit`.
 */
export interface Fee {
  arisen: boolean;
  uncapped: number;
  capKind: CapKind | undefined;
  capLimit: number;
  amount: number;
  rows: AccrualRow[] | undefined;
  waiver: Waiver | undefined;
}

export interface Ctx {
  clause: LateFeeClause;
  terms: Terms[];
  kind: LateFeeClause["accrual"]["type"];
  /** Basis points per day, per month or once; 0 for a flat fee. */
  rate: number;
  /** The flat fee, minor units; 0 without one. */
  flat: number;
  mode: RoundingMode;
  capAmount: number | undefined;
  capAnnual: number | undefined;
  perAccount: number | undefined;
  waivers: readonly LateFeeWaiver[];
  tags: ReadonlySet<string>;
  notices: readonly LateFeeNotice[];
  /** `firstLateInMonths`: per number of months, each charge's due date that many months earlier. */
  since: Map<number, number[]>;
  /** The day the account cap was last found reached (see `evaluate`). */
  capReached: EpochDay | undefined;
}

const BP = 10000n;
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
/**
 * Sums of non-negative integer products are done in Number when a bound on them, itself computed
 * in floating point, is below this: 2^52 leaves room for that bound's own rounding, so every
 * partial sum is an integer below 2^53 and exact.
 */
export const EXACT = 2 ** 52;

/** `n / d` rounded as `divideRounded` does, for integers 0 ≤ n < 2^53 and d > 0: `%` is exact, and so is the division of a multiple of `d`. */
function divRound(n: number, d: number, mode: RoundingMode): number {
  const r = n % d;
  const q = (n - r) / d;
  if (mode === "floor") return q;
  const twice = 2 * r;
  if (twice < d) return q;
  if (twice > d || mode === "halfUp") return q + 1;
  return q % 2 === 0 ? q : q + 1; // halfEven, exactly half
}

// Dates repeat across charges, rows and accounts (due dates, asOf): each is formatted once.
export const fmt = formatDay;

/** Civil Code art. 203: a last day on a non-working day moves to the next working day. */
function nextWorkingDay(day: EpochDay, isWorkingDay: (day: EpochDay) => boolean): EpochDay {
  for (let d = day; d < day + 366; d++) if (isWorkingDay(d)) return d;
  throw new CalendarError("no_working_day", "", `no working day in the year from ${formatCivilDate(day)}: check the holiday calendar`);
}

export function termsOf(clause: LateFeeClause, charge: Charge, isWorkingDay: ((day: EpochDay) => boolean) | undefined, pctBp: number | undefined): Terms {
  const shift = clause.holidayShift === true;
  const due = shift ? nextWorkingDay(charge.due, isWorkingDay!) : charge.due;
  const grace = clause.graceDays ?? 0;
  const lastFree = grace > 0 ? (shift ? nextWorkingDay(due + grace, isWorkingDay!) : due + grace) : due;
  let pctCap = -1;
  // Caps round down, so that a fee never exceeds the exact cap.
  if (pctBp !== undefined) pctCap = charge.amount * pctBp < EXACT ? divRound(charge.amount * pctBp, 10000, "floor") : Number(divideRounded(BigInt(charge.amount) * BigInt(pctBp), BP, "floor"));
  return { charge, due, lastFree, accrueFrom: clause.startsAfter === "dueDate" ? due + 1 : lastFree + 1, pctCap };
}

export function newFee(): Fee {
  return { arisen: false, uncapped: 0, capKind: undefined, capLimit: 0, amount: 0, rows: undefined, waiver: undefined };
}

/**
 * The running numerator (over 10000) of a charge's fee, in Number or BigInt as `big` says. With
 * rows, each row's amount is the rounded running total less the previous one (round the total,
 * not each row: the rows then sum exactly to the rounded fee).
 *
 * One per charge fee: a module-level accumulator reset per charge measured no faster, paired, on
 * bench/late-fees.ts's cases (24 and 60 charges, full and amounts only, both payment orders:
 * fresh/shared 0.97–1.16 over three runs, against 1.00–1.16 for shared against itself), so it
 * went (issue 16: a trick must keep paying).
 */
class Accrual {
  private n = 0;
  private b = 0n;
  private prevN = 0;
  private prevB = 0n;
  private readonly big: boolean;
  private readonly mode: RoundingMode;
  private readonly rows: AccrualRow[] | undefined;

  /** `big`: a partial sum may pass 2^53, so sum in BigInt. `rows`: where each row goes, when the report wants them. */
  constructor(big: boolean, mode: RoundingMode, rows: AccrualRow[] | undefined) {
    this.big = big;
    this.mode = mode;
    this.rows = rows;
  }

  /** Adds `x × y × z` over 10000 as one row. */
  add(kind: AccrualRow["kind"], from: EpochDay, to: EpochDay, principal: number, days: number, x: number, y: number, z: number): void {
    if (this.big) this.b += BigInt(x) * BigInt(y) * BigInt(z);
    else this.n += x * y * z;
    if (this.rows === undefined) return;
    let amount: number;
    if (this.big) {
      const now = divideRounded(this.b, BP, this.mode);
      amount = Number(now - this.prevB);
      this.prevB = now;
    } else {
      const now = divRound(this.n, 10000, this.mode);
      amount = now - this.prevN;
      this.prevN = now;
    }
    this.rows.push({ kind, from: fmt(from), to: fmt(to), principalMinor: principal, days, amountMinor: amount });
  }

  /** The fee, rounded; throws when it cannot be stated exactly as a number. */
  total(chargeId: string): number {
    if (!this.big) return divRound(this.n, 10000, this.mode);
    const total = divideRounded(this.b, BP, this.mode);
    if (total > MAX_SAFE) throw new UnsafeAmountError("charges", `the late fee of charge ${chargeId}`);
    return Number(total);
  }
}

/** Σ over the days `from`..`to` of the unpaid principal × `bp`, floored over 10000 × 365 (the annual-rate cap). */
function annualCap(amount: number, steps: Steps, from: EpochDay, to: EpochDay, bp: number): number {
  const big = amount * (to - from + 2) * bp >= EXACT;
  let sumN = 0;
  let sumB = 0n;
  const n = steps.length;
  let p = amount;
  let j = 0;
  for (; j < n && steps[j]!.on <= from; j++) p -= steps[j]!.amountMinor;
  let start = from;
  for (; j < n; j++) {
    const s = steps[j]!;
    if (s.on > to) break;
    if (s.on > start) {
      if (p > 0) big ? (sumB += BigInt(p) * BigInt(s.on - start)) : (sumN += p * (s.on - start));
      start = s.on;
    }
    p -= s.amountMinor;
  }
  if (p > 0 && start <= to) big ? (sumB += BigInt(p) * BigInt(to - start + 1)) : (sumN += p * (to - start + 1));
  return big ? Number(divideRounded(sumB * BigInt(bp), BP * 365n, "floor")) : divRound(sumN * bp, 3_650_000, "floor");
}

/**
 * One charge's fee through day `T`, before waivers and the per-account cap, into `out`. The
 * principal history `steps` is in date order (as the allocation records it). Rows, with their
 * dates formatted, only when `detail`.
 */
export function chargeFee(ctx: Ctx, t: Terms, steps: Steps, T: EpochDay, out: Fee, detail: boolean): Fee {
  out.arisen = false;
  out.uncapped = 0;
  out.capKind = undefined;
  out.capLimit = 0;
  out.amount = 0;
  out.rows = detail ? [] : undefined;
  out.waiver = undefined;
  // Nothing arises while the grace period runs, nor when the principal was paid within it.
  if (T <= t.lastFree) return out;
  const amount = t.charge.amount;
  const n = steps.length;
  let base = amount;
  for (let j = 0; j < n && steps[j]!.on <= t.lastFree; j++) base -= steps[j]!.amountMinor;
  if (base <= 0) return out;
  out.arisen = true;

  const kind = ctx.kind;
  const rate = ctx.rate;
  // Every partial sum is at most amount × rate × days (rows of days or of months, or once) plus the flat fee.
  const acc = new Accrual(amount * rate * (T - t.accrueFrom + 2) + ctx.flat * 10000 >= EXACT, ctx.mode, out.rows);
  const first = t.lastFree + 1;
  if (kind === "flat" || kind === "flatPlusDaily") acc.add("flat", first, first, base, 0, ctx.flat, 10000, 1);
  if (kind === "percentOnce") acc.add("percent", first, first, base, 0, base, rate, 1);
  if (kind === "daily" || kind === "flatPlusDaily") {
    // The days accrueFrom..T split where the unpaid principal changes; only days with principal left.
    const from = t.accrueFrom;
    let p = amount;
    let j = 0;
    for (; j < n && steps[j]!.on <= from; j++) p -= steps[j]!.amountMinor;
    let start = from;
    for (; j < n; j++) {
      const s = steps[j]!;
      if (s.on > T) break;
      if (s.on > start) {
        if (p > 0) acc.add("daily", start, s.on - 1, p, s.on - start, p, rate, s.on - start);
        start = s.on;
      }
      p -= s.amountMinor;
    }
    if (p > 0 && start <= T) acc.add("daily", start, T, p, T - start + 1, p, rate, T - start + 1);
  }
  if (kind === "monthly") {
    // Each month or part of a month of lateness, counted from the first accrual day (art. 202 month ends).
    const [y, m, d] = civilOf(t.accrueFrom);
    const month = monthIndexOf(y, m);
    let from = t.accrueFrom; // addMonths(accrueFrom, 0)
    let p = amount;
    let j = 0;
    for (let k = 0; ; k++) {
      for (; j < n && steps[j]!.on <= from; j++) p -= steps[j]!.amountMinor;
      if (from > T || p <= 0) break;
      const next = dayOfMonth(month + k + 1, d); // addMonths(accrueFrom, k + 1)
      const to = Math.min(next - 1, T);
      acc.add("monthly", from, to, p, to - from + 1, p, rate, 1);
      from = next;
    }
  }
  const uncapped = acc.total(t.charge.id);
  out.uncapped = uncapped;
  // The least cap below the fee; on a tie the first of percent, amount, annual rate.
  if (t.pctCap >= 0 && t.pctCap < uncapped) (out.capKind = "percentOfPrincipal"), (out.capLimit = t.pctCap);
  const capAmount = ctx.capAmount;
  if (capAmount !== undefined && capAmount < uncapped && (out.capKind === undefined || capAmount < out.capLimit)) (out.capKind = "amount"), (out.capLimit = capAmount);
  if (ctx.capAnnual !== undefined) {
    const limit = annualCap(amount, steps, t.due + 1, T, ctx.capAnnual);
    if (limit < uncapped && (out.capKind === undefined || limit < out.capLimit)) (out.capKind = "annualRate"), (out.capLimit = limit);
  }
  out.amount = out.capKind === undefined ? uncapped : out.capLimit;
  return out;
}

/**
 * Per-charge fees that no longer change, for the many evaluations of one principal history (the
 * allocation's, one per payment day; the account cap's search). Once the principal is paid in
 * full on day `s` and the grace period is over, nothing of `chargeFee` but the rows' last dates
 * depends on the day: no days with principal are added, and the flat, percent and cap terms are
 * fixed. Only for evaluations without rows.
 */
export interface Frozen {
  from: EpochDay[];
  fee: (Fee | undefined)[];
}

/** `chargeFee` without rows, through the memo when given. */
export function chargeFeeAt(ctx: Ctx, i: number, steps: Steps, T: EpochDay, out: Fee, frozen: Frozen | undefined): Fee {
  const f = frozen?.fee[i];
  if (f !== undefined && T >= frozen!.from[i]!) {
    out.arisen = f.arisen;
    out.uncapped = f.uncapped;
    out.capKind = f.capKind;
    out.capLimit = f.capLimit;
    out.amount = f.amount;
    out.rows = undefined;
    out.waiver = undefined;
    return out;
  }
  const t = ctx.terms[i]!;
  chargeFee(ctx, t, steps, T, out, false);
  if (frozen !== undefined && T > t.lastFree) {
    const paid = paidInFullOn(t.charge, steps, T);
    if (paid !== undefined && paid <= T) (frozen.from[i] = T), (frozen.fee[i] = { ...out });
  }
  return out;
}

/** The day the principal was paid in full, if it was by `T`. */
export function paidInFullOn(charge: Charge, steps: Steps, T: EpochDay): EpochDay | undefined {
  let p = charge.amount;
  for (let j = 0; j < steps.length; j++) {
    const s = steps[j]!;
    if (s.on > T) break;
    if ((p -= s.amountMinor) <= 0) return s.on;
  }
  return charge.amount === 0 ? charge.due : undefined;
}
