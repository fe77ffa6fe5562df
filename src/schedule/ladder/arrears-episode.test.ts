/**
 * An arrears episode's ladder never goes back (DOMAIN.md: escalation; S2's 3, 4, 6 and 12 months
 * in order). A warning owed on an older charge while this one was overdue counts for this debt
 * too; the lighter steps before it are passed, not sent after it or after the steps that follow.
 *
 * The account is the counterexample `verify` found for the getting-started policy (seed
 * 902282541, shrunk): c4's six-month final notice (2025-01-07) was owed while c9 was overdue, so
 * it counted for c9's episode and the lawyer's letter followed it (2025-11-03); c4's four-month
 * notice had been owed before c9 fell due, so c9's own four-month dunning notice was still
 * missing, and went out three days after the lawyer's letter.
 */
import { describe, expect, it } from "vitest";
import { parsePolicy } from "../../rules/parse.js";
import { escalation, ladderOrder } from "../../testing/checks.js";
import { addDays } from "../../testing/ledger.js";
import { createScheduler } from "./scheduler.js";

/** The getting-started policy's stages (README: my-estate.json). */
const MY_ESTATE_STAGES = [
  { id: "pre_due_reminder", kind: "reminder", title: "温馨提示", channels: ["wechat"], trigger: { type: "dueDate", offsetDays: -7 }, insertAfter: "billing_notice" },
  { id: "final_notice", deadlineDays: 10 },
];
const policy = parsePolicy({ extends: "residential", id: "my-estate", version: "2026.1", stages: MY_ESTATE_STAGES });

const account = {
  id: "A-1",
  segment: "residential" as const,
  owner: { name: "王芳", tags: ["hardship"] },
  charges: [
    ["c0", "2024-02", 1],
    ["c1", "2024-03", 1],
    ["c2", "2024-04", 642],
    ["c3", "2024-05", 0],
    ["c4", "2024-06", 43148],
    ["c5", "2024-07", 353816],
    ["c6", "2024-08", 397104],
    ["c7", "2024-09", 290002],
    ["c8", "2024-10", 1],
    ["c9", "2024-11", 1],
    ["c10", "2024-12", 1],
    ["c11", "2025-01", 0],
    ["c12", "2025-02", 141455],
    ["c13", "2025-03", 479935],
    ["c14", "2025-04", 71594],
    ["c15", "2025-05", 247709],
    ["c16", "2025-06", 314722],
    ["c17", "2025-07", 1],
    ["c18", "2025-08", 1],
    ["c19", "2025-09", 1],
    ["c20", "2025-10", 1]
  ].map(([id, period, amountMinor]) => ({ id: id as string, period: period as string, dueOn: `${period}-01`, amountMinor: amountMinor as number })),
  payments: [["p5", "2024-07-01", 353], ["p7", "2024-09-01", 290], ["p8", "2024-10-02", 1], ["p12", "2025-04-03", 123914], ["p13", "2025-03-01", 338354], ["p14", "2025-04-01", 58993], ["p15", "2025-05-01", 248087], ["p16", "2025-06-01", 314722], ["p19", "2025-10-01", 1]].map(([id, on, amountMinor]) => ({ id: id as string, on: on as string, amountMinor: amountMinor as number })),
};

describe("an arrears episode's ladder", () => {
  it("never sends a lighter step after a harsher one that counts for the same debt", () => {
    const actions = createScheduler(policy).forecast(account, "2024-01-24", "2026-01-24");
    const c9 = actions.flatMap((a) => a.covers.filter((c) => c.key.endsWith("@c9") && c.stage.startsWith("arrears_")).map((c) => `${a.plannedOn} ${c.stage}`));
    // c4's six-month final notice went out while c9 was overdue: c9's episode goes on from there.
    expect(actions.some((a) => a.plannedOn === "2025-01-07" && a.covers.some((c) => c.key === "arrears_6m_final_notice@c4"))).toBe(true);
    // S2: the letter twelve months after c9 fell due (2025-11-01, a Saturday; express mail goes on working days: Monday 11-03);
    // the three- and four-month steps are passed, not sent before or after it.
    expect(c9).toEqual(["2025-11-03 arrears_12m_lawyer_letter"]);
    expect(escalation({ policy, account, actions })).toBeUndefined();
    // Passing the lighter steps skips no warning the lawyer's letter needs: its predecessor went out after c9 fell due.
    expect(ladderOrder({ policy, account, actions })).toBeUndefined();
  });

  it("passes a branch that follows a passed step with it: a follow-up to a notice never sent would come after a harsher one", () => {
    // A home visit ten days after the four-month notice, listed last: a branch, since the six-month
    // notice still follows the four-month one (an arrearsMonths stage follows the arrears stage listed before it).
    const visit = { id: "arrears_4m_visit", kind: "homeVisit", title: "上门沟通", channels: ["homeVisit"], trigger: { type: "afterStage", stage: "arrears_4m_dunning_notice", days: 10 } };
    const withVisit = parsePolicy({ extends: "residential", id: "my-estate-visits", version: "2026.1", stages: [...MY_ESTATE_STAGES, visit] });
    const actions = createScheduler(withVisit).forecast(account, "2024-01-24", "2026-01-24");
    const sent = (stage: string) => actions.flatMap((a) => a.covers.filter((c) => c.stage === stage).map((c) => ({ anchor: c.key.split("@")[1]!, on: a.plannedOn })));
    const notices = sent("arrears_4m_dunning_notice");
    const visits = sent("arrears_4m_visit");
    // Where an episode sent its four-month notice, the visit follows it ten days later (the branch is
    // live), or on the next working day: visits are made on working days (both fall on a weekend here) …
    expect(notices.length).toBeGreaterThan(0);
    expect(visits.map((v) => v.anchor)).toEqual(notices.map((n) => n.anchor));
    visits.forEach((v, i) => expect(v.on >= addDays(notices[i]!.on, 10) && v.on <= addDays(notices[i]!.on, 12), `${v.anchor}: visit ${v.on}, notice ${notices[i]!.on}`).toBe(true));
    // … while c9's episode passed its four-month notice, as above (an older charge's six-month notice
    // counted for it): no visit about a notice c9 never had, which would come after the harsher one.
    expect(sent("arrears_12m_lawyer_letter").map((x) => x.anchor)).toEqual(["c9"]);
    expect(notices.map((n) => n.anchor)).not.toContain("c9");
    expect(visits.map((n) => n.anchor)).not.toContain("c9");
    expect(escalation({ policy: withVisit, account, actions })).toBeUndefined();
    expect(ladderOrder({ policy: withVisit, account, actions })).toBeUndefined();
  });
});
