/**
 * The staff's review before a limitation date (Civil Code art. 188, 195) is internal: it waits
 * for nothing the owner's ladder does, and no hold stops it (DOMAIN.md: "An internal staff action
 * never waits for the owner's ladder: its whole point is that the ladder may be late").
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { memoryLedger } from "../src/adapters/memory.js";
import { plan } from "../src/ledger/plan.js";
import { buildReport } from "../src/reports/report.js";
import type { AccountSnapshot } from "../src/ledger/account.js";
import type { PlannedAction } from "../src/schedule/ladder/action.js";
import { parsePolicy } from "../src/rules/parse.js";
import { createScheduler } from "../src/schedule/ladder/scheduler.js";
import { builtin, record } from "./helpers.js";

/**
 * Issue 14, defect 1: one charge for 2024-01, due 2024-01-01, nothing paid, nothing recorded.
 *
 * Limitation date: three years from the due date, the start day not counted (art. 188, 201),
 * ends on the corresponding day, 2027-01-01 (art. 202). 2027's holidays are not in the data yet,
 * so art. 203 moves nothing (a Friday).
 * Lead time: the residential built-in's review is `beforeLimitation` 180 days. Counting back
 * from 2027-01-01: July 5→31 is 26 days, then Aug 31 + Sep 30 + Oct 31 + Nov 30 + Dec 31 = 153,
 * then Dec 31→Jan 1 is 1: 26 + 153 + 1 = 180, so the review is owed on 2026-07-05.
 * On 2026-12-20 that day has passed and 2027-01-01 (12 days on: Dec 20→31 is 11, +1) is still
 * ahead: the review is owed at once, as catch-up, still dated 2026-07-05.
 * The owner's ladder meanwhile catches up from its first warning: the dunning notice of S2, day
 * 25 of the billing month, 2024-01-25.
 */
const account: AccountSnapshot = {
  id: "A-1",
  segment: "residential",
  charges: [{ id: "c2024-01", period: "2024-01", dueOn: "2024-01-01", amountMinor: 30000 }],
  payments: [],
  actions: [],
};
const REVIEW = { id: "A-1:limitation_legal_review@c2024-01", kind: "legalReview", audience: "staff", dueOn: "2026-07-05" };
const DUNNING = { id: "A-1:dunning_notice@c2024-01", kind: "dunningNotice", audience: "owner", dueOn: "2024-01-25" };

const brief = (a: PlannedAction) => ({ id: a.id, kind: a.kind, audience: a.audience, dueOn: a.dueOn, plannedOn: a.plannedOn });

async function planned(accounts: AccountSnapshot[], asOf: string): Promise<PlannedAction[]> {
  const out: PlannedAction[] = [];
  for await (const event of plan(memoryLedger(accounts), { asOf })) {
    if (event.type !== "planned") throw new Error(`${event.accountId} skipped: ${event.reason}`);
    out.push(...event.actions);
  }
  return out;
}

describe("the limitation review does not wait for the owner's ladder", () => {
  const residential = builtin("residential");

  it("#14.1 a debt reaching its limitation date gets its staff review, however late the ladder", async () => {
    for (const asOf of ["2026-07-05", "2026-12-20"]) {
      const expected = [
        { ...DUNNING, plannedOn: asOf },
        { ...REVIEW, plannedOn: asOf },
      ];
      const direct = residential.dueActions(account, asOf);
      expect(direct.map(brief), `dueActions on ${asOf}`).toEqual(expected);
      expect(direct[1]!.channels).toEqual(["staffQueue"]); // the policy's channel: nothing reaches the owner
      expect(direct[1]!.because.summary).toContain("limitation period of c2024-01 ends 2027-01-01");
      expect((await planned([account], asOf)).map(brief), `plan() on ${asOf}`).toEqual(expected);
    }
    // The report on the same ledger names the same limitation date, 12 days ahead.
    const report = await buildReport(memoryLedger([account]), { asOf: "2026-12-20" });
    expect(report.limitation.debts).toEqual([expect.objectContaining({ accountId: "A-1", chargeId: "c2024-01", endsOn: "2027-01-01", daysLeft: 12 })]);
  });

  it("#14.1 the review is owed on the 180th day before, not a day sooner, and once", () => {
    expect(residential.dueActions(account, "2026-07-04").map((a) => a.kind)).toEqual(["dunningNotice"]);
    const review = residential.dueActions(account, "2026-07-05").find((a) => a.kind === "legalReview")!;
    const done = { ...account, actions: [record(review, "2026-07-05")] };
    expect(residential.dueActions(done, "2026-12-20").map((a) => a.kind)).toEqual(["dunningNotice"]);
    // Once the limitation date has passed there is nothing left to save: the report lists it as expired.
    expect(residential.dueActions(account, "2027-01-02").map((a) => a.kind)).toEqual(["dunningNotice"]);
  });

  it("#14.1 no hold stops it: it reaches only staff, and the holds in force travel with it", () => {
    const holds: AccountSnapshot["holds"][] = [
      [{ type: "manual", id: "m1", from: "2026-01-01", scope: "legal", reason: "owner in hospital" }],
      [{ type: "manual", id: "m2", from: "2026-01-01", scope: "all", reason: "estate in probate" }],
      [{ type: "dispute", id: "d1", openedOn: "2026-12-01", severity: "minor" }],
    ];
    for (const h of holds) {
      const staff = residential.dueActions({ ...account, holds: h }, "2026-12-20").filter((a) => a.audience === "staff");
      expect(staff.map((a) => a.kind), JSON.stringify(h)).toContain("legalReview");
      expect(staff.find((a) => a.kind === "legalReview")!.because.holds?.join(" ")).toContain(h![0]!.id);
    }
  });

  it("#14.1 a paid charge needs no review; a delivered written demand moves the date three years on", () => {
    const paid = { ...account, payments: [{ id: "p1", on: "2026-06-30", amountMinor: 30000 }] };
    expect(residential.dueActions(paid, "2026-12-20")).toEqual([]);
    // A final notice delivered on 2025-03-10 restarts the period (art. 195): it ends 2028-03-10.
    const demanded = { ...account, actions: [{ id: "A-1:final_notice@c2024-01", stage: "final_notice", on: "2025-03-10", covers: ["final_notice@c2024-01"] }] };
    expect(residential.dueActions(demanded, "2026-12-20").map((a) => a.kind)).not.toContain("legalReview");
  });
});

describe("a filed lawsuit moves the review with the period it interrupts (Civil Code art. 195(3))", () => {
  // The account above, sued on 2026-06-01 under examples/recipes/end-of-the-road.json (the
  // residential ladder with a legalAction stage). Unsued, the period ends 2027-01-01 and the review
  // is owed on 2026-07-05 (above). Filing interrupts it; it runs anew when the proceedings end, so
  // it ends no earlier than 2029-06-01 (a Friday: 2029-01-01 is a Monday and 06-01 is 151 days
  // on), and the review is not owed before 2028-12-03 (180 days earlier).
  const policy = parsePolicy(JSON.parse(readFileSync(new URL("../examples/recipes/end-of-the-road.json", import.meta.url), "utf8")));
  const sued: AccountSnapshot = { ...account, actions: [{ id: "A-1:legal_action@c2024-01", stage: "legal_action", on: "2026-06-01", covers: ["legal_action@c2024-01"] }] };

  it("no review on 2026-07-05 against the interrupted date; the review comes 180 days before the new bound", () => {
    const scheduler = createScheduler(policy);
    expect(scheduler.dueActions(account, "2026-07-05").map((a) => a.kind)).toContain("legalReview");
    expect(scheduler.dueActions(sued, "2026-07-05").map((a) => a.kind)).not.toContain("legalReview");
    expect(scheduler.dueActions(sued, "2028-12-02").map((a) => a.kind)).not.toContain("legalReview");
    const review = scheduler.dueActions(sued, "2028-12-03").find((a) => a.kind === "legalReview");
    expect(review).toMatchObject({ id: "A-1:limitation_legal_review@c2024-01", dueOn: "2028-12-03" });
  });
});
