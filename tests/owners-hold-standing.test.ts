/**
 * Which of a hold's own steps go regardless of the owner's day (review of session 6, owner pass).
 * S2 断其后路 says: when an owner promises a date, call back on exactly that date. That covers the
 * promised day's call, made with the owner's consent, and nothing else. The other hold steps (an
 * instalment's reminder, the notice that a plan is broken, S3) are ordinary contacts: one
 * owner-facing action a day across the owner's units, so they wait when the owner was already
 * contacted that day; they stay due until carried out (holds.ts), so waiting a day loses nothing.
 * Except an instalment's reminder on its instalment's own due day: it is due only up to that day
 * (a reminder after the date is pointless), so on that day it goes as the promised call does.
 *
 * Expected values from DOMAIN.md: S2's residential dunning notice on day 25 of the billing month
 * (door posting and SMS); the built-in hold rules (policies/residential.json, rules/holds.ts):
 * an instalment's reminder 3 days before it, by SMS; 5 days' grace; the broken-plan notice by
 * SMS and registered mail.
 */
import { describe, expect, it } from "vitest";
import { memoryLedger } from "../src/adapters/memory.js";
import type { AccountSnapshot } from "../src/ledger/account.js";
import { plan, type PlanEvent } from "../src/ledger/plan.js";

async function events(units: AccountSnapshot[], asOf: string): Promise<PlanEvent[]> {
  const out: PlanEvent[] = [];
  for await (const e of plan(memoryLedger(units), { asOf })) out.push(e);
  return out;
}
const sent = (all: PlanEvent[]) => all.flatMap((e) => (e.type === "planned" ? e.actions.filter((a) => a.audience === "owner" && a.sentWith === undefined).map((a) => `${a.accountId} ${a.stage}`) : []));
const waiting = (all: PlanEvent[]) => all.flatMap((e) => (e.type === "planned" ? (e.waiting ?? []).map((w) => `${w.code} ${w.action.accountId} ${w.action.stage}`) : []));

/** Owner O-1's flat: March unpaid; S2's dunning notice (day 25) was carried out on `on`. */
const flat = (on: string): AccountSnapshot => ({
  id: "F-1",
  owner: { id: "O-1" },
  charges: [{ id: "cf", period: "2026-03", dueOn: "2026-03-01", amountMinor: 32000 }],
  actions: [{ id: "F-1:dunning_notice@cf", stage: "dunning_notice", on, covers: ["dunning_notice@cf"], channels: ["doorPosting", "sms"] }],
});

describe("a broken plan's notice is an ordinary contact", () => {
  // P-1: February's 150.00 under a plan agreed 03-01, one instalment due 03-19, unpaid: with 5
  // days' grace (to 03-24) the plan is broken on 03-25, and its notice is due that day.
  const parking: AccountSnapshot = {
    id: "P-1",
    owner: { id: "O-1" },
    charges: [{ id: "cp", period: "2026-02", dueOn: "2026-02-01", amountMinor: 15000 }],
    holds: [{ type: "installmentPlan", id: "ip1", agreedOn: "2026-03-01", charges: ["cp"], instalments: [{ dueOn: "2026-03-19", amountMinor: 15000 }] }],
  };

  it("alone, the parking space's broken-plan notice goes on 03-25", async () => {
    expect(sent(await events([{ ...parking, owner: undefined }], "2026-03-25"))).toEqual(["P-1 plan_broken_notice"]);
  });

  it("the owner got the flat's dunning notice this morning: the broken-plan notice waits, and goes the next day", async () => {
    const today = await events([flat("2026-03-25"), parking], "2026-03-25");
    expect(sent(today)).toEqual([]);
    expect(waiting(today)).toEqual(["owner_contacted_today P-1 plan_broken_notice"]);
    // Still due the next day (a hold's step stays due until carried out): nothing was lost.
    const next = await events([flat("2026-03-25"), parking], "2026-03-26");
    expect(sent(next)).toEqual(["P-1 plan_broken_notice"]);
  });
});

describe("an instalment's reminder waits, except on its instalment's own due day", () => {
  // S-1: February's 50.00 under a plan agreed 03-01, one instalment due 03-28: its reminder is
  // due from 03-25 (3 days before) through 03-28, and only then.
  const storeroom: AccountSnapshot = {
    id: "S-1",
    owner: { id: "O-1" },
    charges: [{ id: "cs", period: "2026-02", dueOn: "2026-02-01", amountMinor: 5000 }],
    holds: [{ type: "installmentPlan", id: "ip2", agreedOn: "2026-03-01", charges: ["cs"], instalments: [{ dueOn: "2026-03-28", amountMinor: 5000 }] }],
  };

  it("contacted this morning on 03-25: the reminder waits for a later day", async () => {
    const all = await events([flat("2026-03-25"), storeroom], "2026-03-25");
    expect(sent(all)).toEqual([]);
    expect(waiting(all)).toEqual(["owner_contacted_today S-1 instalment_reminder"]);
  });

  it("contacted this morning on 03-28, the instalment's due day (its reminder's last): the reminder goes all the same", async () => {
    const all = await events([flat("2026-03-28"), storeroom], "2026-03-28");
    expect(sent(all)).toEqual(["S-1 instalment_reminder"]);
    expect(waiting(all)).toEqual([]);
  });
});

