/**
 * `report` with a policy per estate (issue 18, item 2's leftover): each account is judged by the
 * policy `plan()` gives it (its estate's for its segment, else the segment's), and the stages
 * section shows each estate's own ladder in its own order, keyed by estate and segment.
 *
 * Two estates of one group, report day 2026-05-10 (a Sunday; nothing here waits for a working day):
 * - east-lake follows the residential built-in (S2): billing notice on day 1, dunning notice on
 *   day 25 of the billing month, final notice on day 25 of the next month; 3, 4, 6 and 12
 *   months in arrears: billing notice, dunning notice, final notice, lawyer's letter.
 * - west-hill's own policy (WEST_HILL below): the same, with a phone call 5 days after the dunning
 *   notice (S1: the first dunning "by phone or visit"), the final notice renamed `final_demand`,
 *   and the end of the road: a hand-over to a collection agency 30 days after the lawyer's letter.
 * - X-1 names a third estate, north-gate, that no policy covers.
 *
 * Expected, from the rows below (each account owes one charge, never paid):
 * - stages, east-lake (the built-in's order): final_notice E-1 (300.00); dunning_notice E-2
 *   (280.00) and E-4 (200.00): 2 accounts, 480.00; every other stage 0. E-3 paid: not in arrears.
 * - stages, west-hill (its order: billing_notice, dunning_notice, phone_follow_up, final_demand,
 *   then the arrears ladder with collection_agency after the lawyer's letter, then the
 *   limitation review): phone_follow_up W-1 (300.00); final_demand W-2 (260.00) and W-4
 *   (200.00): 2, 460.00; collection_agency W-3 (300.00).
 * - terminal: W-3, the agency recorded 2026-02-02 and no payment since: collectionAgency 1, 300.00.
 *   (east-lake's built-in names no terminal stage; the section is there because west-hill's does.)
 * - limitation (3 years, art. 188; a delivered written demand restarts it, art. 195):
 *   E-4's June 2023 charge had a dunning notice only (no written demand): 2023-06-01 + 3 years
 *   = 2026-06-01, a Monday, 22 days after 05-10. W-4's had west-hill's final_demand (a final
 *   notice: a written demand) on 2023-07-27: 2026-07-27, a Monday, 78 days (21 + 30 + 27).
 * - review: W-1's dispute opened 03-28 and entered on 04-02; its phone call of 03-30 presses for
 *   payment inside it.
 * - skipped: X-1 (`no_policy` at `estate`).
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { memoryLedger } from "../src/adapters/memory.js";
import type { AccountSnapshot } from "../src/ledger/account.js";
import { builtinPolicySource } from "../src/rules/builtins.js";
import { parsePolicy } from "../src/rules/parse.js";
import { buildReport, type Report } from "../src/reports/report.js";
import { runCli } from "./helpers.js";

const AS_OF = "2026-05-10";
type Stage = Record<string, unknown> & { id: string };
const residentialSource = builtinPolicySource("residential") as { stages: Stage[] } & Record<string, unknown>;

/** West-hill's policy, written out in full: the built-in's stages with a call, a renamed final notice and an agency. */
const WEST_HILL_SOURCE = (() => {
  const stages: Stage[] = [];
  for (const s of structuredClone(residentialSource.stages)) {
    stages.push(s.id === "final_notice" ? { ...s, id: "final_demand" } : s);
    if (s.id === "dunning_notice")
      stages.push({ id: "phone_follow_up", kind: "phoneCall", channels: ["phone"], trigger: { type: "afterStage", stage: "dunning_notice", days: 5 }, source: "S1: the first dunning 5-7 days after due, by phone or visit" });
    if (s.id === "arrears_12m_lawyer_letter")
      stages.push({ id: "collection_agency", kind: "collectionAgency", channels: ["staffQueue"], trigger: { type: "afterStage", stage: "arrears_12m_lawyer_letter", days: 30 }, source: "Estate practice: a person hands the account to an agency" });
  }
  return { ...residentialSource, id: "west-hill", version: "2026.1", name: "West hill", stages };
})();
const WEST_HILL = parsePolicy(WEST_HILL_SOURCE);
const BUILTIN = parsePolicy(builtinPolicySource("residential"));

const done = (account: string, charge: string) => (stage: string, on: string) => ({ id: `${account}:${stage}@${charge}`, stage, on });
function owes(id: string, estate: string, charge: { id: string; period: string; amountMinor: number }, actions: [string, string][], extra: Partial<AccountSnapshot> = {}): AccountSnapshot {
  const d = done(id, charge.id);
  return { id, estate, segment: "residential", charges: [{ ...charge, dueOn: `${charge.period}-01` }], actions: actions.map(([s, on]) => d(s, on)), ...extra };
}
const march = (amountMinor: number) => ({ id: "c-2026-03", period: "2026-03", amountMinor });
const june2023 = { id: "c-2023-06", period: "2023-06", amountMinor: 20000 };

const ACCOUNTS: AccountSnapshot[] = [
  owes("E-1", "east-lake", march(30000), [["billing_notice", "2026-03-01"], ["dunning_notice", "2026-03-25"], ["final_notice", "2026-04-25"]]),
  owes("E-2", "east-lake", march(28000), [["billing_notice", "2026-03-01"], ["dunning_notice", "2026-03-25"]]),
  owes("E-3", "east-lake", march(30000), [["billing_notice", "2026-03-01"]], { payments: [{ id: "p-e3", on: "2026-03-10", amountMinor: 30000 }] }),
  owes("E-4", "east-lake", june2023, [["dunning_notice", "2023-06-25"]]),
  owes("W-1", "west-hill", march(30000), [["billing_notice", "2026-03-01"], ["dunning_notice", "2026-03-25"], ["phone_follow_up", "2026-03-30"]], {
    holds: [{ type: "dispute", id: "d-1", openedOn: "2026-03-28", severity: "minor", recordedOn: "2026-04-02" }],
  }),
  owes("W-2", "west-hill", march(26000), [["billing_notice", "2026-03-01"], ["dunning_notice", "2026-03-25"], ["phone_follow_up", "2026-03-30"], ["final_demand", "2026-04-25"]]),
  owes("W-3", "west-hill", { id: "c-2025-01", period: "2025-01", amountMinor: 30000 }, [
    ["billing_notice", "2025-01-01"],
    ["dunning_notice", "2025-01-25"],
    ["phone_follow_up", "2025-01-30"],
    ["final_demand", "2025-02-25"],
    ["arrears_3m_billing_notice", "2025-04-01"],
    ["arrears_4m_dunning_notice", "2025-05-01"],
    ["arrears_6m_final_notice", "2025-07-01"],
    ["arrears_12m_lawyer_letter", "2026-01-02"],
    ["collection_agency", "2026-02-02"],
  ]),
  owes("W-4", "west-hill", june2023, [["final_demand", "2023-07-27"]]),
  owes("X-1", "north-gate", march(25000), []),
];

const counted = (report: Report) => report.stages.filter((s) => s.accounts > 0).map((s) => [s.estate ?? "-", s.stage, s.accounts, s.overdueMinor]);

describe("report with a policy per estate (library)", () => {
  const estates = { "east-lake": { residential: BUILTIN }, "west-hill": { residential: WEST_HILL } };

  it("counts each account at its last stage in its own estate's ladder, in that ladder's order", async () => {
    const report = await buildReport(memoryLedger(ACCOUNTS), { asOf: AS_OF, estates });
    expect(counted(report)).toEqual([
      ["east-lake", "dunning_notice", 2, 48000],
      ["east-lake", "final_notice", 1, 30000],
      ["west-hill", "phone_follow_up", 1, 30000],
      ["west-hill", "final_demand", 2, 46000],
      ["west-hill", "collection_agency", 1, 30000],
    ]);
    // West-hill's whole ladder, every stage shown, the call after the dunning notice and the agency after the lawyer's letter.
    expect(report.stages.filter((s) => s.estate === "west-hill").map((s) => s.stage)).toEqual([
      "billing_notice",
      "dunning_notice",
      "phone_follow_up",
      "final_demand",
      "arrears_3m_billing_notice",
      "arrears_4m_dunning_notice",
      "arrears_6m_final_notice",
      "arrears_12m_lawyer_letter",
      "collection_agency",
      "limitation_legal_review",
    ]);
    expect(report.stages.filter((s) => s.estate === "east-lake").map((s) => s.stage)).toEqual(BUILTIN.stages.map((s) => s.id));
    expect(report.stages.every((s) => s.segment === "residential" && s.kind !== null)).toBe(true);
  });

  it("terminal states, limitation dates and the review are each judged by the account's own policy; an estate with no policy is skipped", async () => {
    const report = await buildReport(memoryLedger(ACCOUNTS), { asOf: AS_OF, estates });
    expect(report.terminal.map((t) => [t.state, t.accounts, t.overdueMinor])).toEqual([
      ["collectionAgency", 1, 30000],
      ["legalAction", 0, 0],
      ["writtenOff", 0, 0],
    ]);
    expect(report.limitation.debts.map((d) => [d.accountId, d.endsOn, d.daysLeft])).toEqual([
      ["E-4", "2026-06-01", 22],
      ["W-4", "2026-07-27", 78],
    ]);
    expect(report.review.map((r) => [r.accountId, r.stage, r.on, r.holdId])).toEqual([["W-1", "phone_follow_up", "2026-03-30", "d-1"]]);
    expect(report.skipped.map((s) => [s.accountId, s.issues.map((i) => `${i.code} ${i.path}`)])).toEqual([["X-1", ["no_policy estate"]]]);
    expect(report.accounts).toMatchObject({ read: 9, skipped: 1, withOverdue: 7, overdueMinor: 30000 + 28000 + 20000 + 30000 + 26000 + 30000 + 20000 });
  });

  it("an estate that follows the segment's policy shares the segment's rows: with the built-in for every residential unit, east-lake and north-gate are counted under `residential`", async () => {
    const report = await buildReport(memoryLedger(ACCOUNTS), { asOf: AS_OF, policy: { residential: BUILTIN }, estates: { "west-hill": { residential: WEST_HILL } } });
    expect(report.skipped).toEqual([]);
    expect(counted(report)).toEqual([
      ["-", "dunning_notice", 2, 48000],
      ["-", "final_notice", 1, 30000],
      ["west-hill", "phone_follow_up", 1, 30000],
      ["west-hill", "final_demand", 2, 46000],
      ["west-hill", "collection_agency", 1, 30000],
    ]);
    expect(report.neverActioned).toEqual({ accounts: 1, overdueMinor: 25000 });
  });
});

describe("report --policy <estate>/<segment>=<file> (CLI)", () => {
  let dir: string;
  let args: string[];
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "pd-report-estates-"));
    await writeFile(join(dir, "ledger.json"), JSON.stringify({ accounts: ACCOUNTS }));
    await writeFile(join(dir, "west-hill.json"), JSON.stringify(WEST_HILL_SOURCE));
    args = ["report", "--ledger", join(dir, "ledger.json"), "--as-of", AS_OF, "--policy", "east-lake/residential=residential", "--policy", `west-hill/residential=${join(dir, "west-hill.json")}`];
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it("is accepted (no longer a usage error): the JSON report keys each stage row by estate and segment; X-1 is skipped, exit 3", async () => {
    const r = await runCli(...args, "--format", "json");
    expect(r.code).toBe(3);
    expect(r.err).toMatch(/skipped X-1: estate: estate "north-gate" has no policy/);
    const report = JSON.parse(r.out) as Report;
    expect(counted(report)).toEqual([
      ["east-lake", "dunning_notice", 2, 48000],
      ["east-lake", "final_notice", 1, 30000],
      ["west-hill", "phone_follow_up", 1, 30000],
      ["west-hill", "final_demand", 2, 46000],
      ["west-hill", "collection_agency", 1, 30000],
    ]);
  });

  it("the table and the CSV name each group by estate and segment, in English and in Chinese", async () => {
    const table = await runCli(...args, "--section", "stages");
    expect(table.out).toMatch(/estate west-hill, residential · each charge\s+phone_follow_up\s+phone call\s+1\s+300\.00/);
    expect(table.out).toMatch(/estate east-lake, residential · each charge\s+final_notice\s+final notice\s+1\s+300\.00/);
    const csv = await runCli(...args, "--format", "csv", "--section", "stages", "--lang", "zh-CN");
    const lines = csv.out.split("\r\n");
    expect(lines[0]).toBe("流程,阶段,类型,户数,逾期金额");
    expect(lines).toContain("项目 west-hill 住宅 · 单笔费用,final_demand,限期缴费通知书,2,460.00");
    expect(lines).toContain("项目 west-hill 住宅 · 长期欠费,collection_agency,委托催收,1,300.00");
    expect(lines).toContain("项目 east-lake 住宅 · 单笔费用,dunning_notice,催费通知书,2,480.00");
  });

  it("the HTML page heads each estate's ladder with its estate and segment", async () => {
    const html = await runCli(...args, "--format", "html");
    expect(html.out).toContain('<tr class="ladder"><th colspan="5">estate west-hill, residential · each charge</th></tr>');
    expect(html.out).toContain('<tr class="ladder"><th colspan="5">estate east-lake, residential · arrears</th></tr>');
  });
});
