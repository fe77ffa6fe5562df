/**
 * Issue 18's decision on a kept installment plan and the residual late fee (item 5): a written
 * plan (分期缴费计划, S3) whose instalments are all paid is finished. It no longer holds anything:
 * the fee left on its charges is chased or waived as the policy's `residualLateFee` says, its
 * steps counted from the day the plan ended (not from the day each charge's principal was paid,
 * which may lie months inside the plan: counting from there would send every step at once on the
 * day the plan ends), and `because` says so. Before, a plan fully paid stayed "kept" forever and
 * held the fee's steps forever: the fee was never chased and never waived, in silence.
 *
 * Worked by hand. The residential built-in's clause (policies/residential.json): 0.05% of the
 * unpaid principal a day from the day after the due date, a payment on day D lowering it from D
 * on, rounded half up once per charge, principal first. Its hold rules: 5 days' grace on an
 * instalment. `residualLateFee`: an SMS reminder 7 days after, a call 30 days after, a waiver for
 * a person to confirm 60 days after.
 *
 * Account A-7: c1 300.00 due 2026-03-01, c2 200.00 due 2026-04-01. Plan ip-7 agreed 2026-03-20
 * for both: 300.00 due 04-10, 200.00 due 05-10. Paid 300.00 on 04-10 (c1's principal, oldest
 * first) and 200.00 on 05-11 (c2's; within the second instalment's grace, which runs to 05-15):
 * - the plan is never broken, and on 05-11 its payments reach its 500.00 and its charges are paid:
 *   it ended on 05-11;
 * - c1's fee: 03-02..04-09 = 30 + 9 = 39 days × 0.15 = 5.85; c2's: 04-02..05-10 = 29 + 10 = 39
 *   days × 0.10 = 3.90;
 * - the fee's ladder from 05-11 (a Monday): reminder 05-18 (Monday), call 06-10 (Wednesday),
 *   waiver 07-10 (Friday), all working days in 2026, for both charges. Counted from c1's own
 *   payment (04-10) its reminder would have been 04-17 and its call 05-10, both inside the plan.
 */
import { describe, expect, it } from "vitest";
import { memoryLedger } from "../src/adapters/memory.js";
import type { AccountSnapshot } from "../src/ledger/account.js";
import { builtinPolicySource } from "../src/rules/builtins.js";
import { parsePolicy } from "../src/rules/parse.js";
import { createScheduler } from "../src/schedule/ladder/scheduler.js";
import { buildReport } from "../src/reports/report.js";

const src = builtinPolicySource("residential") as Record<string, unknown>;
const POLICY = parsePolicy({
  ...src,
  id: "estate-residual",
  residualLateFee: {
    reminders: [
      { id: "late_fee_reminder", kind: "reminder", channels: ["sms"], daysAfterPrincipalPaid: 7 },
      { id: "late_fee_call", kind: "phoneCall", channels: ["phone"], daysAfterPrincipalPaid: 30 },
    ],
    waive: { id: "late_fee_waiver", daysAfterPrincipalPaid: 60, source: "S1, S2: waiving late fees" },
  },
});
const s = createScheduler(POLICY);

const plan = {
  type: "installmentPlan" as const,
  id: "ip-7",
  agreedOn: "2026-03-20",
  recordedOn: "2026-03-20",
  charges: ["c1", "c2"],
  instalments: [
    { dueOn: "2026-04-10", amountMinor: 30000 },
    { dueOn: "2026-05-10", amountMinor: 20000 },
  ],
};
const account: AccountSnapshot = {
  id: "A-7",
  charges: [
    { id: "c1", period: "2026-03", dueOn: "2026-03-01", amountMinor: 30000 },
    { id: "c2", period: "2026-04", dueOn: "2026-04-01", amountMinor: 20000 },
  ],
  payments: [
    { id: "p1", on: "2026-04-10", amountMinor: 30000 },
    { id: "p2", on: "2026-05-11", amountMinor: 20000 },
  ],
  holds: [plan],
};

const steps = (from: string, to: string, a: AccountSnapshot = account) => s.forecast(a, from, to).map((x) => [x.plannedOn, x.covers.map((c) => c.key).join("+"), x.lateFeeMinor]);

describe("a kept plan whose instalments are all paid is finished: the residual fee's steps resume from the day it ended", () => {
  it("until 05-10 nothing about the fees (the plan runs, c2's principal is owed): only the plan's reminder of its second instalment, 3 days before it", () => {
    expect(steps("2026-04-10", "2026-05-10").map(([day, keys]) => `${day} ${keys}`)).toEqual(["2026-05-07 instalment_reminder@ip-7#2"]);
  });

  it("from 05-11, when the payments reach the plan's 500.00: each charge's reminder, call and waiver 7, 30 and 60 days after that day", () => {
    const after = steps("2026-05-11", "2026-07-31");
    expect(after.map(([day, keys]) => `${day} ${keys}`)).toEqual([
      "2026-05-18 late_fee_reminder@c1+late_fee_reminder@c2",
      "2026-06-10 late_fee_call@c1+late_fee_call@c2",
      "2026-07-10 late_fee_waiver@c1+late_fee_waiver@c2",
    ]);
    // 5.85 + 3.90 of late fee, all of it still owed.
    expect(after[0]![2]).toBe(585 + 390);
  });

  it("says why in `because`: the plan that ended, on which day, and when the principal was paid", () => {
    const [reminder] = s.forecast(account, "2026-05-11", "2026-05-31");
    const text = JSON.stringify(reminder!.because);
    expect(text).toContain("late-fee reminder 7 days after installment plan ip-7 ended on 2026-05-11, its instalments all paid (charge c1 (2026-03) was paid on 2026-04-10");
    expect(text).toContain("5.85 CNY of its late fee remains");
  });

  it("a plan with an instalment still to pay keeps holding the fee's steps (the rule before it, unchanged)", () => {
    // The plan also covers June's 200.00, not due yet: c1 is paid on 04-10 and nothing is overdue,
    // so only the plan holds c1's reminder (04-17) and call (05-10). Its second instalment's
    // reminder comes 3 days before 06-01, after the window.
    const running: AccountSnapshot = {
      ...account,
      charges: [account.charges[0]!, { id: "c2", period: "2026-06", dueOn: "2026-06-01", amountMinor: 20000 }],
      payments: account.payments!.slice(0, 1),
      holds: [{ ...plan, instalments: [plan.instalments[0]!, { dueOn: "2026-06-01", amountMinor: 20000 }] }],
    };
    expect(s.forecast(running, "2026-04-10", "2026-05-25")).toEqual([]);
  });

  it("the report no longer counts it as a plan kept once it ended", async () => {
    const kept = async (asOf: string) => (await buildReport(memoryLedger([account]), { asOf, policy: { residential: POLICY } })).holds.installmentPlans;
    expect([await kept("2026-05-10"), await kept("2026-05-11")]).toEqual([1, 0]);
  });

  it("payments that reach the instalments do not finish the plan while its charges are unpaid: oldest first, they paid an older charge the plan does not cover", async () => {
    // c0 (February, 300.00, not in the plan) is older than the plan's c1: the 300.00 of 04-10
    // pays c0 (Civil Code art. 560) and c1 stays unpaid. The instalment was paid, so the plan is
    // not broken; but once its last instalment's grace has passed (04-10 + 5 days = 04-15) with
    // c1 unpaid, it is over on 04-16 (review s6): it no longer holds c1, though 04-25's 300.00
    // pays c1 later.
    const older: AccountSnapshot = {
      id: "A-8",
      charges: [
        { id: "c0", period: "2026-02", dueOn: "2026-02-01", amountMinor: 30000 },
        { id: "c1", period: "2026-03", dueOn: "2026-03-01", amountMinor: 30000 },
      ],
      payments: [
        { id: "p1", on: "2026-04-10", amountMinor: 30000 },
        { id: "p2", on: "2026-04-25", amountMinor: 30000 },
      ],
      holds: [{ type: "installmentPlan", id: "ip-8", agreedOn: "2026-03-20", charges: ["c1"], instalments: [{ dueOn: "2026-04-10", amountMinor: 30000 }] }],
    };
    const kept = async (asOf: string) => (await buildReport(memoryLedger([older]), { asOf, policy: { residential: POLICY } })).holds.installmentPlans;
    expect([await kept("2026-04-10"), await kept("2026-04-15"), await kept("2026-04-16"), await kept("2026-04-25")]).toEqual([1, 1, 0, 0]);
  });

  it("instalments paid to an older charge, the plan's charge never paid: the plan ends when its last instalment's grace has passed, and the ladder resumes saying why", () => {
    // A-8 without 04-25's payment: before, the plan was neither broken (its instalment was paid)
    // nor finished (c1 unpaid), and held c1 forever: nothing was chased, in silence.
    const older: AccountSnapshot = {
      id: "A-8",
      charges: [
        { id: "c0", period: "2026-02", dueOn: "2026-02-01", amountMinor: 30000 },
        { id: "c1", period: "2026-03", dueOn: "2026-03-01", amountMinor: 30000 },
      ],
      payments: [{ id: "p1", on: "2026-04-10", amountMinor: 30000 }],
      holds: [{ type: "installmentPlan", id: "ip-8", agreedOn: "2026-03-20", charges: ["c1"], instalments: [{ dueOn: "2026-04-10", amountMinor: 30000 }] }],
    };
    const actions = s.forecast(older, "2026-04-11", "2027-03-31");
    expect(actions.length).toBeGreaterThan(0);
    // Nothing for c1 while the grace runs (to 04-15); from 04-16 its ladder speaks again.
    expect(actions[0]!.plannedOn >= "2026-04-16").toBe(true);
    expect(actions[0]!.because.holds?.join(" ")).toMatch(/installment plan ip-8 ended on 2026-04-16: its instalments were paid, but to an older charge \(oldest first\); c1 is still owed/);
    // No notice that the plan is broken: it was not (its instalment was paid).
    expect(actions.map((a) => a.stage)).not.toContain("plan_broken_notice");
  });

  it("a fee reminder carried out after the plan ended is not inside it: nothing for review", () => {
    const reminded: AccountSnapshot = { ...account, actions: [{ id: "A-7:late_fee_reminder@c1", stage: "late_fee_reminder", on: "2026-05-18" }] };
    expect(s.actionsInsideHolds(reminded, "2026-05-20")).toEqual([]);
    const early: AccountSnapshot = { ...account, actions: [{ id: "A-7:late_fee_reminder@c1", stage: "late_fee_reminder", on: "2026-04-17" }] };
    expect(s.actionsInsideHolds(early, "2026-05-20").map((r) => [r.actionId, r.holdId, r.holdTo])).toEqual([["A-7:late_fee_reminder@c1", "ip-7", "2026-05-10"]]);
  });
});
