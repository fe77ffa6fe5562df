/** The recipes in docs/recipes.md validate and plan what the page says. */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parsePolicy } from "../src/rules/parse.js";
import { createScheduler } from "../src/schedule/ladder/scheduler.js";

const load = (path: string) => parsePolicy(JSON.parse(readFileSync(new URL(`../${path}`, import.meta.url), "utf8")), path);
const account = { id: "S-1", charges: [{ id: "c1", period: "2026-03", dueOn: "2026-03-02", amountMinor: 480000 }] };

describe("recipes", () => {
  it("a commercial lease with its own grace: dunning after the grace, fee from its end", () => {
    const s = createScheduler(load("examples/recipes/commercial-grace.json"));
    const timeline = s.forecast(account, "2026-03-01", "2026-05-31");
    expect(timeline.map((a) => [a.plannedOn, a.stage])).toEqual([
      ["2026-03-01", "billing_notice"], // day 1 of the billing month
      ["2026-03-13", "dunning_notice"],
      ["2026-03-23", "second_dunning_notice"],
      ["2026-03-31", "final_notice"],
    ]);
    // a first late payment in 12 months: the fee is waived
    expect(timeline[3]!.lateFeeMinor).toBe(0);
  });

  it("a New York building: $50 or 5%, whichever is less, after 5 days", () => {
    const s = createScheduler(load("examples/recipes/us-new-york.json"));
    const rent = { id: "U-4B", charges: [{ id: "c1", period: "2026-03", dueOn: "2026-03-01", amountMinor: 80000 }] };
    // due 03-07, a Saturday: registered mail goes on working days, so Monday 03-09
    expect(s.dueActions(rent, "2026-03-07")).toEqual([]);
    const [late] = s.dueActions(rent, "2026-03-09");
    expect(late).toMatchObject({ stage: "late_notice", currency: "USD", lateFeeMinor: 4000 }); // 5% of $800 < $50
    // email's hours, in New York's offset the day after DST began
    expect(late!.window).toEqual({ from: "2026-03-09T09:00:00-04:00", to: "2026-03-09T20:00:00-04:00" });
    const big = { id: "U-PH", charges: [{ id: "c1", period: "2026-03", dueOn: "2026-03-01", amountMinor: 300000 }] };
    expect(s.dueActions(big, "2026-03-09")[0]!.lateFeeMinor).toBe(5000);
  });

  it("the estate customisation validates", () => {
    expect(load("examples/green-garden.json").stages.map((st) => st.id)).toContain("pre_due_reminder");
  });
});
