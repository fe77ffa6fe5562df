/** lateFeesUnderClause and lateFeeTimeline by example: the cases, each clause type, waivers, allocation order. */
import { describe, expect, it } from "vitest";
import { BUILTIN_LATE_FEE, type LateFeeClause } from "../../rules/late-fee.js";
import { formatCivilDate, isoWeekday } from "../time/civil-date.js";
import { lateFeesUnderClause, lateFeeTimeline, type LateFeeNotice } from "./late-fees.js";
import { d, account, fees, clause, NEW_YORK } from "./__fixtures__/late-fees.js";

const twoCharges = [
  { id: "c1", period: "2026-03", dueOn: "2026-03-01", amountMinor: 30000 },
  { id: "c2", period: "2026-04", dueOn: "2026-04-01", amountMinor: 30000 },
];

const TEXAS: LateFeeClause = {
  label: "Texas: initial and daily fee, 12% cap",
  contractTerm: "Prop. Code §92.019: rent unpaid two full days after it was due; at most 12% of the monthly rent (four units or fewer).",
  graceDays: 2,
  accrual: { type: "flatPlusDaily", amountMinor: 5000, rateBasisPoints: 100 },
  caps: { percentOfPrincipalBasisPoints: 1200 },
  rounding: "floor",
};


describe("lateFeesUnderClause, issue acceptance", () => {
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
    const r = lateFeesUnderClause(BUILTIN_LATE_FEE, account(), d("2026-03-01") + 700);
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

describe("lateFeesUnderClause, clauses", () => {
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
    expect(lateFeesUnderClause(clause({ caps: { percentOfPrincipalBasisPoints: 3000, amountMinor: 9000 } }), account(), at).charges[0]!.capApplied).toEqual({ kind: "percentOfPrincipal", limitMinor: 9000 });
    expect(lateFeesUnderClause(clause({ caps: { amountMinor: 9000, percentOfPrincipalBasisPoints: 3000 } }), account(), at, { detail: false }).charges[0]!.capApplied).toEqual({ kind: "percentOfPrincipal", limitMinor: 9000 });
    // annual rate: 30000 × 15.65 % × 700 / 365 = 90.041… → 9004 minor units
    const annual = lateFeesUnderClause(clause({ caps: { amountMinor: 9004, annualRateBasisPoints: 1565 } }), account(), at).charges[0]!;
    expect(annual.capApplied).toEqual({ kind: "amount", limitMinor: 9004 }); // 30000 × 1565 × 700 / 3650000 = 9004.1 → 9004, a tie
    expect(lateFeesUnderClause(clause({ caps: { amountMinor: 9005, annualRateBasisPoints: 1565 } }), account(), at).charges[0]!.capApplied).toEqual({ kind: "annualRate", limitMinor: 9004 });
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
    expect(lateFeesUnderClause(BUILTIN_LATE_FEE, big, d("2026-03-01") + 100).totalMinor).toBe(450359962737050);
    // an uncapped fee beyond 2^53 cannot be stated exactly as a number: refuse rather than round
    expect(() => lateFeesUnderClause(clause({ accrual: { type: "daily", rateBasisPoints: 100 }, caps: {} }), big, d("2026-03-01") + 101)).toThrow(expect.objectContaining({ name: "UnsafeAmountError", code: "unsafe_total" }));
  });
});

describe("lateFeesUnderClause, waivers", () => {
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

describe("lateFeesUnderClause, allocation order", () => {
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
