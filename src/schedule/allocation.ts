/**
 * Payment allocation: which payment paid what, to the minor unit.
 *
 * Oldest due first (Civil Code art. 560). Within a charge, by default of the contract, costs,
 * then interest (the late fee), then principal (art. 561): order `costsLateFeePrincipal`. Order
 * `principalFirst` pays the principal of every charge, oldest first, before any late fee or cost;
 * it is what the scheduler does today (plan-day.ts) and is never worse for the owner.
 *
 * Costs (实现债权的有关费用) are not on ledger charges yet: a charge may carry `costsMinor`;
 * without it the `cost` part is always empty. A payment that pays everything the ledger holds
 * leaves a credit, which pays the next charge once the ledger holds it (re-run the allocation).
 */
import { formatCivilDate, type EpochDay } from "./civil-date.js";

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
  /** Late fees: a function of the payment day, or fixed totals per charge id (owed from the start). */
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

function checkMinor(what: string, value: number, positive: boolean): void {
  if (!Number.isSafeInteger(value) || value < (positive ? 1 : 0)) throw new RangeError(`${what} must be a ${positive ? "positive" : "non-negative"} integer of minor units (got ${value})`);
}

/**
 * Allocates every payment, in date order, to the charges, oldest due first. Every minor unit
 * of every payment is accounted for: the lines and the credit sum to the payment.
 *
 * @example
 * const a = allocatePayments(
 *   [{ id: "c1", due: civilDate("2026-03-01"), amount: 30000 }],
 *   [{ id: "p1", on: civilDate("2026-03-11"), amount: 10000 }],
 * );
 * a.payments[0].lines // [{ chargeId: "c1", part: "principal", amountMinor: 10000 }]
 */
export function allocatePayments(charges: readonly AllocatableCharge[], payments: readonly AllocatablePayment[], options: AllocationOptions = {}): Allocation {
  const order = options.order ?? "principalFirst";
  // Stable sorts: ties keep the ledger's order, as normalizeAccount leaves it.
  const cs = [...charges].sort((a, b) => a.due - b.due);
  const ps = [...payments].sort((a, b) => a.on - b.on);
  const balances: ChargeBalance[] = cs.map((c) => {
    checkMinor(`charge ${c.id} amount`, c.amount, false);
    checkMinor(`charge ${c.id} costsMinor`, c.costsMinor ?? 0, false);
    return { chargeId: c.id, principalPaidMinor: 0, principalUnpaidMinor: c.amount, lateFeePaidMinor: 0, costsPaidMinor: 0, costsUnpaidMinor: c.costsMinor ?? 0, principalPaid: [] };
  });
  const byId = new Map(balances.map((b) => [b.chargeId, b]));
  const stepsOf = (chargeId: string): readonly PrincipalStep[] => byId.get(chargeId)?.principalPaid ?? [];
  const fees = options.lateFees;
  const feeOwed = (b: ChargeBalance, day: EpochDay): number => {
    const total = fees === undefined ? 0 : typeof fees === "function" ? fees(b.chargeId, day, stepsOf) : (fees[b.chargeId] ?? 0);
    checkMinor(`late fee of charge ${b.chargeId}`, total, false);
    return Math.max(0, total - b.lateFeePaidMinor);
  };

  const out: PaymentAllocation[] = [];
  let creditMinor = 0;
  for (const p of ps) {
    checkMinor(`payment ${p.id} amount`, p.amount, true);
    let rest = p.amount;
    const lines: AllocationLine[] = [];
    const pay = (b: ChargeBalance, part: AllocationPart, owed: number): void => {
      const amount = Math.min(rest, owed);
      if (amount <= 0) return;
      rest -= amount;
      lines.push({ chargeId: b.chargeId, part, amountMinor: amount });
      if (part === "cost") (b.costsPaidMinor += amount), (b.costsUnpaidMinor -= amount);
      else if (part === "lateFee") b.lateFeePaidMinor += amount;
      else (b.principalPaidMinor += amount), (b.principalUnpaidMinor -= amount), b.principalPaid.push({ on: p.on, amountMinor: amount });
    };
    if (order === "costsLateFeePrincipal") {
      // Art. 561: within each debt, costs, then interest, then principal; debts oldest first (art. 560).
      for (const b of balances) {
        if (rest === 0) break;
        pay(b, "cost", b.costsUnpaidMinor);
        pay(b, "lateFee", feeOwed(b, p.on));
        pay(b, "principal", b.principalUnpaidMinor);
      }
    } else {
      for (const b of balances) pay(b, "principal", b.principalUnpaidMinor);
      // Fees owed through the day before the payment do not depend on what it paid today.
      for (const b of balances) if (rest > 0) pay(b, "lateFee", feeOwed(b, p.on));
      for (const b of balances) pay(b, "cost", b.costsUnpaidMinor);
    }
    creditMinor += rest;
    out.push({ paymentId: p.id, on: formatCivilDate(p.on), amountMinor: p.amount, lines, creditMinor: rest });
  }
  return { order, payments: out, charges: balances, creditMinor };
}
