/**
 * A shard's tally across a crash, without PostgreSQL: plan() over a memory ledger whose owners'
 * hold several units (so that plan()'s cursor lags behind what it has planned inside an owner), an
 * attempt cut short after every possible event, and a retry from what its last checkpoint saved.
 * Whatever the crash point and the checkpoint interval, the two attempts count each account of the
 * ledger once, and every account is planned by one of them (none passed by a saved cursor).
 */
import { describe, expect, it } from "vitest";
import { memoryLedger } from "../adapters/memory.js";
import type { AccountSnapshot } from "../ledger/account.js";
import { plan, type PlanEvent } from "../ledger/plan.js";
import { ShardTally, type TallyCheckpoint } from "./tally.js";

const AS_OF = "2026-03-25";
/** 30 flats, R-01 … R-30, each owing March; owners X (3, 17, 25), Y (8, 9) and Z (29) hold several or one; R-12's charge is due on a day that does not exist. */
const OWNERS: Record<number, string> = { 3: "X", 17: "X", 25: "X", 8: "Y", 9: "Y", 29: "Z" };
const ACCOUNTS: AccountSnapshot[] = Array.from({ length: 30 }, (_, i) => {
  const n = i + 1;
  const id = `R-${String(n).padStart(2, "0")}`;
  return {
    id,
    charges: [{ id: `c${n}`, period: "2026-03", dueOn: n === 12 ? "2026-02-30" : "2026-03-01", amountMinor: 32000 }],
    ...(OWNERS[n] ? { owner: { id: OWNERS[n]! } } : {}),
  };
});
/** From the ledger: every account once, R-12 skipped (its due date), the other 29 planned. */
const EXPECTED = { planned: 29, skipped: 1 };

/** One attempt: plan from `saved`'s cursor, a checkpoint every `every` events, cut short after `crashAfter` events (the rest never happens). */
async function attempt(saved: TallyCheckpoint, every: number, crashAfter = Infinity): Promise<{ saved: TallyCheckpoint; yielded: PlanEvent[]; finished: boolean }> {
  const tally = new ShardTally(saved);
  const yielded: PlanEvent[] = [];
  let last = saved;
  let cursor = saved.cursor;
  for await (const event of plan(tally.tap(memoryLedger(ACCOUNTS)), { asOf: AS_OF, ...(saved.cursor !== null ? { after: saved.cursor } : {}) })) {
    if (yielded.length === crashAfter) return { saved: last, yielded, finished: false };
    tally.note(event);
    yielded.push(event);
    cursor = event.cursor;
    if (yielded.length % every === 0) last = tally.checkpoint(cursor);
  }
  return { saved: { cursor, ...tally.counts }, yielded, finished: true };
}

describe("ShardTally: each account counted once when a shard is retried from its cursor", () => {
  it("the ledger makes plan()'s cursor lag: an owner's events but the last carry the cursor before the owner's first unit", async () => {
    const { yielded } = await attempt({ cursor: null, planned: 0, skipped: 0 }, 1);
    // Read in key order: the 24 flats without an owner (R-01 … R-30 by id), then owner X's units, then Y's, then Z's.
    const cursorOf = (id: string) => yielded.find((e) => e.accountId === id)!.cursor;
    expect([cursorOf("R-03"), cursorOf("R-17")]).toEqual([cursorOf("R-30"), cursorOf("R-30")]);
    expect(cursorOf("R-25")).not.toBe(cursorOf("R-30"));
    expect(yielded.map((e) => e.accountId).sort()).toEqual(ACCOUNTS.map((a) => a.id));
  });

  for (const every of [1, 2, 3, 5]) {
    it(`a checkpoint every ${every} event${every > 1 ? "s" : ""}, a crash after any event: ${EXPECTED.planned} planned and ${EXPECTED.skipped} skipped, every account planned`, async () => {
      for (let crashAfter = 0; crashAfter <= ACCOUNTS.length; crashAfter++) {
        const first = await attempt({ cursor: null, planned: 0, skipped: 0 }, every, crashAfter);
        const retry = await attempt(first.saved, every);
        expect(retry.finished).toBe(true);
        const where = `crash after ${crashAfter} events, resumed after ${String(first.saved.cursor)}`;
        expect({ planned: retry.saved.planned, skipped: retry.saved.skipped }, where).toEqual(EXPECTED);
        // Nothing is passed by the saved cursor: every account is yielded before the crash or by the retry.
        const seen = new Set([...first.yielded, ...retry.yielded].map((e) => e.accountId));
        expect([...seen].sort(), where).toEqual(ACCOUNTS.map((a) => a.id));
      }
    });
  }
});
