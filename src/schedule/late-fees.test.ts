import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { BUILTIN_LATE_FEE, describeAccrual, divideRounded, type LateFeeClause } from "../rules/late-fee.js";
import { normalizeAccount, type Account, type AccountSnapshot, type Charge, type ChargeSnapshot, type PaymentSnapshot } from "./account.js";
import { addMonths, civilDate, formatCivilDate, isoWeekday } from "./civil-date.js";
import {
  computeLateFees,
  lateFeeTimeline,
  type AccrualRow,
  type ChargeLateFee,
  type LateFeeAmounts,
  type LateFeeNotice,
  type LateFeeOptions,
  type LateFeeReport,
  type TimelineRow,
} from "./late-fees.js";

const d = civilDate;

function account(snapshot: Partial<AccountSnapshot> = {}): Account {
  const r = normalizeAccount({ id: "A-1", charges: [{ id: "c1", period: "2026-03", dueOn: "2026-03-01", amountMinor: 30000 }], payments: [], actions: [], ...snapshot });
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r.account;
}
const fees = (clause: LateFeeClause, a: Account, asOf: string, options?: LateFeeOptions) => computeLateFees(clause, a, d(asOf), options);
const clause = (patch: Partial<LateFeeClause>): LateFeeClause => ({ ...BUILTIN_LATE_FEE, ...patch });
const twoCharges = [
  { id: "c1", period: "2026-03", dueOn: "2026-03-01", amountMinor: 30000 },
  { id: "c2", period: "2026-04", dueOn: "2026-04-01", amountMinor: 30000 },
];

const NEW_YORK: LateFeeClause = {
  label: "New York: lesser of $50 or 5%",
  contractTerm: "RPL §238-a(2): no late fee unless rent is more than five days late; at most $50 or 5% of the monthly rent.",
  graceDays: 5,
  accrual: { type: "flat", amountMinor: 5000 },
  caps: { percentOfPrincipalBasisPoints: 500 },
};
const TEXAS: LateFeeClause = {
  label: "Texas: initial and daily fee, 12% cap",
  contractTerm: "Prop. Code §92.019: rent unpaid two full days after it was due; at most 12% of the monthly rent (four units or fewer).",
  graceDays: 2,
  accrual: { type: "flatPlusDaily", amountMinor: 5000, rateBasisPoints: 100 },
  caps: { percentOfPrincipalBasisPoints: 1200 },
  rounding: "floor",
};

describe("computeLateFees, issue acceptance", () => {
  it("300.00 due 2026-03-01 at 0.05%/day, unpaid on 2026-04-01: 31 days × 0.15 = 4.65", () => {
    const r = fees(BUILTIN_LATE_FEE, account(), "2026-04-01");
    expect(r.totalMinor).toBe(465);
    expect(r.charges[0]).toEqual({
      chargeId: "c1",
      dueOn: "2026-03-01",
      payableBy: "2026-03-01",
      accrualStartsOn: "2026-03-02",
      daysLate: 31,
      rate: "0.05% per day of the unpaid principal",
      uncappedMinor: 465,
      amountMinor: 465,
      accrual: [{ kind: "daily", from: "2026-03-02", to: "2026-04-01", principalMinor: 30000, days: 31, amountMinor: 465 }],
    });
  });

  it("unpaid for 700 days: the fee stops at the 30% cap, 90.00", () => {
    const r = computeLateFees(BUILTIN_LATE_FEE, account(), d("2026-03-01") + 700);
    expect(r.charges[0]).toMatchObject({ daysLate: 700, uncappedMinor: 10500, capApplied: { kind: "percentOfPrincipal", limitMinor: 9000 }, amountMinor: 9000 });
  });

  it("a 100.00 payment on 2026-03-11: 300.00 accrues before, 200.00 from that day; the payment paid principal", () => {
    const r = fees(BUILTIN_LATE_FEE, account({ payments: [{ id: "p1", on: "2026-03-11", amountMinor: 10000 }] }), "2026-04-01");
    expect(r.charges[0]!.accrual).toEqual([
      { kind: "daily", from: "2026-03-02", to: "2026-03-10", principalMinor: 30000, days: 9, amountMinor: 135 },
      { kind: "daily", from: "2026-03-11", to: "2026-04-01", principalMinor: 20000, days: 22, amountMinor: 220 },
    ]);
    expect(r.totalMinor).toBe(355);
    expect(r.allocation.payments[0]!.lines).toEqual([{ chargeId: "c1", part: "principal", amountMinor: 10000 }]);
  });
});

describe("computeLateFees, clauses", () => {
  it("New York: nothing within 5 days; then the lesser of $50 and 5% of the rent", () => {
    const rent = (amountMinor: number) => account({ charges: [{ id: "c1", period: "2026-03", dueOn: "2026-03-01", amountMinor }] });
    expect(fees(NEW_YORK, rent(80000), "2026-03-06")).toMatchObject({ totalMinor: 0, charges: [{ payableBy: "2026-03-06", accrualStartsOn: null }] });
    expect(fees(NEW_YORK, rent(80000), "2026-03-07").charges[0]).toMatchObject({ uncappedMinor: 5000, amountMinor: 4000, capApplied: { kind: "percentOfPrincipal", limitMinor: 4000 } });
    expect(fees(NEW_YORK, rent(200000), "2026-03-07").charges[0]).toMatchObject({ amountMinor: 5000 });
    expect(fees(NEW_YORK, rent(200000), "2026-12-31").totalMinor).toBe(5000); // once
    const paidDay5 = account({ charges: [{ id: "c1", period: "2026-03", dueOn: "2026-03-01", amountMinor: 80000 }], payments: [{ id: "p", on: "2026-03-06", amountMinor: 80000 }] });
    expect(fees(NEW_YORK, paidDay5, "2026-04-01").totalMinor).toBe(0);
  });

  it("New York, as a 5% fee capped at $50, gives the same amounts", () => {
    const ny = { ...NEW_YORK, accrual: { type: "percentOnce", rateBasisPoints: 500 }, caps: { amountMinor: 5000 } } as const;
    for (const [rent, fee] of [[80000, 4000], [200000, 5000]] as const)
      expect(fees(ny, account({ charges: [{ id: "c1", period: "2026-03", dueOn: "2026-03-01", amountMinor: rent }] }), "2026-03-07").totalMinor).toBe(fee);
  });

  it("Texas: nothing for two full days; then $50 plus 1% a day, at most 12% of the rent", () => {
    const a = account({ charges: [{ id: "c1", period: "2026-03", dueOn: "2026-03-01", amountMinor: 100000 }] });
    expect(fees(TEXAS, a, "2026-03-03").totalMinor).toBe(0);
    expect(fees(TEXAS, a, "2026-03-04").charges[0]).toMatchObject({ accrualStartsOn: "2026-03-04", amountMinor: 6000 });
    expect(fees(TEXAS, a, "2026-03-10").charges[0]).toMatchObject({ amountMinor: 12000, uncappedMinor: 12000 });
    expect(fees(TEXAS, a, "2026-03-11").charges[0]).toMatchObject({ amountMinor: 12000, uncappedMinor: 13000, capApplied: { kind: "percentOfPrincipal", limitMinor: 12000 } });
  });

  it("monthly: each month or part of one, on the principal unpaid on its first day", () => {
    const monthly = clause({ accrual: { type: "monthly", rateBasisPoints: 150 }, caps: {} });
    const a = account({ charges: [{ id: "c1", period: "2026-03", dueOn: "2026-03-01", amountMinor: 100000 }], payments: [{ id: "p", on: "2026-03-20", amountMinor: 50000 }] });
    expect(fees(monthly, a, "2026-03-02").totalMinor).toBe(1500);
    expect(fees(monthly, a, "2026-04-01").totalMinor).toBe(1500);
    expect(fees(monthly, a, "2026-04-02").charges[0]!.accrual).toEqual([
      { kind: "monthly", from: "2026-03-02", to: "2026-04-01", principalMinor: 100000, days: 31, amountMinor: 1500 },
      { kind: "monthly", from: "2026-04-02", to: "2026-04-02", principalMinor: 50000, days: 1, amountMinor: 750 },
    ]);
  });

  it("rounding modes, exactly at the half", () => {
    const tiny = (amountMinor: number) => account({ charges: [{ id: "c1", period: "2026-03", dueOn: "2026-03-01", amountMinor }] });
    const once = (rounding: LateFeeClause["rounding"]) => clause({ accrual: { type: "percentOnce", rateBasisPoints: 500 }, rounding, caps: {} });
    expect(["halfUp", "halfEven", "floor"].map((m) => fees(once(m as LateFeeClause["rounding"]), tiny(30), "2026-03-02").totalMinor)).toEqual([2, 2, 1]); // 1.5
    expect(["halfUp", "halfEven", "floor"].map((m) => fees(once(m as LateFeeClause["rounding"]), tiny(50), "2026-03-02").totalMinor)).toEqual([3, 2, 2]); // 2.5
    expect(fees(clause({}), tiny(1000), "2026-03-02").totalMinor).toBe(1); // 0.5, half-up by default
    expect(fees(clause({ rounding: "halfEven" }), tiny(1000), "2026-03-02").totalMinor).toBe(0);
  });

  it("caps: an absolute amount and an annual rate", () => {
    expect(fees(clause({ caps: { amountMinor: 400 } }), account(), "2026-04-01").charges[0]).toMatchObject({ amountMinor: 400, capApplied: { kind: "amount", limitMinor: 400 } });
    // 30000 × 12% × 31 / 365 = 305.75 → 305
    expect(fees(clause({ caps: { annualRateBasisPoints: 1200 } }), account(), "2026-04-01").charges[0]).toMatchObject({ amountMinor: 305, capApplied: { kind: "annualRate", limitMinor: 305 } });
  });

  it("caps: on a tie, the first of percent of principal, amount and annual rate is the one named", () => {
    // 30000 × 5 bp × 700 days = 105.00 uncapped; 30 % = 90.00
    const at = d("2026-03-01") + 700;
    expect(computeLateFees(clause({ caps: { percentOfPrincipalBasisPoints: 3000, amountMinor: 9000 } }), account(), at).charges[0]!.capApplied).toEqual({ kind: "percentOfPrincipal", limitMinor: 9000 });
    expect(computeLateFees(clause({ caps: { amountMinor: 9000, percentOfPrincipalBasisPoints: 3000 } }), account(), at, { detail: false }).charges[0]!.capApplied).toEqual({ kind: "percentOfPrincipal", limitMinor: 9000 });
    // annual rate: 30000 × 15.65 % × 700 / 365 = 90.041… → 9004 minor units
    const annual = computeLateFees(clause({ caps: { amountMinor: 9004, annualRateBasisPoints: 1565 } }), account(), at).charges[0]!;
    expect(annual.capApplied).toEqual({ kind: "amount", limitMinor: 9004 }); // 30000 × 1565 × 700 / 3650000 = 9004.1 → 9004, a tie
    expect(computeLateFees(clause({ caps: { amountMinor: 9005, annualRateBasisPoints: 1565 } }), account(), at).charges[0]!.capApplied).toEqual({ kind: "annualRate", limitMinor: 9004 });
  });

  it("a per-account cap stops accrual on the day it is reached", () => {
    const r = fees(clause({ caps: { perAccountMinor: 600 } }), account({ charges: twoCharges }), "2026-05-01");
    expect(r.totalMinor).toBe(600);
    // through 04-05: 525 + 60 = 585; on 04-06 15 left, to the older charge
    expect(r.charges.map((c) => [c.amountMinor, c.capApplied])).toEqual([
      [540, { kind: "perAccount", limitMinor: 540 }],
      [60, { kind: "perAccount", limitMinor: 60 }],
    ]);
  });

  it("grace: accrual from the grace end, or back to the due date once it has passed", () => {
    expect(fees(clause({ graceDays: 5 }), account(), "2026-03-06").totalMinor).toBe(0);
    expect(fees(clause({ graceDays: 5, startsAfter: "graceEnd" }), account(), "2026-03-07").totalMinor).toBe(15);
    expect(fees(clause({ graceDays: 5, startsAfter: "dueDate" }), account(), "2026-03-07").totalMinor).toBe(90);
  });

  it("holiday shift: a due date on a weekend moves to Monday (art. 203), only when the clause says so", () => {
    const isWorkingDay = (day: number) => isoWeekday(day) < 6;
    expect(fees(clause({ holidayShift: true }), account(), "2026-04-01", { isWorkingDay }).charges[0]).toMatchObject({ payableBy: "2026-03-02", daysLate: 30, amountMinor: 450 });
    expect(fees(clause({ holidayShift: false }), account(), "2026-04-01", { isWorkingDay }).totalMinor).toBe(465);
    // grace ends Saturday 03-07 after the shifted due date: moves to Monday 03-09
    expect(fees(clause({ holidayShift: true, graceDays: 5 }), account(), "2026-03-09", { isWorkingDay }).totalMinor).toBe(0);
  });

  it("is exact far beyond 2^53", () => {
    const big = account({ charges: [{ id: "c1", period: "2026-03", dueOn: "2026-03-01", amountMinor: Number.MAX_SAFE_INTEGER }] });
    // 9007199254740991 × 5 × 100 / 10000 = 450359962737049.55 → 450359962737050
    expect(computeLateFees(BUILTIN_LATE_FEE, big, d("2026-03-01") + 100).totalMinor).toBe(450359962737050);
    // an uncapped fee beyond 2^53 cannot be stated exactly as a number: refuse rather than round
    expect(() => computeLateFees(clause({ accrual: { type: "daily", rateBasisPoints: 100 }, caps: {} }), big, d("2026-03-01") + 101)).toThrow(RangeError);
  });
});

describe("computeLateFees, waivers", () => {
  it("accountTag", () => {
    const r = fees(clause({ waivers: [{ type: "accountTag", tag: "elderly" }] }), account({ owner: { tags: ["elderly"] } }), "2026-04-01");
    expect(r.charges[0]).toMatchObject({ uncappedMinor: 465, amountMinor: 0, waiver: { type: "accountTag", reason: 'the account carries the tag "elderly"' } });
    expect(fees(clause({ waivers: [{ type: "accountTag", tag: "elderly" }] }), account(), "2026-04-01").totalMinor).toBe(465);
  });

  it("firstLateInMonths: the first late charge in 12 months only", () => {
    const first = clause({ waivers: [{ type: "firstLateInMonths", months: 12 }] });
    expect(fees(first, account({ charges: twoCharges }), "2026-05-01").charges.map((c) => [c.amountMinor, c.waiver?.type])).toEqual([
      [0, "firstLateInMonths"],
      [450, undefined],
    ]);
    const lateBefore = (dueOn: string) =>
      account({ charges: [{ id: "c0", period: dueOn.slice(0, 7), dueOn, amountMinor: 1000 }, twoCharges[0]!], payments: [{ id: "p", on: "2025-12-31", amountMinor: 1000 }] });
    expect(fees(first, lateBefore("2025-04-01"), "2026-04-01").charges[1]!.amountMinor).toBe(465); // late 11 months before
    expect(fees(first, lateBefore("2025-02-01"), "2026-04-01").charges[1]!.amountMinor).toBe(0); // 13 months before
  });

  it("paidWithinDaysOfNotice: paid in full within the window after the first notice", () => {
    const prompt = clause({ waivers: [{ type: "paidWithinDaysOfNotice", days: 10, stageKinds: ["dunningNotice"] }] });
    const notices: LateFeeNotice[] = [{ on: d("2026-03-10"), kind: "dunningNotice" }];
    const paidOn = (on: string) => account({ payments: [{ id: "p", on, amountMinor: 30000 }] });
    expect(fees(prompt, paidOn("2026-03-20"), "2026-04-01", { notices }).charges[0]).toMatchObject({
      amountMinor: 0,
      uncappedMinor: 270,
      waiver: { reason: "principal paid in full by 2026-03-20, within 10 days of the dunningNotice of 2026-03-10" },
    });
    expect(fees(prompt, paidOn("2026-03-21"), "2026-04-01", { notices }).totalMinor).toBe(285);
    expect(fees(prompt, account(), "2026-03-15", { notices }).totalMinor).toBe(210); // window open, not paid: not waived
    expect(fees(prompt, paidOn("2026-03-21"), "2026-04-01", { notices: [{ on: d("2026-03-10"), kind: "phoneCall" }] }).charges[0]!.waiver?.reason).toBe(
      "principal paid in full by 2026-03-21, before any notice",
    );
  });

  it("paidWithinDaysOfNotice with art. 561 order: the payment in the window goes to principal, not to the fee it will waive", () => {
    const prompt = clause({ waivers: [{ type: "paidWithinDaysOfNotice", days: 10 }] });
    const r = fees(prompt, account({ payments: [{ id: "p", on: "2026-03-15", amountMinor: 30000 }] }), "2026-04-01", { order: "costsLateFeePrincipal", notices: [{ on: d("2026-03-10"), kind: "dunningNotice" }] });
    expect(r.allocation.payments[0]!.lines).toEqual([{ chargeId: "c1", part: "principal", amountMinor: 30000 }]);
    expect(r.totalMinor).toBe(0);
  });
});

describe("computeLateFees, allocation order", () => {
  it("art. 561 order: the 03-11 payment first pays the 1.35 fee accrued, then principal", () => {
    const r = fees(BUILTIN_LATE_FEE, account({ payments: [{ id: "p1", on: "2026-03-11", amountMinor: 10000 }] }), "2026-04-01", { order: "costsLateFeePrincipal" });
    expect(r.allocation.payments[0]!.lines).toEqual([
      { chargeId: "c1", part: "lateFee", amountMinor: 135 },
      { chargeId: "c1", part: "principal", amountMinor: 9865 },
    ]);
    // 135 + 20135 × 0.05% × 22 = 135 + 221.485 → 356.485 → 356
    expect(r.charges[0]!.accrual.map((x) => [x.principalMinor, x.amountMinor])).toEqual([[30000, 135], [20135, 221]]);
    expect(r.totalMinor).toBe(356);
  });
});

describe("computeLateFees, fees left unpaid after the principal", () => {
  it("principal first: later payments still pay the fee of a charge whose principal is paid", () => {
    // 30 days × 1.50 = 45.00 accrued before the 04-01 payoff; 1.00 of it paid then, 1.00 on 05-01, the rest on 06-01
    const a = account({ payments: [{ id: "p1", on: "2026-04-01", amountMinor: 30100 }, { id: "p2", on: "2026-05-01", amountMinor: 100 }, { id: "p3", on: "2026-06-01", amountMinor: 1000 }] });
    const r = fees(BUILTIN_LATE_FEE, a, "2026-07-01");
    expect(r.allocation.payments.map((p) => [p.lines, p.creditMinor])).toEqual([
      [[{ chargeId: "c1", part: "principal", amountMinor: 30000 }, { chargeId: "c1", part: "lateFee", amountMinor: 100 }], 0],
      [[{ chargeId: "c1", part: "lateFee", amountMinor: 100 }], 0],
      [[{ chargeId: "c1", part: "lateFee", amountMinor: 250 }], 750],
    ]);
    expect(r.totalMinor).toBe(450);
    expectSameAsReference(BUILTIN_LATE_FEE, a, d("2026-07-01"), {});
  });

  it("art. 561 order: a flat fee that arises the day the principal is paid is paid by later payments", () => {
    // New York: payable by 03-06; paid on 03-07, when the fee arises (through 03-06 nothing was owed)
    const a = account({
      charges: [{ id: "c1", period: "2026-03", dueOn: "2026-03-01", amountMinor: 80000 }],
      payments: [{ id: "p1", on: "2026-03-07", amountMinor: 80000 }, { id: "p2", on: "2026-03-20", amountMinor: 100 }, { id: "p3", on: "2026-04-01", amountMinor: 5000 }],
    });
    const r = fees(NEW_YORK, a, "2026-05-01", { order: "costsLateFeePrincipal" });
    expect(r.allocation.payments.map((p) => [p.lines, p.creditMinor])).toEqual([
      [[{ chargeId: "c1", part: "principal", amountMinor: 80000 }], 0],
      [[{ chargeId: "c1", part: "lateFee", amountMinor: 100 }], 0],
      [[{ chargeId: "c1", part: "lateFee", amountMinor: 3900 }], 1100],
    ]);
    expect(r.totalMinor).toBe(4000);
    expectSameAsReference(NEW_YORK, a, d("2026-05-01"), { order: "costsLateFeePrincipal" });
  });
});

describe("lateFeeTimeline", () => {
  it("shows the accrual day by day, summing to the fee", () => {
    const rows = lateFeeTimeline(BUILTIN_LATE_FEE, account({ payments: [{ id: "p1", on: "2026-03-11", amountMinor: 10000 }] }), d("2026-04-01"));
    expect(rows).toHaveLength(31);
    expect(rows[0]).toEqual({ on: "2026-03-02", chargeId: "c1", principalMinor: 30000, accruedMinor: 15, totalMinor: 15 });
    expect(rows[9]).toEqual({ on: "2026-03-11", chargeId: "c1", principalMinor: 20000, accruedMinor: 10, totalMinor: 145 });
    expect(rows.reduce((s, r) => s + r.accruedMinor, 0)).toBe(355);
    expect(rows.at(-1)!.totalMinor).toBe(355);
  });

  it("stops adding at the cap", () => {
    const rows = lateFeeTimeline(BUILTIN_LATE_FEE, account(), d("2026-03-01") + 700);
    expect(rows.at(-1)!.totalMinor).toBe(9000);
    expect(rows.find((r) => r.totalMinor === 9000)!.on).toBe(formatCivilDate(d("2026-03-01") + 600));
  });
});

// ---------------------------------------------------------------------------------------------
// Properties over random clauses and ledgers.

const START = d("2026-01-01");
const clauseArb = (withWaivers: boolean) =>
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

const ledgerArb = fc.record({
  charges: fc.array(fc.record({ due: fc.integer({ min: 0, max: 90 }), amount: fc.oneof(fc.integer({ min: 0, max: 200_000 }), fc.integer({ min: 0, max: Math.floor(Number.MAX_SAFE_INTEGER / 64) })) }), { minLength: 1, maxLength: 4 }),
  payments: fc.array(fc.record({ on: fc.integer({ min: 0, max: 200 }), amount: fc.integer({ min: 1, max: 150_000 }) }), { maxLength: 4 }),
  tags: fc.constantFrom<string[]>([], ["elderly"]),
  notices: fc.array(fc.record({ on: fc.integer({ min: 0, max: 200 }), kind: fc.constantFrom("dunningNotice", "finalNotice") }), { maxLength: 2 }),
  order: fc.constantFrom("principalFirst" as const, "costsLateFeePrincipal" as const),
});
type Ledger = typeof ledgerArb extends fc.Arbitrary<infer T> ? T : never;

function build(l: Ledger, payments = l.payments): { a: Account; options: LateFeeOptions } {
  const a = account({
    owner: { tags: l.tags },
    charges: l.charges.map((c, i) => ({ id: `c${i}`, period: formatCivilDate(START + c.due).slice(0, 7), dueOn: formatCivilDate(START + c.due), amountMinor: c.amount })),
    payments: payments.map((p, i) => ({ id: `p${i}`, on: formatCivilDate(START + p.on), amountMinor: p.amount })),
  });
  return { a, options: { order: l.order, notices: l.notices.map((n) => ({ on: START + n.on, kind: n.kind })) } };
}
const RUNS = { numRuns: 500 };

describe("late-fee properties", () => {
  it("a fee is never negative, never above any of its caps; rows sum to the uncapped fee", () => {
    fc.assert(
      fc.property(clauseArb(true), ledgerArb, fc.integer({ min: 0, max: 600 }), (cl, l, at) => {
        const { a, options } = build(l);
        const r = computeLateFees(cl, a, START + at, options);
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
        const r = computeLateFees(cl, a, asOf, options);
        return r.charges.every((f, i) => a.charges[i]!.due + (cl.graceDays ?? 0) < asOf || f.amountMinor === 0);
      }),
      RUNS,
    );
  });

  it("never decreasing as days pass, for a fixed payment history", () => {
    fc.assert(
      fc.property(clauseArb(true), ledgerArb, fc.integer({ min: 0, max: 500 }), fc.integer({ min: 1, max: 400 }), (cl, l, at, more) => {
        const { a, options } = build(l, l.payments.filter((p) => p.on <= at));
        const before = computeLateFees(cl, a, START + at, options).charges;
        const after = computeLateFees(cl, a, START + at + more, options).charges;
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
        const without = computeLateFees(cl, a, START + at, options);
        const withIt = computeLateFees(cl, paid, START + at, options);
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
        return computeLateFees(withWaiver, paid, START + 90, options).totalMinor <= computeLateFees(withWaiver, a, START + 90, options).totalMinor;
      }),
      RUNS,
    );
  });

  it("principal first never charges more than the art. 561 order; allocations sum to the payments", () => {
    fc.assert(
      fc.property(clauseArb(true), ledgerArb, fc.integer({ min: 0, max: 600 }), (cl, l, at) => {
        const { a, options } = build(l);
        const pf = computeLateFees(cl, a, START + at, { ...options, order: "principalFirst" });
        const ff = computeLateFees(cl, a, START + at, { ...options, order: "costsLateFeePrincipal" });
        const sums = [pf, ff].every((r) => r.allocation.payments.every((p) => p.lines.reduce((s, x) => s + x.amountMinor, 0) + p.creditMinor === p.amountMinor));
        const paidFees = ff.allocation.charges.every((b, i) => b.lateFeePaidMinor <= ff.charges[i]!.amountMinor || cl.caps?.perAccountMinor !== undefined);
        return sums && paidFees && pf.totalMinor <= ff.totalMinor;
      }),
      RUNS,
    );
  });
});

// ---------------------------------------------------------------------------------------------
// Equivalence with a straightforward reference: every day counted one by one, BigInt throughout,
// no memo, no closed form. computeLateFees must agree with it on every field of every charge, on
// the allocation, and (with `detail: false`) on the amounts; lateFeeTimeline on every row.

type RefStep = { on: number; amountMinor: number };
type RefTerms = { due: number; lastFree: number; accrueFrom: number };
type RefFee = { arisen: boolean; uncapped: number; cap?: { kind: "percentOfPrincipal" | "amount" | "annualRate" | "perAccount"; limitMinor: number }; amount: number; rows: AccrualRow[] };

const REF_MAX = BigInt(Number.MAX_SAFE_INTEGER);

function refUnpaid(amount: number, steps: readonly RefStep[], day: number): number {
  let p = amount;
  for (const s of steps) if (s.on <= day) p -= s.amountMinor;
  return p;
}

function refTerms(cl: LateFeeClause, due0: number, isWorkingDay: (day: number) => boolean): RefTerms {
  const shift = (day: number) => {
    if (cl.holidayShift !== true) return day;
    let x = day;
    while (!isWorkingDay(x)) x++;
    return x;
  };
  const due = shift(due0);
  const lastFree = (cl.graceDays ?? 0) > 0 ? shift(due + cl.graceDays!) : due;
  return { due, lastFree, accrueFrom: cl.startsAfter === "dueDate" ? due + 1 : lastFree + 1 };
}

/** The fee's numerator (over 10000) added on each day, from the first accrual day: the definition, day by day. */
function refFee(cl: LateFeeClause, c: Charge, tm: RefTerms, steps: readonly RefStep[], T: number): RefFee {
  const base = refUnpaid(c.amount, steps, tm.lastFree);
  if (T <= tm.lastFree || base <= 0) return { arisen: false, uncapped: 0, amount: 0, rows: [] };
  const a = cl.accrual;
  const parts: { kind: AccrualRow["kind"]; from: number; to: number; principal: number; days: number; num: bigint }[] = [];
  if (a.type === "flat" || a.type === "flatPlusDaily") parts.push({ kind: "flat", from: tm.lastFree + 1, to: tm.lastFree + 1, principal: base, days: 0, num: BigInt(a.amountMinor) * 10000n });
  if (a.type === "percentOnce") parts.push({ kind: "percent", from: tm.lastFree + 1, to: tm.lastFree + 1, principal: base, days: 0, num: BigInt(base) * BigInt(a.rateBasisPoints) });
  if (a.type === "daily" || a.type === "flatPlusDaily")
    for (let day = tm.accrueFrom; day <= T; day++) {
      const p = refUnpaid(c.amount, steps, day);
      if (p <= 0) continue;
      const last = parts.at(-1);
      if (last && last.kind === "daily" && last.principal === p && last.to === day - 1) (last.to = day), last.days++, (last.num += BigInt(p) * BigInt(a.rateBasisPoints));
      else parts.push({ kind: "daily", from: day, to: day, principal: p, days: 1, num: BigInt(p) * BigInt(a.rateBasisPoints) });
    }
  if (a.type === "monthly")
    for (let k = 0; ; k++) {
      const from = addMonths(tm.accrueFrom, k);
      const p = refUnpaid(c.amount, steps, from);
      if (from > T || p <= 0) break;
      const to = Math.min(addMonths(tm.accrueFrom, k + 1) - 1, T);
      parts.push({ kind: "monthly", from, to, principal: p, days: to - from + 1, num: BigInt(p) * BigInt(a.rateBasisPoints) });
    }
  const mode = cl.rounding ?? "halfUp";
  let cum = 0n;
  let prev = 0n;
  const rows: AccrualRow[] = parts.map((x) => {
    cum += x.num;
    const now = divideRounded(cum, 10000n, mode);
    const row = { kind: x.kind, from: formatCivilDate(x.from), to: formatCivilDate(x.to), principalMinor: x.principal, days: x.days, amountMinor: Number(now - prev) };
    prev = now;
    return row;
  });
  if (prev > REF_MAX) throw new RangeError("late fee beyond 2^53");
  const uncapped = Number(prev);
  const caps = cl.caps ?? {};
  const limits: NonNullable<RefFee["cap"]>[] = [];
  if (caps.percentOfPrincipalBasisPoints !== undefined) limits.push({ kind: "percentOfPrincipal", limitMinor: Number((BigInt(c.amount) * BigInt(caps.percentOfPrincipalBasisPoints)) / 10000n) });
  if (caps.amountMinor !== undefined) limits.push({ kind: "amount", limitMinor: caps.amountMinor });
  if (caps.annualRateBasisPoints !== undefined) {
    let num = 0n;
    for (let day = tm.due + 1; day <= T; day++) num += BigInt(Math.max(0, refUnpaid(c.amount, steps, day)));
    limits.push({ kind: "annualRate", limitMinor: Number((num * BigInt(caps.annualRateBasisPoints)) / 3_650_000n) });
  }
  let cap: RefFee["cap"];
  for (const l of limits) if (l.limitMinor < uncapped && (!cap || l.limitMinor < cap.limitMinor)) cap = l;
  return { arisen: true, uncapped, ...(cap ? { cap } : {}), amount: cap ? cap.limitMinor : uncapped, rows };
}

function refPaidInFullOn(c: Charge, steps: readonly RefStep[], T: number): number | undefined {
  if (c.amount === 0) return c.due;
  for (const s of steps) if (s.on <= T && refUnpaid(c.amount, steps, s.on) <= 0) return s.on;
  return undefined;
}

interface RefInput {
  cl: LateFeeClause;
  charges: readonly Charge[];
  terms: readonly RefTerms[];
  tags: readonly string[];
  notices: readonly LateFeeNotice[];
}

/** Every charge's fee through T with waivers and the account cap, recomputed from scratch. */
type RefEvaluated = RefFee & { waiver?: { type: string; reason: string } };
function refEvaluate(x: RefInput, steps: readonly (readonly RefStep[])[], T: number, provisional?: number): RefEvaluated[] {
  const fees = x.charges.map((c, i) => refFee(x.cl, c, x.terms[i]!, steps[i]!, T));
  const out = fees.map((f, i): RefEvaluated => {
    const c = x.charges[i]!;
    if (!f.arisen) return { ...f };
    for (const w of x.cl.waivers ?? []) {
      if (w.type === "accountTag" && x.tags.includes(w.tag)) return { ...f, amount: 0, waiver: { type: w.type, reason: `the account carries the tag "${w.tag}"` } };
      if (w.type === "firstLateInMonths" && !x.charges.some((o, j) => j < i && o.due >= addMonths(c.due, -w.months) && fees[j]!.arisen))
        return { ...f, amount: 0, waiver: { type: w.type, reason: `first late payment in ${w.months} months` } };
      if (w.type === "paidWithinDaysOfNotice") {
        const n = x.notices.find((m) => m.on > c.due && (!w.stageKinds || (w.stageKinds as readonly string[]).includes(m.kind)) && (!m.chargeIds || m.chargeIds.includes(c.id)));
        const day = refPaidInFullOn(c, steps[i]!, T) ?? provisional;
        if (day !== undefined && (!n || day <= n.on + w.days))
          return {
            ...f,
            amount: 0,
            waiver: { type: w.type, reason: n ? `principal paid in full by ${formatCivilDate(day)}, within ${w.days} days of the ${n.kind} of ${formatCivilDate(n.on)}` : `principal paid in full by ${formatCivilDate(day)}, before any notice` },
          };
      }
    }
    return { ...f };
  });
  const cap = x.cl.caps?.perAccountMinor;
  const total = (day: number) => x.charges.map((c, i) => (out[i]!.waiver ? 0 : refFee(x.cl, c, x.terms[i]!, steps[i]!, day).amount));
  if (cap === undefined || out.reduce((s, f) => s + f.amount, 0) <= cap) return out;
  // The first day the account's fees exceed the cap, counted day by day.
  let hi = Math.min(...x.terms.map((t) => t.lastFree)) + 1;
  while (total(hi).reduce((s, v) => s + v, 0) <= cap) hi++;
  const before = total(hi - 1);
  const after = total(hi);
  let room = cap - before.reduce((s, v) => s + v, 0);
  out.forEach((f, i) => {
    const take = Math.min(after[i]! - before[i]!, room);
    room -= take;
    if (before[i]! + take < f.amount) (f.amount = before[i]! + take), (f.cap = { kind: "perAccount", limitMinor: f.amount });
  });
  return out;
}

/** `memoPerPayment`: evaluate once per payment rather than once per charge visited (for big ledgers). */
function refReport(cl: LateFeeClause, account: Account, asOf: number, options: LateFeeOptions, memoPerPayment = false): LateFeeReport {
  const isWorkingDay = options.isWorkingDay ?? (() => true);
  const x: RefInput = {
    cl,
    charges: account.charges,
    terms: account.charges.map((c) => refTerms(cl, c.due, isWorkingDay)),
    tags: options.tags ?? account.snapshot.owner?.tags ?? [],
    notices: [...(options.notices ?? [])].filter((n) => n.on <= asOf).sort((a, b) => a.on - b.on),
  };
  // The allocation, oldest due first (normalizeAccount's order), every fee recomputed when asked.
  const order = options.order ?? "principalFirst";
  const balances = account.charges.map((c) => ({ chargeId: c.id, principalPaidMinor: 0, principalUnpaidMinor: c.amount, lateFeePaidMinor: 0, costsPaidMinor: 0, costsUnpaidMinor: 0, principalPaid: [] as RefStep[] }));
  const payments = account.payments.filter((p) => p.on <= asOf);
  let creditMinor = 0;
  const allocated = payments.map((p) => {
    let rest = p.amount;
    const lines: { chargeId: string; part: "lateFee" | "principal"; amountMinor: number }[] = [];
    let memo: RefEvaluated[] | undefined;
    const owed = (i: number) => {
      const ev = memo ?? refEvaluate(x, balances.map((b) => b.principalPaid.map((s) => ({ ...s }))), p.on - 1, p.on);
      if (memoPerPayment) memo = ev;
      return Math.max(0, ev[i]!.amount - balances[i]!.lateFeePaidMinor);
    };
    const pay = (i: number, part: "lateFee" | "principal", amount: number) => {
      const paid = Math.min(rest, amount);
      if (paid <= 0) return;
      const b = balances[i]!;
      rest -= paid;
      lines.push({ chargeId: b.chargeId, part, amountMinor: paid });
      if (part === "lateFee") b.lateFeePaidMinor += paid;
      else (b.principalPaidMinor += paid), (b.principalUnpaidMinor -= paid), b.principalPaid.push({ on: p.on, amountMinor: paid });
    };
    if (order === "costsLateFeePrincipal")
      for (let i = 0; i < balances.length && rest > 0; i++) {
        pay(i, "lateFee", owed(i));
        pay(i, "principal", balances[i]!.principalUnpaidMinor);
      }
    else {
      balances.forEach((b, i) => pay(i, "principal", b.principalUnpaidMinor));
      for (let i = 0; i < balances.length && rest > 0; i++) pay(i, "lateFee", owed(i));
    }
    creditMinor += rest;
    return { paymentId: p.id, on: formatCivilDate(p.on), amountMinor: p.amount, lines, creditMinor: rest };
  });
  const steps = balances.map((b) => b.principalPaid);
  const charges = refEvaluate(x, steps, asOf).map((f, i): ChargeLateFee => {
    const c = account.charges[i]!;
    const tm = x.terms[i]!;
    const paid = refPaidInFullOn(c, steps[i]!, asOf);
    return {
      chargeId: c.id,
      dueOn: formatCivilDate(c.due),
      payableBy: formatCivilDate(tm.lastFree),
      accrualStartsOn: f.arisen ? formatCivilDate(tm.accrueFrom) : null,
      daysLate: Math.max(0, Math.min(asOf, paid === undefined ? asOf : paid - 1) - tm.due),
      rate: describeAccrual(cl.accrual),
      uncappedMinor: f.uncapped,
      ...(f.cap && !f.waiver ? { capApplied: f.cap } : {}),
      ...(f.waiver ? { waiver: f.waiver as ChargeLateFee["waiver"] } : {}),
      amountMinor: f.amount,
      accrual: f.rows,
    };
  });
  return { asOf: formatCivilDate(asOf), clause: cl.label, charges, totalMinor: charges.reduce((s, c) => s + c.amountMinor, 0), allocation: { order, payments: allocated, charges: balances, creditMinor } };
}

function refTimeline(cl: LateFeeClause, account: Account, asOf: number, options: LateFeeOptions, report: LateFeeReport): TimelineRow[] {
  const isWorkingDay = options.isWorkingDay ?? (() => true);
  const rows: TimelineRow[] = [];
  account.charges.forEach((c, i) => {
    const tm = refTerms(cl, c.due, isWorkingDay);
    const steps = report.allocation.charges[i]!.principalPaid;
    if (!refFee(cl, c, tm, steps, asOf).arisen) return;
    let prev = 0;
    for (let day = tm.accrueFrom; day <= asOf; day++) {
      const total = refFee(cl, c, tm, steps, day).amount;
      const principal = Math.max(0, refUnpaid(c.amount, steps, day));
      if (principal > 0 || total !== prev) rows.push({ on: formatCivilDate(day), chargeId: c.id, principalMinor: principal, accruedMinor: total - prev, totalMinor: total });
      prev = total;
    }
  });
  return rows;
}

/** computeLateFees, full and `detail: false`, equals the reference, or both throw a RangeError. */
function expectSameAsReference(cl: LateFeeClause, a: Account, asOf: number, options: LateFeeOptions, timeline = false, big = false): void {
  let ref: LateFeeReport;
  try {
    ref = refReport(cl, a, asOf, options, big);
  } catch (e) {
    expect(e).toBeInstanceOf(RangeError);
    expect(() => computeLateFees(cl, a, asOf, options)).toThrow(RangeError);
    expect(() => computeLateFees(cl, a, asOf, { ...options, detail: false })).toThrow(RangeError);
    return;
  }
  expect(computeLateFees(cl, a, asOf, options)).toStrictEqual(ref);
  const amounts: LateFeeAmounts = {
    charges: ref.charges.map((c) => ({
      chargeId: c.chargeId,
      daysLate: c.daysLate,
      uncappedMinor: c.uncappedMinor,
      amountMinor: c.amountMinor,
      ...(c.capApplied ? { capApplied: c.capApplied } : {}),
      ...(c.waiver ? { waiver: c.waiver } : {}),
    })),
    totalMinor: ref.totalMinor,
  };
  expect(computeLateFees(cl, a, asOf, { ...options, detail: false })).toStrictEqual(amounts);
  if (timeline) expect(lateFeeTimeline(cl, a, asOf, options)).toStrictEqual(refTimeline(cl, a, asOf, options, ref));
}

const amountArb = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: 0, max: 200_000 }) },
  { weight: 2, arbitrary: fc.integer({ min: 0, max: Math.floor(Number.MAX_SAFE_INTEGER / 64) }) },
  { weight: 1, arbitrary: fc.integer({ min: Number.MAX_SAFE_INTEGER - 1_000_000, max: Number.MAX_SAFE_INTEGER }) },
);
const wideClauseArb = fc
  .tuple(
    clauseArb(true),
    fc.boolean(),
    fc.option(fc.integer({ min: 1, max: 10000 }), { nil: undefined }),
    fc.option(fc.subarray(["dunningNotice", "finalNotice", "phoneCall"] as const, { minLength: 1 }), { nil: undefined }),
  )
  .map(([cl, holidayShift, bigRate, stageKinds]): LateFeeClause => ({
    ...cl,
    holidayShift,
    // now and then the schema's full range of rates
    accrual: bigRate !== undefined && cl.accrual.type !== "flat" ? { ...cl.accrual, rateBasisPoints: bigRate } : cl.accrual,
    waivers: (cl.waivers ?? []).map((w) => (w.type === "paidWithinDaysOfNotice" && stageKinds ? { ...w, stageKinds: [...stageKinds] } : w)),
  }));
const wideLedgerArb = fc.record({
  charges: fc.array(fc.record({ due: fc.integer({ min: 0, max: 120 }), amount: amountArb }), { minLength: 1, maxLength: 7 }),
  // small payments too: they leave fees partly paid, for later payments to pay
  payments: fc.array(fc.record({ on: fc.integer({ min: -10, max: 320 }), amount: fc.oneof(fc.integer({ min: 1, max: 300_000 }), fc.integer({ min: 1, max: 3000 }), amountArb.filter((x) => x > 0)) }), { maxLength: 9 }),
  tags: fc.constantFrom<string[]>([], ["elderly"]),
  notices: fc.array(fc.record({ on: fc.integer({ min: 0, max: 300 }), kind: fc.constantFrom("dunningNotice", "finalNotice", "phoneCall"), only: fc.option(fc.integer({ min: 0, max: 6 }), { nil: undefined }) }), { maxLength: 3 }),
  order: fc.constantFrom("principalFirst" as const, "costsLateFeePrincipal" as const),
  holidays: fc.oneof(fc.constant("weekends" as const), fc.array(fc.integer({ min: 0, max: 450 }), { maxLength: 40 })),
});

describe("computeLateFees equals a day-by-day reference", () => {
  it("on random clauses, ledgers and days: every field of every charge, the allocation, the amounts of detail: false", () => {
    fc.assert(
      fc.property(wideClauseArb, wideLedgerArb, fc.integer({ min: -5, max: 700 }), (cl, l, at) => {
        const a = account({
          owner: { tags: l.tags },
          charges: l.charges.map((c, i) => ({ id: `c${i}`, period: formatCivilDate(START + c.due).slice(0, 7), dueOn: formatCivilDate(START + c.due), amountMinor: c.amount })),
          payments: l.payments.map((p, i) => ({ id: `p${i}`, on: formatCivilDate(START + p.on), amountMinor: p.amount })),
        });
        const holidays = l.holidays === "weekends" ? undefined : new Set(l.holidays.map((h) => START + h));
        const options: LateFeeOptions = {
          order: l.order,
          isWorkingDay: holidays ? (day) => !holidays.has(day) : (day) => isoWeekday(day) < 6,
          notices: l.notices.map((n) => ({ on: START + n.on, kind: n.kind, ...(n.only !== undefined ? { chargeIds: [`c${n.only}`] } : {}) })),
        };
        expectSameAsReference(cl, a, START + at, options);
      }),
      { numRuns: 400 },
    );
  });

  it("when the principal is paid and the fees are paid over several later payments", () => {
    const instalments = fc.record({
      charges: fc.array(fc.record({ due: fc.integer({ min: 0, max: 40 }), amount: fc.integer({ min: 0, max: 40_000 }) }), { minLength: 1, maxLength: 3 }),
      payoff: fc.integer({ min: 0, max: 120 }),
      rest: fc.array(fc.record({ after: fc.integer({ min: 0, max: 60 }), amount: fc.integer({ min: 1, max: 1500 }) }), { minLength: 1, maxLength: 6 }),
      order: fc.constantFrom("principalFirst" as const, "costsLateFeePrincipal" as const),
    });
    fc.assert(
      fc.property(clauseArb(false), instalments, fc.integer({ min: 0, max: 400 }), (cl, l, at) => {
        // one payment clears every principal (plus a little), then small ones pay the fees
        const total = l.charges.reduce((sum, c) => sum + c.amount, 0);
        let on = l.payoff;
        const payments = [{ on, amount: total + 1 }, ...l.rest.map((p) => ({ on: (on += p.after), amount: p.amount }))];
        const { a, options } = build({ charges: l.charges, payments, tags: [], notices: [], order: l.order });
        expectSameAsReference(cl, a, START + at, options);
      }),
      { numRuns: 1000 },
    );
  });

  it("lateFeeTimeline, row by row", () => {
    fc.assert(
      fc.property(wideClauseArb, ledgerArb, fc.integer({ min: 0, max: 400 }), (cl, l, at) => {
        const { a, options } = build(l);
        expectSameAsReference(cl, a, START + at, options, true);
      }),
      { numRuns: 150 },
    );
  });

  it("24 and 60 monthly charges with late, partial and missing payments, the built-in clause and others, both orders", () => {
    for (const months of [24, 60]) {
      const charges: ChargeSnapshot[] = [];
      const payments: PaymentSnapshot[] = [];
      for (let m = 0; m < months; m++) {
        const period = `${2021 + Math.floor(m / 12)}-${String((m % 12) + 1).padStart(2, "0")}`;
        const due = d(`${period}-01`);
        charges.push({ id: period, period, dueOn: `${period}-01`, amountMinor: 30000 });
        const pay = (after: number, amountMinor: number) => payments.push({ id: `p${m}-${payments.length}`, on: formatCivilDate(due + after), amountMinor });
        [() => pay(0, 30000), () => pay(12, 30180), () => (pay(5, 15000), pay(40, 15000)), () => {}, () => pay(45, 30700), () => pay(-3, 30000), () => pay(20, 10000), () => {}][m % 8]!();
      }
      const a = account({ charges, payments });
      const asOf = a.charges.at(-1)!.due + 45;
      const notices = [{ on: asOf - 20, kind: "dunningNotice" }];
      for (const cl of [
        BUILTIN_LATE_FEE,
        clause({ caps: { annualRateBasisPoints: 1500, amountMinor: 5000 }, waivers: [{ type: "firstLateInMonths", months: 6 }] }),
        clause({ accrual: { type: "monthly", rateBasisPoints: 150 }, graceDays: 3, startsAfter: "graceEnd", waivers: [{ type: "paidWithinDaysOfNotice", days: 10 }] }),
      ])
        for (const order of ["principalFirst", "costsLateFeePrincipal"] as const) expectSameAsReference(cl, a, asOf, { order, notices }, false, true);
    }
  });
});
