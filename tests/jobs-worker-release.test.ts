/**
 * What a worker says when it stops while another worker holds the shard it waits for, for each
 * outcome of handing its job back (src/jobs/worker.ts, `job.release()`), against the real
 * PostgreSQL and pg-boss: in-process workers (startWorker) on a queue database of the case's own.
 * The "other worker" is this test holding the shard's advisory lock, as a worker planning it does.
 *
 * - handed back: covered by tests/jobs-lease.test.ts (SIGTERM while waiting);
 * - failed: another job of the shard's singleton key already waits in retry (a 'stately' queue
 *   holds one there), so the job cannot go back: it is failed, and the worker says why;
 * - leaseLost: the job is another attempt's by then (its started_on moved on: its lease lapsed and
 *   it was fetched again), so nothing is handed back, and the worker says so.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { pgAdmin } from "./helpers.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureDemoEstate } from "../src/demo/estate.js";
import { SHARD_QUEUE, openJobs, runIdOf, startRun, startWorker } from "../src/jobs/index.js";
import { shardJobIdOf } from "../src/jobs/run.js";
import { ledgerKeyOf } from "../src/jobs/store.js";

const PG_URL = process.env.PD_POSTGRES_URL || undefined;
const AS_OF = "2026-11-25";

describe.skipIf(!PG_URL)("a worker stopping while another holds its shard: the log line of each release outcome", () => {
  const dir = mkdtempSync(join(tmpdir(), "pd-release-"));
  const ledger = `sqlite:${join(dir, "estate.db")}`;
  const prefix = `pd_release_${randomBytes(3).toString("hex")}`;
  const databases: string[] = [];
  const admin = (sql: string) => pgAdmin(PG_URL!, sql);

  beforeAll(async () => {
    await ensureDemoEstate(join(dir, "estate.db"), { asOf: AS_OF, seed: 5, residentialUnits: 20, shops: 1, historyUntil: "2026-11-01" });
  }, 120_000);
  afterAll(async () => {
    for (const db of databases) await admin(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
    rmSync(dir, { recursive: true, force: true });
  });

  /**
   * A run of one shard queued on a fresh database, its shard's lock held by this test, and a
   * worker waiting for it; `meanwhile` changes the queue, then the worker is stopped. Returns the
   * worker's lines and the state of the job after.
   */
  async function stopWhileWaiting(name: string, meanwhile: (holder: pg.Client, jobId: string, singletonKey: string, queue: string) => Promise<void>): Promise<{ lines: string[]; state: string }> {
    const db = `${prefix}_${name}`;
    databases.push(db);
    await admin(`CREATE DATABASE ${db}`);
    const queue = PG_URL!.replace(/\/[^/?]*(\?.*)?$/, `/${db}$1`);
    const { runId } = await startRun({ queue, ledger, asOf: AS_OF, shards: 1 });
    expect(runId).toBe(runIdOf(ledger, AS_OF));
    const jobId = shardJobIdOf(runId, 0, 1);
    const holder = new pg.Client({ connectionString: queue });
    await holder.connect();
    const lines: string[] = [];
    try {
      await holder.query("SELECT pg_advisory_lock(hashtext($1), $2)", [runId, 0]);
      let waiting!: () => void;
      const waits = new Promise<void>((resolve) => (waiting = resolve));
      const worker = await startWorker({
        queue,
        schedules: false,
        sender: async () => undefined,
        engine: { pollingIntervalSeconds: 0.5 },
        log: (line) => {
          lines.push(line);
          if (/another worker is planning it; waiting for it/.test(line)) waiting();
        },
      });
      await waits;
      // The worker renews its lease, then sleeps a second before it looks again: change the queue
      // and stop it inside that second, so that it finds the change when it hands the job back.
      await new Promise((resolve) => setTimeout(resolve, 300));
      await meanwhile(holder, jobId, `${ledgerKeyOf(ledger)}|${AS_OF}|0/1`, queue);
      await worker.stop({ timeoutMs: 10_000 });
      const state = (await holder.query<{ state: string }>("SELECT state::text AS state FROM pgboss.job WHERE id = $1 UNION ALL SELECT state::text FROM pgboss.archive WHERE id = $1", [jobId])).rows[0]!.state;
      return { lines, state };
    } finally {
      await holder.end();
    }
  }

  it("failed: another job of its singleton key waits in retry, so the job is failed instead, and the worker says why", async () => {
    const { lines, state } = await stopWhileWaiting("failed", async (holder, _jobId, singletonKey, queue) => {
      // A duplicate of the shard's job, not sent by a run, already waiting in retry.
      const context = await openJobs({ queue, engine: { schedule: false, supervise: false } });
      try {
        const other = randomUUID();
        await context.engine.send(SHARD_QUEUE, [{ id: other, singletonKey, data: { runId: "another", shard: 0 } }], context.pool);
        await holder.query("UPDATE pgboss.job SET state = 'retry' WHERE id = $1", [other]);
      } finally {
        await context.close();
      }
    });
    expect(lines.filter((l) => /stopping while another worker plans it/.test(l))).toEqual([
      expect.stringMatching(/: stopping while another worker plans it; could not hand it back \(another job of its singleton key waits in retry\), failed it instead$/),
    ]);
    expect(state).toBe("failed");
  }, 180_000);

  it("leaseLost: the job is another attempt's by then, so nothing is handed back, and the worker says so", async () => {
    const { lines, state } = await stopWhileWaiting("lost", async (holder, jobId) => {
      // Another attempt's: its lease lapsed and it was fetched again (a later started_on).
      await holder.query("UPDATE pgboss.job SET started_on = started_on + interval '1 minute' WHERE id = $1", [jobId]);
    });
    expect(lines.filter((l) => /stopping while another worker plans it/.test(l))).toEqual([
      expect.stringMatching(/: stopping while another worker plans it; nothing handed back: its lease was lost, the job is another attempt's$/),
    ]);
    // Left to the other attempt: still active.
    expect(state).toBe("active");
  }, 180_000);
});
