/**
 * Owners with several units (#18): every bundled adapter streams in the read order (owner id,
 * else account id; then account id), gives the same events in the same order as planning all
 * units at once, holds one owner's units at most, resumes from any event's cursor without
 * splitting an owner, and resumes from an account id alone (the cursor of the id-order versions).
 */
import { describe, expect, it } from "vitest";
import { compareIds } from "../src/adapters/common.js";
import type { LedgerAdapter } from "../src/ledger/adapter.js";
import { accountsPlanner, plan, type PlanEvent } from "../src/ledger/plan.js";
import { compareReadOrder, shardKeyOf } from "../src/ledger/read-order.js";
import type { AccountSnapshot } from "../src/ledger/account.js";
import { actionsOf, AS_OF, available, comparable, ESTATE, KINDS, ledgerOf, ORDERED, planAll, useScratchLedgers } from "./adapters-harness.js";

useScratchLedgers("adapters-read-order.test.ts");

const OWNED: AccountSnapshot[] = ESTATE.map((a, i) => ({ ...a, owner: { ...a.owner, id: `O-${String(i % 40).padStart(2, "0")}` } }));
/** OWNED in the read order (owner key, then account id): how a JSON Lines file must be written. */
const OWNED_IN_ORDER = [...OWNED].sort((a, b) => compareReadOrder({ key: shardKeyOf(a), id: a.id }, { key: shardKeyOf(b), id: b.id }));

/** `ledger` with a count of the entries it has handed over, for the most `plan()` ever held (entries handed over, not yet back as events: each entry gives one event). */
async function mostHeld(ledger: LedgerAdapter): Promise<{ events: PlanEvent[]; held: number }> {
  let handed = 0;
  const counted: LedgerAdapter = {
    ...ledger,
    accounts: (options) => ({
      async *[Symbol.asyncIterator]() {
        for await (const entry of ledger.accounts(options)) (handed++, yield entry);
      },
    }),
  };
  const events: PlanEvent[] = [];
  let held = 0;
  for await (const event of plan(counted, { asOf: AS_OF })) held = Math.max(held, handed - events.push(event));
  return { events, held };
}

describe("owners with several units: every adapter streams in the read order (#18)", () => {
  it(`gives the same events in the same order through ${KINDS.filter(available).join(", ")}, as planning all units at once does`, async () => {
    // The reference: every unit at once, grouped by owner (the proof kit's planner, which holds everything).
    const atOnce = accountsPlanner({})(OWNED, AS_OF);
    const reference = await planAll((await ledgerOf("memory", OWNED)).ledger);
    expect(comparable(reference)).toEqual(comparable(atOnce));
    expect(reference.map((e) => e.accountId)).toEqual(OWNED_IN_ORDER.map((a) => a.id));
    expect(actionsOf(reference).length).toBeGreaterThan(20);
    // The owner pass ran: some owner had a second unit's action held back for a later day.
    expect(reference.some((e) => e.type === "planned" && e.waiting !== undefined)).toBe(true);
    for (const kind of KINDS.filter(available)) {
      const events = await planAll((await ledgerOf(kind, OWNED_IN_ORDER)).ledger);
      if (kind === "jsonl") expect(comparable(events), kind).toEqual(comparable(reference));
      else expect(events, kind).toEqual(reference);
      expect(events.map((e) => e.accountId), kind).toEqual(OWNED_IN_ORDER.map((a) => a.id));
    }
  });

  it("holds one owner's units at most: 40 owners of 4 units each, never more than 4 held (a counting adapter)", async () => {
    for (const kind of (["memory", "sqlite", "jsonl"] as const).filter(available)) {
      const { events, held } = await mostHeld((await ledgerOf(kind, OWNED_IN_ORDER)).ledger);
      expect(events, kind).toHaveLength(160);
      expect(held, kind).toBe(4);
    }
    // Units that name no owner are planned as they are read: nothing is held.
    expect((await mostHeld((await ledgerOf("sqlite", ESTATE)).ledger)).held).toBe(0);
  });

  it("an account id alone, the cursor of the id-order versions, resumes with every unit that names an owner (they all waited then) and the others after it", async () => {
    // Half the units name an owner; the old run had planned the others up to R-0080.
    const mixed = ESTATE.map((a, i) => (i % 2 === 0 ? { ...a, owner: { ...a.owner, id: `O-${String(i % 30).padStart(2, "0")}` } } : a));
    const inOrder = [...mixed].sort((a, b) => compareReadOrder({ key: shardKeyOf(a), id: a.id }, { key: shardKeyOf(b), id: b.id }));
    const expected = inOrder.filter((a) => a.owner?.id !== undefined || compareIds(a.id, "R-0080") > 0).map((a) => a.id);
    expect(expected.length).toBeLessThan(mixed.length);
    for (const kind of ORDERED.filter(available)) {
      const ids: string[] = [];
      for await (const entry of (await ledgerOf(kind, inOrder)).ledger.accounts({ after: "R-0080" })) if (entry.ok) ids.push(entry.account.id);
      expect(ids, kind).toEqual(expected);
    }
  });

  for (const kind of KINDS.filter(available))
    it(`${kind}: a run stopped after any event resumes from its cursor with no owner split and nothing lost`, async () => {
      const { ledger } = await ledgerOf(kind, OWNED_IN_ORDER);
      const whole = await planAll(ledger);
      const ownerOf = new Map(OWNED.map((a) => [a.id, a.owner!.id!]));
      for (let stop = 1; stop < whole.length; stop += kind === "postgres" ? 7 : 3) {
        const resumed = await planAll(ledger, { after: whole[stop - 1]!.cursor });
        // After an owner's last event, exactly the rest; after any other, the rest from that
        // owner's first unit: the owner is planned again whole (the journal sends nothing twice).
        const owner = ownerOf.get(whole[stop - 1]!.accountId);
        const ownerDone = stop === whole.length || ownerOf.get(whole[stop]!.accountId) !== owner;
        const from = ownerDone ? stop : whole.findIndex((e) => ownerOf.get(e.accountId) === owner);
        expect(resumed, `stopped after ${stop}`).toEqual(whole.slice(from));
      }
    });
});
