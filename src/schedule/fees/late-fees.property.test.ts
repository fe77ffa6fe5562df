/** Late-fee properties over random clauses and ledgers. */
import fc from "fast-check";
import { describe, it } from "vitest";
import type { LateFeeClause } from "../../rules/late-fee.js";
import { lateFeesUnderClause } from "./late-fees.js";
import { START, clauseArb, ledgerArb, build, RUNS, type Ledger } from "./__fixtures__/late-fees.js";

describe("late-fee properties", () => {
  it("a fee is never negative, never above any of its caps; rows sum to the uncapped fee", () => {
    fc.assert(
      fc.property(clauseArb(true), ledgerArb, fc.integer({ min: 0, max: 600 }), (cl, l, at) => {
        const { a, options } = build(l);
        const r = lateFeesUnderClause(cl, a, START + at, options);
        const caps = cl.caps ?? {};
        const steps = new Map(r.allocation.charges.map((b) => [b.chargeId, b.principalPaid]));
        for (const [i, f] of r.charges.entries()) {
          const c = a.charges[i]!;
          if (f.amountMinor < 0 || f.amountMinor > f.uncappedMinor) return false;
          if (f.accrual.reduce((s, x) => s + x.amountMinor, 0) !== f.uncappedMinor) return false;
          if (caps.amountMinor !== undefined && f.amountMinor > caps.amountMinor) return false;
          if (caps.percentOfPrincipalBasisPoints !== undefined && BigInt(f.amountMinor) * 10000n > BigInt(c.amount) * BigInt(caps.percentOfPrincipalBasisPoints)) return false;
          if (caps.annualRateBasisPoints !== undefined) {
            // independently, day by day: Σ unpaid × rate / (10000 × 365)
            let num = 0n;
            for (let day = c.due + 1; day <= START + at; day++) {
              const unpaid = c.amount - (steps.get(c.id) ?? []).filter((s) => s.on <= day).reduce((s, x) => s + x.amountMinor, 0);
              num += BigInt(unpaid) * BigInt(caps.annualRateBasisPoints);
            }
            if (BigInt(f.amountMinor) * 3_650_000n > num) return false;
          }
        }
        return caps.perAccountMinor === undefined || r.totalMinor <= caps.perAccountMinor;
      }),
      RUNS,
    );
  });

  it("zero through the grace period", () => {
    fc.assert(
      fc.property(clauseArb(true), ledgerArb, fc.integer({ min: -5, max: 10 }), (cl, l, offset) => {
        const { a, options } = build(l);
        const first = Math.min(...a.charges.map((c) => c.due));
        const asOf = first + Math.min(offset, cl.graceDays ?? 0);
        const r = lateFeesUnderClause(cl, a, asOf, options);
        return r.charges.every((f, i) => a.charges[i]!.due + (cl.graceDays ?? 0) < asOf || f.amountMinor === 0);
      }),
      RUNS,
    );
  });

  it("never decreasing as days pass, for a fixed payment history", () => {
    fc.assert(
      fc.property(clauseArb(true), ledgerArb, fc.integer({ min: 0, max: 500 }), fc.integer({ min: 1, max: 400 }), (cl, l, at, more) => {
        const { a, options } = build(l, l.payments.filter((p) => p.on <= at));
        const before = lateFeesUnderClause(cl, a, START + at, options).charges;
        const after = lateFeesUnderClause(cl, a, START + at + more, options).charges;
        return before.every((f, i) => f.amountMinor <= after[i]!.amountMinor);
      }),
      RUNS,
    );
  });

  it("never increased by a payment (per charge without an account cap; in total with one)", () => {
    fc.assert(
      fc.property(clauseArb(true), ledgerArb, fc.record({ on: fc.integer({ min: 0, max: 400 }), amount: fc.integer({ min: 1, max: 150_000 }) }), fc.integer({ min: 0, max: 600 }), (cl, l, extra, at) => {
        const { a, options } = build(l);
        const { a: paid } = build(l, [...l.payments, extra]);
        const without = lateFeesUnderClause(cl, a, START + at, options);
        const withIt = lateFeesUnderClause(cl, paid, START + at, options);
        if (withIt.totalMinor > without.totalMinor) return false;
        return cl.caps?.perAccountMinor !== undefined || withIt.charges.every((f, i) => f.amountMinor <= without.charges[i]!.amountMinor);
      }),
      RUNS,
    );
  });

  it("never increased by a payment, with the prompt-payment waiver in play", () => {
    const prompt = fc.record({ days: fc.integer({ min: 0, max: 20 }), stageKinds: fc.constant(undefined) });
    const pay = fc.record({ on: fc.integer({ min: 0, max: 80 }), part: fc.constantFrom(1, 2, 4) });
    fc.assert(
      fc.property(clauseArb(false), prompt, fc.integer({ min: 1, max: 100_000 }), fc.integer({ min: 0, max: 60 }), fc.array(pay, { maxLength: 2 }), pay, fc.constantFrom("principalFirst" as const, "costsLateFeePrincipal" as const), (cl, w, amount, noticeOn, payments, extra, order) => {
        const withWaiver: LateFeeClause = { ...cl, waivers: [{ type: "paidWithinDaysOfNotice", days: w.days }] };
        const l: Ledger = { charges: [{ due: 0, amount }], payments: [], tags: [], notices: [{ on: noticeOn, kind: "dunningNotice" }], order };
        const toPayments = (xs: (typeof extra)[]) => xs.map((p) => ({ on: p.on, amount: Math.ceil(amount / p.part) }));
        const { a, options } = build(l, toPayments(payments));
        const { a: paid } = build(l, toPayments([...payments, extra]));
        return lateFeesUnderClause(withWaiver, paid, START + 90, options).totalMinor <= lateFeesUnderClause(withWaiver, a, START + 90, options).totalMinor;
      }),
      RUNS,
    );
  });

  it("principal first never charges more than the art. 561 order; allocations sum to the payments", () => {
    fc.assert(
      fc.property(clauseArb(true), ledgerArb, fc.integer({ min: 0, max: 600 }), (cl, l, at) => {
        const { a, options } = build(l);
        const pf = lateFeesUnderClause(cl, a, START + at, { ...options, order: "principalFirst" });
        const ff = lateFeesUnderClause(cl, a, START + at, { ...options, order: "costsLateFeePrincipal" });
        const sums = [pf, ff].every((r) => r.allocation.payments.every((p) => p.lines.reduce((s, x) => s + x.amountMinor, 0) + p.creditMinor === p.amountMinor));
        const paidFees = ff.allocation.charges.every((b, i) => b.lateFeePaidMinor <= ff.charges[i]!.amountMinor || cl.caps?.perAccountMinor !== undefined);
        return sums && paidFees && pf.totalMinor <= ff.totalMinor;
      }),
      RUNS,
    );
  });
});
