/**
 * The end of the road (issue 18, item 4): terminal stages a policy can name, each decided by a
 * person: a hand-over to a collection agency, a lawsuit or arbitration, a write-off. Expected
 * values come from the domain, not from the program:
 *
 * - Civil Code art. 944: the estate must demand payment in writing, with a reasonable deadline,
 *   before suing or going to arbitration. A policy that lists no written demand before its
 *   lawsuit is refused; the lawsuit itself waits for a written demand recorded as delivered,
 *   and for its deadline (art. 203: a deadline on a rest day ends on the next working day).
 * - After a terminal stage the ladder says nothing more to the owner. DOMAIN.md: "An internal
 *   staff action never waits for the owner's ladder": the staff's review before a limitation date
 *   still comes (a person checks the case before the claim expires).
 * - A write-off ends the debt it writes off: nothing at all, not even that review, for the
 *   charges overdue on the day of the write-off.
 * - Reopening: a payment received on a LATER day than the last terminal action (any amount: it
 *   is the owner acknowledging the debt, art. 195, and a person must look again; a payment the
 *   same day was known when the step was decided), or a person's record of the reserved stage
 *   `reopen`. The ladder then resumes where it stood.
 *
 * The policy is examples/recipes/end-of-the-road.json: S2's residential ladder, then 30 days after
 * the lawyer's letter a collection agency for debts under 5,000.00 or a lawsuit for larger ones,
 * and a write-off 180 days after the hand-over to an agency.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { memoryLedger } from "../src/adapters/memory.js";
import { buildReport } from "../src/reports/report.js";
import { formatReport } from "../src/reports/format.js";
import { parsePolicy, safeParsePolicy } from "../src/rules/parse.js";
import type { AccountSnapshot, RecordedAction } from "../src/ledger/account.js";
import type { PlannedAction } from "../src/schedule/ladder/action.js";
import { createScheduler, type Scheduler } from "../src/schedule/ladder/scheduler.js";
import { checkPolicy } from "../src/testing/invariants.js";
import type { Policy } from "../src/rules/schema.js";
import { record } from "./helpers.js";

const policy = parsePolicy(JSON.parse(readFileSync(new URL("../examples/recipes/end-of-the-road.json", import.meta.url), "utf8")));
const scheduler = createScheduler(policy);

const done = (account: string, stage: string, anchor: string, on: string): RecordedAction => ({ id: `${account}:${stage}@${anchor}`, stage, on });
const kinds = (actions: readonly PlannedAction[]) => actions.map((a) => `${a.audience} ${a.kind}`);
const ownerFacing = (actions: readonly PlannedAction[]) => actions.filter((a) => a.audience === "owner");

/**
 * A large debt: one charge of 6,000.00 for 2025-01, due 2025-01-01, never paid. The estate
 * recorded S2's steps but no written demand: neither final notice went out (an estate that
 * skipped them), and the lawyer's letter went on 2026-01-05. The lawsuit is due 30 days after
 * the letter, 2026-02-04, but may not go before a written demand.
 */
const large = (id: string): AccountSnapshot => ({
  id,
  segment: "residential",
  charges: [{ id: "c1", period: "2025-01", dueOn: "2025-01-01", amountMinor: 600000 }],
  payments: [],
  actions: [
    done(id, "billing_notice", "c1", "2025-01-01"),
    done(id, "dunning_notice", "c1", "2025-01-25"),
    done(id, "arrears_3m_billing_notice", "c1", "2025-04-01"),
    done(id, "arrears_4m_dunning_notice", "c1", "2025-05-01"),
    done(id, "arrears_12m_lawyer_letter", "c1", "2026-01-05"),
  ],
});
const LARGE = large("A-1");

/** The large debt once the written demand went out on 2026-02-04 and the lawsuit was filed on 2026-02-25, with a new month billed after it. */
function suedOn(extra: Partial<AccountSnapshot> = {}, id = "A-1"): AccountSnapshot {
  const account = large(id);
  const [demand] = scheduler.dueActions(account, "2026-02-04");
  return {
    ...account,
    charges: [...account.charges, { id: "c2026-03", period: "2026-03", dueOn: "2026-03-01", amountMinor: 30000 }],
    actions: [...account.actions!, record(demand!, "2026-02-04"), done(id, "legal_action", "c1", "2026-02-25")],
    ...extra,
  };
}

/**
 * A small debt: 300.00 for 2023-09, due 2023-09-01, never paid, no written demand ever
 * delivered (so nothing restarted the limitation period, art. 195). It ends 2026-09-01 (art.
 * 188, three years, the start day not counted), a Tuesday; the residential review is due 180
 * days before: 2026-03-05. The account was handed to an agency on 2026-01-10.
 */
const small = (id: string): AccountSnapshot => ({
  id,
  segment: "residential",
  charges: [{ id: "c2023-09", period: "2023-09", dueOn: "2023-09-01", amountMinor: 30000 }],
  payments: [],
  actions: [
    done(id, "billing_notice", "c2023-09", "2023-09-01"),
    done(id, "dunning_notice", "c2023-09", "2023-09-25"),
    done(id, "arrears_3m_billing_notice", "c2023-09", "2023-12-01"),
    done(id, "arrears_4m_dunning_notice", "c2023-09", "2024-01-01"),
  ],
});
const SMALL = small("B-1");
const handedOver = (id = "B-1", writtenOffOn?: string): AccountSnapshot => {
  const account = small(id);
  const more = [done(id, "collection_agency", "c2023-09", "2026-01-10"), ...(writtenOffOn ? [done(id, "write_off", "c2023-09", writtenOffOn)] : [])];
  return { ...account, actions: [...account.actions!, ...more] };
};

describe("validate: a lawsuit or arbitration only after a written demand (Civil Code art. 944)", () => {
  it("the example policy, with S2's final notices before its lawsuit, is valid", () => {
    expect(policy.stages.map((s) => s.kind).slice(-3)).toEqual(["collectionAgency", "legalAction", "writeOff"]);
  });

  it("refuses a lawsuit listed before any written demand, at its place", () => {
    // Inserted after the dunning notice: S2's first written demand, the final notice, comes after it.
    const r = safeParsePolicy({
      extends: "residential",
      id: "too-early",
      version: "1",
      stages: [{ id: "early_suit", kind: "legalAction", channels: ["staffQueue"], trigger: { type: "dueDate", offsetDays: 60 }, insertAfter: "dunning_notice" }],
    });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.issues).toHaveLength(1);
    expect(r.issues[0]).toMatchObject({ code: "court_before_demand", path: "stages[0].kind" });
    expect(r.issues[0]!.message).toMatch(/written demand/);
    expect(r.issues[0]!.message).toMatch(/944/);
  });

  it("refuses it in a complete policy with no written demand at all", () => {
    const r = safeParsePolicy({
      id: "no-demand",
      version: "1",
      timeZone: "Asia/Shanghai",
      currency: { code: "CNY", minorDigits: 2 },
      billingCycle: { rrule: "FREQ=MONTHLY;BYMONTHDAY=1" },
      stages: [
        { id: "dunning_notice", kind: "dunningNotice", channels: ["sms"], trigger: { type: "dueDate", offsetDays: 10 } },
        { id: "arbitration", kind: "legalAction", channels: ["staffQueue"], trigger: { type: "arrearsMonths", months: 6 } },
      ],
    });
    expect(r.ok ? [] : r.issues.map((i) => `${i.code} ${i.path}`)).toEqual(["court_before_demand stages[1].kind"]);
  });

  it("refuses a terminal stage before the limitation date, and the reserved stage id `reopen`", () => {
    const r = safeParsePolicy({
      extends: "residential",
      id: "odd-ends",
      version: "1",
      stages: [
        { id: "reopen", kind: "staffFollowUp", channels: ["staffQueue"], trigger: { type: "dueDate", offsetDays: 1 } },
        { id: "late_write_off", kind: "writeOff", channels: ["staffQueue"], trigger: { type: "beforeLimitation", days: 30 } },
      ],
    });
    expect(r.ok ? [] : r.issues.map((i) => `${i.code} ${i.path}`)).toEqual(["reserved_stage stages[0].id", "terminal_trigger stages[1].trigger"]);
  });
});

describe("a lawsuit waits for a written demand recorded as delivered, and its deadline", () => {
  it("30 days after the lawyer's letter, without a demand delivered: only the demand that is owed, no lawsuit", () => {
    const actions = scheduler.dueActions(LARGE, "2026-02-04");
    expect(kinds(actions)).toEqual(["owner finalNotice"]);
  });

  it("the demand delivered on 2026-02-04 gives 15 days: 02-19 falls in the Spring Festival rest (02-15..23), so the deadline is 02-24 and the lawsuit 02-25", () => {
    const [demand] = scheduler.dueActions(LARGE, "2026-02-04");
    const account = { ...LARGE, actions: [...LARGE.actions!, record(demand!, "2026-02-04")] };
    expect(scheduler.dueActions(account, "2026-02-24")).toEqual([]);
    const [suit, ...rest] = scheduler.dueActions(account, "2026-02-25");
    expect(rest).toEqual([]);
    expect(suit).toMatchObject({ kind: "legalAction", stage: "legal_action", audience: "staff", requiresReview: true, channels: ["staffQueue"] });
    expect(suit!.because.demand).toEqual({ stage: demand!.stage, on: "2026-02-04", deadlineOn: "2026-02-24" });
  });

  it("an open dispute holds it like the owner's ladder (S2, S3: a dispute is verified before collection presses on)", () => {
    const [demand] = scheduler.dueActions(LARGE, "2026-02-04");
    const disputed: AccountSnapshot = {
      ...LARGE,
      actions: [...LARGE.actions!, record(demand!, "2026-02-04")],
      holds: [{ type: "dispute", id: "d1", openedOn: "2026-02-20", severity: "major" }],
    };
    // A major dispute's follow-up is due 10 days after it opened (S2), not yet.
    expect(scheduler.dueActions(disputed, "2026-02-25")).toEqual([]);
  });
});

describe("after a terminal stage, nothing more reaches the owner until reopened", () => {
  it("the lawsuit filed: the new month's billing notice is not sent (it is without the lawsuit)", () => {
    const withoutSuit = { ...suedOn(), actions: suedOn().actions!.filter((a) => a.stage !== "legal_action") };
    expect(ownerFacing(scheduler.dueActions(withoutSuit, "2026-03-01")).map((a) => a.kind)).toEqual(["billingNotice"]);
    expect(scheduler.dueActions(suedOn(), "2026-03-01")).toEqual([]);
  });

  it("forecast: the rest of 2026 holds nothing for the owner (S2 would send a dunning notice on 03-25 and a final notice on 04-25)", () => {
    expect(ownerFacing(scheduler.forecast(suedOn(), "2026-02-26", "2026-12-31"))).toEqual([]);
  });

  it("the staff's review before a limitation date still comes: it never waits for the owner's ladder (DOMAIN.md)", () => {
    // Without the hand-over, the owner's ladder catches up with a final notice the same day.
    expect(kinds(scheduler.dueActions(SMALL, "2026-03-05"))).toEqual(["owner finalNotice", "staff legalReview"]);
    expect(kinds(scheduler.dueActions(handedOver(), "2026-03-05"))).toEqual(["staff legalReview"]);
    expect(scheduler.dueActions(handedOver(), "2026-03-04")).toEqual([]);
  });

  it("a write-off stops everything for the written-off charges, the review included", () => {
    const writtenOff = handedOver("B-1", "2026-02-10");
    expect(scheduler.dueActions(writtenOff, "2026-03-05")).toEqual([]);
    expect(scheduler.forecast(writtenOff, "2026-02-11", "2026-09-01")).toEqual([]);
  });

  it("a part payment on a later day does not reopen it: 100.00 of the 6,000.00 sued for leaves the owner's ladder stopped", () => {
    const partly = suedOn({ payments: [{ id: "p1", on: "2026-03-10", amountMinor: 10000 }] });
    expect(ownerFacing(scheduler.forecast(partly, "2026-03-10", "2026-12-31"))).toEqual([]);
  });

  it("payments on later days that clear what was overdue on the day of the lawsuit reopen the account: the ladder resumes where it stood", () => {
    const paidLater = suedOn({ payments: [{ id: "p1", on: "2026-03-08", amountMinor: 100000 }, { id: "p2", on: "2026-03-10", amountMinor: 500000 }] });
    expect(scheduler.dueActions(paidLater, "2026-03-09")).toEqual([]);
    const resumed = scheduler.dueActions(paidLater, "2026-03-10");
    // The billing notice of 2026-03 (due 03-01) catches up; the lawsuit is not filed again.
    expect(resumed.map((a) => [a.audience, a.kind, a.dueOn, a.covers.map((c) => c.key)])).toEqual([["owner", "billingNotice", "2026-03-01", ["billing_notice@c2026-03"]]]);
  });

  it("a payment the same day as the terminal step does not reopen it: it was known when the step was decided", () => {
    const paidSameDay = suedOn({ payments: [{ id: "p1", on: "2026-02-25", amountMinor: 10000 }] });
    expect(scheduler.dueActions(paidSameDay, "2026-03-01")).toEqual([]);
  });

  it("a person reopens the account by recording the reserved stage `reopen`; the ladder resumes the next day", () => {
    const account = suedOn();
    const reopened = { ...account, actions: [...account.actions!, { id: "A-1:reopen@2026-03-05", stage: "reopen", on: "2026-03-05" }] };
    expect(scheduler.dueActions(reopened, "2026-03-04")).toEqual([]);
    // The record is the day's one owner-facing action, as any recorded action of a stage the
    // policy does not name (the person who reopened it has spoken to the owner that day).
    expect(scheduler.dueActions(reopened, "2026-03-05")).toEqual([]);
    expect(kinds(scheduler.dueActions(reopened, "2026-03-06"))).toEqual(["owner billingNotice"]);
  });
});

describe("each terminal stage needs a person's review", () => {
  it("collection agency, then write-off: staff actions marked requiresReview", () => {
    // The small debt with its lawyer's letter of 2026-01-05 (a written demand that restarts the
    // limitation period, art. 195: no review in 2026). 30 days later, 2026-02-04, the hand-over (an
    // agency is no lawsuit: no demand's deadline to wait for); 180 days after it, the write-off.
    const account: AccountSnapshot = { ...small("B-2"), actions: [...small("B-2").actions!, done("B-2", "arrears_12m_lawyer_letter", "c2023-09", "2026-01-05")] };
    const handover = scheduler.dueActions(account, "2026-02-04").find((a) => a.audience === "staff");
    expect(handover).toMatchObject({ kind: "collectionAgency", requiresReview: true, channels: ["staffQueue"] });
    const after = { ...account, actions: [...account.actions!, record(handover!, "2026-02-04")] };
    const staff = scheduler.forecast(after, "2026-02-05", "2026-12-31");
    expect(staff.map((a) => [a.plannedOn, a.audience, a.kind, a.requiresReview])).toEqual([["2026-08-03", "staff", "writeOff", true]]); // 2026-02-04 + 180 days
  });
});

describe("report counts accounts by terminal state", () => {
  it("a lawsuit, a write-off, and a lawsuit reopened by a payment of the debt", async () => {
    const accounts: AccountSnapshot[] = [
      suedOn(),
      handedOver("B-1", "2026-02-10"),
      suedOn({ payments: [{ id: "p1", on: "2026-03-10", amountMinor: 600000 }] }, "A-2"),
      handedOver("B-3"),
    ];
    const report = await buildReport(memoryLedger(accounts), { asOf: "2026-04-01", policy });
    expect(report.terminal.map((t) => [t.state, t.accounts])).toEqual([
      ["collectionAgency", 1],
      ["legalAction", 1],
      ["writtenOff", 1],
    ]);
    // A-1's overdue on 04-01: 6,000.00 and the March fee of 300.00.
    expect(report.terminal.find((t) => t.state === "legalAction")!.overdueMinor).toBe(630000);
    expect(formatReport(report, "table")).toMatch(/Accounts at the end of the road/);
  });
});

describe("the proof kit: nothing owner-facing after a terminal stage until reopened", () => {
  const options = { only: ["terminal"], runs: 60, seed: 18_2026 };

  it("holds for the example policy", () => {
    const report = checkPolicy(policy, options);
    expect(report.results.map((r) => [r.name, r.ok, r.ok ? "" : r.error])).toEqual([["terminal", true, ""]]);
  });

  it("the kit's other invariants that met the end of the road hold for the example policy: each found a defect here (seed 7: the review before a limitation date asked of written-off charges, and a warning 'held back' by the stop; seed 11: a hand-over planned again after the day's call was recorded; seed 14: a 0.01 payment reopened a lawsuit and a hand-over followed it)", () => {
    for (const seed of [7, 11, 14]) {
      const report = checkPolicy(policy, { only: ["limitation-review", "gap", "escalation", "model"], runs: 100, seed });
      expect(report.results.map((r) => [r.name, r.ok, r.ok ? "" : r.error])).toEqual([
        ["gap", true, ""],
        ["escalation", true, ""],
        ["model", true, ""],
        ["limitation-review", true, ""],
      ]);
    }
  }, 120_000);

  it("finds a scheduler that does not stop (mutant: it never sees the terminal records)", () => {
    const blind = (p: Policy): Scheduler => {
      const s = createScheduler(p);
      const terminal = new Set(p.stages.filter((st) => ["collectionAgency", "legalAction", "writeOff"].includes(st.kind)).map((st) => st.id));
      const strip = (a: AccountSnapshot): AccountSnapshot => ({ ...a, actions: (a.actions ?? []).filter((r) => !terminal.has(r.stage)) });
      return { ...s, dueActions: (a, d) => s.dueActions(strip(a), d), forecast: (a, f, t) => s.forecast(strip(a), f, t) };
    };
    const [result] = checkPolicy(policy, { ...options, scheduler: blind }).results;
    expect(result!.ok).toBe(false);
    if (!result!.ok) expect(result!.error).toMatch(/to the owner on .* after (collection_agency|legal_action|write_off) on/);
  });

  it("finds a scheduler that treats a write-off as a mere hand-over (mutant: staff stages go on for the written-off charges)", () => {
    // A staff check 60 days after each due date keeps staff actions coming for old charges.
    const writeOffs = parsePolicy({
      extends: "residential",
      id: "write-off-check",
      version: "1",
      stages: [
        { id: "staff_check", kind: "staffFollowUp", channels: ["staffQueue"], trigger: { type: "dueDate", offsetDays: 60 } },
        { id: "collection_agency", kind: "collectionAgency", channels: ["staffQueue"], trigger: { type: "arrearsMonths", months: 5 } },
        { id: "write_off", kind: "writeOff", channels: ["staffQueue"], trigger: { type: "afterStage", stage: "collection_agency", days: 90 } },
      ],
    });
    expect(checkPolicy(writeOffs, options).results[0]!.ok).toBe(true);
    const asHandOver = (p: Policy): Scheduler => {
      const s = createScheduler(p);
      const rename = (a: AccountSnapshot): AccountSnapshot => ({ ...a, actions: (a.actions ?? []).map((r) => (r.stage === "write_off" ? { ...r, stage: "collection_agency", covers: [] } : r)) });
      return { ...s, dueActions: (a, d) => s.dueActions(rename(a), d), forecast: (a, f, t) => s.forecast(rename(a), f, t) };
    };
    const [result] = checkPolicy(writeOffs, { ...options, scheduler: asHandOver }).results;
    expect(result!.ok).toBe(false);
    if (!result!.ok) expect(result!.error).toMatch(/for a charge written off on/);
  });
});
