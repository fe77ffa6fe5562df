/** The checks on hand-made runs: each flags the run it exists for and passes a fair one. */
import { describe, expect, it } from "vitest";
import { builtinPolicySource } from "../rules/builtins.js";
import { parsePolicy } from "../rules/parse.js";
import type { AccountSnapshot } from "../ledger/account.js";
import type { PlannedAction } from "../schedule/ladder/action.js";
import { createScheduler } from "../schedule/ladder/scheduler.js";
import { compilePolicy } from "../schedule/ladder/compile.js";
import { escalation, ladderOrder, onePerDay, paidMeansQuiet, privacy } from "./checks.js";
import { addDays, balancesOn, ladders, simulationWindow } from "./ledger.js";
import { renderTimeline } from "./timeline.js";

const policy = parsePolicy(builtinPolicySource("residential"));
const scheduler = createScheduler(policy);
const account: AccountSnapshot = {
  id: "A-1",
  segment: "residential",
  charges: [
    { id: "c0", period: "2026-03", dueOn: "2026-03-01", amountMinor: 30000 },
    { id: "c1", period: "2026-04", dueOn: "2026-04-01", amountMinor: 30000 },
  ],
  payments: [{ id: "p0", on: "2026-04-10", amountMinor: 40000 }],
};
const fair = scheduler.forecast(account, "2026-02-28", "2026-08-31");
const run = (actions: readonly PlannedAction[], a: AccountSnapshot = account) => ({ policy, account: a, actions });
const find = (stage: string, charge = "c0") => fair.find((a) => a.covers.some((c) => c.key === `${stage}@${charge}`))!;
const moved = (a: PlannedAction, plannedOn: string) => ({ ...a, plannedOn });

describe("ledger arithmetic", () => {
  it("pays the oldest charge first and counts a payment from its day", () => {
    expect(balancesOn(account, "2026-04-01").overdueMinor).toBe(30000);
    expect(balancesOn(account, "2026-04-09").overdueMinor).toBe(60000);
    const after = balancesOn(account, "2026-04-10");
    expect([after.unpaid.get("c0"), after.unpaid.get("c1"), after.overdueMinor, after.unpaidMinor]).toEqual([0, 20000, 20000, 20000]);
  });

  it("reads the ladders the way the README states them", () => {
    const lad = ladders(policy);
    expect(lad.get("final_notice")).toMatchObject({ ladder: "charge", pred: "dunning_notice" });
    expect(lad.get("dunning_notice")?.pred).toBeUndefined();
    expect(lad.get("arrears_12m_lawyer_letter")).toMatchObject({ ladder: "arrears", pred: "arrears_6m_final_notice" });
  });

  it("a stage that follows another climbs that stage's ladder after it; a limitation stage follows nothing", () => {
    const custom = parsePolicy({
      extends: "residential",
      id: "follow-up",
      version: "1",
      stages: [
        { id: "arrears_visit", kind: "homeVisit", title: "上门拜访", channels: ["homeVisit"], trigger: { type: "afterStage", stage: "arrears_6m_final_notice", days: 10 } }, // S2: home visits for long-term non-payers
        { id: "limitation_review", kind: "legalReview", title: "诉讼时效复核", channels: ["staffQueue"], trigger: { type: "beforeLimitation", days: 180 } },
      ],
    });
    const lad = ladders(custom);
    expect(lad.get("arrears_visit")).toMatchObject({ ladder: "arrears", pred: "arrears_6m_final_notice" });
    expect(lad.get("limitation_review")).toMatchObject({ ladder: "limitation", pred: undefined });
  });

  it("the kit's ladders are the compiler's (one rule: placeInLadder)", () => {
    for (const id of ["residential", "commercial"] as const) {
      const p = parsePolicy(builtinPolicySource(id));
      const compiled = compilePolicy(p).stages.filter((s) => s.ladder !== "hold");
      const lad = ladders(p);
      expect(compiled.map((s) => [s.id, s.ladder, s.pred < 0 ? undefined : compiled[s.pred]!.id])).toEqual(p.stages.map((s) => [s.id, lad.get(s.id)!.ladder, lad.get(s.id)!.pred]));
    }
  });

  it("plans from before the first billing month to past the last arrears step", () => {
    const w = simulationWindow(policy, account);
    expect(w.from < "2026-03-01").toBe(true);
    expect(w.to > "2027-04-01").toBe(true);
  });
});

describe("checks", () => {
  it("a fair run passes every check", () => {
    for (const check of [paidMeansQuiet, ladderOrder, escalation, privacy, onePerDay]) expect(check(run(fair))).toBeUndefined();
  });

  it("paid means quiet: flags dunning on the due date and after payment", () => {
    const dunning = find("dunning_notice");
    expect(paidMeansQuiet(run([moved(dunning, "2026-03-01")]))?.error).toMatch(/nothing was overdue that day/);
    // c0 is overdue on 03-20, but c1 falls due only on 04-01.
    expect(paidMeansQuiet(run([moved(find("dunning_notice", "c1"), "2026-03-20")]))?.error).toMatch(/on or before charge c1's due date 2026-04-01/);
    expect(paidMeansQuiet(run([moved(dunning, "2026-04-12")]))?.error).toMatch(/paid by then/);
  });

  it("order: flags a skipped warning and a lawyer's letter before the demand's deadline passed", () => {
    expect(ladderOrder(run([find("final_notice", "c1")]))?.error).toMatch(/skipped/);
    const legal = parsePolicy({
      extends: "commercial",
      id: "legal",
      version: "1",
      stages: [{ id: "lawyer_letter", kind: "lawyerLetter", channels: ["expressMail"], trigger: { type: "afterStage", stage: "final_notice", days: 30 } }],
    });
    const one: AccountSnapshot = { id: "B-1", charges: [{ id: "c0", period: "2026-03", dueOn: "2026-03-01", amountMinor: 100 }] };
    const actions = createScheduler(legal).forecast(one, "2026-02-28", "2026-07-31");
    const final = actions.find((a) => a.kind === "finalNotice")!;
    const lawyer = actions.find((a) => a.kind === "lawyerLetter")!;
    expect(ladderOrder({ policy: legal, account: one, actions })).toBeUndefined();
    const early = actions.map((a) => (a === lawyer ? moved(a, addDays(final.plannedOn, 1)) : a));
    expect(ladderOrder({ policy: legal, account: one, actions: early })?.error).toMatch(/without a written demand/);
  });

  it("escalation: flags a milder step after a harsher one, and a demand without a lighter warning", () => {
    const [dunning, final] = [find("dunning_notice", "c1"), find("final_notice", "c1")];
    expect(escalation(run([dunning, moved(final, "2026-05-20"), moved(dunning, "2026-06-01")]))?.error).toMatch(/dunning_notice \(dunningNotice\) on 2026-06-01 after the harsher final_notice .*: the ladder went backwards/);
    expect(escalation(run([final]))?.error).toMatch(/without any lighter warning/);
    expect(escalation(run([dunning, final]))).toBeUndefined();
  });

  it("privacy and one a day", () => {
    const dunning = find("dunning_notice");
    expect(privacy(run([{ ...dunning, kind: "lawyerLetter" }]))?.error).toMatch(/doorPosting/);
    expect(onePerDay(run([dunning, { ...dunning, id: "x", covers: [] }]))?.error).toMatch(/two owner-facing/);
    expect(onePerDay(run([dunning, moved(dunning, "2026-03-30")]))?.error).toMatch(/twice/);
  });
});

describe("timeline", () => {
  it("one line per day with a charge, payment or action, the failing day marked", () => {
    const text = renderTimeline(account, fair, { mark: "2026-03-25" });
    expect(text.split("\n")[0]).toBe("account A-1 · residential");
    expect(text).toMatch(/^ {2}2026-03-01 {2}c0 \(2026-03\) falls due 300\.00 · billingNotice via doorPosting\+sms \[billing_notice@c0\]/m);
    expect(text).toMatch(/^> 2026-03-25 {2}dunningNotice via doorPosting\+sms, overdue 300\.00(, late fee [\d.]+)? \[dunning_notice@c0\] {2}\| overdue 300\.00 of 600\.00$/m);
    expect(text).toMatch(/2026-04-10 {2}paid 400\.00 \(p0\)/);
  });
});
