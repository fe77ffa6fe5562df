/**
 * DOMAIN.md (decided 2026-12-06): "The 2027 notice is usually published in November or December
 * of 2026: until it is in the data, plans and deadlines in 2027 must say that the year's holidays
 * are unknown." Planning itself stays as it is (weekends only in 2027); the action says so.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { builtin, oneCharge } from "./helpers.js";
import { main } from "../src/cli/main.js";

const residential = builtin("residential");
const LEDGER = "tests/fixtures/audit-2027-ledger.json";
// The audit's ledger: a 2026-11 charge, billing notice 11-01 and dunning notice 11-25 recorded.
const account = JSON.parse(readFileSync(LEDGER, "utf8")).accounts[0];
const UNKNOWN = /^2027's public holidays are not in the calendar yet \(the State Council publishes them in Nov\/Dec\)/;

async function cli(...argv: string[]) {
  let out = "";
  const code = await main(argv, { out: (s) => void (out += s), err: () => undefined });
  return { code, out };
}

describe("audit F4: days and deadlines in a year whose holidays are not in the data say so", () => {
  it("audit F4 a final notice planned 2026-12-25 with its deadline in 2027 says the deadline may move", () => {
    const [final] = residential.dueActions(account, "2026-12-25");
    expect(final!.stage).toBe("final_notice"); // S2: day 25 of the month after the billing month
    expect(final!.deadlineOn!.startsWith("2027-")).toBe(true);
    expect(final!.because.calendar).toMatch(UNKNOWN);
    expect(final!.because.calendar).toMatch(/the deadline may move$/);
  });

  it("audit F4 every forecast row in 2027 says the year's holidays are unknown; none in 2026 without a 2027 deadline", () => {
    const forecast = residential.forecast(account, "2026-12-01", "2027-12-31");
    const in2027 = forecast.filter((a) => a.plannedOn >= "2027-01-01");
    expect(in2027.length).toBeGreaterThan(0);
    for (const a of in2027) expect(a.because.calendar, a.id).toMatch(UNKNOWN);
    const covered = residential.forecast(oneCharge(), "2026-03-01", "2026-09-30");
    expect(covered.length).toBeGreaterThan(0);
    for (const a of covered) expect(a.because.calendar, a.id).toBeUndefined();
  });

  it("audit F4 a lawyer's letter planned on 2027-01-01 (New Year's Day in every year so far) on a working-days channel says this day may move", () => {
    const done = (stage: string, on: string) => ({ id: `L:${stage}@c1`, stage, on });
    const long = oneCharge({
      id: "L",
      charges: [{ id: "c1", period: "2026-01", dueOn: "2026-01-01", amountMinor: 10000 }],
      actions: [done("billing_notice", "2026-01-01"), done("dunning_notice", "2026-01-25"), done("final_notice", "2026-02-25"), done("arrears_3m_billing_notice", "2026-04-01"), done("arrears_4m_dunning_notice", "2026-05-01"), done("arrears_6m_final_notice", "2026-07-01")],
    });
    const [letter] = residential.dueActions(long, "2027-01-01"); // 以上 includes 12 months (DOMAIN.md)
    expect(letter!.kind).toBe("lawyerLetter");
    expect(letter!.because.calendar).toMatch(UNKNOWN);
    expect(letter!.because.calendar).toMatch(/this day may move$/);
  });

  it("audit F4 plan and explain print the note", async () => {
    const plan = await cli("plan", "--ledger", LEDGER, "--as-of", "2026-12-25");
    expect(plan.code).toBe(0);
    expect(plan.out).toMatch(/Y27\s+final_notice\s.*\*\n\* 2027's public holidays are not in the calendar yet/);
    const explain = await cli("explain", "--ledger", LEDGER, "--account", "Y27", "--as-of", "2026-12-25", "--to", "2027-06-30");
    expect(explain.out).toMatch(/due 2026-12-25: .*\(2027's public holidays are not in the calendar yet .*: the deadline may move\)/);
    expect(explain.out).toMatch(/\n2027-02-01\s+arrears_3m_billing_notice\s.* \*\n/);
    expect(explain.out).toContain("\n* 2027's public holidays are not in the calendar yet (the State Council publishes them in Nov/Dec): this day may move");
  });
});
