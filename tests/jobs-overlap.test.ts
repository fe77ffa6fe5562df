/**
 * Two runs of one ledger worked at the same time (a manual run for the 25th still going when the
 * nightly catch-up for the 28th starts, or a schedule caught up while yesterday's run is retried),
 * against the real PostgreSQL and pg-boss 10 with worker processes. Their plans share action ids:
 * an action due on the 25th and not yet recorded is still due on the 28th. The journal must hand
 * each over once, and a worker that finds an action in another live worker's hands waits for it
 * rather than taking it for a dead worker's leftover and sending it again.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { openLedger } from "../src/adapters/open.js";
import { startRun, waitForRun } from "../src/jobs/index.js";
import { plan, type PolicyChoice } from "../src/ledger/plan.js";
import { parsePolicy } from "../src/rules/parse.js";
import { AS_OF, harness, PG_URL, root, type EstateAdjustment, type Harness } from "./jobs-harness.js";

const duplicates = (ids: readonly string[]) => ids.filter((id, i) => ids.indexOf(id) !== i);
const SETTINGS = { retryLimit: 2, retryDelaySeconds: 1, retryBackoff: false, expireInSeconds: 30 };
const LATER = "2026-11-28";

/**
 * Starts a worker that hangs, alive, inside its `hangAfter`th send, and the 25th's run of `s` (one
 * shard, `run`'s lease and policy); returns once it hangs, with what it handed over by then.
 */
async function runUntilHung(h: Harness, s: Awaited<ReturnType<Harness["scenario"]>>, hangAfter: number, run: { expireInSeconds: number; policy?: PolicyChoice }) {
  const [hung] = await h.startWorkers(1, s.queue, s.sentFile, { hangAfter, hungFile: s.hungFile });
  const first = await startRun({ queue: s.queue, ledger: s.ledger, asOf: AS_OF, ...(run.policy ? { policy: run.policy } : {}), shards: 1, shardSettings: { ...SETTINGS, expireInSeconds: run.expireInSeconds } });
  for (let waited = 0; !existsSync(s.hungFile); waited += 50) {
    if (waited > 30_000) throw new Error(`the worker never reached its send number ${hangAfter}:\n${h.logs()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return { hung: hung!, first, handedOver: h.sent(s.sentFile).map(([id]) => id) };
}

/** Every action the ledger at `url` records, by id: the days it was recorded on. */
async function recordedDays(url: string): Promise<Map<string, string[]>> {
  const ledger = await openLedger(url, { readonly: true });
  try {
    const recorded = new Map<string, string[]>();
    for await (const entry of ledger.accounts()) {
      if (!entry.ok) continue;
      for (const done of entry.account.actions ?? []) recorded.set(done.id, [...(recorded.get(done.id) ?? []), done.on]);
    }
    return recorded;
  } finally {
    await ledger.close();
  }
}

describe.skipIf(PG_URL === undefined)(PG_URL === undefined ? "overlapping runs — SKIPPED: PD_POSTGRES_URL is not set" : "two runs of one ledger at once", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await harness();
  }, 60_000);
  afterAll(async () => h?.close(), 60_000);

  for (const batch of [false, true]) {
    it(`the 25th's and the 28th's runs planned side by side by two workers${batch ? " (a batch sender)" : ""}: every action the two days share is sent once, and recorded on the day of the run that sent it`, async () => {
      const s = await h.scenario(batch ? "overlap_batch" : "overlap");
      // One shard each, so that the two workers walk the same accounts in the same order at the same time;
      // a sender slow enough that each action stays in a worker's hands while the other arrives at it.
      const first = await startRun({ queue: s.queue, ledger: s.ledger, asOf: AS_OF, shards: 1, shardSettings: SETTINGS });
      const second = await startRun({ queue: s.queue, ledger: s.ledger, asOf: LATER, shards: 1, shardSettings: SETTINGS });
      const procs = await h.startWorkers(2, s.queue, s.sentFile, { msPerAction: 40, batch });
      const outcomes = [
        await waitForRun({ queue: s.queue }, first.runId, { pollMs: 200, timeoutMs: 90_000 }),
        await waitForRun({ queue: s.queue }, second.runId, { pollMs: 200, timeoutMs: 90_000 }),
      ];
      await h.stopWorkers(procs);
      const sent = h.sent(s.sentFile).map(([id]) => id);
      // The two shards were in hand at the same time (else the case proves nothing about two at once).
      const spans = await h.rowsOf(s.queue, "SELECT started_on, completed_on FROM pgboss.job WHERE name = 'pd-shard' UNION ALL SELECT started_on, completed_on FROM pgboss.archive WHERE name = 'pd-shard'");
      expect(spans, h.logs()).toHaveLength(2);
      const [a, b] = spans.map((r) => [(r.started_on as Date).getTime(), (r.completed_on as Date).getTime()] as const);
      expect(Math.max(a![0], b![0]), h.logs()).toBeLessThan(Math.min(a![1], b![1]));
      expect(duplicates(sent), h.logs()).toEqual([]);
      for (const id of h.expected) expect(sent).toContain(id);
      expect(outcomes.map((o) => o.shards), h.logs()).toEqual([
        { total: 1, done: 1, failed: 0, pending: 0 },
        { total: 1, done: 1, failed: 0, pending: 0 },
      ]);
      // Nothing was taken for a dead worker's leftover: no worker died.
      expect(outcomes.map((o) => o.actions.handedOverAgain)).toEqual([0, 0]);
      expect(outcomes[0]!.actions.sent + outcomes[1]!.actions.sent).toBe(sent.length);
      // The journal says which run sent each action; the ledger records it on that run's day, once.
      const byRun = new Map((await h.rowsOf(s.queue, "SELECT action_id, run_id FROM pd_jobs.sent")).map((r) => [r.action_id as string, r.run_id as string]));
      const dayOf = new Map([
        [first.runId, AS_OF],
        [second.runId, LATER],
      ]);
      const recorded = await recordedDays(s.ledger);
      for (const id of sent) expect([id, recorded.get(id)]).toEqual([id, [dayOf.get(byRun.get(id)!)]]);
    }, 150_000);
  }

  /**
   * A worker of the 25th's run that hangs inside its 7th send, alive (its connection, so its shard
   * lock, lives on): the 7th action written to the sent file, journalled `sending`, and what it
   * handed over since its last checkpoint not recorded. With the 28th's plan (read before anything
   * is recorded), whose actions the cases need some of the hung worker's to be among.
   */
  async function hungInSend(name: string, expireInSeconds: number) {
    const s = await h.scenario(name);
    const later = new Set<string>();
    const ledger = await openLedger(s.ledger, { readonly: true });
    try {
      for await (const event of plan(ledger, { asOf: LATER })) if (event.type === "planned") for (const a of event.actions) later.add(a.id);
    } finally {
      await ledger.close();
    }
    const { hung, first, handedOver } = await runUntilHung(h, s, 7, { expireInSeconds });
    expect(handedOver).toHaveLength(7);
    return { s, hung, first, later, handedOver };
  }

  it("a worker killed after handing the 25th's first actions over, before the ledger recorded them; the 28th's run comes first: it sends none of them again, and the ledger records them on the 25th", async () => {
    // A short lease, so that the 25th's shard is retried once the 28th's is done.
    const { s, hung: doomed, first, later, handedOver } = await hungInSend("overlap_killed", 8);
    doomed.kill("SIGKILL");
    await new Promise((r) => doomed.once("exit", r));
    expect(handedOver.filter((id) => later.has(id)).length).toBeGreaterThan(0);
    // The 28th's run is queued while the 25th's shard is still taken (its lease has not lapsed), so the rescuer plans it first.
    const second = await startRun({ queue: s.queue, ledger: s.ledger, asOf: LATER, shards: 1, shardSettings: SETTINGS });
    const [rescuer] = await h.startWorkers(1, s.queue, s.sentFile);
    await waitForRun({ queue: s.queue }, second.runId, { pollMs: 200, timeoutMs: 60_000 });
    const afterSecond = await recordedDays(s.ledger);
    await waitForRun({ queue: s.queue }, first.runId, { pollMs: 200, timeoutMs: 60_000 });
    await h.stopWorkers([rescuer!]);
    const sent = h.sent(s.sentFile).map(([id]) => id);
    expect(duplicates(sent), h.logs()).toEqual([]);
    for (const id of h.expected) expect(sent).toContain(id);
    // Recorded by the 28th's run, which sent none of them: on the day they went out.
    for (const id of handedOver.filter((i) => later.has(i))) expect([id, afterSecond.get(id)]).toEqual([id, [AS_OF]]);
    const recorded = await recordedDays(s.ledger);
    for (const id of handedOver) expect([id, recorded.get(id)]).toEqual([id, [AS_OF]]);
  }, 150_000);

  /**
   * The worker hung in its sender (its lease long) holding an action the 28th's plan shares, while
   * `the28th` runs: the 28th's worker waits for it, then stops, as it is told to (the shard handed
   * back, no retry spent), or gives the attempt up once the holder has made no progress for a
   * whole lease. Either way, the held action went out once, by the holder.
   */
  async function withStuckHolder(name: string, the28th: (s: Awaited<ReturnType<typeof hungInSend>>["s"], first: { runId: string }) => Promise<void>) {
    const { s, hung: stuck, first, later, handedOver } = await hungInSend(name, 120);
    const held = handedOver.at(-1)!;
    // The case needs the action in the stuck worker's hands to be one the 28th plans too (the estate is fixed: it is).
    expect(later.has(held)).toBe(true);
    try {
      await the28th(s, first);
    } finally {
      stuck.kill("SIGKILL");
    }
    const sent = h.sent(s.sentFile).map(([id]) => id);
    expect(duplicates(sent)).toEqual([]);
    expect(sent.filter((id) => id === held)).toEqual([held]);
  }

  it("the holder stuck in its sender for a whole lease: the 28th's worker waits, then gives its attempt up with that reason; it sends nothing the holder has", async () => {
    await withStuckHolder("overlap_stall", async (s) => {
      const second = await startRun({ queue: s.queue, ledger: s.ledger, asOf: LATER, shards: 1, shardSettings: { retryLimit: 0, retryDelaySeconds: 1, retryBackoff: false, expireInSeconds: 3 } });
      const [waiter] = await h.startWorkers(1, s.queue, s.sentFile);
      const outcome = await waitForRun({ queue: s.queue }, second.runId, { pollMs: 200, timeoutMs: 60_000 });
      expect(outcome.shards, h.logs()).toEqual({ total: 1, done: 0, failed: 1, pending: 0 });
      expect(outcome.failures[0]!.reason).toMatch(new RegExp(`run ${second.runId} shard 0: run [^ ]+ shard 0 holds actions of this ledger and has made no progress for \\d+ s`));
      expect(h.logs()).toContain(`[${waiter!.pid}] run ${second.runId} shard 0: run `);
      await h.stopWorkers([waiter!]);
    });
  }, 120_000);

  it("a worker told to stop while it waits for the holder: it hands its shard back (no retry spent) and exits", async () => {
    await withStuckHolder("overlap_stop", async (s, first) => {
      const second = await startRun({ queue: s.queue, ledger: s.ledger, asOf: LATER, shards: 1, shardSettings: SETTINGS });
      const logsBefore = h.logs().length;
      const [waiter] = await h.startWorkers(1, s.queue, s.sentFile);
      for (let waited = 0; !h.logs().slice(logsBefore).includes("is handing over actions this shard shares; waiting for it"); waited += 100) {
        if (waited > 30_000) throw new Error(`the second worker never waited for the holder:\n${h.logs()}`);
        await new Promise((r) => setTimeout(r, 100));
      }
      await h.stopWorkers([waiter!]);
      expect(waiter!.exitCode).toBe(0);
      expect(h.logs().slice(logsBefore)).toContain(`run ${second.runId} shard 0: handed back, to resume from its last checkpoint (stopping while run ${first.runId} shard 0 hands over actions this shard shares); no retry spent`);
      // Back in the queue as pg-boss leaves a job to retry, with no retry counted and no start: any worker may take it at once.
      const jobs = await h.rowsOf(s.queue, `SELECT state::text, retry_count, started_on FROM pgboss.job WHERE name = 'pd-shard' AND data->>'runId' = '${second.runId}'`);
      expect(jobs).toEqual([{ state: "retry", retry_count: 0, started_on: null }]);
    });
  }, 120_000);
});

/** Flats 0 and 1, 2 and 3, … share an owner, whose policy (north-park) sends one notice for both units. */
const twoFlatOwners: EstateAdjustment = (accounts) =>
  accounts.map((a, i) => (a.segment === "commercial" ? a : { ...a, owner: { ...a.owner, id: `O-${i - (i % 2)}` } }));
const northPark = { residential: parsePolicy(JSON.parse(readFileSync(join(root, "examples/recipes/north-park.json"), "utf8"))) };

describe.skipIf(PG_URL === undefined)(PG_URL === undefined ? "overlapping runs, owners of two units — SKIPPED: PD_POSTGRES_URL is not set" : "two runs of one ledger, owners of two units", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await harness({ adjust: twoFlatOwners });
  }, 60_000);
  afterAll(async () => h?.close(), 60_000);

  it("an action carried in its owner's notice (sentWith) is recorded on the day the notice went out: the 25th's, when the 28th's run records what a killed worker of the 25th's handed over, with a checkpoint due between the owner's units", async () => {
    const s = await h.scenario("overlap_owners");
    // What the 28th's plan carries in another unit's notice (never handed over, only recorded), and
    // what the 25th's hands over, in the order its worker walks the ledger.
    const carried = new Map<string, string>();
    const sendable: string[] = [];
    const laterEvents: string[] = [];
    const ledger = await openLedger(s.ledger, { readonly: true });
    try {
      for await (const event of plan(ledger, { asOf: LATER, policy: northPark })) {
        laterEvents.push(event.accountId);
        if (event.type === "planned") for (const a of event.actions) if (a.sentWith !== undefined) carried.set(a.id, a.sentWith);
      }
      for await (const event of plan(ledger, { asOf: AS_OF, policy: northPark })) if (event.type === "planned") for (const a of event.actions) if (a.sentWith === undefined) sendable.push(a.id);
    } finally {
      await ledger.close();
    }
    // The worker of the 25th hangs right after handing over the first notice whose carried action
    // the 28th plans too, before it records it or what it carries (the estate is fixed: there is one).
    const carriers = new Set(carried.values());
    const hangAfter = sendable.findIndex((id) => carriers.has(id)) + 1;
    expect(hangAfter).toBeGreaterThan(0);
    const { hung: doomed, first, handedOver } = await runUntilHung(h, s, hangAfter, { policy: northPark, expireInSeconds: 8 });
    doomed.kill("SIGKILL");
    await new Promise((r) => doomed.once("exit", r));
    const notice = sendable[hangAfter - 1]!;
    expect(handedOver.at(-1)).toBe(notice);
    const cases = [...carried].filter(([, carrier]) => carrier === notice);
    const beforeSecond = await recordedDays(s.ledger);
    for (const id of [notice, ...cases.map(([id]) => id)]) expect(beforeSecond.get(id)).toBeUndefined();
    const second = await startRun({ queue: s.queue, ledger: s.ledger, asOf: LATER, policy: northPark, shards: 1, shardSettings: SETTINGS });
    // The rescuer checkpoints right after the first of the owner's two units: between the notice and what it carries.
    const unitsOf = cases.flatMap(([id, carrier]) => [id, carrier].map((x) => x.split(":")[0]!));
    const checkpointEvery = laterEvents.findIndex((id) => unitsOf.includes(id)) + 1;
    expect(checkpointEvery).toBeGreaterThan(0);
    const [rescuer] = await h.startWorkers(1, s.queue, s.sentFile, { checkpointEvery });
    await waitForRun({ queue: s.queue }, second.runId, { pollMs: 200, timeoutMs: 60_000 });
    const afterSecond = await recordedDays(s.ledger);
    await waitForRun({ queue: s.queue }, first.runId, { pollMs: 200, timeoutMs: 60_000 });
    await h.stopWorkers([rescuer!]);
    // The 28th's run sent none of those notices (the journal says the 25th's did), and records them and what they carried on the 25th.
    for (const [id, carrier] of cases) expect([id, carrier, afterSecond.get(id), afterSecond.get(carrier)], h.logs()).toEqual([id, carrier, [AS_OF], [AS_OF]]);
    expect(duplicates(h.sent(s.sentFile).map(([id]) => id))).toEqual([]);
  }, 150_000);
});
