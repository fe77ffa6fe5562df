/**
 * What every part of a run shares: the queue database (a pool for our tables, the engine for the
 * jobs), the queue names, and the settings of the shard queue.
 */
import { createHash } from "node:crypto";
import type pg from "pg";
import type { JobEngine, QueueSettings } from "./engine.js";
import { pgBossEngine, type PgBossEngineOptions } from "./pg-boss-engine.js";
import { ensureJobTables, queuePool, withLock } from "./store.js";
import { JobsError } from "./errors.js";

/** The queue shard jobs wait in, and where a shard goes when its retries are spent. */
export const SHARD_QUEUE = "pd-shard";
export const DEAD_LETTER_QUEUE = "pd-shard-dead";

/**
 * Defaults sized for a nightly run: three retries 30 s apart and doubling; an attempt not
 * finished in 30 minutes is taken for a dead worker (a shard should take minutes: choose
 * `shards` so that it does — docs/scale-out.md, "Sizing").
 */
export const DEFAULT_SHARD_SETTINGS: QueueSettings = { retryLimit: 3, retryDelaySeconds: 30, retryBackoff: true, expireInSeconds: 30 * 60, deadLetter: DEAD_LETTER_QUEUE };

export interface JobsConnectionOptions {
  /** The queue database, `postgres://…` (the estate's PostgreSQL; pg-boss keeps its tables in schema `pgboss`, a run's in `pd_jobs`). */
  queue: string;
  /** Settings of the shard queue (retries, expiry): given, they replace the queue's; absent, a new queue gets the defaults and an existing one keeps its own. */
  shardSettings?: Partial<QueueSettings>;
  /** Passed to pg-boss (polling and maintenance intervals, schema, pool size). */
  engine?: Omit<PgBossEngineOptions, "url">;
}

export interface JobsContext {
  pool: pg.Pool;
  engine: JobEngine;
  close(options?: { timeoutMs?: number }): Promise<void>;
}

/** Whether `url` has the form of a queue database's URL (`postgres://…` or `postgresql://…`): the one check, for the library and the CLI. */
export function isQueueUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//i.test(url);
}

export async function openJobs(options: JobsConnectionOptions): Promise<JobsContext> {
  if (!isQueueUrl(options.queue)) throw new JobsError("invalid_option", `queue: must be a postgres://… URL (got ${JSON.stringify(options.queue)})`);
  const pool = await queuePool(options.queue);
  let engine: JobEngine | undefined;
  try {
    await ensureJobTables(pool);
    engine = await pgBossEngine({ url: options.queue, ...options.engine });
    await engine.start();
    const ready = engine;
    await withLock(pool, "property-dunning jobs queues", () => ready.ensureQueue(SHARD_QUEUE, { ...DEFAULT_SHARD_SETTINGS, ...options.shardSettings }, options.shardSettings !== undefined));
  } catch (error) {
    await engine?.stop({ timeoutMs: 1000 }).catch(() => undefined);
    await pool.end();
    throw error;
  }
  const started = engine;
  return {
    pool,
    engine: started,
    async close({ timeoutMs } = {}) {
      await started.stop(timeoutMs === undefined ? {} : { timeoutMs });
      await pool.end();
    },
  };
}

/** A UUID (version 8, name-based) from `parts`: the same parts always give the same id. */
export function stableUuid(...parts: string[]): string {
  const hex = createHash("sha256").update(parts.join("\u0000")).digest("hex").slice(0, 32).split("");
  hex[12] = "8";
  hex[16] = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  const h = hex.join("");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
