import { describe, expect, it } from "vitest";
import { brief, builtin, oneCharge, record, runDaily } from "../../../tests/helpers.js";
import { builtinPolicySource } from "../../rules/builtins.js";
import { parsePolicy } from "../../rules/parse.js";
import { createScheduler } from "./scheduler.js";

const residential = builtin("residential");
const commercial = builtin("commercial");

describe("residential built-in (S2), one 300.00 charge due 2026-03-01, nothing paid", () => {
  const actions = runDaily(residential, oneCharge(), "2026-02-20", "2027-04-30");

  it("reproduces the S2 timeline day for day and channel for channel", () => {
    expect(brief(actions)).toEqual([
      "2026-03-01 billingNotice doorPosting+sms",
      "2026-03-25 dunningNotice doorPosting+sms",
      "2026-04-25 finalNotice doorPosting+sms",
      "2026-06-01 billingNotice doorPosting+sms", // 3 months in arrears
      "2026-07-01 dunningNotice doorPosting+sms", // 4 months
      "2026-09-01 finalNotice doorPosting+sms", // 6 months
      "2027-03-01 lawyerLetter expressMail", // 12 months, special cases excepted
    ]);
  });

  it("gives the final notice a 15-day deadline and marks the lawyer's letter for review", () => {
    const final = actions.find((a) => a.stage === "final_notice")!;
    // 04-25 + 15 days is Sunday 05-10, a rest day: the deadline ends on Monday (Civil Code art. 203)
    expect(final.deadlineOn).toBe("2026-05-11");
    const lawyer = actions.find((a) => a.kind === "lawyerLetter")!;
    expect(lawyer.requiresReview).toBe(true);
    expect(actions.filter((a) => a.requiresReview)).toHaveLength(1);
  });

  it("states the overdue principal in minor units and the charges concerned", () => {
    const dunning = actions.find((a) => a.kind === "dunningNotice")!;
    expect(dunning.overdueMinor).toBe(30000);
    // the built-in contract clause: 0.05% a day from 03-02 through 03-25, 24 days × 0.15 = 3.60
    expect(dunning.charges).toEqual([{ id: "c1", period: "2026-03", dueOn: "2026-03-01", amountMinor: 30000, unpaidMinor: 30000, lateFeeMinor: 360, overdue: true }]);
    expect(dunning.lateFeeMinor).toBe(360);
    expect(dunning.totalMinor).toBe(30360);
    const bill = actions[0]!;
    expect(bill.overdueMinor).toBe(0); // on its due date nothing is overdue yet
    expect(bill.unpaidMinor).toBe(30000);
  });

  it("explains each action by its rule and facts", () => {
    const lawyer = actions.find((a) => a.kind === "lawyerLetter")!;
    expect(lawyer.because.trigger).toEqual({ type: "arrearsMonths", months: 12 });
    expect(lawyer.because.facts.arrearsMonths).toBe(12);
    // the written demand it rests on: the first final notice, delivered 04-25, deadline 05-10
    expect(lawyer.because.demand).toEqual({ stage: "final_notice", on: "2026-04-25", deadlineOn: "2026-05-11" });
    expect(lawyer.because.stage.source).toMatch(/律师函/);
    expect(lawyer.because.summary).toContain("12 months in arrears");
  });

  it("forecast yields the same timeline as planning every day", () => {
    const forecast = residential.forecast(oneCharge(), "2026-02-20", "2027-04-30");
    expect(forecast.map((a) => [a.id, a.plannedOn])).toEqual(actions.map((a) => [a.id, a.plannedOn]));
  });
});

describe("amounts in actions (late fee: the built-in clause, 0.05% a day, capped at 30%)", () => {
  it("unpaid on 2026-04-01: 31 days × 0.15 = 4.65; after 700 days the 30% cap, 90.00", () => {
    const s = createScheduler(
      parsePolicy({
        extends: "residential",
        id: "f",
        version: "1",
        stages: [
          { id: "dunning_notice", disabled: true },
          { id: "final_notice", disabled: true },
          { id: "check", kind: "phoneCall", channels: ["phone"], trigger: { type: "dueDate", offsetDays: 31 }, insertAfter: "billing_notice" },
          { id: "late_check", kind: "phoneCall", channels: ["phone"], trigger: { type: "dueDate", offsetDays: 700 }, insertAfter: "check" },
        ],
      }),
    );
    const forecast = s.forecast(oneCharge(), "2026-03-01", "2028-02-01");
    const april = forecast.find((a) => a.stage === "check")!;
    expect(april.plannedOn).toBe("2026-04-01");
    expect(april.charges[0]!.lateFeeMinor).toBe(465);
    const late = forecast.find((a) => a.stage === "late_check")!;
    expect(late.plannedOn).toBe("2028-01-30");
    expect(late.lateFeeMinor).toBe(9000);
    expect(late.totalMinor).toBe(39000);
  });

  it("a 100.00 payment on 2026-03-11: days before accrue on 300.00, from 03-11 on 200.00", () => {
    const account = oneCharge({ payments: [{ id: "p", on: "2026-03-11", amountMinor: 10000 }] });
    const [dunning] = residential.dueActions(account, "2026-03-25");
    // 03-02…03-10: 9 × 15 = 135; 03-11…03-25: 15 × 10 = 150
    expect(dunning!.lateFeeMinor).toBe(285);
    expect(dunning!.overdueMinor).toBe(20000);
  });

  it("a policy without a clause states no fee", () => {
    const { lateFee: _none, ...rest } = parsePolicy(builtinPolicySource("residential"));
    const [a] = createScheduler(rest).dueActions(oneCharge(), "2026-03-25");
    expect(a!.lateFeeMinor).toBe(0);
    expect(a!.totalMinor).toBe(30000);
  });
});

describe("limitation (Civil Code art. 188, 195)", () => {
  it("a legal review 180 days before the earliest limitation date, restarts by written demands counted", () => {
    const forecast = residential.forecast(oneCharge(), "2026-03-01", "2030-12-31");
    const review = forecast.find((a) => a.stage === "limitation_legal_review")!;
    // the last delivered written demand is the lawyer's letter of 2027-03-01: the period ends 2030-03-01
    expect(review.plannedOn).toBe("2029-09-02");
    expect(review.audience).toBe("staff");
    expect(review.channels).toEqual(["staffQueue"]);
    expect(review.because.summary).toContain("limitation period of c1 ends 2030-03-01");
  });

  it("without written demands the period runs from the due date", () => {
    const quiet = parsePolicy({
      extends: "residential",
      id: "q",
      version: "1",
      stages: ["final_notice", "arrears_6m_final_notice", "arrears_12m_lawyer_letter"].map((id) => ({ id, disabled: true })),
    });
    const policy = { ...quiet, stages: quiet.stages.map((st) => (st.id === "limitation_legal_review" ? { ...st, kind: "staffFollowUp" as const } : st)) };
    const review = createScheduler(policy).forecast(oneCharge(), "2026-03-01", "2029-12-31").find((a) => a.stage === "limitation_legal_review")!;
    expect(review.plannedOn).toBe("2028-09-02"); // 2029-03-01 − 180 days (2029-03-01 is a Thursday)
  });
});

describe("payment stops collection", () => {
  it("paid in full on 2026-03-20: only the billing notice, ever", () => {
    const account = oneCharge({ payments: [{ id: "p1", on: "2026-03-20", amountMinor: 30000 }] });
    expect(brief(runDaily(residential, account, "2026-02-20", "2027-06-30"))).toEqual(["2026-03-01 billingNotice doorPosting+sms"]);
  });

  it("paid in advance: not even a billing notice", () => {
    const account = oneCharge({ payments: [{ id: "p1", on: "2026-02-25", amountMinor: 30000 }] });
    expect(runDaily(residential, account, "2026-02-20", "2027-06-30")).toEqual([]);
  });

  it("a partial payment keeps the ladder going on the rest", () => {
    const account = oneCharge({ payments: [{ id: "p1", on: "2026-03-20", amountMinor: 10000 }] });
    const actions = runDaily(residential, account, "2026-02-20", "2026-05-01");
    expect(brief(actions)).toEqual(["2026-03-01 billingNotice doorPosting+sms", "2026-03-25 dunningNotice doorPosting+sms", "2026-04-25 finalNotice doorPosting+sms"]);
    expect(actions[1]!.overdueMinor).toBe(20000);
  });

  it("no dunning-class action falls on or before the due date, even when the policy's day comes first", () => {
    const policy = parsePolicy({
      extends: "residential",
      id: "early",
      version: "1",
      stages: [{ id: "dunning_notice", trigger: { type: "billingMonthDay", monthOffset: 0, day: 1 } }],
    });
    const account = oneCharge({ charges: [{ id: "c1", period: "2026-03", dueOn: "2026-03-10", amountMinor: 30000 }] });
    const actions = runDaily(createScheduler(policy), account, "2026-02-20", "2026-03-31");
    const dunning = actions.find((a) => a.kind === "dunningNotice")!;
    expect(dunning.plannedOn).toBe("2026-03-11");
  });
});

describe("commercial built-in (S2)", () => {
  it("billing notice by hand against signature, dunning on the 25th and the 5th, final notice on the 13th", () => {
    const account = oneCharge({ segment: "commercial" });
    expect(brief(runDaily(commercial, account, "2026-02-20", "2027-06-30"))).toEqual([
      "2026-03-01 billingNotice handDelivery+sms",
      "2026-03-25 dunningNotice handDelivery+sms",
      "2026-04-05 dunningNotice handDelivery+sms",
      "2026-04-13 finalNotice handDelivery+sms",
    ]);
  });

  it("first run on 2026-05-10 with nothing recorded: every warning, in order, gaps kept", () => {
    const account = oneCharge({ segment: "commercial" });
    const actions = runDaily(commercial, account, "2026-05-10", "2026-07-31");
    expect(actions.map((a) => [a.plannedOn, a.stage])).toEqual([
      ["2026-05-10", "dunning_notice"], // covers the billing notice too
      ["2026-05-21", "second_dunning_notice"], // 11 days, as 03-25 → 04-05
      ["2026-05-29", "final_notice"], // 8 days, as 04-05 → 04-13
    ]);
    expect(actions[0]!.covers.map((c) => c.stage)).toEqual(["billing_notice", "dunning_notice"]);
    expect(actions[0]!.dueOn).toBe("2026-03-25");
  });
});

describe("catch-up and ordering", () => {
  it("residential first run on 2026-05-10: the dunning notice comes before the final notice, the gap kept", () => {
    const actions = runDaily(residential, oneCharge(), "2026-05-10", "2026-06-30");
    const dunning = actions.find((a) => a.stage === "dunning_notice")!;
    const final = actions.find((a) => a.stage === "final_notice")!;
    expect(dunning.plannedOn).toBe("2026-05-10");
    expect(final.plannedOn).toBe("2026-06-10"); // 31 days, as 03-25 → 04-25
  });

  it("first run after 13 months: lawyer's letter only after a final notice whose deadline has passed", () => {
    const actions = runDaily(residential, oneCharge(), "2027-04-01", "2027-12-31");
    const kinds = actions.map((a) => a.kind);
    const lawyer = actions.find((a) => a.kind === "lawyerLetter")!;
    const finals = actions.filter((a) => a.kind === "finalNotice");
    expect(kinds.indexOf("lawyerLetter")).toBeGreaterThan(kinds.indexOf("finalNotice"));
    expect(finals.some((f) => f.deadlineOn! < lawyer.plannedOn)).toBe(true);
  });

  it("at most one owner-facing action a day, covering the rest", () => {
    const account = oneCharge({
      charges: [
        { id: "c1", period: "2026-03", dueOn: "2026-03-01", amountMinor: 30000 },
        { id: "c2", period: "2026-04", dueOn: "2026-04-01", amountMinor: 30000 },
      ],
    });
    const actions = runDaily(residential, account, "2026-02-20", "2026-12-31");
    const days = actions.map((a) => a.plannedOn);
    expect(new Set(days).size).toBe(days.length);
    // 04-25: the final notice for March and the dunning notice for April go as one final notice
    const apr25 = actions.find((a) => a.plannedOn === "2026-04-25")!;
    expect(apr25.kind).toBe("finalNotice");
    expect(apr25.covers.map((c) => c.key).sort()).toEqual(["dunning_notice@c2", "final_notice@c1"]);
    expect(apr25.overdueMinor).toBe(60000);
  });

  it("when a payment moves the oldest unpaid charge forward, no warning for the new oldest charge is skipped", () => {
    const charges = Array.from({ length: 8 }, (_, i) => ({
      id: `c${i + 1}`,
      period: `2026-${String(i + 1).padStart(2, "0")}`,
      dueOn: `2026-${String(i + 1).padStart(2, "0")}-01`,
      amountMinor: 30000,
    }));
    // January to May paid on 2026-05-15: June becomes the oldest unpaid charge.
    const account = oneCharge({ charges, payments: [{ id: "p1", on: "2026-05-15", amountMinor: 150000 }] });
    const actions = runDaily(residential, account, "2025-12-20", "2027-06-30");
    const ladder = actions.flatMap((a) => a.covers).filter((c) => c.stage.startsWith("arrears_"));
    const forJune = ladder.filter((c) => c.key.endsWith("@c6")).map((c) => c.stage);
    expect(forJune).toEqual(["arrears_3m_billing_notice", "arrears_4m_dunning_notice", "arrears_6m_final_notice", "arrears_12m_lawyer_letter"]);
  });
});

describe("identity and idempotence", () => {
  it("action ids are deterministic: account, stage and anchor", () => {
    const [a] = residential.dueActions(oneCharge(), "2026-03-25");
    const [b] = residential.dueActions(oneCharge(), "2026-03-25");
    expect(a!.id).toBe("A-1201:dunning_notice@c1");
    expect(b).toEqual(a);
  });

  it("planning, recording, then planning again the same day yields nothing new", () => {
    const account = oneCharge();
    const first = residential.dueActions(account, "2026-04-30");
    expect(first).toHaveLength(1);
    const again = residential.dueActions({ ...account, actions: first.map((a) => record(a, "2026-04-30")) }, "2026-04-30");
    expect(again).toEqual([]);
  });

  it("a recorded id without covers counts for its own stage", () => {
    const account = oneCharge({ actions: [{ id: "A-1201:billing_notice@c1", stage: "billing_notice", on: "2026-03-01" }] });
    expect(residential.dueActions(account, "2026-03-02")).toEqual([]);
  });

  it("rejects a malformed account with the field named", () => {
    const bad = oneCharge({ charges: [{ id: "c1", period: "2026-13", dueOn: "2026-02-30", amountMinor: 1.5 }] });
    expect(() => residential.dueActions(bad, "2026-03-25")).toThrow(/charges\[0\]\.period[\s\S]*charges\[0\]\.dueOn[\s\S]*charges\[0\]\.amountMinor/);
  });
});

describe("conditions", () => {
  it("a stage with conditions fires only when they hold, and says why", () => {
    const policy = parsePolicy({
      extends: "residential",
      id: "visits",
      version: "1",
      stages: [
        {
          id: "home_visit",
          kind: "homeVisit",
          channels: ["homeVisit"],
          trigger: { type: "dueDate", offsetDays: 10 },
          conditions: { all: [{ fact: "chargeAmountMinor", operator: "greaterThanInclusive", value: 50000 }] },
          insertAfter: "billing_notice",
        },
      ],
    });
    const s = createScheduler(policy);
    const large = oneCharge({ charges: [{ id: "c1", period: "2026-03", dueOn: "2026-03-01", amountMinor: 80000 }] });
    const big = runDaily(s, large, "2026-03-01", "2026-03-20");
    const other = runDaily(s, oneCharge(), "2026-03-01", "2026-03-20");
    expect(brief(big)).toEqual(["2026-03-01 billingNotice doorPosting+sms", "2026-03-11 homeVisit homeVisit"]);
    expect(brief(other)).toEqual(["2026-03-01 billingNotice doorPosting+sms"]);
    expect(big[1]!.because.conditions).toEqual({ text: "chargeAmountMinor >= 50000", facts: { chargeAmountMinor: 80000 } });
  });
});
