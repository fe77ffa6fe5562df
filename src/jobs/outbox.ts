/**
 * The sender a worker uses when it is given none (`property-dunning worker` without `--sender`):
 * each action becomes a row of `pd_jobs.outbox` in the queue database, for the vendor's own
 * systems (SMS gateway, letter printing, staff task lists) to take from there. A row per action
 * id and ledger, written once: a second hand-over of the same action changes nothing, and
 * `delivered` finds the row — the outbox is exactly once.
 */
import type pg from "pg";
import { queuePool, JOBS_SCHEMA } from "./store.js";
import type { Sender } from "./worker.js";

export interface OutboxSender extends Sender {
  sendMany: NonNullable<Sender["sendMany"]>;
  close(): Promise<void>;
}

/** A sender that writes each action into `pd_jobs.outbox` of the queue database at `url`. */
export async function outboxSender(url: string): Promise<OutboxSender> {
  const pool: pg.Pool = await queuePool(url, 2);
  return {
    async send(action, { ledger, runId }) {
      await pool.query(
        `INSERT INTO ${JOBS_SCHEMA}.outbox (ledger_key, action_id, account_id, run_id, action) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`,
        [ledger, action.id, action.accountId, runId, JSON.stringify(action)],
      );
    },
    // All of a checkpoint's actions in one statement: all or none.
    async sendMany(items) {
      await pool.query(
        `INSERT INTO ${JOBS_SCHEMA}.outbox (ledger_key, action_id, account_id, run_id, action)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::jsonb[]) ON CONFLICT DO NOTHING`,
        [items.map((i) => i.context.ledger), items.map((i) => i.action.id), items.map((i) => i.action.accountId), items.map((i) => i.context.runId), items.map((i) => JSON.stringify(i.action))],
      );
    },
    async delivered(action, { ledger }) {
      return (await pool.query(`SELECT 1 FROM ${JOBS_SCHEMA}.outbox WHERE ledger_key = $1 AND action_id = $2`, [ledger, action.id])).rowCount === 1;
    },
    async close() {
      await pool.end();
    },
  };
}
