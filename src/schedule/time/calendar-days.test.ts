/**
 * S2's days are calendar days (DOMAIN.md, "How ambiguous sentences are read", decided 2026-12-06):
 * a warning whose own day falls on or before the due date is first owed the day after it, which
 * is not lateness; only a warning carried out later than first owed pushes the next one a regular
 * gap after it. Every expected day below is one of DOMAIN.md's worked examples, or S2's commercial
 * ladder (day 25, next 5th, next 13th) read the same way.
 */
import { describe, expect, it } from "vitest";
import { builtin, oneCharge } from "../../../tests/helpers.js";

const residential = builtin("residential");
const commercial = builtin("commercial");

const charge = (period: string, dueOn: string) => ({ charges: [{ id: "c1", period, dueOn, amountMinor: 30000 }] });
const days = (actions: readonly { plannedOn: string; stage: string }[]) => actions.map((a) => `${a.plannedOn} ${a.stage}`);

describe("audit F1: a warning is due on its own calendar day", () => {
  it("audit F1 due 2026-03-31 → dunning 04-01, final notice 04-25 (forecast)", () => {
    const forecast = residential.forecast(oneCharge(charge("2026-03", "2026-03-31")), "2026-03-01", "2026-05-31");
    expect(days(forecast)).toEqual(["2026-03-01 billing_notice", "2026-04-01 dunning_notice", "2026-04-25 final_notice"]);
  });

  it("audit F1 due 2026-03-31, dunning recorded 04-01: the final notice is due on 04-25 (dueActions)", () => {
    const account = oneCharge({
      ...charge("2026-03", "2026-03-31"),
      actions: [
        { id: "A-1201:billing_notice@c1", stage: "billing_notice", on: "2026-03-01" },
        { id: "A-1201:dunning_notice@c1", stage: "dunning_notice", on: "2026-04-01" },
      ],
    });
    expect(residential.dueActions(account, "2026-04-24")).toEqual([]);
    const due = residential.dueActions(account, "2026-04-25");
    expect(due.map((a) => [a.stage, a.dueOn])).toEqual([["final_notice", "2026-04-25"]]);
    // The dunning notice was on time: the final notice keeps its own day, 24 days after it.
    expect(due[0]!.because.after).toEqual({ stage: "dunning_notice", on: "2026-04-01", gapDays: 24 });
  });

  it("audit F1 due 2026-02-28 → dunning 03-01, final notice 03-25 (forecast and dueActions)", () => {
    const forecast = residential.forecast(oneCharge(charge("2026-02", "2026-02-28")), "2026-02-01", "2026-04-30");
    expect(days(forecast)).toEqual(["2026-02-01 billing_notice", "2026-03-01 dunning_notice", "2026-03-25 final_notice"]);
    const account = oneCharge({ ...charge("2026-02", "2026-02-28"), actions: [{ id: "A-1201:dunning_notice@c1", stage: "dunning_notice", on: "2026-03-01", covers: ["billing_notice@c1", "dunning_notice@c1"] }] });
    expect(residential.dueActions(account, "2026-03-25").map((a) => [a.stage, a.dueOn])).toEqual([["final_notice", "2026-03-25"]]);
  });

  it("audit F1 due 03-01, planning first run on 05-10 → dunning 05-10, final notice a regular gap (31 days) later", () => {
    const forecast = residential.forecast(oneCharge(charge("2026-03", "2026-03-01")), "2026-05-10", "2026-06-30");
    const dunning = forecast.find((a) => a.stage === "dunning_notice")!;
    const final = forecast.find((a) => a.stage === "final_notice")!;
    expect(dunning.plannedOn).toBe("2026-05-10");
    // The regular gap: 03-25 → 04-25 is 31 days; 05-10 + 31 days = 06-10.
    expect(final.plannedOn).toBe("2026-06-10");
    expect(final.because.after).toEqual({ stage: "dunning_notice", on: "2026-05-10", gapDays: 31 });
  });

  it("audit F1 the regular timeline (due 03-01) is unchanged: 03-01, 03-25, 04-25", () => {
    const forecast = residential.forecast(oneCharge(), "2026-03-01", "2026-05-31");
    expect(days(forecast)).toEqual(["2026-03-01 billing_notice", "2026-03-25 dunning_notice", "2026-04-25 final_notice"]);
  });

  it("audit F1 commercial, due 2026-03-31 → dunning 04-01 (day 25 was before the due date), the next 5th, the next 13th", () => {
    const forecast = commercial.forecast(oneCharge({ segment: "commercial", ...charge("2026-03", "2026-03-31") }), "2026-03-01", "2026-05-31");
    expect(days(forecast)).toEqual(["2026-03-01 billing_notice", "2026-04-01 dunning_notice", "2026-04-05 second_dunning_notice", "2026-04-13 final_notice"]);
  });
});
