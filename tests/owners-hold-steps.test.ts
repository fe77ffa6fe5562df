/**
 * A hold's own step and the owner's day (issue 18, item 2 with item 3's holds; session 5's note,
 * #18 leftover 3; review s5, item 15). S2 断其后路: when an owner promises a date, call back on
 * exactly that date. So the promised day's call goes on its day even when the owner was already
 * contacted that day about another unit, or the caps counted over the owner's units are full (the
 * owner agreed to the call: a consented contact, as on its own unit); the owner's other units
 * still wait behind it. And what the owner was sent is read as the scheduler reads it: a recorded
 * hold step, or a stage a newer version renamed, is a contact even when the record names no
 * channels. Expected values come from S2's residential ladder (DOMAIN.md): the dunning notice on
 * day 25 of the billing month, by door posting and SMS.
 */
import { describe, expect, it, vi } from "vitest";
import { memoryLedger } from "../src/adapters/memory.js";
import type { AccountSnapshot } from "../src/ledger/account.js";
import { plan, type PlanEvent, type PlanOptions } from "../src/ledger/plan.js";
import { parsePolicy } from "../src/rules/parse.js";
import { builtinPolicySource } from "../src/rules/builtins.js";
import { checkPolicy } from "../src/testing/index.js";

// How the owner pass reads what the owner was sent: "real", or the raw reading the review found
// (a recorded stage looked up among the policy file's own stage ids only), for the kit to catch.
const reading = vi.hoisted(() => ({ mode: "real" as "real" | "raw" }));
vi.mock("../src/schedule/owners/recorded.js", async (importOriginal) => {
  const real = await importOriginal<typeof import("../src/schedule/owners/recorded.js")>();
  return {
    ...real,
    recordedChannels: (...args: Parameters<typeof real.recordedChannels>) => {
      const [policy, stage, channels] = args;
      if (reading.mode === "real" || policy === undefined || policy.stages.some((s) => s.id === stage)) return real.recordedChannels(...args);
      return real.recordedChannels(undefined, stage, channels);
    },
  };
});

const AS_OF = "2026-03-25"; // S2: day 25 of the billing month, and the day the owner promised to pay

async function events(units: AccountSnapshot[], options: Partial<PlanOptions> = {}): Promise<PlanEvent[]> {
  const out: PlanEvent[] = [];
  for await (const e of plan(memoryLedger(units), { asOf: AS_OF, ...options })) out.push(e);
  return out;
}
const sent = (all: PlanEvent[]) => all.flatMap((e) => (e.type === "planned" ? e.actions.filter((a) => a.audience === "owner" && a.sentWith === undefined) : []));
const waiting = (all: PlanEvent[]) => all.flatMap((e) => (e.type === "planned" ? (e.waiting ?? []).map((w) => `${w.code} ${w.action.accountId} ${w.action.stage}`) : []));

const march = (id: string, amountMinor: number) => [{ id, period: "2026-03", dueOn: "2026-03-01", amountMinor }];
/** Owner O-1's parking space: on 03-10 the owner promised to pay its February fee by 03-25, and has not. */
const promised: AccountSnapshot = {
  id: "P-1",
  owner: { id: "O-1" },
  charges: [{ id: "cp", period: "2026-02", dueOn: "2026-02-01", amountMinor: 15000 }],
  holds: [{ type: "promiseToPay", id: "pr1", madeOn: "2026-03-10", promisedOn: AS_OF }],
};
/** Owner O-1's storeroom: March unpaid, so S2's dunning notice is due today. */
const storeroom: AccountSnapshot = { id: "S-1", owner: { id: "O-1" }, charges: march("cs", 5000) };

describe("the promised day's call goes on the agreed date, whatever else the owner got that day", () => {
  it("the flat's dunning notice was carried out this morning: the parking space's call still goes today; the storeroom's notice waits", async () => {
    const flat: AccountSnapshot = { id: "F-1", owner: { id: "O-1" }, charges: march("cf", 32000), actions: [{ id: "F-1:dunning_notice@cf", stage: "dunning_notice", on: AS_OF, covers: ["dunning_notice@cf"], channels: ["doorPosting", "sms"] }] };
    const all = await events([flat, promised, storeroom]);
    expect(sent(all).map((a) => [a.accountId, a.stage, a.channels])).toEqual([["P-1", "promise_follow_up", ["phone"]]]);
    // Why it goes though the owner was contacted: said for auditors, with the contact it passed.
    expect(sent(all)[0]!.because.delivery?.join(" ")).toMatch(/owner O-1 was already contacted on 2026-03-25 \(F-1:dunning_notice@cf, unit F-1\); the promised day's call goes all the same.*断其后路/);
    expect(waiting(all)).toEqual(["owner_contacted_today S-1 dunning_notice"]);
  });

  it("the caps counted over the owner's units are full: the call goes all the same (the owner agreed to it); the storeroom's notice waits", async () => {
    // At most one contact a week on any channel; the flat (paid up) got its bill by SMS on 03-20,
    // inside the week 03-19..03-25.
    const capped = parsePolicy({ ...(builtinPolicySource("residential") as object), id: "weekly", version: "1", contact: { caps: [{ channel: "any", max: 1, withinDays: 7 }] } });
    const flat: AccountSnapshot = {
      id: "F-1",
      owner: { id: "O-1" },
      charges: march("cf", 32000),
      payments: [{ id: "pf", on: "2026-03-20", amountMinor: 32000 }],
      actions: [{ id: "F-1:billing_notice@cf", stage: "billing_notice", on: "2026-03-20", covers: ["billing_notice@cf"], channels: ["sms"] }],
    };
    // Alone, the parking space has no contact this week: its call goes, with nothing to say about caps.
    const alone = sent(await events([{ ...promised, owner: undefined }], { policy: capped }));
    expect(alone.map((a) => [a.stage, a.channels, a.because.delivery ?? []])).toEqual([["promise_follow_up", ["phone"], []]]);
    const all = await events([flat, promised, storeroom], { policy: capped });
    expect(sent(all).map((a) => [a.accountId, a.stage, a.channels])).toEqual([["P-1", "promise_follow_up", ["phone"]]]);
    expect(sent(all)[0]!.because.delivery?.join(" ")).toMatch(/phone: the caps counted over owner O-1's units are full, but the owner agreed to this call/);
    // The storeroom's notice is capped by the owner's week (and would wait behind the call anyway).
    expect(waiting(all)).toEqual(["owner_frequency_cap S-1 dunning_notice"]);
  });

  it("two units' promises fall on the same day: both calls go (each agreed for that date); a notice waits behind them", async () => {
    const promisedToo: AccountSnapshot = { ...promised, id: "P-2", holds: [{ type: "promiseToPay", id: "pr2", madeOn: "2026-03-12", promisedOn: AS_OF }] };
    const all = await events([promised, promisedToo, storeroom]);
    expect(sent(all).map((a) => [a.accountId, a.stage])).toEqual([
      ["P-1", "promise_follow_up"],
      ["P-2", "promise_follow_up"],
    ]);
    expect(waiting(all)).toEqual(["one_action_per_owner S-1 dunning_notice"]);
  });
});

describe("what the owner was sent is read as the scheduler reads it (review s5, item 15)", () => {
  it("the promised day's call recorded this morning without channels is a contact: the storeroom's notice waits", async () => {
    const called: AccountSnapshot = { ...promised, actions: [{ id: "P-1:promise_follow_up@pr1", stage: "promise_follow_up", on: AS_OF, covers: ["promise_follow_up@pr1"] }] };
    const all = await events([called, storeroom]);
    expect(sent(all)).toEqual([]);
    expect(waiting(all)).toEqual(["owner_contacted_today S-1 dunning_notice"]);
  });

  it("a dunning notice recorded this morning under the stage id a newer version renamed is a contact: the storeroom's notice waits", async () => {
    const residential = builtinPolicySource("residential") as { version: string; stages: Array<{ id: string }> };
    const next = parsePolicy({
      ...residential,
      id: "sunny-court",
      version: "2026.3",
      stages: residential.stages.map((s) => (s.id === "dunning_notice" ? { ...s, id: "dunning_letter" } : s)),
      continues: { version: residential.version, stages: { dunning_notice: "dunning_letter" } },
    });
    const flat: AccountSnapshot = { id: "F-1", owner: { id: "O-1" }, charges: march("cf", 32000), actions: [{ id: "F-1:dunning_notice@cf", stage: "dunning_notice", on: AS_OF, covers: ["dunning_notice@cf"] }] };
    // Alone, the storeroom gets the renamed dunning letter today.
    expect(sent(await events([{ ...storeroom, owner: undefined }], { policy: next })).map((a) => a.stage)).toEqual(["dunning_letter"]);
    const all = await events([flat, storeroom], { policy: next });
    expect(sent(all)).toEqual([]);
    expect(waiting(all)).toEqual(["owner_contacted_today S-1 dunning_letter"]);
  });
});

describe("the proof kit catches the raw reading (one-owner-one-action-a-day)", () => {
  it("a promise's call recorded without channels, read among the policy file's stages only, lets another unit's notice go when the day is planned again", () => {
    const residential = parsePolicy(builtinPolicySource("residential"));
    const check = () => checkPolicy(residential, { only: ["one-owner-one-action-a-day"], runs: 25, seed: 18 }).results.map((r) => (r.ok ? "ok" : r.error));
    expect(check()).toEqual(["ok"]);
    reading.mode = "raw";
    try {
      expect(check()).toEqual([expect.stringMatching(/^planned again on \d{4}-\d\d-\d\d after recording, owner O-1 gets dunningNotice U-\d:dunning_notice@c\d+ too/)]);
    } finally {
      reading.mode = "real";
    }
  });
});
