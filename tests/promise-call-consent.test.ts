/**
 * The promised day's call, once carried out, is still the call the owner agreed to. S2 断其后路:
 * when an owner promises a date, call back on exactly that date; Regulation F §1006.14(b)(3)(i)
 * (DOMAIN.md, contact frequency): a call made with the consumer's prior consent does not count
 * toward the call frequency limits. So no cap limits it when it is planned and none counts it
 * once it is recorded: the regular call due the next day goes, on the unit alone, across the
 * owner's units, and the proof kit's contact invariant says the same.
 *
 * The ladder is the relative one (S1): the first dunning is a phone call 7 days after the due
 * date. The estate allows at most one call a week (stricter than Regulation F's 7 in 7 days), so
 * the promise call alone would use the week up.
 */
import { describe, expect, it } from "vitest";
import { memoryLedger } from "../src/adapters/memory.js";
import type { AccountSnapshot } from "../src/ledger/account.js";
import { plan, type PlanEvent } from "../src/ledger/plan.js";
import { parsePolicy } from "../src/rules/parse.js";
import { builtinPolicySource } from "../src/rules/builtins.js";
import { createScheduler } from "../src/schedule/ladder/scheduler.js";
import { contactFinding } from "../src/testing/people.js";

const relative = builtinPolicySource("relative") as { stages: Array<{ id: string }>; contact?: object };
/** The relative ladder's first dunning call (S1: 5–7 days after due, by phone), at most one call in 7 days. */
const oneCallAWeek = parsePolicy({
  ...relative,
  id: "one-call-a-week",
  version: "1",
  stages: relative.stages.filter((s) => s.id === "first_dunning"),
  contact: { ...relative.contact, caps: [{ channel: "phone", max: 1, withinDays: 7 }] },
});

const AS_OF = "2026-03-10"; // a Tuesday: the March fee's first dunning call, 7 days after its due date
/** The March fee, due on Tuesday 03-03: its first dunning call is due on 03-10. */
const march = (id: string) => [{ id, period: "2026-03", dueOn: "2026-03-03", amountMinor: 32000 }];
/** On 03-04 the owner promised to pay by Monday 03-09, did not, and got the agreed call that day (unanswered). */
const promise = { type: "promiseToPay" as const, id: "pr1", madeOn: "2026-03-04", promisedOn: "2026-03-09" };
const promiseCall = (account: string) => ({ id: `${account}:promise_follow_up@pr1`, stage: "promise_follow_up", on: "2026-03-09", covers: ["promise_follow_up@pr1"], channels: ["phone" as const] });

async function events(units: AccountSnapshot[]): Promise<PlanEvent[]> {
  const out: PlanEvent[] = [];
  for await (const e of plan(memoryLedger(units), { asOf: AS_OF, policy: oneCallAWeek })) out.push(e);
  return out;
}
const calls = (all: PlanEvent[]) => all.flatMap((e) => (e.type === "planned" ? e.actions.map((a) => [a.accountId, a.stage, a.plannedOn, a.channels]) : []));
const waiting = (all: PlanEvent[]) => all.flatMap((e) => (e.type === "planned" ? (e.waiting ?? []).map((w) => `${w.code} ${w.action.accountId} ${w.action.stage}`) : []));

describe("a recorded promise call is consented: no cap counts it", () => {
  it("on the unit: the call recorded on the promised day leaves the week's one call for the first dunning the next day", async () => {
    const unit: AccountSnapshot = { id: "A-1", charges: march("c3"), holds: [promise], actions: [promiseCall("A-1")] };
    expect(calls(await events([unit]))).toEqual([["A-1", "first_dunning", AS_OF, ["phone"]]]);
    // The same week with a regular call recorded on 03-09 instead: the cap is used, the call waits (the test can fail).
    const regular: AccountSnapshot = { id: "A-1", charges: [...march("c3"), { id: "c2", period: "2026-03", dueOn: "2026-03-02", amountMinor: 100 }], actions: [{ id: "A-1:first_dunning@c2", stage: "first_dunning", on: "2026-03-09", covers: ["first_dunning@c2"], channels: ["phone"] }] };
    expect(calls(await events([regular]))).toEqual([]);
  });

  it("across the owner's units: the promise call recorded on the parking space leaves the flat's first dunning call to go", async () => {
    // The parking space's February fee had its first dunning call on 02-10; the promise call on 03-09. Nothing else is due on it today.
    const parking: AccountSnapshot = {
      id: "P-1",
      owner: { id: "O-1" },
      charges: [{ id: "cp", period: "2026-02", dueOn: "2026-02-03", amountMinor: 15000 }],
      holds: [promise],
      actions: [{ id: "P-1:first_dunning@cp", stage: "first_dunning", on: "2026-02-10", covers: ["first_dunning@cp"], channels: ["phone"] }, promiseCall("P-1")],
    };
    const flat: AccountSnapshot = { id: "F-1", owner: { id: "O-1" }, charges: march("cf") };
    const all = await events([parking, flat]);
    expect(calls(all)).toEqual([["F-1", "first_dunning", AS_OF, ["phone"]]]);
    expect(waiting(all)).toEqual([]);
  });

  it("the proof kit's contact invariant does not count the recorded promise call either", () => {
    const recorded = [promiseCall("A-1")];
    const account: AccountSnapshot = { id: "A-1", charges: march("c3"), holds: [promise], actions: recorded };
    const planned = createScheduler(oneCallAWeek).forecast(account, AS_OF, AS_OF);
    expect(planned.map((a) => [a.stage, a.plannedOn, a.channels])).toEqual([["first_dunning", AS_OF, ["phone"]]]);
    expect(contactFinding(oneCallAWeek, recorded, planned)).toBeUndefined();
    // A regular call recorded on 03-09 instead does use the week up: the kit finds two calls (the test can fail).
    expect(contactFinding(oneCallAWeek, [{ ...recorded[0]!, stage: "first_dunning" }], planned)?.error).toBe("2 phone contacts within 7 days from 2026-03-09 (cap 1)");
  });
});
