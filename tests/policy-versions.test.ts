/**
 * Policy changes mid-episode (issue 18, item 1). An estate on the residential built-in (S2's
 * procedure: billing notice on day 1 of the billing month, dunning notice on day 25, final notice
 * on day 25 of the next month, then the arrears ladder by months in arrears) publishes its own
 * 2026.3 on 2026-04-10 while owners are between warnings. Every expected day below is worked out
 * from that ladder text and DOMAIN.md's gap rule ("How ambiguous sentences are read"): a warning
 * is due on its own calendar day; only after one carried out later than it was first owed is the
 * next kept the regular gap (the days between the two calendar days) after its actual day.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it, onTestFinished } from "vitest";
import { builtinPolicySource, createScheduler, memoryLedger, parsePolicy, plan, safeParsePolicy, type AccountSnapshot, type PlanEvent } from "../src/index.js";
import { policyImpact } from "../src/reports/impact.js";
import { spawnCli } from "./helpers.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const residential = builtinPolicySource("residential") as { version: string; stages: Array<Record<string, unknown> & { id: string }> };
const IN_FORCE = parsePolicy(residential);

/** A 2026.3 of the estate: the built-in's stages changed by `stages`, continuing the built-in's version with `continues`. */
function version(stages: (s: typeof residential.stages) => typeof residential.stages, continues?: Record<string, string | null>) {
  return parsePolicy({ ...residential, id: "sunny-court", version: "2026.3", stages: stages(structuredClone(residential.stages)), ...(continues ? { continues: { version: residential.version, stages: continues } } : {}) });
}
const renamed = (from: string, to: string) => (stages: typeof residential.stages) => stages.map((s) => (s.id === from ? { ...s, id: to } : s));

/** March's charge, due 03-01, unpaid; the billing notice went out on its day, the dunning notice on `dunningOn`. */
function between(dunningOn: string): AccountSnapshot {
  return {
    id: "A-1201",
    charges: [{ id: "c-03", period: "2026-03", dueOn: "2026-03-01", amountMinor: 32000 }],
    actions: [
      { id: "A-1201:billing_notice@c-03", stage: "billing_notice", on: "2026-03-01", covers: ["billing_notice@c-03"] },
      { id: "A-1201:dunning_notice@c-03", stage: "dunning_notice", on: dunningOn, covers: ["dunning_notice@c-03"] },
    ],
  };
}
const days = (policy: ReturnType<typeof parsePolicy>, account: AccountSnapshot, from = "2026-04-10", to = "2026-07-08") =>
  createScheduler(policy).forecast(account, from, to).map((a) => `${a.plannedOn} ${a.stage}`);

describe("a renamed stage keeps its recorded actions", () => {
  const next = version(renamed("dunning_notice", "dunning_letter"), { dunning_notice: "dunning_letter" });

  it("an owner between the dunning and the final notice on the change day: no dunning letter again, the final notice on day 25 of the next month", () => {
    // Dunning notice on its own day 03-25 (on time). Next: final notice 04-25; 3 months in arrears
    // from the due date 03-01 the arrears billing notice 06-01; 4 months, the arrears dunning 07-01.
    expect(days(next, between("2026-03-25"))).toEqual(["2026-04-25 final_notice", "2026-06-01 arrears_3m_billing_notice", "2026-07-01 arrears_4m_dunning_notice"]);
    // The same days as under the version in force: a rename changes nothing.
    expect(days(IN_FORCE, between("2026-03-25"))).toEqual(days(next, between("2026-03-25")));
    const [finalNotice] = createScheduler(next).forecast(between("2026-03-25"), "2026-04-10", "2026-04-30");
    expect(finalNotice?.because.after).toEqual({ stage: "dunning_letter", on: "2026-03-25", gapDays: 31 });
  });

  it("every covered key is read alike however many distinct keys the ledger brings: past the 4,096 each policy's reader remembers, renamed keys still count and unknown ones are still refused", () => {
    const s = createScheduler(next);
    for (let i = 0; i < 5_000; i++) {
      const charge = `c-${i}`;
      const account: AccountSnapshot = {
        id: `A-${i}`,
        charges: [{ id: charge, period: "2026-03", dueOn: "2026-03-01", amountMinor: 32000 }],
        actions: [
          { id: `A-${i}:billing_notice@${charge}`, stage: "billing_notice", on: "2026-03-01", covers: [`billing_notice@${charge}`] },
          { id: `A-${i}:dunning_notice@${charge}`, stage: "dunning_notice", on: "2026-03-25", covers: [`dunning_notice@${charge}`] },
        ],
      };
      // The dunning notice, recorded under its old name, counts: the final notice is next on 04-25, no dunning letter again.
      expect(s.dueActions(account, "2026-04-25").map((a) => a.stage)).toEqual(["final_notice"]);
      const unknown = { ...account, actions: [account.actions![0]!, { ...account.actions![1]!, covers: [`dunning_notice@${charge}`, `door_notice@${charge}`] }] };
      expect(() => s.dueActions(unknown, "2026-04-25")).toThrow(/actions\[1\]\.covers\[1\]/);
    }
  });

  it("the gap counts from the day the warning was actually carried out: a dunning notice late on 03-28 puts the final notice 31 days after it", () => {
    // First owed 03-25, carried out 03-28: late, so the regular gap 03-25 → 04-25 (31 days) is
    // kept after 03-28: 04-28.
    expect(days(next, between("2026-03-28")).slice(0, 1)).toEqual(["2026-04-28 final_notice"]);
  });

  it("the recorded id alone (no covers) is read the same way", () => {
    const account = between("2026-03-25");
    const bare = { ...account, actions: account.actions!.map(({ covers: _covers, ...a }) => a) };
    expect(days(next, bare)[0]).toBe("2026-04-25 final_notice");
  });
});

describe("a removed stage is handled as the new version says", () => {
  // 2026.3 replaces the door-posted dunning notice by a phone call on day 20 of the billing month.
  const call = (stages: typeof residential.stages) =>
    stages.map((s) => (s.id === "dunning_notice" ? { id: "dunning_call", kind: "phoneCall", title: "电话催缴", channels: ["phone"], trigger: { type: "billingMonthDay", monthOffset: 0, day: 20 }, source: "estate decision 2026.3" } : s));

  it("counted as its successor: no call, and the final notice kept the new regular gap (20th → 25th of the next month, 36 days) after the notice's day", () => {
    // The call was first owed 03-20; the dunning notice, counted as it, went out 03-25: late by the
    // new text, so the final notice waits 36 days after 03-25: 04-30.
    const next = version(call, { dunning_notice: "dunning_call" });
    expect(days(next, between("2026-03-25"), "2026-04-10", "2026-05-31")).toEqual(["2026-04-30 final_notice"]);
  });

  it("counted as nothing: the call is owed on the change day, and the final notice 36 days after it", () => {
    // The call (first owed 03-20) was never made: caught up on 04-10; late, so the final notice
    // is kept 36 days after it: 05-16.
    const next = version(call, { dunning_notice: null });
    expect(days(next, between("2026-03-25"), "2026-04-10", "2026-05-31")).toEqual(["2026-04-10 dunning_call", "2026-05-16 final_notice"]);
  });
});

describe("a changed deadline", () => {
  // 2026.3: the final notice on day 20 of the next month, and 10 days to pay instead of 15.
  const next = version((stages) => stages.map((s) => (s.id === "final_notice" ? { ...s, trigger: { type: "billingMonthDay", monthOffset: 1, day: 20 }, deadlineDays: 10 } : s)));

  it("an owner between warnings gets the final notice on the new day with the new deadline", () => {
    const [notice] = createScheduler(next).forecast(between("2026-03-25"), "2026-04-10", "2026-04-30");
    // Dunning on time (03-25): the final notice on its own day 04-20, pay by 04-30 (a Thursday, a working day).
    expect([notice?.plannedOn, notice?.stage, notice?.deadlineOn]).toEqual(["2026-04-20", "final_notice", "2026-04-30"]);
  });

  it("impact lists it as moved, 04-25 → 04-20, and the two arrears steps as unchanged", () => {
    const r = policyImpact(IN_FORCE, next, [between("2026-03-25")], { asOf: "2026-04-10" });
    expect(r.through).toBe("2026-07-08"); // 90 days, 04-10 included
    expect(r.accounts).toEqual([{ accountId: "A-1201", added: [], removed: [], moved: [{ key: "final_notice@c-03", stage: "final_notice", kind: "finalNotice", from: "2026-04-25", to: "2026-04-20" }], unchanged: 2 }]);
    expect(r.totals).toEqual({ accounts: 1, changed: 1, added: 0, removed: 0, moved: 1, unchanged: 2, skipped: 0 });
  });
});

describe("impact of an added stage and of a rename", () => {
  it("a phone call 6 days after due (S1: first dunning 5–7 days after due) is added for May's charge, on 05-07", () => {
    const courtesy = { id: "courtesy_call", kind: "phoneCall", title: "电话催缴", channels: ["phone"], trigger: { type: "dueDate", offsetDays: 6 }, source: "S1" };
    const next = version((stages) => [stages[0]!, courtesy, ...stages.slice(1)]);
    const may: AccountSnapshot = { id: "B-2", charges: [{ id: "c-05", period: "2026-05", dueOn: "2026-05-01", amountMinor: 30000 }] };
    const r = policyImpact(IN_FORCE, next, [may], { asOf: "2026-04-10", days: 60 });
    expect(r.accounts[0]?.added).toEqual([{ key: "courtesy_call@c-05", stage: "courtesy_call", kind: "phoneCall", on: "2026-05-07" }]);
    expect(r.accounts[0]?.removed).toEqual([]);
  });

  it("a rename alone changes nothing: the same warnings on the same days", () => {
    const next = version(renamed("final_notice", "final_demand"), { final_notice: "final_demand" });
    const r = policyImpact(IN_FORCE, next, [between("2026-03-25")], { asOf: "2026-04-10" });
    expect(r.totals).toMatchObject({ changed: 0, added: 0, removed: 0, moved: 0, unchanged: 3 });
  });
});

describe("nothing silent", () => {
  it("a recorded stage that neither the policy nor its continues names is reported for its account; the others are planned", async () => {
    const next = version(renamed("dunning_notice", "dunning_letter")); // forgot "continues"
    const other: AccountSnapshot = { id: "B-2", charges: [{ id: "c-04", period: "2026-04", dueOn: "2026-04-01", amountMinor: 30000 }] };
    const events: PlanEvent[] = [];
    for await (const e of plan(memoryLedger([between("2026-03-25"), other]), { asOf: "2026-04-10", policy: { residential: next } })) events.push(e);
    expect(events.map((e) => [e.accountId, e.type])).toEqual([
      ["A-1201", "skipped"],
      ["B-2", "planned"],
    ]);
    const skipped = events[0] as Extract<PlanEvent, { type: "skipped" }>;
    expect(skipped.issues).toEqual([{ code: "unknown_stage", path: "actions[1].stage", message: expect.stringContaining('"dunning_notice"') }]);
    // Without the report the dunning letter would go out again, caught up on the change day.
    expect(() => createScheduler(next).dueActions(between("2026-03-25"), "2026-04-10")).toThrow(/dunning_notice/);
  });

  it("validate names a mapping to a stage that does not exist, and an older id that is still a stage", () => {
    const bad = { ...residential, id: "sunny-court", version: "2026.3", continues: { version: "2026.2", stages: { door_notice: "dunning_letter", final_notice: null } } };
    const r = safeParsePolicy(bad);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.issues.map((i) => [i.code, i.path])).toEqual([
      ["unknown_stage", "continues.stages.door_notice"],
      ["continued_stage_kept", "continues.stages.final_notice"],
    ]);
  });
});

describe("docs/recipes.md, Publishing a new policy version", () => {
  const recipes = readFileSync(join(root, "docs/recipes.md"), "utf8");
  const section = recipes.slice(recipes.indexOf("## Publishing a new policy version"));
  const command = /```sh\n(property-dunning impact [^\n]*)\n```/.exec(section)?.[1];

  it("the impact command runs as printed and prints what the recipe shows", () => {
    expect(command).toBeDefined();
    const r = spawnCli(process.execPath, [join(root, "dist/cli.js"), ...command!.split(/\s+/).slice(1)], { cwd: root, encoding: "utf8" });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    const printed = /```text\n([\s\S]*?)```/.exec(section)?.[1];
    expect(r.stdout).toBe(printed);
    // By hand from the two texts: each final notice moves from day 25 to day 20 of the month after
    // its charge's (G-0101 04-25 → 04-20, G-0102 05-25 → 05-20, G-0103 06-25 → 06-20); G-0103's
    // pre-due reminder (due 05-01 − 7 = 04-24) is gone; the calls made under 2026.1 count as
    // 2026.2's courtesy call, so none is added.
    expect(r.stdout).toMatch(/G-0101 +moved +final_notice +finalNotice +2026-04-25 +2026-04-20/);
    expect(r.stdout).toMatch(/G-0102 +moved +final_notice +finalNotice +2026-05-25 +2026-05-20/);
    expect(r.stdout).toMatch(/G-0103 +removed +pre_due_reminder +reminder +2026-04-24/);
    expect(r.stdout).toMatch(/G-0103 +moved +final_notice +finalNotice +2026-06-25 +2026-06-20/);
    expect(r.stdout).toContain("Totals: 3 accounts compared, 3 changed; 0 added, 1 removed, 3 moved, 7 unchanged");
  });

  it("exit 3 with the account named when a recorded stage is unknown to the new version; 2 for a bad --days", () => {
    const args = command!.split(/\s+/).slice(1);
    const to = args.indexOf("--to") + 1;
    const r = spawnCli(process.execPath, [join(root, "dist/cli.js"), ...args.slice(0, to), "examples/green-garden.json", ...args.slice(to + 1)], { cwd: root, encoding: "utf8" });
    expect(r.status).toBe(0); // the same text on both sides: nothing changes
    expect(r.stdout).toContain("Nothing changes.");
    const noMap = spawnCli(process.execPath, [join(root, "dist/cli.js"), ...args.slice(0, to), "residential", ...args.slice(to + 1)], { cwd: root, encoding: "utf8" });
    expect(noMap.status).toBe(3);
    expect(noMap.stderr).toMatch(/skipped G-0101: actions\[0\]\.stage: recorded stage "pre_due_reminder" is not a stage of residential/);
    const bad = spawnCli(process.execPath, [join(root, "dist/cli.js"), ...args, "--days", "ninety"], { cwd: root, encoding: "utf8" });
    expect(bad.status).toBe(2);
  });

  it("ledger text is escaped as plan escapes it: an account id with a terminal escape and a bidi override stays one visible line", () => {
    const dir = mkdtempSync(join(tmpdir(), "pd-impact-"));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const id = "G-9\u001b[2J\u202e";
    const ledger = join(dir, "ledger.json");
    writeFileSync(ledger, JSON.stringify({ accounts: [{ id, segment: "residential", charges: [{ id: "2026-05", period: "2026-05", dueOn: "2026-05-01", amountMinor: 30000 }] }, { id: `${id}x`, charges: [{ id: "c", period: "2026-03", dueOn: "2026-03-01", amountMinor: 1 }], actions: [{ id: "a", stage: "gone", on: "2026-03-02" }] }] }));
    const args = command!.split(/\s+/).slice(1).map((a) => (a === "examples/recipes/green-garden-ledger.json" ? ledger : a));
    const table = spawnCli(process.execPath, [join(root, "dist/cli.js"), ...args], { cwd: root, encoding: "utf8" });
    expect(table.status).toBe(3); // the second account's "gone" is named by neither version
    expect(table.stdout).toContain("G-9\\x1b[2J\\u202e  moved");
    expect(table.stderr).toContain('skipped G-9\\x1b[2J\\u202ex: actions[0].stage: recorded stage "gone"');
    for (const text of [table.stdout, table.stderr]) expect(text).not.toMatch(/[\u001b\u202e]/);
    const json = spawnCli(process.execPath, [join(root, "dist/cli.js"), ...args, "--format", "json"], { cwd: root, encoding: "utf8" });
    expect(json.stdout).not.toMatch(/[\u001b\u202e]/);
    expect((JSON.parse(json.stdout) as { accounts: { accountId: string }[] }).accounts[0]?.accountId).toBe(id);
  });
});

/**
 * A version with `residualLateFee` (issue 18, item 5): its steps are stages the scheduler plans
 * and recorded actions name, and it plans accounts whose principal is paid, so those accounts'
 * actions are read in this version's terms too. The fee (built-in clause, 0.05% a day, Civil Code
 * art. 201): March's 320.00 due 03-01 and paid 04-01 was late 03-02..03-31, 30 days × 0.16 = 4.80.
 */
describe("what remains after the principal, across versions", () => {
  const REMINDER = { id: "late_fee_reminder", kind: "reminder", channels: ["sms"], daysAfterPrincipalPaid: 7 };
  const CALL = { id: "late_fee_call", kind: "phoneCall", channels: ["phone"], daysAfterPrincipalPaid: 30 };
  const withResidual = (extra: Record<string, unknown>) => ({ ...residential, id: "sunny-court", version: "2026.3", residualLateFee: { reminders: [REMINDER, CALL] }, ...extra });
  const paidUp = (actions: AccountSnapshot["actions"], paidOn = "2026-04-01"): AccountSnapshot => ({
    ...between("2026-03-25"),
    payments: [{ id: "p1", on: paidOn, amountMinor: 32000 }],
    actions,
  });
  const smsOf2026_2 = [{ id: "A-1201:fee_sms@c-03", stage: "fee_sms", on: "2026-04-08" }];

  it("validate accepts a residual step as what an older step became, and refuses listing a step the version still has", () => {
    expect(safeParsePolicy(withResidual({ continues: { version: "2026.2", stages: { fee_sms: "late_fee_reminder" } } })).ok).toBe(true);
    const kept = safeParsePolicy(withResidual({ continues: { version: "2026.2", stages: { late_fee_reminder: null } } }));
    expect(kept.ok ? [] : kept.issues.map((i) => [i.code, i.path])).toEqual([["continued_stage_kept", "continues.stages.late_fee_reminder"]]);
  });

  it("a renamed reminder recorded under the older id is not sent again: the next step comes on its day", () => {
    const s = createScheduler(parsePolicy(withResidual({ continues: { version: "2026.2", stages: { fee_sms: "late_fee_reminder" } } })));
    expect(s.dueActions(paidUp(smsOf2026_2), "2026-04-20")).toEqual([]);
    // 30 days after 04-01: 05-01, the call, with the 4.80 left.
    expect(s.dueActions(paidUp(smsOf2026_2), "2026-05-01").map((a) => [a.stage, a.lateFeeMinor])).toEqual([["late_fee_call", 480]]);
  });

  it("a paid-up account whose record names a step nothing names is refused (unknown_stage), as one that still owes principal is", () => {
    const s = createScheduler(parsePolicy(withResidual({})));
    expect(() => s.dueActions(paidUp(smsOf2026_2), "2026-04-20")).toThrow(/"fee_sms"/);
    expect(() => s.forecast(paidUp(smsOf2026_2), "2026-04-20", "2026-05-31")).toThrow(/"fee_sms"/);
    // Without residualLateFee nothing is planned for a paid-up account: its log is not read (SQL ledgers do not hand it over).
    expect(createScheduler(IN_FORCE).dueActions(paidUp(smsOf2026_2), "2026-04-20")).toEqual([]);
  });

  it("a notice recorded under a renamed stage counts for the clause's waiver: paid 7 days after it, a 3-day waiver does not apply and 4.80 is chased", () => {
    const lateFee = { ...(residential as unknown as { lateFee: Record<string, unknown> }).lateFee, waivers: [{ type: "paidWithinDaysOfNotice", days: 3, stageKinds: ["dunningNotice"] }] };
    const p = parsePolicy(withResidual({ lateFee, stages: renamed("dunning_notice", "payment_demand")(structuredClone(residential.stages)), continues: { version: residential.version, stages: { dunning_notice: "payment_demand" } } }));
    const s = createScheduler(p);
    const notified = between("2026-03-25").actions;
    expect(s.dueActions(paidUp(notified), "2026-04-08").map((a) => [a.stage, a.lateFeeMinor])).toEqual([["late_fee_reminder", 480]]);
    // Paid 2 days after the notice (03-27): waived, nothing left to chase.
    expect(s.forecast(paidUp(notified, "2026-03-27"), "2026-03-27", "2026-06-30")).toEqual([]);
  });
});
