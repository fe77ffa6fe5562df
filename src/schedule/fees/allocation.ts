/**
 * Payment allocation: which payment paid what, to the minor unit.
 *
 * Oldest due first (Civil Code art. 560). Within a charge, by default of the contract, costs,
 * then interest (the late fee), then principal (art. 561): order `costsLateFeePrincipal`. Order
 * `principalFirst` pays the principal of every charge, oldest first, before any late fee or cost;
 * it is what the scheduler does today (plan-day.ts) and is never worse for the owner. The
 * scheduler, the holds and the reports ask only what principal is left: {@link unpaidOldestFirst}.
 *
 * Costs (实现债权的有关费用) are not on ledger charges yet: a charge may carry `costsMinor`;
 * without it the `cost` part is always empty. A payment that pays everything the ledger holds
 * leaves a credit, which pays the next charge once the ledger holds it (re-run the allocation).
 */
import { formatDay, type EpochDay } from "../time/civil-date.js";
import { InvalidArgumentError } from "../../rules/errors.js";

export type AllocationOrder = "costsLateFeePrincipal" | "principalFirst";
export type AllocationPart = "cost" | "lateFee" | "principal";

/** A charge to allocate to; the normalized `Charge` of account.ts fits. */
export interface AllocatableCharge {
  id: string;
  due: EpochDay;
  /** Principal, minor units. */
  amount: number;
  /** Costs of collection owed on this charge, minor units (not yet modelled on ledger charges). */
  costsMinor?: number;
}

/** A payment; the normalized `Payment` of account.ts fits. */
export interface AllocatablePayment {
  id: string;
  on: EpochDay;
  amount: number;
}

/** Principal paid on a charge by one payment: the principal is lower from day `on` on. */
export interface PrincipalStep {
  on: EpochDay;
  amountMinor: number;
}

/**
 * The late fee accrued on a charge through the day before `day` (cumulative, minor units), given
 * the principal paid so far on every charge. The allocation pays what of it is not yet paid.
 */
export type LateFeeOwed = (chargeId: string, day: EpochDay, principalPaid: (chargeId: string) => readonly PrincipalStep[]) => number;

export interface AllocationOptions {
  /** Default `principalFirst` (see the module comment). */
  order?: AllocationOrder;
  /**
   * Late fees: a function of the payment day, or fixed totals per charge id (owed from the start).
   * A function is asked, for each payment, about every charge the fee pass visits: with
   * `costsLateFeePrincipal`, each charge oldest first until the payment is spent; with
   * `principalFirst`, only once every principal is paid, each charge until the payment is spent.
   */
  lateFees?: LateFeeOwed | Readonly<Record<string, number>>;
}

export interface AllocationLine {
  chargeId: string;
  part: AllocationPart;
  amountMinor: number;
}

export interface PaymentAllocation {
  paymentId: string;
  on: string;
  amountMinor: number;
  lines: AllocationLine[];
  /** What nothing in the ledger absorbed. `sum(lines) + creditMinor === amountMinor`. */
  creditMinor: number;
}

export interface ChargeBalance {
  chargeId: string;
  principalPaidMinor: number;
  principalUnpaidMinor: number;
  lateFeePaidMinor: number;
  costsPaidMinor: number;
  costsUnpaidMinor: number;
  /** Principal paid, by payment, in date order. */
  principalPaid: PrincipalStep[];
}

export interface Allocation {
  order: AllocationOrder;
  payments: PaymentAllocation[];
  charges: ChargeBalance[];
  creditMinor: number;
}

/** Principal paid on a charge by one payment, as a public report states it: from the civil date `on` on, the principal is lower. */
export interface PrincipalPaid {
  on: string;
  amountMinor: number;
}

/** A `ChargeBalance` as a public report states it: each principal step on a civil date. */
export interface ChargeBalanceReport extends Omit<ChargeBalance, "principalPaid"> {
  /** Principal paid, by payment, in date order. */
  principalPaid: PrincipalPaid[];
}

/** An `Allocation` as a public report states it (`computeLateFees`): civil dates, no epoch days. */
export interface AllocationReport extends Omit<Allocation, "charges"> {
  charges: ChargeBalanceReport[];
}

/** The allocation with its principal steps on civil dates, for a public report. */
export function allocationReport(allocation: Allocation): AllocationReport {
  const charges = allocation.charges.map(({ principalPaid, ...b }): ChargeBalanceReport => ({ ...b, principalPaid: principalPaid.map((s) => ({ on: formatDay(s.on), amountMinor: s.amountMinor })) }));
  return { ...allocation, charges };
}

/** Throws unless `value` is a whole number of minor units; the message (`${before}${id}${after}`) is built only then. */
function checkMinor(before: string, id: string, after: string, value: number, positive: boolean): void {
  if (!Number.isSafeInteger(value) || value < (positive ? 1 : 0)) throw new InvalidArgumentError("invalid_number", "", `${before}${id}${after} must be a ${positive ? "positive" : "non-negative"} integer of minor units (got ${value})`);
}

function byDue(a: AllocatableCharge, b: AllocatableCharge): number {
  return a.due - b.due;
}
function byDay(a: AllocatablePayment, b: AllocatablePayment): number {
  return a.on - b.on;
}
/** `xs` when already in order (the common case: normalizeAccount sorts), else a stable-sorted copy. */
function sortedCopy<T>(xs: readonly T[], cmp: (a: T, b: T) => number): readonly T[] {
  for (let i = 1; i < xs.length; i++) if (cmp(xs[i - 1]!, xs[i]!) > 0) return [...xs].sort(cmp);
  return xs;
}

/** The payment being allocated: what is left of it and, when recording, its lines. */
interface Paying {
  on: EpochDay;
  rest: number;
  lines: AllocationLine[] | undefined;
}

function pay(st: Paying, b: ChargeBalance, part: AllocationPart, owed: number): void {
  const amount = Math.min(st.rest, owed);
  if (amount <= 0) return;
  st.rest -= amount;
  if (st.lines !== undefined) st.lines.push({ chargeId: b.chargeId, part, amountMinor: amount });
  if (part === "cost") (b.costsPaidMinor += amount), (b.costsUnpaidMinor -= amount);
  else if (part === "lateFee") b.lateFeePaidMinor += amount;
  else (b.principalPaidMinor += amount), (b.principalUnpaidMinor -= amount), b.principalPaid.push({ on: st.on, amountMinor: amount });
}

/** Where the fee pass reads what a charge owes. */
interface FeeSource {
  fees: AllocationOptions["lateFees"];
  byId: ReadonlyMap<string, ChargeBalance>;
  /** The principal history the fee function is given; made on its first call. */
  stepsOf: ((chargeId: string) => readonly PrincipalStep[]) | undefined;
}

/** The fee still owed on a charge on `day`: the fee accrued before that day, less what was paid of it. */
function feeOwed(fs: FeeSource, b: ChargeBalance, day: EpochDay): number {
  const fees = fs.fees;
  let total = 0;
  if (typeof fees === "function") {
    const byId = fs.byId;
    total = fees(b.chargeId, day, (fs.stepsOf ??= (chargeId) => byId.get(chargeId)?.principalPaid ?? []));
  } else if (fees !== undefined) total = fees[b.chargeId] ?? 0;
  checkMinor("late fee of charge ", b.chargeId, "", total, false);
  return Math.max(0, total - b.lateFeePaidMinor);
}

/**
 * Allocates every payment, in date order, to the charges, oldest due first. Every minor unit
 * of every payment is accounted for: the lines and the credit sum to the payment.
 *
 * The principal and cost passes are O(charges + payments) over the whole allocation (they only
 * ever move forward over the charges); the late-fee pass asks `lateFees` about each charge it
 * visits (see {@link AllocationOptions.lateFees}).
 *
 * @example
 * const a = allocatePayments(
 *   [{ id: "c1", due: civilDate("2026-03-01"), amount: 30000 }],
 *   [{ id: "p1", on: civilDate("2026-03-11"), amount: 10000 }],
 * );
 * a.payments[0].lines // [{ chargeId: "c1", part: "principal", amountMinor: 10000 }]
 */
export function allocatePayments(charges: readonly AllocatableCharge[], payments: readonly AllocatablePayment[], options: AllocationOptions = {}): Allocation {
  return allocate(charges, payments, options, true).allocation;
}

/**
 * What each charge still owes of its principal once the payments received through `through`
 * (inclusive) are applied to the charges oldest due first (art. 560): the principal side of
 * {@link allocatePayments} when no fee or cost is paid before principal (order `principalFirst`),
 * as one pass with no lines and no balances, for the scheduler's hot path, the holds and the
 * reports. `charges` oldest due first, as a checked account (normalizeAccount) keeps them.
 *
 * `paidOffOn`, when given, receives for each charge the day of the payment that paid it off:
 * -Infinity for a charge of nothing, +Infinity for one the payments through `through` leave
 * unpaid. Read with payments in date order (a checked account's), else it is the day of the
 * last payment counted.
 *
 * @example
 * unpaidOldestFirst(
 *   [{ amount: 30000 }, { amount: 30000 }],
 *   [{ on: civilDate("2026-03-11"), amount: 40000 }, { on: civilDate("2026-04-11"), amount: 5000 }],
 *   civilDate("2026-03-31"),
 * ) // [0, 20000]: the payment of 04-11 is after the day asked about
 */
export function unpaidOldestFirst(charges: readonly { amount: number }[], payments: readonly { on: EpochDay; amount: number }[], through: EpochDay, paidOffOn?: EpochDay[]): number[] {
  const unpaid = new Array<number>(charges.length);
  let need = 0; // the principal of the charges up to this one
  let paid = 0; // the payments counted so far
  let lastOn = -Infinity; // the day of the last payment counted
  let p = 0;
  for (let k = 0; k < charges.length; k++) {
    const amount = charges[k]!.amount;
    need += amount;
    while (paid < need && p < payments.length) {
      const q = payments[p++]!;
      if (q.on <= through) (paid += q.amount), (lastOn = q.on);
    }
    const short = need - paid;
    unpaid[k] = short <= 0 ? 0 : short < amount ? short : amount;
    if (paidOffOn !== undefined) paidOffOn[k] = amount === 0 ? -Infinity : short <= 0 ? lastOn : Infinity;
  }
  return unpaid;
}

/**
 * @internal The allocation engine. `record: false` leaves `payments` empty (no lines, no date
 * strings: late-fees.ts's fast path needs only the balances). Also returns the balances by charge
 * id, as the fee function's `principalPaid` sees them.
 *
 * `finalFee(chargeId, day)`, when given, is a promise of the fee function's: the fee it states
 * for that charge on `day` and on every later day, or undefined when it cannot say. A charge
 * whose principal and costs are paid and whose final fee is paid then owes nothing on any later
 * payment, so the fee pass no longer visits it (and no longer asks about it): the charges such
 * settled from the oldest on are skipped, keeping the passes O(charges + payments).
 */
export function allocate(
  charges: readonly AllocatableCharge[],
  payments: readonly AllocatablePayment[],
  options: AllocationOptions,
  record: boolean,
  finalFee?: (chargeId: string, day: EpochDay) => number | undefined,
): { allocation: Allocation; byId: ReadonlyMap<string, ChargeBalance> } {
  const order = options.order ?? "principalFirst";
  // Stable sorts: ties keep the ledger's order, as normalizeAccount leaves it.
  const cs = sortedCopy(charges, byDue);
  const ps = sortedCopy(payments, byDay);
  const balances: ChargeBalance[] = new Array<ChargeBalance>(cs.length);
  const byId = new Map<string, ChargeBalance>();
  for (let i = 0; i < cs.length; i++) {
    const c = cs[i]!;
    checkMinor("charge ", c.id, " amount", c.amount, false);
    checkMinor("charge ", c.id, " costsMinor", c.costsMinor ?? 0, false);
    const b: ChargeBalance = { chargeId: c.id, principalPaidMinor: 0, principalUnpaidMinor: c.amount, lateFeePaidMinor: 0, costsPaidMinor: 0, costsUnpaidMinor: c.costsMinor ?? 0, principalPaid: [] };
    balances[i] = b;
    byId.set(c.id, b);
  }
  const fs: FeeSource = { fees: options.lateFees, byId, stepsOf: undefined };
  const out: PaymentAllocation[] = [];
  const n = balances.length;
  // Unpaid principal and costs only decrease: every charge before these has none left.
  let principalFrom = 0;
  let costsFrom = 0;
  // Charges before this one owe nothing on any payment from now on (see `finalFee`).
  let settledFrom = 0;
  let creditMinor = 0;
  const st: Paying = { on: 0, rest: 0, lines: undefined };
  for (const p of ps) {
    checkMinor("payment ", p.id, " amount", p.amount, true);
    st.on = p.on;
    st.rest = p.amount;
    const lines: AllocationLine[] | undefined = record ? [] : undefined;
    st.lines = lines;
    if (finalFee !== undefined)
      for (; settledFrom < n; settledFrom++) {
        const b = balances[settledFrom]!;
        if (b.principalUnpaidMinor !== 0 || b.costsUnpaidMinor !== 0) break;
        const fee = finalFee(b.chargeId, p.on);
        if (fee === undefined || fee > b.lateFeePaidMinor) break;
      }
    if (order === "costsLateFeePrincipal") {
      // Art. 561: within each debt, costs, then interest, then principal; debts oldest first (art. 560).
      for (let i = settledFrom; i < n; i++) {
        const b = balances[i]!;
        if (st.rest === 0) break;
        pay(st, b, "cost", b.costsUnpaidMinor);
        pay(st, b, "lateFee", feeOwed(fs, b, p.on));
        pay(st, b, "principal", b.principalUnpaidMinor);
      }
    } else {
      while (principalFrom < n && balances[principalFrom]!.principalUnpaidMinor === 0) principalFrom++;
      for (let i = principalFrom; i < n && st.rest > 0; i++) pay(st, balances[i]!, "principal", balances[i]!.principalUnpaidMinor);
      // Fees owed through the day before the payment do not depend on what it paid today.
      for (let i = settledFrom; i < n && st.rest > 0; i++) pay(st, balances[i]!, "lateFee", feeOwed(fs, balances[i]!, p.on));
      while (costsFrom < n && balances[costsFrom]!.costsUnpaidMinor === 0) costsFrom++;
      for (let i = costsFrom; i < n && st.rest > 0; i++) pay(st, balances[i]!, "cost", balances[i]!.costsUnpaidMinor);
    }
    creditMinor += st.rest;
    if (lines !== undefined) out.push({ paymentId: p.id, on: formatDay(p.on), amountMinor: p.amount, lines, creditMinor: st.rest });
  }
  return { allocation: { order, payments: out, charges: balances, creditMinor }, byId };
}
