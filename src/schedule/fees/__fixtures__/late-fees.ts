/** Shared by the late-fee tests: an account builder, clause helpers, and arbitraries of clauses and small ledgers. */
import fc from "fast-check";
import { BUILTIN_LATE_FEE, type LateFeeClause } from "../../../rules/late-fee.js";
import { type Account, type AccountSnapshot } from "../../../ledger/account.js";
import { normalizeAccount } from "../../../ledger/check-account.js";
import { civilDate, formatCivilDate } from "../../time/civil-date.js";
import { lateFeesUnderClause, type LateFeeOptions } from "../late-fees.js";

export const d = civilDate;

export function account(snapshot: Partial<AccountSnapshot> = {}): Account {
  const r = normalizeAccount({ id: "A-1", charges: [{ id: "c1", period: "2026-03", dueOn: "2026-03-01", amountMinor: 30000 }], payments: [], actions: [], ...snapshot });
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r.account;
}
export const fees = (clause: LateFeeClause, a: Account, asOf: string, options?: LateFeeOptions) => lateFeesUnderClause(clause, a, d(asOf), options);
export const clause = (patch: Partial<LateFeeClause>): LateFeeClause => ({ ...BUILTIN_LATE_FEE, ...patch });
/** A statutory-style clause (New York RPL §238-a): the lesser of $50 or 5 %, after five days. */
export const NEW_YORK: LateFeeClause = {
  label: "New York: lesser of $50 or 5%",
  contractTerm: "RPL §238-a(2): no late fee unless rent is more than five days late; at most $50 or 5% of the monthly rent.",
  graceDays: 5,
  accrual: { type: "flat", amountMinor: 5000 },
  caps: { percentOfPrincipalBasisPoints: 500 },
};

export const START = d("2026-01-01");
export const clauseArb = (withWaivers: boolean) =>
  fc.record({
    accrual: fc.oneof(
      fc.record({ type: fc.constant("daily" as const), rateBasisPoints: fc.integer({ min: 1, max: 100 }) }),
      fc.record({ type: fc.constant("monthly" as const), rateBasisPoints: fc.integer({ min: 1, max: 500 }) }),
      fc.record({ type: fc.constant("flat" as const), amountMinor: fc.integer({ min: 0, max: 10000 }) }),
      fc.record({ type: fc.constant("flatPlusDaily" as const), amountMinor: fc.integer({ min: 0, max: 10000 }), rateBasisPoints: fc.integer({ min: 1, max: 100 }) }),
      fc.record({ type: fc.constant("percentOnce" as const), rateBasisPoints: fc.integer({ min: 1, max: 2000 }) }),
    ),
    graceDays: fc.integer({ min: 0, max: 10 }),
    startsAfter: fc.constantFrom("graceEnd" as const, "dueDate" as const),
    caps: fc.record(
      { percentOfPrincipalBasisPoints: fc.integer({ min: 0, max: 5000 }), amountMinor: fc.integer({ min: 0, max: 20000 }), annualRateBasisPoints: fc.integer({ min: 0, max: 3000 }), perAccountMinor: fc.integer({ min: 0, max: 30000 }) },
      { requiredKeys: [] },
    ),
    rounding: fc.constantFrom("halfUp" as const, "halfEven" as const, "floor" as const),
    waivers: withWaivers
      ? fc.array(
          fc.oneof(
            fc.record({ type: fc.constant("paidWithinDaysOfNotice" as const), days: fc.integer({ min: 0, max: 20 }) }),
            fc.record({ type: fc.constant("firstLateInMonths" as const), months: fc.integer({ min: 1, max: 12 }) }),
            fc.record({ type: fc.constant("accountTag" as const), tag: fc.constant("elderly") }),
          ),
          { maxLength: 2 },
        )
      : fc.constant<NonNullable<LateFeeClause["waivers"]>>([]),
  })
  .map((c): LateFeeClause => ({ label: "random", contractTerm: "random", ...c }));

export const ledgerArb = fc.record({
  charges: fc.array(fc.record({ due: fc.integer({ min: 0, max: 90 }), amount: fc.oneof(fc.integer({ min: 0, max: 200_000 }), fc.integer({ min: 0, max: Math.floor(Number.MAX_SAFE_INTEGER / 64) })) }), { minLength: 1, maxLength: 4 }),
  payments: fc.array(fc.record({ on: fc.integer({ min: 0, max: 200 }), amount: fc.integer({ min: 1, max: 150_000 }) }), { maxLength: 4 }),
  tags: fc.constantFrom<string[]>([], ["elderly"]),
  notices: fc.array(fc.record({ on: fc.integer({ min: 0, max: 200 }), kind: fc.constantFrom("dunningNotice", "finalNotice") }), { maxLength: 2 }),
  order: fc.constantFrom("principalFirst" as const, "costsLateFeePrincipal" as const),
});
export type Ledger = typeof ledgerArb extends fc.Arbitrary<infer T> ? T : never;

export function build(l: Ledger, payments = l.payments): { a: Account; options: LateFeeOptions } {
  const a = account({
    owner: { tags: l.tags },
    charges: l.charges.map((c, i) => ({ id: `c${i}`, period: formatCivilDate(START + c.due).slice(0, 7), dueOn: formatCivilDate(START + c.due), amountMinor: c.amount })),
    payments: payments.map((p, i) => ({ id: `p${i}`, on: formatCivilDate(START + p.on), amountMinor: p.amount })),
  });
  return { a, options: { order: l.order, notices: l.notices.map((n) => ({ on: START + n.on, kind: n.kind })) } };
}
export const RUNS = { numRuns: 500 };
