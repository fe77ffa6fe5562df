/**
 * The job engine on pg-boss 10 (PostgreSQL: jobs claimed with SKIP LOCKED, retries with backoff,
 * dead-letter queues, cron schedules with a time zone). pg-boss is an optional peer dependency,
 * loaded here only, when a run or a worker starts. 10.4 is the line that runs on Node 20 (12 needs
 * Node ≥ 22.12); docs/scale-out.md says why and what a move to 12 would change.
 */
import { createRequire } from "node:module";
import type PgBoss from "pg-boss";
import type { EngineJob, JobEngine, JobState, NewJob, QueueSettings, ReleaseOutcome, SqlConnection } from "./engine.js";
import { JobsError } from "./errors.js";
import { inTransaction, queuePool } from "./store.js";

export interface PgBossEngineOptions {
  /** The queue database: `postgres://…`. */
  url: string;
  /** pg-boss's schema (default `pgboss`). */
  schema?: string;
  /** Connections pg-boss may hold (default 4). */
  maxConnections?: number;
  /** Whether this process sends cron jobs when they come round (default true; any one process suffices). */
  schedule?: boolean;
  /** Whether this process runs maintenance: expiring the jobs of killed workers, archiving (default true). */
  supervise?: boolean;
  /** How often maintenance looks for expired jobs (pg-boss's default is 120 s). */
  maintenanceIntervalSeconds?: number;
  /** How often pg-boss looks whether a cron has come round (its default is 30 s; a cron is sent if it came round within the last minute). */
  cronMonitorIntervalSeconds?: number;
  /** How often pg-boss turns a cron that came round into its job (its default is 5 s). */
  cronWorkerIntervalSeconds?: number;
  /** How often an idle worker polls its queue (pg-boss's default is 2 s). */
  pollingIntervalSeconds?: number;
  /** pg-boss's background errors (a lost connection, say); it retries by itself. Default: ignored. */
  onError?: (error: Error) => void;
}

/** Loads pg-boss, or says how to install it. */
export async function loadPgBoss(): Promise<typeof PgBoss> {
  try {
    const mod = (await import("pg-boss")) as unknown as { default?: typeof PgBoss };
    return mod.default ?? (mod as unknown as typeof PgBoss);
  } catch (error) {
    if ((error as { code?: string }).code === "ERR_MODULE_NOT_FOUND" || (error as { code?: string }).code === "MODULE_NOT_FOUND")
      throw new JobsError("missing_peer", "property-dunning/jobs needs the optional peer dependency pg-boss 10: npm install pg-boss@^10.4 (it runs on Node 20)");
    throw error;
  }
}

/** cron-parser as pg-boss itself resolves it, so that a catch-up reads a cron exactly as pg-boss does. */
export function cronParserOfPgBoss(): { parseExpression(cron: string, options: { tz: string; currentDate?: Date }): { prev(): { getTime(): number } } } {
  const requireHere = createRequire(import.meta.url);
  const requireFromBoss = createRequire(requireHere.resolve("pg-boss"));
  return requireFromBoss("cron-parser");
}

/**
 * Whether a job row is still the attempt's that fetched it ($3: its started_on as the attempt
 * knows it). The driver's Date keeps milliseconds of PostgreSQL's microseconds; two attempts'
 * started_on lie at least a lease apart, so a millisecond tells them apart.
 */
const OURS = "abs(extract(epoch FROM started_on - $3::timestamptz)) < 0.001";

// complete(name, id, options) is typed, but 10.4 reads a third argument as the output: pass none explicitly.
const NO_OUTPUT = null as unknown as object;

const leaseLost = (queue: string, id: string) =>
  new JobsError("lease_lost", `job ${id} of ${queue}: its lease lapsed and the job was handed to another attempt; this one stops work on it`);

const messageOf = (output: unknown): string | undefined => {
  if (output === null || typeof output !== "object") return output === undefined || output === null ? undefined : String(output);
  const o = output as { message?: unknown; value?: { message?: unknown } };
  if (typeof o.message === "string") return o.message;
  if (typeof o.value?.message === "string") return o.value.message;
  return JSON.stringify(output);
};

export async function pgBossEngine(options: PgBossEngineOptions): Promise<JobEngine> {
  const PgBossClass = await loadPgBoss();
  const schema = options.schema ?? "pgboss";
  const boss = new PgBossClass({
    connectionString: options.url,
    schema,
    max: options.maxConnections ?? 4,
    application_name: "property-dunning jobs",
    schedule: options.schedule ?? true,
    supervise: options.supervise ?? true,
    ...(options.maintenanceIntervalSeconds ? { maintenanceIntervalSeconds: options.maintenanceIntervalSeconds } : {}),
    ...(options.cronMonitorIntervalSeconds ? { cronMonitorIntervalSeconds: options.cronMonitorIntervalSeconds } : {}),
    ...(options.cronWorkerIntervalSeconds ? { cronWorkerIntervalSeconds: options.cronWorkerIntervalSeconds } : {}),
  });
  // pg-boss reports background errors (a lost connection, say) as events; unheard, they would crash the process.
  boss.on("error", (error) => options.onError?.(error));
  const polling = options.pollingIntervalSeconds ?? 2;
  const quoted = `"${schema.replace(/"/g, '""')}"`;

  // One connection for completing and failing a job under a row lock (settle), beside pg-boss's pool.
  const settling = await queuePool(options.url, 1);

  const stopping = new AbortController();
  const loops: Promise<void>[] = [];
  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        stopping.signal.removeEventListener("abort", done);
        resolve();
      }
      stopping.signal.addEventListener("abort", done);
    });
  const report = (error: unknown) => options.onError?.(error instanceof Error ? error : new Error(String(error)));

  async function workLoop<T>(queue: string, handler: (job: EngineJob<T>) => Promise<void>): Promise<void> {
    while (!stopping.signal.aborted) {
      let job: PgBoss.JobWithMetadata<T> | undefined;
      try {
        job = (await boss.fetch<T>(queue, { batchSize: 1, includeMetadata: true }))[0];
      } catch (error) {
        report(error);
      }
      if (!job) {
        await pause(polling * 1000);
        continue;
      }
      const id = job.id;
      // EXTRACT(epoch …): numeric, which the driver gives as a string.
      const expireInSeconds = Number((job as unknown as { expireInSeconds: string | number }).expireInSeconds);
      const attempt = { startedOn: job.startedOn, settled: false };
      try {
        await handler({
          id,
          data: job.data,
          retryCount: job.retryCount,
          retryLimit: job.retryLimit,
          expireInSeconds,
          signal: stopping.signal,
          // Expiry is started_on + expire_in (pg-boss's maintenance): moving started_on renews the
          // lease. Only while the row is still this attempt's: after a lapse, maintenance moves the
          // job to retry and the next fetch gives it a started_on of its own.
          keepAlive: async () => {
            if (attempt.settled) throw leaseLost(queue, id);
            const { rows } = await boss.getDb().executeSql(
              `UPDATE ${quoted}.job SET started_on = now() WHERE name = $1 AND id = $2 AND state = 'active' AND ${OURS} RETURNING started_on`,
              [queue, id, attempt.startedOn],
            );
            if (rows.length === 0) {
              attempt.settled = true;
              throw leaseLost(queue, id);
            }
            attempt.startedOn = (rows[0] as { started_on: Date }).started_on;
          },
          release: async () => {
            if (attempt.settled) return "leaseLost";
            attempt.settled = true;
            return release(queue, id, attempt.startedOn);
          },
        });
        if (!attempt.settled) await settle(queue, id, attempt.startedOn, (db) => boss.complete(queue, id, NO_OUTPUT, { db })).catch(report);
      } catch (error) {
        if (!attempt.settled) await settle(queue, id, attempt.startedOn, (db) => boss.fail(queue, id, error as object, { db })).catch(report);
      }
    }
  }

  /**
   * Completes or fails a job only while it is still the attempt's own (started at `startedOn`):
   * the row is locked first, so that maintenance and other workers wait, and pg-boss's own
   * statement then runs on the same transaction. A job handed to another attempt is left to it,
   * reported as `lease_lost`; the result says whether `act` ran.
   */
  async function settle(queue: string, id: string, startedOn: Date, act: (db: { executeSql(text: string, values: unknown[]): Promise<{ rows: any[] }> }) => Promise<unknown>): Promise<boolean> {
    const mine = await inTransaction(settling, async (client, rollback) => {
      const { rowCount } = await client.query(`SELECT 1 FROM ${quoted}.job WHERE name = $1 AND id = $2 AND state = 'active' AND ${OURS} FOR UPDATE`, [queue, id, startedOn]);
      if (rowCount === 0) {
        rollback();
        return false;
      }
      await act({ executeSql: (text, values) => client.query(text, values) });
      return true;
    });
    if (!mine) report(leaseLost(queue, id));
    return mine;
  }

  /**
   * Puts a job back as pg-boss itself leaves a failed attempt that has retries left (plans.js,
   * failJobs: state 'retry'), but with `started_on` NULL: pg-boss's fetch counts a retry only when
   * `started_on` is set (`retry_count + 1 WHEN started_on IS NOT NULL`), so the next fetch is
   * counted as the attempt this one never made. Waiting for no backoff: the job was not at fault.
   * A job no longer the attempt's (its lease lapsed, another attempt has it) is left to that
   * attempt and reported as `lease_lost`, as settle does.
   */
  async function release(queue: string, id: string, startedOn: Date): Promise<ReleaseOutcome> {
    try {
      const { rows } = await boss.getDb().executeSql(
        `UPDATE ${quoted}.job SET state = 'retry', started_on = NULL, start_after = now(), output = $4::jsonb
         WHERE name = $1 AND id = $2 AND state = 'active' AND ${OURS} RETURNING 1`,
        [queue, id, startedOn, JSON.stringify({ message: "handed back unfinished: its worker stopped" })],
      );
      if (rows.length > 0) return "handedBack";
      report(leaseLost(queue, id));
      return "leaseLost";
    } catch (error) {
      // 23505: a 'stately' queue holds one job per singleton key in retry, and another job of this
      // key waits there already (one not sent by a run). pg-boss's own fail meets the same conflict
      // and fails the job for good; so does this, saying why.
      if ((error as { code?: string }).code !== "23505") throw error;
      return (await settle(queue, id, startedOn, (db) => boss.fail(queue, id, { message: "handed back while another job of its singleton key waits in retry" }, { db }))) ? "failed" : "leaseLost";
    }
  }

  return {
    async start() {
      await boss.start();
    },
    async stop({ timeoutMs = 30_000 } = {}) {
      stopping.abort();
      // The attempts in hand finish (or, past the timeout, are left to expire and be retried).
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([Promise.all(loops), new Promise((resolve) => (timer = setTimeout(resolve, timeoutMs)))]);
      clearTimeout(timer);
      await boss.stop({ graceful: true, wait: true, timeout: Math.max(1000, timeoutMs) });
      await settling.end();
    },
    async ensureQueue(name: string, settings: QueueSettings, update = false) {
      if (settings.deadLetter && !(await boss.getQueue(settings.deadLetter))) await createQuietly(boss, settings.deadLetter, { name: settings.deadLetter, policy: "standard" });
      const queue: PgBoss.Queue = {
        name,
        // One job per singleton key in each of created, retry and active: a duplicate never runs beside its original.
        policy: "stately",
        retryLimit: settings.retryLimit,
        retryDelay: settings.retryDelaySeconds,
        retryBackoff: settings.retryBackoff,
        expireInSeconds: settings.expireInSeconds,
        ...(settings.deadLetter ? { deadLetter: settings.deadLetter } : {}),
      };
      if (await boss.getQueue(name)) {
        if (update) await boss.updateQueue(name, queue);
      }
      else await createQuietly(boss, name, queue);
    },
    async send(queue: string, jobs: readonly NewJob[], connection: SqlConnection) {
      if (jobs.length === 0) return;
      await boss.insert(
        jobs.map((j) => ({ id: j.id, name: queue, singletonKey: j.singletonKey, data: j.data })),
        { db: { executeSql: (text: string, values: unknown[]) => connection.query(text, values) as Promise<{ rows: any[] }> } },
      );
    },
    async work<T>(queue: string, concurrency: number, handler: (job: EngineJob<T>) => Promise<void>) {
      // Not boss.work(): pg-boss 10 fails an attempt whose handler runs past the job's expiry while
      // the handler goes on (it cannot be cancelled), and hands the job out again; a long but
      // healthy shard would then meet itself. Here an attempt lasts as long as its handler renews
      // its lease (keepAlive), and only an attempt left unrenewed (its worker dead or stuck) expires.
      for (let i = 0; i < concurrency; i++) loops.push(workLoop(queue, handler));
    },
    async states(queue: string, ids: readonly string[]) {
      // One statement for all of a run's shards (getJobById would be one per shard, per poll).
      const { rows } = await boss.getDb().executeSql(
        `SELECT id::text AS id, state::text AS state, retry_count, output FROM ${quoted}.job WHERE name = $1 AND id = ANY($2::uuid[])
         UNION ALL SELECT id::text, state::text, retry_count, output FROM ${quoted}.archive WHERE name = $1 AND id = ANY($2::uuid[])`,
        [queue, ids],
      );
      const found = new Map<string, JobState>();
      for (const job of rows as { id: string; state: JobState["state"]; retry_count: number; output: unknown }[]) {
        const error = job.state === "failed" || job.state === "retry" ? messageOf(job.output) : undefined;
        found.set(job.id, { state: job.state, retryCount: job.retry_count, ...(error ? { error } : {}) });
      }
      return found;
    },
    async schedule(queue: string, cron: string, timeZone: string, data: Record<string, unknown>) {
      if (!(await boss.getQueue(queue))) await createQuietly(boss, queue, { name: queue, policy: "standard" });
      await boss.schedule(queue, cron, data, { tz: timeZone });
    },
    async unschedule(queue: string) {
      await boss.unschedule(queue);
    },
    async waiting<T>(queue: string) {
      const { rows } = await boss.getDb().executeSql(
        `SELECT id, data, retry_count, retry_limit FROM ${quoted}.job WHERE name = $1 AND state < 'active' ORDER BY created_on, id`,
        [queue],
      );
      return rows.map((r: { id: string; data: T; retry_count: number; retry_limit: number }) => ({ id: r.id, data: r.data, retryCount: r.retry_count, retryLimit: r.retry_limit }));
    },
  };
}

/** Two processes creating one queue at once: the loser's error says the queue exists, which is what it wanted. */
async function createQuietly(boss: PgBoss, name: string, queue: PgBoss.Queue): Promise<void> {
  try {
    await boss.createQueue(name, queue);
  } catch (error) {
    if (!(await boss.getQueue(name))) throw error;
  }
}
