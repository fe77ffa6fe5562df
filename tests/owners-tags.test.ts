/**
 * Protections belong to the owner (issue 18, item 2; docs/ledger-format.md, "Owner-level
 * fields"): a tag on one unit's `owner.tags` holds for every unit of that owner, whatever each
 * unit's own list says, a list that repeats a tag included (the fix of de46f5e: the union of the
 * owner's tags was compared with the unit's list's length, so a unit listing ["elderly",
 * "elderly"] kept its own list and missed the owner's other tag). Expected values come from the
 * residential built-in's protections (S0, S1, S3): an elderly owner gets a home visit instead of
 * the notice on the door and is offered home collection and an installment plan with the first
 * dunning; an owner in hardship is offered an installment plan and asked whether they need help.
 */
import { describe, expect, it } from "vitest";
import { memoryLedger } from "../src/adapters/memory.js";
import type { AccountSnapshot } from "../src/ledger/account.js";
import { plan, type PlanEvent } from "../src/ledger/plan.js";
import type { PlannedAction } from "../src/schedule/ladder/action.js";

const AS_OF = "2026-03-25"; // S2: the dunning notice on day 25 of the billing month

async function events(units: AccountSnapshot[]): Promise<PlanEvent[]> {
  const out: PlanEvent[] = [];
  for await (const e of plan(memoryLedger(units), { asOf: AS_OF })) out.push(e);
  return out;
}

/** Owner 赵敏 (O-3): a flat whose record repeats the elderly tag, and a parking space recorded in hardship; neither paid March. */
const flat: AccountSnapshot = { id: "F-3", owner: { id: "O-3", tags: ["elderly", "elderly"] }, charges: [{ id: "cf", period: "2026-03", dueOn: "2026-03-01", amountMinor: 32000 }] };
const parking: AccountSnapshot = { id: "P-3", owner: { id: "O-3", tags: ["hardship"] }, charges: [{ id: "cp", period: "2026-03", dueOn: "2026-03-01", amountMinor: 15000 }] };

describe("an owner's tags reach every unit, a unit whose own list repeats a tag included", () => {
  it("both units' dunning notices carry both protections: a home visit instead of the door, and every offer of both", async () => {
    const all = await events([flat, parking]);
    // One owner-facing action a day: the flat's (more owed) goes, the parking space's waits; both were planned with the owner's tags.
    const actions: PlannedAction[] = all.flatMap((e) => (e.type === "planned" ? [...e.actions, ...(e.waiting ?? []).map((w) => w.action)] : []));
    expect(actions.map((a) => [a.accountId, a.stage, a.channels, a.offers])).toEqual([
      // elderly's offers, then hardship's (the policy's order), each once: home collection, installment plan, help.
      ["F-3", "dunning_notice", ["homeVisit", "sms"], ["homeCollection", "installmentPlan", "help"]],
      ["P-3", "dunning_notice", ["homeVisit", "sms"], ["homeCollection", "installmentPlan", "help"]],
    ]);
  });

  it("alone (no owner id), each unit has only its own protection", async () => {
    const all = await events([flat, parking].map((u) => ({ ...u, owner: { tags: u.owner!.tags! } })));
    const offers = Object.fromEntries(all.flatMap((e) => (e.type === "planned" ? e.actions.map((a) => [a.accountId, a.offers]) : [])));
    expect(offers).toEqual({ "F-3": ["homeCollection", "installmentPlan"], "P-3": ["installmentPlan", "help"] });
  });
});
