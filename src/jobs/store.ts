/**
 * What a run keeps in the queue database beside pg-boss's own tables (schema `pd_jobs`): the run,
 * each shard's cursor and counts, the accounts skipped with their reasons, and the journal of
 * actions handed to the sender — the journal is what makes a run idempotent by action id: an
 * action journalled as sent is never handed over again, by any run, retry or duplicate.
 */
import type pg from "pg";

export const JOBS_SCHEMA = "pd_jobs";

const DDL = `
CREATE SCHEMA IF NOT EXISTS ${JOBS_SCHEMA};
CREATE TABLE IF NOT EXISTS ${JOBS_SCHEMA}.run (
  id text PRIMARY KEY,
  ledger text NOT NULL,
  ledger_key text NOT NULL,
  as_of text NOT NULL,
  shards integer NOT NULL CHECK (shards >= 1),
  policy jsonb,
  trigger text NOT NULL,
  created_on timestamptz NOT NULL DEFAULT now(),
  UNIQUE (ledger_key, as_of)
);
CREATE TABLE IF NOT EXISTS ${JOBS_SCHEMA}.shard (
  run_id text NOT NULL REFERENCES ${JOBS_SCHEMA}.run (id) ON DELETE CASCADE,
  shard integer NOT NULL,
  job_id uuid NOT NULL,
  state text NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'active', 'done', 'failed')),
  cursor text,
  accounts_planned bigint NOT NULL DEFAULT 0,
  accounts_skipped bigint NOT NULL DEFAULT 0,
  attempts integer NOT NULL DEFAULT 0,
  error text,
  updated_on timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (run_id, shard)
);
CREATE TABLE IF NOT EXISTS ${JOBS_SCHEMA}.skipped (
  run_id text NOT NULL REFERENCES ${JOBS_SCHEMA}.run (id) ON DELETE CASCADE,
  account_id text NOT NULL,
  shard integer NOT NULL,
  reason text NOT NULL,
  PRIMARY KEY (run_id, account_id)
);
CREATE TABLE IF NOT EXISTS ${JOBS_SCHEMA}.sent (
  ledger_key text NOT NULL,
  action_id text NOT NULL,
  account_id text NOT NULL,
  run_id text NOT NULL,
  shard integer NOT NULL,
  state text NOT NULL CHECK (state IN ('sending', 'sent')),
  handovers integer NOT NULL DEFAULT 1,
  updated_on timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (ledger_key, action_id)
);
-- Hand-overs the sender refused (it threw): handovers - refusals > 1 means a worker died holding one.
ALTER TABLE ${JOBS_SCHEMA}.sent ADD COLUMN IF NOT EXISTS refusals integer NOT NULL DEFAULT 0;
-- A policy per estate and segment (PlanOptions.estates), beside the run's and the schedule's policy
-- per segment: added in place, so that a queue database made before keeps its runs.
ALTER TABLE ${JOBS_SCHEMA}.run ADD COLUMN IF NOT EXISTS estates jsonb;
CREATE INDEX IF NOT EXISTS sent_run ON ${JOBS_SCHEMA}.sent (run_id);
CREATE TABLE IF NOT EXISTS ${JOBS_SCHEMA}.outbox (
  ledger_key text NOT NULL,
  action_id text NOT NULL,
  account_id text NOT NULL,
  run_id text NOT NULL,
  action jsonb NOT NULL,
  created_on timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (ledger_key, action_id)
);
CREATE TABLE IF NOT EXISTS ${JOBS_SCHEMA}.schedule (
  name text PRIMARY KEY,
  queue text NOT NULL,
  ledger text NOT NULL,
  shards integer NOT NULL,
  policy jsonb,
  cron text NOT NULL,
  time_zone text NOT NULL
);
ALTER TABLE ${JOBS_SCHEMA}.schedule ADD COLUMN IF NOT EXISTS estates jsonb;
`;

/**
 * Runs `fn` in one transaction on a connection of `pool`: COMMIT when it returns, ROLLBACK when it
 * throws (the error goes on) or when it called `rollback()` (a decision, not a failure: its value
 * is returned). The connection always goes back to the pool; one whose ROLLBACK failed is in a
 * state nobody knows (a broken socket, a transaction still open), so it is destroyed, not reused.
 * The one place the jobs begin and end a transaction.
 */
export async function inTransaction<T>(pool: Pick<pg.Pool, "connect">, fn: (client: pg.PoolClient, rollback: () => void) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query("BEGIN");
    let undo = false;
    const value = await fn(client, () => {
      undo = true;
    });
    await client.query(undo ? "ROLLBACK" : "COMMIT");
    return value;
  } catch (error) {
    await client.query("ROLLBACK").catch((e: unknown) => {
      broken = e instanceof Error ? e : new Error(String(e));
    });
    throw error;
  } finally {
    client.release(broken);
  }
}

/** Creates the tables when missing; one process at a time (two workers starting together would race on CREATE). */
export async function ensureJobTables(pool: pg.Pool): Promise<void> {
  await inTransaction(pool, async (client) => {
    await client.query("SELECT pg_advisory_xact_lock(hashtext('property-dunning jobs schema'))");
    await client.query(DDL);
  });
}

/** Opens a pool on the queue database; `pg` is an optional peer dependency, loaded here. */
export async function queuePool(url: string, max = 4): Promise<pg.Pool> {
  const { default: pgModule } = await import("pg");
  const pool = new pgModule.Pool({ connectionString: url, max, application_name: "property-dunning jobs" });
  // An idle connection the server drops must not crash the process; the next query reconnects.
  pool.on("error", () => undefined);
  return pool;
}

/**
 * A ledger's name in keys and reports: its spec without a password (`postgres://u:secret@h/db`
 * becomes `postgres://u@h/db`), so that no secret is written into job keys or printed.
 */
export function ledgerKeyOf(spec: string): string {
  return spec.replace(/^(postgres(?:ql)?:\/\/[^:@/]*):[^@/]*@/i, "$1@");
}

/**
 * Runs `fn` while holding a PostgreSQL advisory lock named `name`: processes that start together
 * (two workers and a run) take turns creating queues, which pg-boss does not guard itself.
 */
export async function withLock<T>(pool: pg.Pool, name: string, fn: () => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query("SELECT pg_advisory_lock(hashtext($1))", [name]);
    try {
      return await fn();
    } finally {
      await client.query("SELECT pg_advisory_unlock(hashtext($1))", [name]);
    }
  } finally {
    client.release();
  }
}
