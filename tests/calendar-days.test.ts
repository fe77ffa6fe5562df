/**
 * Calendar days, and when a gap applies (issue 18 item 6), planned the way a vendor's nightly job
 * plans: day by day with `dueActions`, each action recorded on the day it is planned.
 *
 * The rule (DOMAIN.md, "How ambiguous sentences are read", decided 2026-12-06): S2's days are
 * calendar days ("当月25日", "次月25日", "次月5日"). A warning is due on its own day; one whose day
 * falls on or before the charge's due date is first owed the day after the due date, and that is
 * not lateness. Only when the warning before it was carried out later than it was first owed
 * (planning started late, a hold, a wait for a working day, a cap) is the next one also kept the
 * regular gap (the days between the two stages' own days) after the day it was actually carried out.
 *
 * Every expected day is derived by hand: DOMAIN.md's worked examples, S2's residential ladder
 * (day 25, next month's 25th) and commercial ladder (day 25, next 5th, next 13th), the 2026 State
 * Council calendar (DOMAIN.md) and the built-ins' contact rules (src/rules/contact.ts: home visits
 * on working days only, at most one visit in 7 days). The same examples as forecasts are in
 * src/schedule/time/calendar-days.test.ts.
 */
import { describe, expect, it } from "vitest";
import { parsePolicy } from "../src/rules/parse.js";
import { createScheduler } from "../src/schedule/ladder/scheduler.js";
import type { AccountSnapshot } from "../src/ledger/account.js";
import { builtin, oneCharge, runDaily } from "./helpers.js";

const residential = builtin("residential");
const commercial = builtin("commercial");

const charge = (period: string, dueOn: string): Partial<AccountSnapshot> => ({ charges: [{ id: "c1", period, dueOn, amountMinor: 30000 }] });
/** `plannedOn stage` of each action, and of each stage instance it covers beside its own. */
const days = (actions: readonly { plannedOn: string; stage: string }[]) => actions.map((a) => `${a.plannedOn} ${a.stage}`);
const warnings = (actions: readonly { plannedOn: string; stage: string; audience: string }[]) => days(actions.filter((a) => a.audience === "owner" && a.stage !== "billing_notice"));

describe("a warning first owed the day after its due date is not late (DOMAIN.md's examples)", () => {
  it("residential, due 2026-03-31: dunning notice 04-01, final notice on S2's 04-25 (not 05-02)", () => {
    // Day 25 of March is before the due date: the dunning notice is first owed on 04-01, on time.
    // The final notice keeps its own day, next month's 25th: 24 days after, not 31.
    const actions = runDaily(residential, oneCharge(charge("2026-03", "2026-03-31")), "2026-03-01", "2026-05-31");
    expect(warnings(actions)).toEqual(["2026-04-01 dunning_notice", "2026-04-25 final_notice"]);
    const final = actions.find((a) => a.stage === "final_notice")!;
    expect(final.dueOn).toBe("2026-04-25");
    expect(final.because.after).toEqual({ stage: "dunning_notice", on: "2026-04-01", gapDays: 24 });
  });

  it("residential, due 2026-02-28: dunning notice 03-01, final notice on S2's 03-25 (not 03-29)", () => {
    // 02-25 is before the due date: first owed 03-01. 03-01 → 03-25 is 24 days; 02-25 → 03-25 is 28.
    const actions = runDaily(residential, oneCharge(charge("2026-02", "2026-02-28")), "2026-02-01", "2026-04-30");
    expect(warnings(actions)).toEqual(["2026-03-01 dunning_notice", "2026-03-25 final_notice"]);
  });

  it("residential, due 2026-03-01 (the regular timeline): 03-25 and 04-25, each on its own day", () => {
    expect(warnings(runDaily(residential, oneCharge(), "2026-02-20", "2026-05-31"))).toEqual(["2026-03-25 dunning_notice", "2026-04-25 final_notice"]);
  });

  it("commercial, due 2026-03-31: dunning 04-01, then S2's next 5th and next 13th (04-05, 04-13)", () => {
    // Day 25 of March falls before the due date: first owed 04-01. The next month's 5th and 13th
    // are each after the day before them was carried out: no stage moves.
    const actions = runDaily(commercial, oneCharge({ segment: "commercial", ...charge("2026-03", "2026-03-31") }), "2026-03-01", "2026-05-31");
    expect(warnings(actions)).toEqual(["2026-04-01 dunning_notice", "2026-04-05 second_dunning_notice", "2026-04-13 final_notice"]);
  });

  it("commercial, due 2026-02-28: dunning 03-01, then 03-05 and 03-13", () => {
    const actions = runDaily(commercial, oneCharge({ segment: "commercial", ...charge("2026-02", "2026-02-28") }), "2026-02-01", "2026-04-30");
    expect(warnings(actions)).toEqual(["2026-03-01 dunning_notice", "2026-03-05 second_dunning_notice", "2026-03-13 final_notice"]);
  });
});

describe("after a late warning the next keeps the regular gap after the day it was actually carried out", () => {
  it("planning first run on 05-10 for a charge due 03-01: dunning 05-10, final notice 31 days later (06-10)", () => {
    // Regular gap: 03-25 → 04-25 is 31 days. The bill is covered by the dunning notice.
    const actions = runDaily(residential, oneCharge(), "2026-05-10", "2026-06-30");
    expect(days(actions.filter((a) => a.kind !== "billingNotice"))).toEqual(["2026-05-10 dunning_notice", "2026-06-10 final_notice"]);
    expect(actions[0]!.covers.map((c) => c.stage)).toEqual(["billing_notice", "dunning_notice"]);
  });

  it("planning first run on 04-10 for a charge due 03-31: the dunning notice (first owed 04-01) is late, the final notice comes 31 days after it (05-11)", () => {
    // 03-25 → 04-25 is 31 days: the spacing of S2's own days, after the day actually carried out.
    // (Up to 06-29: three months in arrears, on 06-30, starts the arrears ladder.)
    const actions = runDaily(residential, oneCharge(charge("2026-03", "2026-03-31")), "2026-04-10", "2026-06-29");
    expect(warnings(actions)).toEqual(["2026-04-10 dunning_notice", "2026-05-11 final_notice"]);
  });

  it("a dispute holds the dunning notice: resolved 04-03, dunning 04-03, final notice 31 days after (05-04), not 04-25", () => {
    const account = oneCharge({ holds: [{ type: "dispute", id: "d1", openedOn: "2026-03-24", severity: "minor", resolvedOn: "2026-04-03" }] });
    const actions = runDaily(residential, account, "2026-02-20", "2026-05-31");
    // While open (03-24 up to its resolution on 04-03) nothing dunning-class reaches the owner.
    const dunning = actions.find((a) => a.stage === "dunning_notice")!;
    expect(dunning.plannedOn).toBe("2026-04-03");
    expect(warnings(actions)).toEqual(["2026-04-03 dunning_notice", "2026-05-04 final_notice"]);
    expect(actions.find((a) => a.stage === "final_notice")!.because.after).toEqual({ stage: "dunning_notice", on: "2026-04-03", gapDays: 31 });
  });

  it("a protected owner's visit waits for a working day: dunning Saturday 04-25 → Monday 04-27, final notice 30 days after (05-27), two days after S2's 05-25", () => {
    // Residential built-in, an elderly owner: the door posting becomes a home visit, working days only.
    // 2026-04-25 is a Saturday (not a make-up working day); 04-25 → 05-25 is 30 days.
    const elderly = oneCharge({ owner: { name: "李建国", tags: ["elderly"] }, ...charge("2026-04", "2026-04-01") });
    const actions = runDaily(residential, elderly, "2026-03-25", "2026-06-30");
    expect(warnings(actions)).toEqual(["2026-04-27 dunning_notice", "2026-05-27 final_notice"]);
    expect(actions.find((a) => a.stage === "dunning_notice")!.channels).toEqual(["homeVisit", "sms"]);
    // The same charge without the protection: S2's own days.
    expect(warnings(runDaily(residential, oneCharge(charge("2026-04", "2026-04-01")), "2026-03-25", "2026-06-30"))).toEqual(["2026-04-25 dunning_notice", "2026-05-25 final_notice"]);
  });

  it("a cap makes the dunning visit late: a visit on 06-22 caps visits until 06-29; final notice 30 days after (07-29)", () => {
    // An estate that visits instead of posting. The built-in cap: at most one home visit in 7 days,
    // so a visit on Monday 06-22 leaves the next free on Monday 06-29. 06-25 → 07-25 is 30 days.
    const visits = createScheduler(
      parsePolicy({
        extends: "residential",
        id: "visits",
        version: "1",
        stages: [
          { id: "dunning_notice", channels: ["homeVisit"] },
          { id: "final_notice", channels: ["homeVisit"] },
        ],
      }),
    );
    const account = oneCharge({
      ...charge("2026-06", "2026-06-01"),
      actions: [{ id: "A-1201:billing_notice@c1", stage: "billing_notice", on: "2026-06-22", channels: ["homeVisit"] }],
    });
    const actions = runDaily(visits, account, "2026-06-02", "2026-08-31");
    expect(warnings(actions)).toEqual(["2026-06-29 dunning_notice", "2026-07-29 final_notice"]);
    // Without the visit of 06-22 the dunning visit is on time: the final notice keeps its own day,
    // Saturday 07-25, and the visit waits for Monday 07-27.
    expect(warnings(runDaily(visits, oneCharge(charge("2026-06", "2026-06-01")), "2026-05-31", "2026-08-31"))).toEqual(["2026-06-25 dunning_notice", "2026-07-27 final_notice"]);
  });

  it("a warning recorded late (carried out 04-03 though due 03-25) moves the next one; recorded on time it does not", () => {
    const recorded = (on: string) => oneCharge({ actions: [{ id: "A-1201:dunning_notice@c1", stage: "dunning_notice", on, covers: ["billing_notice@c1", "dunning_notice@c1"] }] });
    // Late: 04-03 + 31 = 05-04.
    expect(residential.dueActions(recorded("2026-04-03"), "2026-05-03")).toEqual([]);
    expect(residential.dueActions(recorded("2026-04-03"), "2026-05-04").map((a) => [a.stage, a.dueOn])).toEqual([["final_notice", "2026-05-04"]]);
    // On time: the final notice on its own day.
    expect(residential.dueActions(recorded("2026-03-25"), "2026-04-25").map((a) => [a.stage, a.dueOn])).toEqual([["final_notice", "2026-04-25"]]);
  });

  it("a stated gap (minGapDays) is kept even after a warning on time", () => {
    const spaced = createScheduler(parsePolicy({ extends: "residential", id: "spaced", version: "1", stages: [{ id: "final_notice", minGapDays: 40 }] }));
    // Dunning on its own day 03-25; 03-25 + 40 days = 05-04.
    expect(warnings(runDaily(spaced, oneCharge(), "2026-02-20", "2026-05-31"))).toEqual(["2026-03-25 dunning_notice", "2026-05-04 final_notice"]);
  });
});
