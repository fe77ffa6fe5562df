/** Holds, protections, contact windows and holidays in the scheduler (DOMAIN.md "Protections and holds"). */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { brief, builtin, oneCharge, runDaily } from "../../../tests/helpers.js";
import { parsePolicy } from "../../rules/parse.js";
import { builtinPolicySource } from "../../rules/builtins.js";
import type { Stage } from "../../rules/schema.js";
import type { AccountSnapshot } from "../../ledger/account.js";
import { normalizeAccount } from "../../ledger/check-account.js";
import { civilDate, formatCivilDate } from "../time/civil-date.js";
import { createScheduler } from "./scheduler.js";

const residential = builtin("residential");

describe("disputes", () => {
  const disputed = (resolvedOn?: string): AccountSnapshot =>
    oneCharge({ holds: [{ type: "dispute", id: "d1", openedOn: "2026-03-24", severity: "major", ...(resolvedOn ? { resolvedOn } : {}) }] });

  it("a major dispute opened the day before the dunning notice: no notice; a staff follow-up after 10 days", () => {
    const actions = runDaily(residential, disputed(), "2026-03-01", "2026-04-10");
    expect(actions.map((a) => [a.plannedOn, a.kind, a.audience])).toEqual([
      ["2026-03-01", "billingNotice", "owner"],
      ["2026-04-04", "staffFollowUp", "staff"], // opened 03-24 + 10 days, unresolved
    ]);
    expect(actions[1]!.channels).toEqual(["staffQueue"]);
    expect(actions[1]!.because.summary).toMatch(/dispute d1 \(major\) unresolved after 10 days/);
  });

  it("once resolved, the ladder resumes with that notice, its gap kept", () => {
    const actions = runDaily(residential, disputed("2026-04-20"), "2026-03-01", "2026-06-01");
    const owner = actions.filter((a) => a.audience === "owner").map((a) => [a.plannedOn, a.stage]);
    expect(owner).toEqual([
      ["2026-03-01", "billing_notice"],
      ["2026-04-20", "dunning_notice"], // resumes on resolution
      ["2026-05-21", "final_notice"], // 31 days after, as 03-25 → 04-25
      ["2026-06-01", "arrears_3m_billing_notice"],
    ]);
  });

  it("minor and important disputes follow S2's 2- and 3-day deadlines (the follow-up comes the day after)", () => {
    for (const [severity, day] of [["minor", "2026-03-28"], ["important", "2026-03-29"]] as const) {
      const account = oneCharge({ holds: [{ type: "dispute", id: "d", openedOn: "2026-03-25", severity }] });
      const staff = runDaily(residential, account, "2026-03-01", "2026-04-30").filter((a) => a.audience === "staff");
      expect(staff.map((a) => a.plannedOn)).toEqual([day]);
    }
  });
});

describe("promise to pay (S2 断其后路)", () => {
  const promised = (payments: AccountSnapshot["payments"] = []) =>
    oneCharge({
      actions: [
        { id: "A-1201:billing_notice@c1", stage: "billing_notice", on: "2026-03-01", covers: ["billing_notice@c1"] },
        { id: "A-1201:dunning_notice@c1", stage: "dunning_notice", on: "2026-03-25", covers: ["dunning_notice@c1"] },
      ],
      holds: [{ type: "promiseToPay", id: "pr1", madeOn: "2026-04-01", promisedOn: "2026-04-08" }],
      payments,
    });

  it("nothing until the promised date; on it, unpaid, a follow-up call within that day's call window", () => {
    const actions = runDaily(residential, promised(), "2026-04-01", "2026-04-30");
    expect(actions[0]).toMatchObject({
      plannedOn: "2026-04-08",
      stage: "promise_follow_up",
      kind: "phoneCall",
      channels: ["phone"],
      window: { from: "2026-04-08T09:00:00+08:00", to: "2026-04-08T20:00:00+08:00" },
    });
    expect(actions[1]).toMatchObject({ plannedOn: "2026-04-25", stage: "final_notice" });
  });

  it("a promise kept: no call", () => {
    const actions = runDaily(residential, promised([{ id: "p", on: "2026-04-07", amountMinor: 30000 }]), "2026-04-01", "2026-04-30");
    expect(actions).toEqual([]);
  });

  it("broken promises are a fact conditions can use", () => {
    const policy = parsePolicy({
      extends: "residential",
      id: "repeat",
      version: "1",
      stages: [
        {
          id: "visit_after_broken_promise",
          kind: "homeVisit",
          channels: ["homeVisit"],
          trigger: { type: "dueDate", offsetDays: 45 },
          conditions: { all: [{ fact: "brokenPromises", operator: "greaterThanInclusive", value: 1 }] },
        },
      ],
    });
    const s = createScheduler(policy);
    expect(runDaily(s, promised(), "2026-04-01", "2026-04-30").some((a) => a.stage === "visit_after_broken_promise")).toBe(true);
    const kept = promised([{ id: "p", on: "2026-04-07", amountMinor: 1000 }]); // partial: still broken
    expect(runDaily(s, kept, "2026-04-01", "2026-04-30").some((a) => a.stage === "visit_after_broken_promise")).toBe(true);
    expect(runDaily(s, oneCharge(), "2026-03-01", "2026-04-30").some((a) => a.stage === "visit_after_broken_promise")).toBe(false);
  });
});

describe("installment plans", () => {
  const charges = ["2026-01", "2026-02", "2026-03"].map((p) => ({ id: p, period: p, dueOn: `${p}-01`, amountMinor: 30000 }));
  const plan = { type: "installmentPlan" as const, id: "ip1", agreedOn: "2026-03-10", charges: ["2026-01", "2026-02"], instalments: [{ dueOn: "2026-04-10", amountMinor: 30000 }, { dueOn: "2026-05-10", amountMinor: 30000 }] };

  it("kept: the covered charges are not dunned, each instalment gets a reminder", () => {
    const account = oneCharge({ charges, holds: [plan], payments: [{ id: "i1", on: "2026-04-09", amountMinor: 30000 }, { id: "i2", on: "2026-05-08", amountMinor: 30000 }] });
    const actions = runDaily(residential, account, "2026-03-10", "2026-06-30");
    const stages = actions.flatMap((a) => a.covers.map((c) => c.key));
    expect(stages.filter((k) => k.endsWith("@2026-01") || k.endsWith("@2026-02"))).toEqual([]);
    expect(actions.filter((a) => a.stage === "instalment_reminder").map((a) => a.plannedOn)).toEqual(["2026-04-07", "2026-05-07"]);
  });

  it("a missed instalment breaks the plan: the owner is told and the ladder resumes where it stood", () => {
    const account = oneCharge({
      charges,
      holds: [plan],
      actions: [
        { id: "x1", stage: "dunning_notice", on: "2026-01-25", covers: ["billing_notice@2026-01", "dunning_notice@2026-01"] },
        { id: "x2", stage: "final_notice", on: "2026-02-25", covers: ["final_notice@2026-01", "billing_notice@2026-02", "dunning_notice@2026-02"] },
      ],
    });
    const actions = runDaily(residential, account, "2026-03-10", "2026-05-31");
    // 04-10 + 5 days of grace: broken on 04-16. The owner is told in that day's notice, and the
    // ladder resumes where it stood: February's final notice, not January's dunning notice again.
    const broken = actions.find((a) => a.covers.some((c) => c.stage === "plan_broken_notice"))!;
    expect(broken.plannedOn).toBe("2026-04-16");
    const resumed = actions.filter((a) => a.plannedOn >= broken.plannedOn).flatMap((a) => a.covers.map((c) => c.key));
    expect(resumed).toContain("final_notice@2026-02");
    expect(resumed).not.toContain("dunning_notice@2026-01");
    expect(resumed).not.toContain("final_notice@2026-01");
  });
});

describe("a hold's recordedOn against the day it took effect", () => {
  const charges = [{ id: "2026-01", period: "2026-01", dueOn: "2026-01-01", amountMinor: 30000 }];
  const plan = { type: "installmentPlan" as const, id: "ip1", agreedOn: "2026-03-10", charges: ["2026-01"], instalments: [{ dueOn: "2026-04-10", amountMinor: 30000 }] };
  const issues = (holds: AccountSnapshot["holds"]) => {
    const r = normalizeAccount(oneCharge({ charges, holds }));
    return r.ok ? [] : r.issues.map((i) => `${i.path} ${i.code}`);
  };

  it("an installment plan cannot be recorded before the day it was agreed", () => {
    expect(issues([{ ...plan, recordedOn: "2026-03-09" }])).toEqual(["holds[0].recordedOn invalid_date"]);
    expect(issues([{ ...plan, recordedOn: "2026-03-10" }])).toEqual([]);
    expect(issues([{ ...plan, recordedOn: "2026-03-17" }])).toEqual([]);
  });

  it("a manual hold may be entered before it starts (a repair announced for next month)", () => {
    expect(issues([{ type: "manual", id: "m1", from: "2026-04-01", until: "2026-04-30", scope: "all", reason: "unit under repair", recordedOn: "2026-03-15" }])).toEqual([]);
  });
});

describe("manual holds (special cases excepted)", () => {
  it("scope all stops everything until its end date", () => {
    const account = oneCharge({ holds: [{ type: "manual", id: "m", from: "2026-03-02", until: "2026-05-31", scope: "all", reason: "owner in hospital" }] });
    const actions = runDaily(residential, account, "2026-03-01", "2026-06-30");
    expect(actions.map((a) => a.plannedOn)).toEqual(["2026-03-01", "2026-06-01"]);
    expect(actions[1]!.covers.map((c) => c.stage)).toEqual(["dunning_notice", "arrears_3m_billing_notice"]);
  });

  it("scope legal stops only the lawyer's letter", () => {
    const account = oneCharge({ holds: [{ type: "manual", id: "m", from: "2026-03-01", scope: "legal", reason: "special case" }] });
    const kinds = runDaily(residential, account, "2026-03-01", "2027-06-30").map((a) => a.kind);
    expect(kinds).toContain("finalNotice");
    expect(kinds).not.toContain("lawyerLetter");
  });
});

describe("protections", () => {
  it("elderly with the residential built-in: home visits where others get door postings; the lawyer's letter waits for approval", () => {
    const elderly = runDaily(residential, oneCharge({ owner: { tags: ["elderly"] } }), "2026-02-20", "2027-04-30");
    const other = runDaily(residential, oneCharge(), "2026-02-20", "2027-04-30");
    expect(other.some((a) => a.channels.includes("doorPosting"))).toBe(true);
    expect(elderly.some((a) => a.channels.includes("doorPosting"))).toBe(false);
    expect(elderly.filter((a) => a.kind !== "lawyerLetter").every((a) => a.channels.includes("homeVisit"))).toBe(true);
    const lawyer = elderly.find((a) => a.kind === "lawyerLetter")!;
    expect(lawyer.requiresReview).toBe(true);
    expect(lawyer.because.delivery).toContain("needs approval (protection for elderly)");
    expect(elderly.find((a) => a.kind === "dunningNotice")!.offers).toEqual(["homeCollection", "installmentPlan"]);
  });

  it("never a harsher kind or channel than an unprotected twin on the same day", () => {
    const harsh = { staffQueue: 0, sms: 1, wechat: 1, appPush: 1, email: 1, phone: 2, homeVisit: 2, registeredMail: 3, courier: 3, expressMail: 3, handDelivery: 3, doorPosting: 4 } as const;
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 14 }), fc.integer({ min: 0, max: 400 }), fc.constantFrom("elderly", "disabled", "hardship"), (months, payDay, tag) => {
        const charges = Array.from({ length: months }, (_, i) => {
          const p = `${2025 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, "0")}`;
          return { id: p, period: p, dueOn: `${p}-01`, amountMinor: 20000 };
        });
        const payments = [{ id: "p", on: formatCivilDate(civilDate("2025-01-01") + payDay), amountMinor: 20000 * Math.floor(months / 2) || 1 }];
        const twin = runDaily(residential, oneCharge({ charges, payments }), "2025-01-01", "2026-06-30");
        const mine = runDaily(residential, oneCharge({ charges, payments, owner: { tags: [tag] } }), "2025-01-01", "2026-06-30");
        const byDay = new Map(twin.map((a) => [a.plannedOn, a]));
        for (const a of mine) {
          const t = byDay.get(a.plannedOn);
          if (!t) continue; // the twin's action may fall on another day (a visit waits for a working day)
          expect(Math.max(...a.channels.map((c) => harsh[c]))).toBeLessThanOrEqual(Math.max(...t.channels.map((c) => harsh[c])));
        }
        const maxKind = (xs: typeof mine) => Math.max(-1, ...xs.map((a) => ["billingNotice", "reminder", "phoneCall", "dunningNotice", "homeVisit", "formalLetter", "finalNotice", "lawyerLetter"].indexOf(a.kind)));
        expect(maxKind(mine)).toBeLessThanOrEqual(maxKind(twin));
      }),
      { numRuns: 100, seed: 4 }, // a fixed seed keeps CI reproducible; others pass too (docs/concepts.md, "Protections and the unprotected twin")
    );
  });
});

describe("holds property", () => {
  // Kept installment plans are lived through by the model-based test (tests/model-holds.test.ts).
  it("no dunning-class action reaches the owner while a dispute is open or a promise is pending", () => {
    const day = (n: number) => formatCivilDate(civilDate("2025-01-01") + n);
    const holdArb = fc.oneof(
      fc.record({ start: fc.integer({ min: 0, max: 500 }), length: fc.integer({ min: 1, max: 120 }), severity: fc.constantFrom("major" as const, "important" as const, "minor" as const) }).map(({ start, length, severity }) => ({
        hold: { type: "dispute" as const, id: "d", openedOn: day(start), severity, resolvedOn: day(start + length) },
        from: start,
        to: start + length - 1,
      })),
      fc.record({ start: fc.integer({ min: 0, max: 500 }), length: fc.integer({ min: 1, max: 60 }) }).map(({ start, length }) => ({
        hold: { type: "promiseToPay" as const, id: "p", madeOn: day(start), promisedOn: day(start + length) },
        from: start,
        to: start + length - 1,
      })),
    );
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 12 }), holdArb, (months, { hold, from, to }) => {
        const charges = Array.from({ length: months }, (_, i) => ({ id: `c${i}`, period: `2025-${String(i + 1).padStart(2, "0")}`, dueOn: `2025-${String(i + 1).padStart(2, "0")}-01`, amountMinor: 100 }));
        for (const a of runDaily(residential, oneCharge({ charges, holds: [hold] }), "2025-01-01", "2026-09-30")) {
          const d = civilDate(a.plannedOn) - civilDate("2025-01-01");
          if (d < from || d > to || a.audience !== "owner") continue;
          expect(["billingNotice", "reminder"]).toContain(a.kind);
        }
      }),
      { numRuns: 40 },
    );
  });
});

describe("contact windows, working days, holidays", () => {
  it("a final-notice deadline on National Day moves to the first working day after the holiday", () => {
    const account = oneCharge({ charges: [{ id: "c", period: "2026-08", dueOn: "2026-08-01", amountMinor: 30000 }] });
    const policy = parsePolicy({ extends: "residential", id: "n", version: "1", stages: [{ id: "final_notice", trigger: { type: "billingMonthDay", monthOffset: 1, day: 16 } }] });
    const final = runDaily(createScheduler(policy), account, "2026-08-01", "2026-09-30").find((a) => a.stage === "final_notice")!;
    expect(final.plannedOn).toBe("2026-09-16");
    expect(final.deadlineOn).toBe("2026-10-08"); // 09-16 + 15 = 10-01, National Day; 10-01–10-07 off
  });

  it("a working-day channel waits for the next working day; a 调休 Saturday is a working day", () => {
    const policy = parsePolicy({ extends: "residential", id: "w", version: "1", contact: { channels: { doorPosting: { workingDaysOnly: true } } } });
    const s = createScheduler(policy);
    // 2026-02-01 is a Sunday: the billing notice waits for Monday 02-02
    const feb = runDaily(s, oneCharge({ charges: [{ id: "c", period: "2026-02", dueOn: "2026-02-01", amountMinor: 1 }] }), "2026-01-25", "2026-02-10");
    expect(feb[0]!.plannedOn).toBe("2026-02-02");
    // 2026-02-14 (Saturday) is a make-up working day: a notice due then goes then
    const make = parsePolicy({ extends: "residential", id: "m", version: "1", contact: { channels: { doorPosting: { workingDaysOnly: true } } }, stages: [{ id: "dunning_notice", trigger: { type: "billingMonthDay", monthOffset: 0, day: 14 } }] });
    const out = runDaily(createScheduler(make), oneCharge({ charges: [{ id: "c", period: "2026-02", dueOn: "2026-02-01", amountMinor: 1 }] }), "2026-02-02", "2026-02-20");
    expect(out.find((a) => a.stage === "dunning_notice")!.plannedOn).toBe("2026-02-14");
  });

  it("channel opt-outs: a written demand goes by registered mail when every channel is refused", () => {
    const account = oneCharge({ optOuts: ["doorPosting", "sms"] });
    const actions = runDaily(residential, account, "2026-03-01", "2026-03-31");
    expect(brief(actions)).toEqual(["2026-03-25 dunningNotice registeredMail"]); // the billing notice has no channel left
    expect(actions[0]!.because.delivery).toEqual(["opted out of doorPosting, sms", "sent by registered mail instead"]);
  });

  it("property: every owner action carries a window inside 08:00–21:00 for call, visit and message channels", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 12 }), fc.constantFrom<string[]>([], ["elderly"]), (months, tags) => {
        const charges = Array.from({ length: months }, (_, i) => ({ id: `c${i}`, period: `2025-${String(i + 1).padStart(2, "0")}`, dueOn: `2025-${String(i + 1).padStart(2, "0")}-01`, amountMinor: 100 }));
        for (const a of runDaily(residential, oneCharge({ charges, owner: { tags } }), "2025-01-01", "2026-03-01")) {
          if (a.audience !== "owner" || a.channels.every((c) => ["registeredMail", "courier", "expressMail"].includes(c))) continue;
          expect(a.window).toBeDefined();
          expect(a.window!.from.slice(0, 10)).toBe(a.plannedOn);
          expect(a.window!.from.slice(11, 16) >= "08:00").toBe(true);
          expect(a.window!.to.slice(11, 16) <= "21:00").toBe(true);
        }
      }),
      { numRuns: 25 },
    );
  });
});

describe("one hold rule (holds.ts holdPauses, asked by the planner for every stage)", () => {
  // parsePolicy refuses a terminal stage before a limitation date (terminal_trigger); a policy
  // built in code reaches the scheduler unchecked. The hand-over still ends the owner's ladder,
  // so what holds that ladder holds it, and the review of actions inside a hold says so too.
  const policy = parsePolicy(builtinPolicySource("residential"));
  const agency: Stage = { id: "agency_before_limitation", kind: "collectionAgency", title: "委托催收", channels: ["staffQueue"], trigger: { type: "beforeLimitation", days: 90 }, source: "made up for the test" };
  const scheduler = createScheduler({ ...policy, stages: [...policy.stages, agency] });
  // The charge falls due 2026-03-01; three years later, less 90 days: 2028-12-01.
  const agencyDay = formatCivilDate(civilDate("2029-03-01") - 90);
  const agencyOn = (holds: AccountSnapshot["holds"]) => scheduler.dueActions(oneCharge({ holds }), agencyDay).filter((a) => a.covers.some((c) => c.stage === agency.id));

  it("with no hold the terminal stage is planned on its day", () => {
    expect(agencyOn([])).toHaveLength(1);
  });

  it("a manual hold of scope all and an open dispute each hold it", () => {
    expect(agencyOn([{ type: "manual", id: "m", from: "2028-11-01", scope: "all", reason: "unit under repair" }])).toEqual([]);
    expect(agencyOn([{ type: "dispute", id: "d", openedOn: "2028-11-01", severity: "major" }])).toEqual([]);
  });

  it("one carried out inside a dispute entered later is listed for review", () => {
    const account = oneCharge({
      actions: [{ id: `A-1201:${agency.id}@c1`, stage: agency.id, on: agencyDay, covers: [`${agency.id}@c1`] }],
      holds: [{ type: "dispute", id: "d", openedOn: "2028-11-01", severity: "major", recordedOn: "2028-12-05" }],
    });
    expect(scheduler.actionsInsideHolds(account, "2028-12-05").map((r) => [r.stage, r.holdId])).toEqual([[agency.id, "d"]]);
  });

  it("two promises past their dates, both unpaid: both calls are due the same day, and the dunning notice waits for them", () => {
    const account = oneCharge({
      actions: [{ id: "A-1201:billing_notice@c1", stage: "billing_notice", on: "2026-03-01", covers: ["billing_notice@c1"] }],
      holds: [
        { type: "promiseToPay", id: "p1", madeOn: "2026-03-10", promisedOn: "2026-03-20" },
        { type: "promiseToPay", id: "p2", madeOn: "2026-03-12", promisedOn: "2026-03-20" },
      ],
    });
    const due = residential.dueActions(account, "2026-03-25");
    // One action per audience: the owner's carries both calls; the dunning notice (due 03-25) is not among them.
    expect(due.flatMap((a) => a.covers.map((c) => c.key)).sort()).toEqual(["promise_follow_up@p1", "promise_follow_up@p2"]);
  });
});
