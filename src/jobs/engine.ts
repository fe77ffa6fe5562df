/**
 * The job engine a nightly run stands on, as small as the run needs: queues with retries and a
 * dead-letter queue, jobs sent inside the caller's transaction, workers, cron schedules with a
 * time zone, and the state of a job. One implementation ships (pg-boss, `pg-boss-engine.ts`);
 * graphile-worker or BullMQ would be another file implementing this interface.
 */

/** A SQL connection a job can be sent on, so that it commits or rolls back with the caller's rows. */
export interface SqlConnection {
  query(text: string, values?: unknown[]): Promise<{ rows: unknown[] }>;
}

export interface QueueSettings {
  /** Attempts after the first before a job fails for good and moves to `deadLetter`. */
  retryLimit: number;
  /** Seconds before a retry (doubling with each attempt when `retryBackoff`). */
  retryDelaySeconds: number;
  retryBackoff: boolean;
  /** An attempt still running after this long is taken for dead (a killed worker) and retried. */
  expireInSeconds: number;
  /** Where a job goes when its retries are spent. */
  deadLetter?: string;
}

export interface NewJob {
  /** Deterministic: sending the same id twice queues one job. */
  id: string;
  /** One job per key at a time (pg-boss's singleton key). */
  singletonKey: string;
  data: Record<string, unknown>;
}

/** A job as it waits in a queue. */
export interface QueuedJob<T> {
  id: string;
  data: T;
  /** Attempts before this one (0 on the first). */
  retryCount: number;
  retryLimit: number;
}

/** What became of a job its attempt handed back (`EngineJob.release`). */
export type ReleaseOutcome = "handedBack" | "failed" | "leaseLost";

/** A job in a handler's hands: one attempt, with its lease. */
export interface EngineJob<T> extends QueuedJob<T> {
  /** The lease: an attempt not kept alive for this long is taken for dead (its worker killed) and retried. */
  expireInSeconds: number;
  /**
   * Renews the lease for another `expireInSeconds` from now: a handler that is making progress
   * calls it, so that a long but healthy attempt is never taken for dead and handed out again.
   * Throws `JobsError` `lease_lost` when the job is no longer this attempt's (its lease lapsed and
   * the engine handed the job out again): the handler must stop work on it at once, and the
   * engine then neither completes nor fails the job, which belongs to another attempt.
   */
  keepAlive(): Promise<void>;
  /**
   * Hands the job back unfinished, as if it had never been fetched: it waits in the queue for the
   * next worker at once, and the attempt spends none of the job's retries (a clean stop is no
   * failure). The engine then neither completes nor fails it. Says what became of the job:
   * `handedBack`; `failed` when the engine could not put it back and failed it for good instead
   * (pg-boss: another job of its singleton key already waits in retry); `leaseLost` when the job
   * was no longer this attempt's (its lease lapsed): nothing is changed, and the engine reports
   * `JobsError` `lease_lost` as it does when completing or failing such a job.
   */
  release(): Promise<ReleaseOutcome>;
  /** Aborted when the engine begins to stop: a handler that is only waiting gives up its attempt. */
  signal: AbortSignal;
}

/** A job's state as the engine keeps it: `failed` is final (its retries are spent). */
export interface JobState {
  state: "created" | "retry" | "active" | "completed" | "cancelled" | "failed";
  retryCount: number;
  /** What the last attempt failed with, when it failed. */
  error?: string;
}

export interface JobEngine {
  start(): Promise<void>;
  /** Stops fetching, waits for the jobs in hand up to `timeoutMs`, closes the connections. */
  stop(options?: { timeoutMs?: number }): Promise<void>;
  /** Creates the queue when missing; with `update`, also brings an existing queue's settings to `settings`. */
  ensureQueue(name: string, settings: QueueSettings, update?: boolean): Promise<void>;
  /** Queues jobs on `connection` (inside its transaction); a job whose id exists already is left as it is. */
  send(queue: string, jobs: readonly NewJob[], connection: SqlConnection): Promise<void>;
  /**
   * Runs `handler` for the queue's jobs, `concurrency` at a time; a handler that throws fails the
   * attempt. No time limit of its own: an attempt lives as long as its handler keeps its lease.
   */
  work<T>(queue: string, concurrency: number, handler: (job: EngineJob<T>) => Promise<void>): Promise<void>;
  /** The state of each job of `ids` still known to the engine. */
  states(queue: string, ids: readonly string[]): Promise<Map<string, JobState>>;
  /** Sends `data` to `queue` whenever `cron` comes round in `timeZone` (one schedule per queue). */
  schedule(queue: string, cron: string, timeZone: string, data: Record<string, unknown>): Promise<void>;
  unschedule(queue: string): Promise<void>;
  /** The jobs waiting in a queue (the dead-letter queue, say), oldest first. */
  waiting<T>(queue: string): Promise<QueuedJob<T>[]>;
}
