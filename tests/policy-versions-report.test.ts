/**
 * `report` under a new policy version (issue 18, item 1): it reads the recorded actions as `plan`
 * does, through the version's `continues`, so that the two agree. The estate of
 * policy-versions.test.ts: on the residential built-in (S2: billing notice on day 1, dunning
 * notice on day 25, final notice on day 25 of the next month), it publishes 2026.3 on 2026-04-10,
 * renaming the door-posted dunning notice to a dunning letter; the end-of-the-road recipe
 * (examples/recipes/end-of-the-road.json) renames its hand-over to an agency the same way.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it, onTestFinished } from "vitest";
import { builtinPolicySource, memoryLedger, parsePolicy, plan, type AccountSnapshot, type HoldSnapshot, type PlanEvent, type Policy } from "../src/index.js";
import { buildReport } from "../src/reports/report.js";
import { spawnCli } from "./helpers.js";

const root = fileURLToPath(new URL("..", import.meta.url));
type Source = { version: string; stages: Array<Record<string, unknown> & { id: string; trigger: Record<string, unknown> }> };
const residential = builtinPolicySource("residential") as Source;

/** `source` as the estate's 2026.3: stage `from` renamed `to` (and every trigger that follows it), continuing `source`'s version when `continued`. */
function renamed(source: Source, from: string, to: string, continued = true): Policy {
  const stages = structuredClone(source.stages).map((s) => ({ ...(s.id === from ? { ...s, id: to } : s), trigger: s.trigger.stage === from ? { ...s.trigger, stage: to } : s.trigger }));
  return parsePolicy({ ...source, id: "sunny-court", version: "2026.3", stages, ...(continued ? { continues: { version: source.version, stages: { [from]: to } } } : {}) });
}
const NEXT = renamed(residential, "dunning_notice", "dunning_letter");

/** March's charge, due 03-01, unpaid; the billing notice on its day, the dunning notice on its day 03-25 (recorded under the built-in's id). */
const between = (holds: HoldSnapshot[] = []): AccountSnapshot => ({
  id: "A-1201",
  charges: [{ id: "c-03", period: "2026-03", dueOn: "2026-03-01", amountMinor: 32000 }],
  actions: [
    { id: "A-1201:billing_notice@c-03", stage: "billing_notice", on: "2026-03-01", covers: ["billing_notice@c-03"] },
    { id: "A-1201:dunning_notice@c-03", stage: "dunning_notice", on: "2026-03-25", covers: ["dunning_notice@c-03"] },
  ],
  holds,
});

async function planned(accounts: AccountSnapshot[], policy: Policy, asOf: string): Promise<PlanEvent[]> {
  const events: PlanEvent[] = [];
  for await (const e of plan(memoryLedger(accounts), { asOf, policy: { residential: policy } })) events.push(e);
  return events;
}

describe("the review of actions inside a backdated hold", () => {
  it("a dispute opened 03-20, entered 04-08: the dunning letter of 03-25 is listed under its stage now, as plan lists it, not as a stage the policy lacks", async () => {
    // A dispute holds everything that presses for payment: a dunning notice does.
    const dispute: HoldSnapshot = { type: "dispute", id: "d1", openedOn: "2026-03-20", severity: "major", recordedOn: "2026-04-08" };
    const report = await buildReport(memoryLedger([between([dispute])]), { asOf: "2026-04-10", policy: { residential: NEXT } });
    expect(report.review.map((r) => [r.actionId, r.stage, r.on, r.holdId])).toEqual([["A-1201:dunning_notice@c-03", "dunning_letter", "2026-03-25", "d1"]]);
    expect(report.review[0]!.message).not.toMatch(/has no stage/);
    const [event] = await planned([between([dispute])], NEXT, "2026-04-10");
    expect(event?.type === "planned" ? event.review : undefined).toEqual(report.review);
  });

  it("a manual hold of legal steps (scope legal) from 03-20: a dunning letter is no legal step, so nothing is for review, in report as in plan", async () => {
    const legal: HoldSnapshot = { type: "manual", id: "m1", from: "2026-03-20", scope: "legal", reason: "owner in hospital", recordedOn: "2026-04-08" };
    const report = await buildReport(memoryLedger([between([legal])]), { asOf: "2026-04-10", policy: { residential: NEXT } });
    expect(report.review).toEqual([]);
    const [event] = await planned([between([legal])], NEXT, "2026-04-10");
    expect(event).toMatchObject({ type: "planned", review: [] });
  });
});

describe("accounts by the stage of their last action", () => {
  it("the last warning, the dunning notice of 03-25, counts as the dunning letter it is called now; no stage without a kind", async () => {
    const report = await buildReport(memoryLedger([between()]), { asOf: "2026-04-10", policy: { residential: NEXT } });
    const counted = report.stages.filter((s) => s.accounts > 0);
    expect(counted.map((s) => [s.stage, s.kind, s.accounts, s.overdueMinor])).toEqual([["dunning_letter", "dunningNotice", 1, 32000]]);
  });
});

describe("debts near their limitation date", () => {
  it("a final notice recorded under the old id is the written demand that restarted the period (art. 195): 2023-10-26 + 3 years", async () => {
    // 300.00 due 2023-09-01, never paid: three years from the due date (art. 188) would end
    // 2026-09-01; the final notice, a written demand delivered on 2023-10-26, restarts the period
    // from that day: it ends 2026-10-26, a Monday.
    const next = renamed(residential, "final_notice", "final_demand");
    const debt: AccountSnapshot = {
      id: "C-7",
      charges: [{ id: "c2023-09", period: "2023-09", dueOn: "2023-09-01", amountMinor: 30000 }],
      actions: [{ id: "C-7:final_notice@c2023-09", stage: "final_notice", on: "2023-10-26", covers: ["final_notice@c2023-09"] }],
    };
    const report = await buildReport(memoryLedger([debt]), { asOf: "2026-04-01", policy: { residential: next }, limitationWithinDays: 365 });
    expect(report.limitation.debts.map((d) => [d.accountId, d.chargeId, d.endsOn])).toEqual([["C-7", "c2023-09", "2026-10-26"]]);
  });
});

describe("accounts at the end of the road", () => {
  const recipe = JSON.parse(readFileSync(join(root, "examples/recipes/end-of-the-road.json"), "utf8")) as Source;
  // A small debt (300.00 due 2023-09-01) through S2's steps, the lawyer's letter, and handed to an
  // agency on 2026-01-10: an account at the end of the road (collectionAgency) until it pays.
  const handedOver: AccountSnapshot = {
    id: "B-1",
    charges: [{ id: "c2023-09", period: "2023-09", dueOn: "2023-09-01", amountMinor: 30000 }],
    actions: [
      { id: "B-1:billing_notice@c2023-09", stage: "billing_notice", on: "2023-09-01" },
      { id: "B-1:dunning_notice@c2023-09", stage: "dunning_notice", on: "2023-09-25" },
      { id: "B-1:arrears_12m_lawyer_letter@c2023-09", stage: "arrears_12m_lawyer_letter", on: "2025-12-10" },
      { id: "B-1:collection_agency@c2023-09", stage: "collection_agency", on: "2026-01-10" },
    ],
  };

  it("a hand-over recorded under the stage's old id counts as handed to an agency under the version that renames it", async () => {
    const next = renamed(recipe, "collection_agency", "agency_handover");
    expect(next.stages.some((s) => s.id === "agency_handover" && s.kind === "collectionAgency")).toBe(true);
    const report = await buildReport(memoryLedger([handedOver]), { asOf: "2026-04-01", policy: { residential: next } });
    expect(report.terminal.map((t) => [t.state, t.accounts, t.overdueMinor])).toEqual([
      ["collectionAgency", 1, 30000],
      ["legalAction", 0, 0],
      ["writtenOff", 0, 0],
    ]);
  });
});

describe("a recorded stage no version names: report skips the account as plan does", () => {
  const forgot = renamed(residential, "dunning_notice", "dunning_letter", false);
  const other: AccountSnapshot = { id: "B-2", charges: [{ id: "c-04", period: "2026-04", dueOn: "2026-04-01", amountMinor: 30000 }] };

  it("the same code and path, the other account reported", async () => {
    const report = await buildReport(memoryLedger([between(), other]), { asOf: "2026-04-10", policy: { residential: forgot } });
    // The dunning notice is the second recorded action (actions[1]); 2026.3 neither has it nor says what it became.
    expect(report.skipped.map((s) => [s.accountId, s.issues.map((i) => [i.code, i.path])])).toEqual([["A-1201", [["unknown_stage", "actions[1].stage"]]]]);
    expect(report.accounts).toMatchObject({ read: 2, reported: 1, skipped: 1 });
    const [event] = await planned([between(), other], forgot, "2026-04-10");
    expect(event?.type === "skipped" ? event.issues : undefined).toEqual(report.skipped[0]!.issues);
  });

  it("the report command: exit 3, and the account's line on stderr is plan's", () => {
    const dir = mkdtempSync(join(tmpdir(), "pd-versions-report-"));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const ledger = join(dir, "ledger.json");
    const policy = join(dir, "sunny-court.json");
    writeFileSync(ledger, JSON.stringify({ accounts: [between(), other] }));
    writeFileSync(policy, JSON.stringify(forgot));
    const run = (...args: string[]) => spawnCli(process.execPath, [join(root, "dist/cli.js"), ...args, "--ledger", ledger, "--as-of", "2026-04-10", "--policy", policy], { cwd: root });
    const report = run("report");
    const planRun = run("plan");
    expect(report.status).toBe(3);
    expect(planRun.status).toBe(3);
    const line = (stderr: string) => stderr.split("\n").filter((l) => l.includes("A-1201"));
    expect(line(report.stderr)).toHaveLength(1);
    expect(line(report.stderr)[0]).toMatch(/actions\[1\]\.stage: recorded stage "dunning_notice" is not a stage of sunny-court 2026\.3/);
    expect(line(report.stderr)).toEqual(line(planRun.stderr));
  });
});
