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

describe("recipe: the end of the road (docs/recipes.md)", () => {
  // The commands exactly as the page prints them, run in-process.
  const page = readFileSync(new URL("../docs/recipes.md", import.meta.url), "utf8");
  const section = page.slice(page.indexOf("## The end of the road"));
  const commands = /```sh\n([\s\S]*?)```/.exec(section)![1]!.trim().split("\n");

  it("prints three commands, each of which runs", async () => {
    const { runCli } = await import("./helpers.js");
    expect(commands).toHaveLength(3);
    const results = [];
    for (const c of commands) results.push(await runCli(...c.replace(/^property-dunning /, "").split(" ")));
    const [validate, planned, report] = results;
    expect(validate!.code, validate!.err).toBe(0);
    expect(planned!.code, planned!.err).toBe(0);
    expect(report!.code, report!.err).toBe(0);
    // The plan on 2026-03-06: nothing for A-1 (in court) or B-2 (written off); B-1's limitation
    // review (a staff action: the hand-over does not stop it); A-2's ladder again (reopened 03-05).
    const rows = planned!.out.split("\n");
    expect(rows.filter((r) => /\bA-1\b/.test(r))).toEqual([]);
    expect(rows.filter((r) => /\bB-2\b/.test(r))).toEqual([]);
    expect(rows.filter((r) => /\bB-1\b/.test(r)).join("\n")).toMatch(/legalReview/);
    expect(rows.some((r) => /\bA-2\b/.test(r))).toBe(true);
    // One account in each terminal state on 2026-04-01 (A-2 was reopened).
    expect(report!.out).toMatch(/Accounts at the end of the road/);
    // The table names each state in words (the JSON keeps collectionAgency, legalAction, writtenOff).
    for (const state of ["collection agency", "lawsuit or arbitration", "written off"]) expect(report!.out).toMatch(new RegExp(`${state}\\s+1\\b`));
  });
});
