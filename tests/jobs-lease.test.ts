/**
 * A shard's attempt and its lease, against the real PostgreSQL and pg-boss 10 with worker
 * processes: a shard that runs longer than its job's expiry, while making progress, is neither
 * handed out again as a failure nor sent to the dead-letter queue; and a sender that throws is
 * counted as a refusal, not as a hand-over repeated after a worker died.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { deadLetters, openJobs, runProgress, SHARD_QUEUE, startRun, waitForRun, type RunProgress } from "../src/jobs/index.js";
import { AS_OF, harness, PG_URL, type Harness } from "./jobs-harness.js";

/** The pg-boss retry count of each shard job (live or archived). */
const RETRY_COUNTS = "SELECT retry_count FROM pgboss.job WHERE name = 'pd-shard' UNION ALL SELECT retry_count FROM pgboss.archive WHERE name = 'pd-shard'";

const duplicates = (ids: readonly string[]) => ids.filter((id, i) => ids.indexOf(id) !== i);

describe.skipIf(PG_URL === undefined)(PG_URL === undefined ? "shard leases — SKIPPED: PD_POSTGRES_URL is not set" : "a shard's lease", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await harness();
  }, 60_000);
  afterAll(async () => h?.close(), 60_000);

  it("a healthy shard that runs past its job's expiry: never failed, never retried, never in the dead-letter queue; each action sent once", async () => {
    const s = await h.scenario("long");
    const expireInSeconds = 2;
    // One shard, a sender slow enough that the shard takes about three leases.
    const msPerAction = Math.ceil((3 * expireInSeconds * 1000) / h.expected.length);
    const procs = await h.startWorkers(2, s.queue, s.sentFile, { msPerAction });
    const started = await startRun({ queue: s.queue, ledger: s.ledger, asOf: AS_OF, shards: 1, shardSettings: { retryLimit: 1, retryDelaySeconds: 1, retryBackoff: false, expireInSeconds } });
    const seen: RunProgress[] = [];
    const began = Date.now();
    const outcome = await waitForRun({ queue: s.queue }, started.runId, { pollMs: 200, timeoutMs: 60_000, onProgress: (p) => seen.push(p) });
    const took = (Date.now() - began) / 1000;
    await h.stopWorkers(procs);
    expect(seen.filter((p) => p.shards.failed > 0), h.logs()).toEqual([]);
    expect(outcome, h.logs()).toMatchObject({ shards: { total: 1, done: 1, failed: 0, pending: 0 }, retries: 0, retriedShards: 0, failures: [], finished: true });
    const sent = h.sent(s.sentFile).map(([id]) => id);
    expect(duplicates(sent)).toEqual([]);
    expect([...sent].sort()).toEqual(h.expected);
    expect(outcome.accounts).toEqual({ planned: h.accountIds.length, skipped: 0 });
    // The case can fail only if the shard did outlive its lease.
    expect(took).toBeGreaterThan(2 * expireInSeconds);
    // pg-boss never took the attempt for dead: the shard's job was fetched once (its retry count is spent at each fetch after the first).
    expect((await h.rowsOf(s.queue, RETRY_COUNTS)).map((r) => r.retry_count), h.logs()).toEqual([0]);
    // Still done a while later: pg-boss's maintenance found no lapsed attempt to fail.
    await new Promise((r) => setTimeout(r, 1500));
    expect((await runProgress({ queue: s.queue }, started.runId)).shards).toEqual({ total: 1, done: 1, failed: 0, pending: 0 });
  }, 120_000);

  it("a duplicate job for a shard in hand (sent again while it runs): the second worker waits for the first, finds the shard done and completes; no failure, nothing in the dead-letter queue, nothing sent twice", async () => {
    const s = await h.scenario("dup");
    const msPerAction = Math.ceil(8000 / h.expected.length);
    const procs = await h.startWorkers(2, s.queue, s.sentFile, { msPerAction });
    const started = await startRun({ queue: s.queue, ledger: s.ledger, asOf: AS_OF, shards: 1, shardSettings: { retryLimit: 1, retryDelaySeconds: 1, retryBackoff: false, expireInSeconds: 30 } });
    const context = await openJobs({ queue: s.queue, engine: { schedule: false, supervise: false } });
    const duplicate = randomUUID();
    try {
      for (let waited = 0; h.sent(s.sentFile).length === 0; waited += 100) {
        if (waited > 30_000) throw new Error(`the shard never began:\n${h.logs()}`);
        await new Promise((r) => setTimeout(r, 100));
      }
      await context.engine.send(SHARD_QUEUE, [{ id: duplicate, singletonKey: "sent again by hand", data: { runId: started.runId, shard: 0 } }], context.pool);
      const outcome = await waitForRun({ queue: s.queue }, started.runId, { pollMs: 200, timeoutMs: 60_000 });
      expect(outcome, h.logs()).toMatchObject({ shards: { total: 1, done: 1, failed: 0, pending: 0 }, retries: 0, failures: [] });
      let state: string | undefined;
      for (let waited = 0; state !== "completed" && state !== "failed"; waited += 200) {
        if (waited > 30_000) break;
        await new Promise((r) => setTimeout(r, 200));
        state = (await context.engine.states(SHARD_QUEUE, [duplicate])).get(duplicate)?.state;
      }
      expect(state, h.logs()).toBe("completed");
      expect(await deadLetters(context)).toEqual([]);
      expect(h.logs()).toMatch(/another worker is planning it; waiting for it/);
    } finally {
      await context.close();
      await h.stopWorkers(procs);
    }
    const sent = h.sent(s.sentFile).map(([id]) => id);
    expect(duplicates(sent)).toEqual([]);
    expect([...sent].sort()).toEqual(h.expected);
  }, 120_000);

  it("a sender that throws, then accepts on the retry: counted as refused then sent, not as handed over again after a worker died", async () => {
    const s = await h.scenario("refuse");
    const refusedAccount = h.expected[0]!.slice(0, h.expected[0]!.indexOf(":"));
    const actionsOfIt = h.expected.filter((id) => id.startsWith(`${refusedAccount}:`)).length;
    // The gateway refuses the account's first action once; the retry goes through.
    const procs = await h.startWorkers(1, s.queue, s.sentFile, { refuse: { account: refusedAccount, times: 1 } });
    const started = await startRun({ queue: s.queue, ledger: s.ledger, asOf: AS_OF, shards: 2, shardSettings: { retryLimit: 2, retryDelaySeconds: 1, retryBackoff: false, expireInSeconds: 30 } });
    const outcome = await waitForRun({ queue: s.queue }, started.runId, { pollMs: 200, timeoutMs: 60_000 });
    await h.stopWorkers(procs);
    expect(actionsOfIt).toBeGreaterThan(0);
    expect(outcome, h.logs()).toMatchObject({ shards: { total: 2, done: 2, failed: 0 }, retriedShards: 1, retries: 1 });
    expect(outcome.actions).toEqual({ sent: h.expected.length, handedOverAgain: 0, sentAfterRefusal: 1, refused: 0 });
  }, 120_000);
});
