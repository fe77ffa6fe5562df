import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  allocatePayments,
  unpaidOldestFirst,
  type AllocatableCharge,
  type AllocatablePayment,
  type Allocation,
  type AllocationLine,
  type AllocationOptions,
  type AllocationPart,
  type ChargeBalance,
  type PaymentAllocation,
  type PrincipalStep,
} from "./allocation.js";
import { civilDate, formatCivilDate } from "../time/civil-date.js";

const d = civilDate;
const c1 = { id: "c1", due: d("2026-03-01"), amount: 30000 };
const c2 = { id: "c2", due: d("2026-04-01"), amount: 30000 };

function sums(a: Allocation): void {
  for (const p of a.payments) expect(p.lines.reduce((s, l) => s + l.amountMinor, 0) + p.creditMinor).toBe(p.amountMinor);
}

describe("allocatePayments", () => {
  it("issue acceptance: a 100.00 payment on 2026-03-11 pays the 300.00 charge's principal", () => {
    const a = allocatePayments([c1], [{ id: "p1", on: d("2026-03-11"), amount: 10000 }]);
    expect(a.payments[0]).toEqual({ paymentId: "p1", on: "2026-03-11", amountMinor: 10000, lines: [{ chargeId: "c1", part: "principal", amountMinor: 10000 }], creditMinor: 0 });
    expect(a.charges[0]).toMatchObject({ principalPaidMinor: 10000, principalUnpaidMinor: 20000, principalPaid: [{ on: d("2026-03-11"), amountMinor: 10000 }] });
  });

  it("pays the oldest due first, whatever the ledger order, and carries an overpayment to credit", () => {
    const a = allocatePayments([c2, c1], [{ id: "p2", on: d("2026-05-01"), amount: 40000 }, { id: "p1", on: d("2026-03-05"), amount: 25000 }]);
    expect(a.payments.map((p) => p.paymentId)).toEqual(["p1", "p2"]);
    expect(a.payments[0]!.lines).toEqual([{ chargeId: "c1", part: "principal", amountMinor: 25000 }]);
    expect(a.payments[1]!.lines).toEqual([
      { chargeId: "c1", part: "principal", amountMinor: 5000 },
      { chargeId: "c2", part: "principal", amountMinor: 30000 },
    ]);
    expect(a.payments[1]!.creditMinor).toBe(5000);
    expect(a.creditMinor).toBe(5000);
    sums(a);
  });

  it("art. 561 order: within each charge, costs, then late fee, then principal", () => {
    const charges = [{ ...c1, costsMinor: 2000 }, c2];
    const a = allocatePayments(charges, [{ id: "p1", on: d("2026-05-01"), amount: 40000 }], { order: "costsLateFeePrincipal", lateFees: { c1: 465, c2: 100 } });
    expect(a.payments[0]!.lines).toEqual([
      { chargeId: "c1", part: "cost", amountMinor: 2000 },
      { chargeId: "c1", part: "lateFee", amountMinor: 465 },
      { chargeId: "c1", part: "principal", amountMinor: 30000 },
      { chargeId: "c2", part: "lateFee", amountMinor: 100 },
      { chargeId: "c2", part: "principal", amountMinor: 7435 },
    ]);
    sums(a);
  });

  it("principal first: every principal, then late fees, then costs", () => {
    const charges = [{ ...c1, costsMinor: 2000 }, c2];
    const a = allocatePayments(charges, [{ id: "p1", on: d("2026-05-01"), amount: 61000 }], { order: "principalFirst", lateFees: { c1: 465, c2: 100 } });
    expect(a.payments[0]!.lines).toEqual([
      { chargeId: "c1", part: "principal", amountMinor: 30000 },
      { chargeId: "c2", part: "principal", amountMinor: 30000 },
      { chargeId: "c1", part: "lateFee", amountMinor: 465 },
      { chargeId: "c2", part: "lateFee", amountMinor: 100 },
      { chargeId: "c1", part: "cost", amountMinor: 435 },
    ]);
    expect(a.charges[0]).toMatchObject({ costsPaidMinor: 435, costsUnpaidMinor: 1565, lateFeePaidMinor: 465 });
  });

  it("asks a fee function for the fee accrued before the payment day, and pays only the rest", () => {
    const calls: [string, number][] = [];
    const a = allocatePayments([c1], [{ id: "p1", on: d("2026-03-11"), amount: 100 }, { id: "p2", on: d("2026-03-21"), amount: 1000 }], {
      order: "costsLateFeePrincipal",
      lateFees: (id, day) => (calls.push([id, day]), (day - d("2026-03-01") - 1) * 15),
    });
    expect(calls).toEqual([["c1", d("2026-03-11")], ["c1", d("2026-03-21")]]);
    expect(a.payments.map((p) => p.lines)).toEqual([
      [{ chargeId: "c1", part: "lateFee", amountMinor: 100 }],
      [{ chargeId: "c1", part: "lateFee", amountMinor: 185 }, { chargeId: "c1", part: "principal", amountMinor: 815 }],
    ]);
  });

  it("rejects amounts that are not whole minor units", () => {
    expect(() => allocatePayments([c1], [{ id: "p", on: 0, amount: 1.5 }])).toThrow(expect.objectContaining({ name: "InvalidArgumentError", code: "invalid_number" }));
    expect(() => allocatePayments([c1], [{ id: "p", on: 0, amount: 0 }])).toThrow(expect.objectContaining({ name: "InvalidArgumentError", code: "invalid_number" }));
    expect(() => allocatePayments([{ ...c1, amount: -1 }], [])).toThrow(expect.objectContaining({ name: "InvalidArgumentError", code: "invalid_number" }));
  });
});

const chargesArb = fc
  .array(fc.record({ due: fc.integer({ min: 0, max: 400 }), amount: fc.integer({ min: 0, max: 100_000 }), costs: fc.option(fc.integer({ min: 0, max: 5000 }), { nil: undefined }), fee: fc.integer({ min: 0, max: 20_000 }) }), { maxLength: 6 })
  .map((xs) => xs.map((x, i): AllocatableCharge & { fee: number } => ({ id: `c${i}`, due: x.due, amount: x.amount, fee: x.fee, ...(x.costs !== undefined ? { costsMinor: x.costs } : {}) })));
const paymentsArb = fc.array(fc.record({ on: fc.integer({ min: 0, max: 500 }), amount: fc.integer({ min: 1, max: 200_000 }) }), { maxLength: 8 }).map((xs) => xs.map((x, i): AllocatablePayment => ({ id: `p${i}`, ...x })));
const orderArb = fc.constantFrom("costsLateFeePrincipal" as const, "principalFirst" as const);

describe("allocation properties", () => {
  it("every minor unit of every payment is accounted for, and nothing is over-paid", () => {
    fc.assert(
      fc.property(chargesArb, paymentsArb, orderArb, (charges, payments, order) => {
        const fees = Object.fromEntries(charges.map((c) => [c.id, c.fee]));
        const a = allocatePayments(charges, payments, { order, lateFees: fees });
        for (const p of a.payments) if (p.lines.reduce((s, l) => s + l.amountMinor, 0) + p.creditMinor !== p.amountMinor || p.creditMinor < 0) return false;
        if (a.payments.some((p) => p.lines.some((l) => l.amountMinor <= 0))) return false;
        const paid = payments.reduce((s, p) => s + p.amount, 0);
        const owed = charges.reduce((s, c) => s + c.amount + (c.costsMinor ?? 0) + c.fee, 0);
        // a credit only when everything is paid
        if (a.creditMinor !== Math.max(0, paid - owed)) return false;
        return a.charges.every((b, i) => {
          const c = charges.find((x) => x.id === b.chargeId)!;
          return b.principalPaidMinor + b.principalUnpaidMinor === c.amount && b.principalUnpaidMinor >= 0 && b.lateFeePaidMinor <= c.fee && b.costsUnpaidMinor >= 0 && i >= 0;
        });
      }),
    );
  });

  it("oldest due first: principal-first never leaves an older principal unpaid while paying a younger one", () => {
    fc.assert(
      fc.property(chargesArb, paymentsArb, (charges, payments) => {
        const a = allocatePayments(charges, payments);
        const byDue = [...charges].sort((x, y) => x.due - y.due);
        const unpaid = new Map(a.charges.map((b) => [b.chargeId, b.principalUnpaidMinor]));
        // the unpaid balances form a prefix of paid charges, then at most one partial, then unpaid ones
        let seenUnpaid = false;
        for (const c of byDue) {
          const u = unpaid.get(c.id)!;
          if (seenUnpaid && u !== c.amount) return false;
          if (u > 0) seenUnpaid = true;
        }
        return true;
      }),
    );
  });
});

/** The allocation as first written: every pass over every charge, for each payment. */
function referenceAllocation(charges: readonly AllocatableCharge[], payments: readonly AllocatablePayment[], options: AllocationOptions): Allocation {
  const order = options.order ?? "principalFirst";
  const cs = [...charges].sort((a, b) => a.due - b.due);
  const ps = [...payments].sort((a, b) => a.on - b.on);
  const balances: ChargeBalance[] = cs.map((c) => ({ chargeId: c.id, principalPaidMinor: 0, principalUnpaidMinor: c.amount, lateFeePaidMinor: 0, costsPaidMinor: 0, costsUnpaidMinor: c.costsMinor ?? 0, principalPaid: [] }));
  const byId = new Map(balances.map((b) => [b.chargeId, b]));
  const stepsOf = (chargeId: string): readonly PrincipalStep[] => byId.get(chargeId)?.principalPaid ?? [];
  const fees = options.lateFees;
  const feeOwed = (b: ChargeBalance, day: number): number => Math.max(0, (fees === undefined ? 0 : typeof fees === "function" ? fees(b.chargeId, day, stepsOf) : (fees[b.chargeId] ?? 0)) - b.lateFeePaidMinor);
  const out: PaymentAllocation[] = [];
  let creditMinor = 0;
  for (const p of ps) {
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
    if (order === "costsLateFeePrincipal")
      for (const b of balances) {
        if (rest === 0) break;
        pay(b, "cost", b.costsUnpaidMinor);
        pay(b, "lateFee", feeOwed(b, p.on));
        pay(b, "principal", b.principalUnpaidMinor);
      }
    else {
      for (const b of balances) pay(b, "principal", b.principalUnpaidMinor);
      for (const b of balances) if (rest > 0) pay(b, "lateFee", feeOwed(b, p.on));
      for (const b of balances) pay(b, "cost", b.costsUnpaidMinor);
    }
    creditMinor += rest;
    out.push({ paymentId: p.id, on: formatCivilDate(p.on), amountMinor: p.amount, lines, creditMinor: rest });
  }
  return { order, payments: out, charges: balances, creditMinor };
}

describe("allocatePayments equals the straightforward allocation", () => {
  it("same lines, balances and credit, and the same questions to a fee function, in the same order", () => {
    const unsorted = fc.array(fc.record({ due: fc.integer({ min: 0, max: 60 }), amount: fc.integer({ min: 0, max: 50_000 }), costs: fc.option(fc.integer({ min: 0, max: 3000 }), { nil: undefined }) }), { maxLength: 8 });
    const pays = fc.array(fc.record({ on: fc.integer({ min: 0, max: 120 }), amount: fc.integer({ min: 1, max: 120_000 }) }), { maxLength: 10 });
    fc.assert(
      fc.property(unsorted, pays, orderArb, fc.boolean(), fc.integer({ min: 0, max: 200 }), (cs, ps, order, asFunction, perDay) => {
        const charges = cs.map((x, i): AllocatableCharge => ({ id: `c${i}`, due: x.due, amount: x.amount, ...(x.costs !== undefined ? { costsMinor: x.costs } : {}) }));
        const payments = ps.map((x, i): AllocatablePayment => ({ id: `p${i}`, ...x }));
        // A fee that grows with the day and shrinks with the principal paid so far on every charge.
        const fee = (log: unknown[]) => (id: string, day: number, paid: (id: string) => readonly PrincipalStep[]) => {
          const soFar = charges.reduce((s, c) => s + paid(c.id).filter((x) => x.on < day).length, 0);
          log.push([id, day, soFar]);
          return Math.max(0, day * perDay - soFar * 7) % 5000;
        };
        const fixed = Object.fromEntries(charges.map((c, i) => [c.id, (i * 37 * perDay) % 4000]));
        const log1: unknown[] = [];
        const log2: unknown[] = [];
        const a = allocatePayments(charges, payments, { order, lateFees: asFunction ? fee(log1) : fixed });
        const b = referenceAllocation(charges, payments, { order, lateFees: asFunction ? fee(log2) : fixed });
        expect(a).toStrictEqual(b);
        expect(log1).toStrictEqual(log2);
      }),
      { numRuns: 500 },
    );
  });
});

describe("unpaidOldestFirst: the principal side of allocatePayments, in one pass", () => {
  it("art. 560 by example: 400.00 on 03-11 pays March's 300.00 and 100.00 of April's; a payment after the day does not count", () => {
    const paidOffOn: number[] = [];
    const unpaid = unpaidOldestFirst([c1, c2], [{ on: d("2026-03-11"), amount: 40000 }, { on: d("2026-04-11"), amount: 5000 }], d("2026-03-31"), paidOffOn);
    expect(unpaid).toEqual([0, 20000]);
    expect(paidOffOn).toEqual([d("2026-03-11"), Infinity]);
  });

  it("leaves unpaid what allocatePayments (principal first, no fees) leaves, for the payments through the day, and each charge paid off on its last principal step", () => {
    const due = fc.array(fc.integer({ min: 0, max: 60 }), { maxLength: 8 });
    const amounts = fc.array(fc.integer({ min: 0, max: 50_000 }), { minLength: 8, maxLength: 8 });
    const pays = fc.array(fc.record({ on: fc.integer({ min: 0, max: 120 }), amount: fc.integer({ min: 1, max: 120_000 }) }), { maxLength: 10 });
    fc.assert(
      fc.property(due, amounts, pays, fc.integer({ min: -1, max: 130 }), (dues, amts, ps, through) => {
        // As a checked account holds them: charges oldest due first, payments by date.
        const charges = [...dues].sort((a, b) => a - b).map((x, i): AllocatableCharge => ({ id: `c${i}`, due: x, amount: amts[i]! }));
        const payments = [...ps].sort((a, b) => a.on - b.on).map((x, i): AllocatablePayment => ({ id: `p${i}`, ...x }));
        const full = allocatePayments(charges, payments.filter((p) => p.on <= through));
        const paidOffOn: number[] = [];
        expect(unpaidOldestFirst(charges, payments, through, paidOffOn)).toEqual(full.charges.map((b) => b.principalUnpaidMinor));
        expect(paidOffOn).toEqual(full.charges.map((b, i) => (charges[i]!.amount === 0 ? -Infinity : b.principalUnpaidMinor > 0 ? Infinity : b.principalPaid.at(-1)!.on)));
        // The payments' order does not change what is unpaid.
        expect(unpaidOldestFirst(charges, [...payments].reverse(), through)).toEqual(full.charges.map((b) => b.principalUnpaidMinor));
      }),
      { numRuns: 500 },
    );
  });
});
