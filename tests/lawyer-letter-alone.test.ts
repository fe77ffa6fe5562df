/**
 * Issue 18's decision on a lawyer's letter (律师函) and an owner's one notice
 * (`owners.oneNoticePerOwner`): a lawyer's letter is a legal document about specific debts, the
 * last step before a lawsuit (DOMAIN.md, glossary; S2: "欠费长达一年以上" → 律师函), sent by express
 * mail with proof of delivery so that it reaches only its addressee (PIPL art. 25). A letter
 * that also listed the owner's parking fee, which is a month late and has had no written demand,
 * would threaten legal steps over a debt the law does not yet allow them for (Civil Code art.
 * 944: a written demand with a reasonable deadline first); a parking-space notice riding inside
 * it would be "recorded as sent" in a legal document that never named it. So it goes alone: it
 * carries no other unit and rides in no other unit's notice; the other units' notices wait for a
 * later day, as behind a call (the one-action-a-day rule).
 *
 * Expected days from S2's residential ladder (policies/residential.json): the March charge's
 * dunning notice on day 25 of the billing month; a lawyer's letter when a charge is 12 whole
 * months in arrears (以上 includes 12: DOMAIN.md), after the billing, dunning and final notices
 * and the 3, 4 and 6 months' notices.
 */
import { describe, expect, it } from "vitest";
import { memoryLedger } from "../src/adapters/memory.js";
import type { AccountSnapshot } from "../src/ledger/account.js";
import { plan, type PlanEvent } from "../src/ledger/plan.js";
import { parsePolicy } from "../src/rules/parse.js";

const AS_OF = "2026-03-25"; // a Wednesday, day 25 of March: the parking space's dunning notice
const oneNotice = parsePolicy({ extends: "residential", id: "one-notice", version: "1", owners: { oneNoticePerOwner: true } });

/** A flat whose March 2025 fee (320.00) is unpaid, every warning before the lawyer's letter recorded on its day: on 2026-03-25 it is 12 months in arrears. */
function yearLate(id: string, unit: string): AccountSnapshot {
  const done = (stage: string, on: string) => ({ id: `${id}:${stage}@c-2025-03`, stage, on });
  return {
    id,
    segment: "residential",
    unit,
    owner: { id: "O-9", name: "李强" },
    charges: [{ id: "c-2025-03", period: "2025-03", dueOn: "2025-03-01", amountMinor: 32000 }],
    actions: [
      done("billing_notice", "2025-03-01"),
      done("dunning_notice", "2025-03-25"),
      done("final_notice", "2025-04-25"),
      done("arrears_3m_billing_notice", "2025-06-02"),
      done("arrears_4m_dunning_notice", "2025-07-01"),
      done("arrears_6m_final_notice", "2025-09-01"),
    ],
  };
}
/** The same owner's parking space: March 2026's fee (150.00), due 03-01, unpaid. */
const parking: AccountSnapshot = {
  id: "P-009",
  segment: "residential",
  unit: "P-009",
  owner: { id: "O-9", name: "李强" },
  charges: [{ id: "c-park-2026-03", period: "2026-03", dueOn: "2026-03-01", amountMinor: 15000 }],
};

async function day(accounts: AccountSnapshot[]) {
  const events: PlanEvent[] = [];
  for await (const e of plan(memoryLedger(accounts), { asOf: AS_OF, policy: oneNotice })) events.push(e);
  const planned = events.flatMap((e) => (e.type === "planned" ? e.actions : []));
  const waiting = events.flatMap((e) => (e.type === "planned" ? (e.waiting ?? []) : []));
  return { planned, waiting };
}

describe("a lawyer's letter and an owner's one notice", () => {
  it("each unit alone: the flat's lawyer's letter and the parking space's dunning notice are both due on 2026-03-25", async () => {
    const strangers = [yearLate("F-1202", "12-2-1202"), parking].map(({ owner: _, ...unit }) => unit);
    const { planned } = await day(strangers);
    expect(planned.filter((a) => a.audience === "owner").map((a) => `${a.accountId} ${a.kind}`)).toEqual(["F-1202 lawyerLetter", "P-009 dunningNotice"]);
  });

  it("the lawyer's letter goes alone: it lists no other unit, and the parking space's dunning notice waits for a later day instead of riding in it", async () => {
    const { planned, waiting } = await day([yearLate("F-1202", "12-2-1202"), parking]);
    const owner = planned.filter((a) => a.audience === "owner");
    expect(owner.map((a) => `${a.accountId} ${a.kind}`)).toEqual(["F-1202 lawyerLetter"]);
    expect(owner[0]!.ownerNotice).toBeUndefined();
    expect(owner[0]!.overdueMinor).toBe(32000); // its own debt only, not 470.00
    expect(planned.some((a) => a.sentWith !== undefined)).toBe(false);
    expect(waiting.map((w) => [w.action.accountId, w.action.kind, w.code])).toEqual([["P-009", "dunningNotice", "one_action_per_owner"]]);
    expect(waiting[0]!.why).toMatch(/F-1202:arrears_12m_lawyer_letter@c-2025-03/);
  });

  it("two units a year late: one lawyer's letter a day, each about its own unit; the other letter waits rather than being listed in the first", async () => {
    const { planned, waiting } = await day([yearLate("F-1202", "12-2-1202"), yearLate("F-0303", "3-0303")]);
    const owner = planned.filter((a) => a.audience === "owner");
    expect(owner).toHaveLength(1);
    expect(owner[0]!.kind).toBe("lawyerLetter");
    expect(owner[0]!.ownerNotice).toBeUndefined();
    expect(waiting.map((w) => w.action.kind)).toEqual(["lawyerLetter"]);
    expect(new Set([owner[0]!.accountId, waiting[0]!.action.accountId])).toEqual(new Set(["F-1202", "F-0303"]));
  });

  it("a written notice that is no legal step still carries the owner's other units (the rule before it, unchanged)", async () => {
    const flat: AccountSnapshot = { ...parking, id: "F-0801", unit: "8-1-0801", charges: [{ id: "c-flat-2026-03", period: "2026-03", dueOn: "2026-03-01", amountMinor: 32000 }] };
    const { planned } = await day([flat, parking]);
    const sent = planned.filter((a) => a.audience === "owner" && a.sentWith === undefined);
    expect(sent.map((a) => `${a.accountId} ${a.kind}`)).toEqual(["F-0801 dunningNotice"]);
    expect(sent[0]!.ownerNotice?.units.map((u) => u.accountId)).toEqual(["F-0801", "P-009"]);
  });
});
