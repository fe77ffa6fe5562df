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
 */
import { describeAccrual, divideRounded, type LateFeeClause, type LateFeeWaiver, type RoundingMode } from "../rules/late-fee.js";
import type { Account, Charge, Payment } from "./account.js";
import { allocate, formatDay, type Allocation, type AllocationOrder, type LateFeeOwed, type PrincipalStep } from "./allocation.js";
import { addMonths, civilOf, dayOfMonth, formatCivilDate, monthIndexOf, type EpochDay } from "./civil-date.js";

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

/**
 * Options of the fast path, `computeLateFees(clause, account, asOf, { detail: false })`: the same
 * amounts as the full report, without accrual rows, date strings or the allocation.
 */
export interface LateFeeAmountsOptions extends LateFeeOptions {
  detail: false;
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

/** One charge's fee as `{ detail: false }` states it: the amounts of {@link ChargeLateFee}, no explanation. */
export interface ChargeLateFeeAmount {
  chargeId: string;
  /** Days after the due date the principal stayed unpaid, through asOf. */
  daysLate: number;
  uncappedMinor: number;
  capApplied?: { kind: CapKind; limitMinor: number };
  waiver?: { type: LateFeeWaiver["type"]; reason: string };
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

/** What `computeLateFees(…, { detail: false })` returns: per charge and in total, equal to the full report's amounts. */
export interface LateFeeAmounts {
  charges: ChargeLateFeeAmount[];
  totalMinor: number;
}

/** A charge's dates under the clause: holiday-shifted due date, last day without a fee, first accrual day. */
interface Terms {
  charge: Charge;
  due: EpochDay;
  lastFree: EpochDay;
  accrueFrom: EpochDay;
  /** The percent-of-principal cap, or -1 without one. */
  pctCap: number;
}
type Waiver = NonNullable<ChargeLateFee["waiver"]>;
type Steps = readonly PrincipalStep[];

/**
 * One charge's fee through a day. `chargeFee` fills `arisen`, `uncapped`, `capKind`/`capLimit`
 * (the per-charge cap) and `amount` (after per-charge caps); `evaluate` then applies the waiver
 * and the account cap to `amount` and `capKind`/`capLimit`.
 */
interface Fee {
  arisen: boolean;
  uncapped: number;
  capKind: CapKind | undefined;
  capLimit: number;
  amount: number;
  rows: AccrualRow[] | undefined;
  waiver: Waiver | undefined;
}

interface Ctx {
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
const EXACT = 2 ** 52;
const NO_TAGS: ReadonlySet<string> = new Set();
const NO_NOTICES: readonly LateFeeNotice[] = [];
const NO_STEPS: Steps = [];
const everyDay = (): boolean => true;

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
const fmt = formatDay;

let described: { accrual: LateFeeClause["accrual"]; type: string; rate: number; amount: number; text: string } | undefined;
function rateText(a: LateFeeClause["accrual"]): string {
  const rate = "rateBasisPoints" in a ? a.rateBasisPoints : -1;
  const amount = "amountMinor" in a ? a.amountMinor : -1;
  if (described?.accrual !== a || described.type !== a.type || described.rate !== rate || described.amount !== amount) described = { accrual: a, type: a.type, rate, amount, text: describeAccrual(a) };
  return described.text;
}

/** Civil Code art. 203: a last day on a non-working day moves to the next working day. */
function nextWorkingDay(day: EpochDay, isWorkingDay: (day: EpochDay) => boolean): EpochDay {
  for (let d = day; d < day + 366; d++) if (isWorkingDay(d)) return d;
  throw new RangeError(`no working day in the year from ${formatCivilDate(day)}: check the holiday calendar`);
}

function termsOf(clause: LateFeeClause, charge: Charge, isWorkingDay: ((day: EpochDay) => boolean) | undefined, pctBp: number | undefined): Terms {
  const shift = clause.holidayShift === true;
  const due = shift ? nextWorkingDay(charge.due, isWorkingDay!) : charge.due;
  const grace = clause.graceDays ?? 0;
  const lastFree = grace > 0 ? (shift ? nextWorkingDay(due + grace, isWorkingDay!) : due + grace) : due;
  let pctCap = -1;
  // Caps round down, so that a fee never exceeds the exact cap.
  if (pctBp !== undefined) pctCap = charge.amount * pctBp < EXACT ? divRound(charge.amount * pctBp, 10000, "floor") : Number(divideRounded(BigInt(charge.amount) * BigInt(pctBp), BP, "floor"));
  return { charge, due, lastFree, accrueFrom: clause.startsAfter === "dueDate" ? due + 1 : lastFree + 1, pctCap };
}

function newFee(): Fee {
  return { arisen: false, uncapped: 0, capKind: undefined, capLimit: 0, amount: 0, rows: undefined, waiver: undefined };
}

/**
 * The running numerator (over 10000) of a charge's fee, in Number or BigInt as `big` says. With
 * rows, each row's amount is the rounded running total less the previous one (round the total,
 * not each row: the rows then sum exactly to the rounded fee).
 */
class Accrual {
  private n = 0;
  private b = 0n;
  private prevN = 0;
  private prevB = 0n;
  private big = false;
  private mode: RoundingMode = "halfUp";
  private rows: AccrualRow[] | undefined;

  /** Starts a charge (one accumulator serves every charge: nothing here is re-entered). */
  reset(big: boolean, mode: RoundingMode, rows: AccrualRow[] | undefined): this {
    this.n = 0;
    this.b = 0n;
    this.prevN = 0;
    this.prevB = 0n;
    this.big = big;
    this.mode = mode;
    this.rows = rows;
    return this;
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
    if (total > MAX_SAFE) throw new RangeError(`late fee of charge ${chargeId} exceeds ${Number.MAX_SAFE_INTEGER} minor units: add a cap`);
    return Number(total);
  }
}
const accrual = new Accrual();

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
function chargeFee(ctx: Ctx, t: Terms, steps: Steps, T: EpochDay, out: Fee, detail: boolean): Fee {
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
  const acc = accrual.reset(amount * rate * (T - t.accrueFrom + 2) + ctx.flat * 10000 >= EXACT, ctx.mode, out.rows);
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
interface Frozen {
  from: EpochDay[];
  fee: (Fee | undefined)[];
}

/** `chargeFee` without rows, through the memo when given. */
function chargeFeeAt(ctx: Ctx, i: number, steps: Steps, T: EpochDay, out: Fee, frozen: Frozen | undefined): Fee {
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
function paidInFullOn(charge: Charge, steps: Steps, T: EpochDay): EpochDay | undefined {
  let p = charge.amount;
  for (let j = 0; j < steps.length; j++) {
    const s = steps[j]!;
    if (s.on > T) break;
    if ((p -= s.amountMinor) <= 0) return s.on;
  }
  return charge.amount === 0 ? charge.due : undefined;
}

/**
 * One day's fees: every charge's at once (`evaluate`), or charge by charge as the allocation asks
 * (without an account cap a charge's fee depends on no other charge's amount: a waiver reads only
 * whether earlier charges' fees have arisen).
 */
interface Day {
  T: EpochDay;
  /** A payment on that day is being allocated (see `waiverFor`). */
  provisional: EpochDay | undefined;
  steps: readonly Steps[];
  detail: boolean;
  frozen: Frozen | undefined;
  /** `chargeFee` done, before the waiver. */
  fees: (Fee | undefined)[];
  /** 1 once the waiver is applied. */
  waived: Uint8Array;
}

function newDay(ctx: Ctx, steps: readonly Steps[], T: EpochDay, provisional: EpochDay | undefined, detail: boolean, frozen: Frozen | undefined): Day {
  const n = ctx.terms.length;
  return { T, provisional, steps, detail, frozen, fees: new Array<Fee | undefined>(n), waived: new Uint8Array(n) };
}

/** Charge `i`'s fee before waivers and the account cap. */
function baseFee(ctx: Ctx, day: Day, i: number): Fee {
  return (day.fees[i] ??= day.detail ? chargeFee(ctx, ctx.terms[i]!, day.steps[i]!, day.T, newFee(), true) : chargeFeeAt(ctx, i, day.steps[i]!, day.T, newFee(), day.frozen));
}

/** Charge `i`'s fee after its waiver, before the account cap. */
function waivedFee(ctx: Ctx, day: Day, i: number): Fee {
  const fee = baseFee(ctx, day, i);
  if (day.waived[i] === 0) {
    day.waived[i] = 1;
    if (fee.arisen && ctx.waivers.length > 0) fee.waiver = waiverFor(ctx, day, i);
    if (fee.waiver) fee.amount = 0;
  }
  return fee;
}

/** The first matching waiver of charge `i` on `day`. */
function waiverFor(ctx: Ctx, day: Day, i: number): Waiver | undefined {
  const t = ctx.terms[i]!;
  for (const w of ctx.waivers) {
    if (w.type === "accountTag" && ctx.tags.has(w.tag)) return { type: w.type, reason: `the account carries the tag "${w.tag}"` };
    if (w.type === "firstLateInMonths") {
      let sinces = ctx.since.get(w.months);
      if (sinces === undefined) ctx.since.set(w.months, (sinces = []));
      const since = (sinces[i] ??= addMonths(t.charge.due, -w.months));
      // any earlier charge due since then whose fee arose; the latest first, the likeliest
      let earlier = false;
      for (let j = i - 1; j >= 0 && !earlier; j--) earlier = ctx.terms[j]!.charge.due >= since && baseFee(ctx, day, j).arisen;
      if (!earlier) return { type: w.type, reason: `first late payment in ${w.months} months` };
    }
    if (w.type === "paidWithinDaysOfNotice") {
      const n = ctx.notices.find((x) => x.on > t.charge.due && (!w.stageKinds || (w.stageKinds as readonly string[]).includes(x.kind)) && (!x.chargeIds || x.chargeIds.includes(t.charge.id)));
      // While a payment is allocated on a day that would still earn the waiver, the fee is not
      // collected first: if that payment clears the principal, the fee is waived.
      const paidOn = paidInFullOn(t.charge, day.steps[i]!, day.T) ?? day.provisional;
      if (paidOn !== undefined && (!n || paidOn <= n.on + w.days))
        return { type: w.type, reason: n ? `principal paid in full by ${fmt(paidOn)}, within ${w.days} days of the ${n.kind} of ${fmt(n.on)}` : `principal paid in full by ${fmt(paidOn)}, before any notice` };
    }
  }
  return undefined;
}

/** Every charge's fee through `T`: per-charge caps, waivers, then the account cap. */
function evaluate(ctx: Ctx, steps: readonly Steps[], T: EpochDay, provisional: EpochDay | undefined, detail: boolean, frozen?: Frozen): Fee[] {
  const terms = ctx.terms;
  const n = terms.length;
  const day = newDay(ctx, steps, T, provisional, detail, frozen);
  const out = new Array<Fee>(n);
  let sum = 0;
  for (let i = 0; i < n; i++) sum += (out[i] = waivedFee(ctx, day, i)).amount;
  const cap = ctx.perAccount;
  if (cap === undefined || sum <= cap) return out;
  // The account cap stops accrual on the day it is reached: find the last day under it, then
  // share what is left of the cap on the next day oldest charge first. Each charge's fee so
  // never decreases as days pass (an oldest-first share of the totals could shrink a younger
  // charge's fee as older ones grow, and take back a fee it had already been paid).
  const scratch = newFee();
  const memo: Frozen = frozen ?? { from: [], fee: [] };
  const amounts = (day: EpochDay, into: number[]): number => {
    let s = 0;
    for (let i = 0; i < n; i++) s += into[i] = out[i]!.waiver ? 0 : chargeFeeAt(ctx, i, steps[i]!, day, scratch, memo).amount;
    return s;
  };
  const before = new Array<number>(n);
  const after = new Array<number>(n);
  let lo = Infinity;
  for (const t of terms) lo = Math.min(lo, t.lastFree);
  let hi = T;
  // The total is a non-decreasing function of the day (every fee is), nothing on `lo`, over the
  // cap on T: the day it is reached is unique, and a day's fees depend only on the payments up to
  // it. So the day found by the last evaluation is most often this one's too: check it first.
  let spent: number;
  const guess = ctx.capReached;
  if (guess !== undefined && guess - 1 >= lo && guess <= T && (spent = amounts(guess - 1, before)) <= cap && amounts(guess, after) > cap) (lo = guess - 1), (hi = guess);
  else {
    while (hi - lo > 1) {
      const mid = lo + Math.floor((hi - lo) / 2);
      if (amounts(mid, before) <= cap) lo = mid;
      else hi = mid;
    }
    spent = amounts(lo, before);
    amounts(hi, after);
  }
  ctx.capReached = hi;
  let room = cap - spent;
  for (let i = 0; i < n; i++) {
    const e = out[i]!;
    const take = Math.min(after[i]! - before[i]!, room);
    room -= take;
    const limitMinor = before[i]! + take;
    if (limitMinor < e.amount) (e.amount = limitMinor), (e.capKind = "perAccount"), (e.capLimit = limitMinor);
  }
  return out;
}

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

function paymentsThrough(payments: readonly Payment[], asOf: EpochDay): readonly Payment[] {
  for (const p of payments) if (p.on > asOf) return payments.filter((x) => x.on <= asOf);
  return payments;
}

/**
 * Allocates the payments up to asOf, paying fees as the order says, and returns the principal
 * history of each charge (in `ctx.terms` order). `record`: keep the allocation's lines.
 */
function principalHistory(ctx: Ctx, account: Account, asOf: EpochDay, order: AllocationOrder | undefined, record: boolean): { allocation: Allocation; steps: Steps[] } {
  let days: Map<EpochDay, Day | Fee[]> | undefined;
  let index: Map<string, number> | undefined;
  let live: Steps[] | undefined;
  let frozen: Frozen | undefined;
  const scratch = newFee();
  // Fees through the day before a payment depend only on earlier payments (the allocation's
  // arrays of steps grow as it goes, and only by steps on the payment day or later), so one
  // evaluation per day, charge by charge when there is no account cap.
  const owed: LateFeeOwed = (chargeId, on, stepsOf) => {
    if (live === undefined) {
      days = new Map();
      index = new Map(ctx.terms.map((t, i) => [t.charge.id, i]));
      live = ctx.terms.map((t) => stepsOf(t.charge.id));
      // normalizeAccount makes ids distinct; for a hand-made account without, no memo (nothing to reason about)
      frozen = index.size === ctx.terms.length ? { from: [], fee: [] } : undefined;
    }
    const i = index!.get(chargeId)!;
    // Without waivers or an account cap, a charge's fee is its own: nothing to share across charges.
    if (ctx.perAccount === undefined && ctx.waivers.length === 0) return chargeFeeAt(ctx, i, live[i]!, on - 1, scratch, frozen).amount;
    let day = days!.get(on);
    if (ctx.perAccount !== undefined) {
      if (!day) days!.set(on, (day = evaluate(ctx, live, on - 1, on, false, frozen)));
      return (day as Fee[])[i]!.amount;
    }
    if (!day) days!.set(on, (day = newDay(ctx, live, on - 1, on, false, frozen)));
    return waivedFee(ctx, day as Day, i).amount;
  };
  // Without waivers or an account cap, a fee in the memo is the charge's fee on every later day.
  const finalFee =
    ctx.perAccount === undefined && ctx.waivers.length === 0
      ? (chargeId: string, on: EpochDay): number | undefined => {
          const i = index?.get(chargeId);
          const f = i === undefined ? undefined : frozen?.fee[i];
          return f !== undefined && on - 1 >= frozen!.from[i!]! ? f.amount : undefined;
        }
      : undefined;
  const { allocation, byId } = allocate(account.charges, paymentsThrough(account.payments, asOf), { order: order ?? "principalFirst", lateFees: owed }, record, finalFee);
  const steps = new Array<Steps>(ctx.terms.length);
  for (let i = 0; i < steps.length; i++) steps[i] = byId.get(ctx.terms[i]!.charge.id)?.principalPaid ?? NO_STEPS;
  return { allocation, steps };
}

/**
 * Late fees per charge and for the account on `asOf`. Payments after `asOf` are ignored.
 *
 * With `{ detail: false }` (the scheduler's path), returns only the amounts
 * ({@link LateFeeAmounts}: per charge `chargeId`, `daysLate`, `uncappedMinor`, `capApplied`,
 * `waiver`, `amountMinor`, and `totalMinor`), equal to the full report's, without building the
 * accrual rows, the date strings or the allocation's lines. The default is the full report.
 *
 * @example
 * // 300.00 due 2026-03-01 at 0.05 % a day, unpaid on 2026-04-01: 31 days × 0.15 = 4.65
 * computeLateFees(BUILTIN_LATE_FEE, account, civilDate("2026-04-01")).totalMinor // 465
 * computeLateFees(BUILTIN_LATE_FEE, account, civilDate("2026-04-01"), { detail: false }).totalMinor // 465
 */
export function computeLateFees(clause: LateFeeClause, account: Account, asOf: EpochDay, options?: LateFeeOptions & { detail?: true }): LateFeeReport;
/**
 * The amounts only, as the full report states them (see the overload above): no accrual rows,
 * no date strings, no allocation. A few microseconds for two years of monthly charges.
 *
 * @example computeLateFees(BUILTIN_LATE_FEE, account, civilDate("2026-04-01"), { detail: false }).charges[0].amountMinor // 465
 */
export function computeLateFees(clause: LateFeeClause, account: Account, asOf: EpochDay, options: LateFeeAmountsOptions): LateFeeAmounts;
/** Either, as `detail` says (default true). */
export function computeLateFees(clause: LateFeeClause, account: Account, asOf: EpochDay, options?: LateFeeOptions & { detail?: boolean }): LateFeeReport | LateFeeAmounts;
export function computeLateFees(clause: LateFeeClause, account: Account, asOf: EpochDay, options: LateFeeOptions & { detail?: boolean } = {}): LateFeeReport | LateFeeAmounts {
  const detail = options.detail !== false;
  const ctx = context(clause, account, asOf, options);
  const { allocation, steps } = principalHistory(ctx, account, asOf, options.order, detail);
  const fees = evaluate(ctx, steps, asOf, undefined, detail);
  const n = fees.length;
  let totalMinor = 0;
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
      totalMinor += e.amount;
    }
    return { charges, totalMinor };
  }
  const rate = rateText(clause.accrual);
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
    totalMinor += e.amount;
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
  /** The charge's fee through that day, per-charge caps applied; waivers and the account cap are in computeLateFees. */
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
