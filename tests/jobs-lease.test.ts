/**
 * A shard's attempt and its lease, against the real PostgreSQL and pg-boss 10 with worker
 * processes: a shard that runs longer than its job's expiry, while making progress, is neither
 * handed out again as a failure nor sent to the dead-letter queue; and a sender that throws is
 * counted as a refusal, not as a hand-over repeated after a worker died.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import pg from "pg";
import { deadLetters, isJobsError, openJobs, pgBossEngine, runProgress, SHARD_QUEUE, startRun, waitForRun, type EngineJob, type ReleaseOutcome, type RunProgress } from "../src/jobs/index.js";
import { AS_OF, harness, PG_URL, type Harness } from "./jobs-harness.js";

/** The pg-boss retry count of each shard job (live or archived). */
const RETRY_COUNTS = "SELECT retry_count FROM pgboss.job WHERE name = 'pd-shard' UNION ALL SELECT retry_count FROM pgboss.archive WHERE name = 'pd-shard'";

/** Polls `check` until it holds, or fails with `what` (and the workers' logs) after `ms`. */
async function until(check: () => boolean | Promise<boolean>, what: string, ms = 30_000): Promise<void> {
  for (let waited = 0; !(await check()); waited += 100) {
    if (waited > ms) throw new Error(what);
    await new Promise((r) => setTimeout(r, 100));
  }
}

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

  it("a worker waiting for a busy shard, stopped by SIGTERM: its job goes back to the queue without spending a retry (retry_count 0 before and after it is fetched again); the run completes, each action sent once", async () => {
    const s = await h.scenario("release");
    const logsBefore = h.logs().length;
    const msPerAction = Math.ceil(8000 / h.expected.length);
    const procs = await h.startWorkers(2, s.queue, s.sentFile, { msPerAction });
    const started = await startRun({ queue: s.queue, ledger: s.ledger, asOf: AS_OF, shards: 1, shardSettings: { retryLimit: 1, retryDelaySeconds: 1, retryBackoff: false, expireInSeconds: 30 } });
    const context = await openJobs({ queue: s.queue, engine: { schedule: false, supervise: false } });
    const duplicate = randomUUID();
    const jobOf = async (id: string) => (await h.rowsOf(s.queue, `SELECT state::text, retry_count, started_on FROM pgboss.job WHERE id = '${id}' UNION ALL SELECT state::text, retry_count, started_on FROM pgboss.archive WHERE id = '${id}'`))[0];
    try {
      await until(() => h.sent(s.sentFile).length > 0, "the shard never began");
      // A second job for the shard in hand: the other worker takes it and waits for the shard's lock.
      await context.engine.send(SHARD_QUEUE, [{ id: duplicate, singletonKey: "sent again by hand", data: { runId: started.runId, shard: 0 } }], context.pool);
      let waiter: number | undefined;
      await until(() => (waiter = Number(/\[(\d+)\] [^\n]*another worker is planning it; waiting for it/.exec(h.logs().slice(logsBefore))?.[1] ?? NaN)) > 0, "no worker waited for the shard");
      await h.stopWorkers(procs.filter((p) => p.pid === waiter));
      expect(h.logs().slice(logsBefore)).toMatch(new RegExp(`\\[${waiter}\\] run [^\\n]*: handed back unplanned \\(stopping while another worker plans it\\); no retry spent`));
      // Back in the queue as pg-boss leaves a job to retry, but as if never fetched: nothing spent.
      expect(await jobOf(duplicate), h.logs()).toMatchObject({ state: "retry", retry_count: 0, started_on: null });
      const outcome = await waitForRun({ queue: s.queue }, started.runId, { pollMs: 200, timeoutMs: 60_000 });
      expect(outcome, h.logs()).toMatchObject({ shards: { total: 1, done: 1, failed: 0, pending: 0 }, retries: 0, failures: [], finished: true });
      // The worker left takes the duplicate after its shard, finds the shard done: still no retry counted.
      await until(async () => (await jobOf(duplicate))?.state === "completed", "the duplicate was never completed");
      expect((await jobOf(duplicate))!.retry_count).toBe(0);
      expect((await h.rowsOf(s.queue, RETRY_COUNTS)).map((r) => r.retry_count)).toEqual([0, 0]);
      expect(await deadLetters(context)).toEqual([]);
    } finally {
      await context.close();
      await h.stopWorkers(procs);
    }
    const sent = h.sent(s.sentFile).map(([id]) => id);
    expect(duplicates(sent)).toEqual([]);
    expect([...sent].sort()).toEqual(h.expected);
  }, 120_000);

  it("an attempt that hands back a job no longer its own (another attempt took it): nothing changed, lease_lost reported, and release says so", async () => {
    const s = await h.scenario("releaselost");
    const errors: Error[] = [];
    const engine = await pgBossEngine({ url: s.queue, schedule: false, supervise: false, pollingIntervalSeconds: 0.2, onError: (e) => errors.push(e) });
    const pool = new pg.Pool({ connectionString: s.queue, max: 1 });
    const id = randomUUID();
    const jobOf = async () => (await pool.query("SELECT state::text, retry_count, started_on FROM pgboss.job WHERE id = $1", [id])).rows[0];
    try {
      await engine.start();
      await engine.ensureQueue("release-lost", { retryLimit: 2, retryDelaySeconds: 1, retryBackoff: false, expireInSeconds: 30 });
      await engine.send("release-lost", [{ id, singletonKey: "one", data: {} }], pool);
      const outcome = new Promise<{ released: ReleaseOutcome; row: Record<string, unknown> }>((resolve, reject) => {
        void engine.work("release-lost", 1, async (job: EngineJob<unknown>) => {
          try {
            // Another attempt's: its lease lapsed and the job was fetched again (a later started_on, a retry counted).
            await pool.query("UPDATE pgboss.job SET started_on = started_on + interval '1 minute', retry_count = retry_count + 1 WHERE id = $1", [id]);
            const before = await jobOf();
            resolve({ released: await job.release(), row: before });
          } catch (error) {
            reject(error);
          }
        });
      });
      const { released, row } = await outcome;
      expect(released).toBe("leaseLost");
      // The other attempt's job is left as it was: still active, its started_on and retry count unchanged.
      expect(await jobOf()).toEqual(row);
      expect(row).toMatchObject({ state: "active", retry_count: 1 });
      expect(errors.map((e) => (isJobsError(e) ? e.code : e.message))).toEqual(["lease_lost"]);
      expect(errors[0]!.message).toMatch(new RegExp(`job ${id} of release-lost: its lease lapsed`));
    } finally {
      await engine.stop({ timeoutMs: 1000 });
      await pool.end();
    }
  }, 60_000);

  it("a worker frozen past its lease (SIGSTOP), its job handed to another worker: on waking it finds the lease lost, stops work on the shard (lease_lost) and neither completes nor fails the other's attempt; the run completes, each action sent once", async () => {
    const s = await h.scenario("lapse");
    const logsBefore = h.logs().length;
    const expireInSeconds = 2;
    const msPerAction = Math.ceil(10_000 / h.expected.length);
    const [frozen] = await h.startWorkers(1, s.queue, s.sentFile, { msPerAction });
    const started = await startRun({ queue: s.queue, ledger: s.ledger, asOf: AS_OF, shards: 1, shardSettings: { retryLimit: 20, retryDelaySeconds: 1, retryBackoff: false, expireInSeconds } });
    let others: Awaited<ReturnType<Harness["startWorkers"]>> = [];
    try {
      await until(() => h.sent(s.sentFile).length >= 5, "the shard never began");
      frozen!.kill("SIGSTOP");
      others = await h.startWorkers(1, s.queue, s.sentFile, { msPerAction });
      // The lease lapsed and the other worker fetched the job: pg-boss counted that (a real failure).
      await until(async () => (await h.rowsOf(s.queue, RETRY_COUNTS)).some((r) => Number(r.retry_count) >= 1), "the job was never handed out again", 60_000);
      frozen!.kill("SIGCONT");
      const outcome = await waitForRun({ queue: s.queue }, started.runId, { pollMs: 200, timeoutMs: 90_000 });
      expect(outcome, h.logs()).toMatchObject({ shards: { total: 1, done: 1, failed: 0, pending: 0 }, failures: [], finished: true });
      expect(h.logs().slice(logsBefore)).toMatch(new RegExp(`\\[${frozen!.pid}\\] run [^\\n]*: stopped: job [^\\n]*its lease lapsed and the job was handed to another attempt`));
    } finally {
      frozen!.kill("SIGCONT");
      await h.stopWorkers([frozen!, ...others]);
    }
    const sent = h.sent(s.sentFile).map(([id]) => id);
    expect(duplicates(sent)).toEqual([]);
    expect([...sent].sort()).toEqual(h.expected);
  }, 180_000);

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
