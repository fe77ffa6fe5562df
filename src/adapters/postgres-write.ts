/**
 * Writing to the PostgreSQL ledger: recorded actions in bulk (idempotent, keyed by account and
 * action id) and whole accounts (for the demo generator, tests and imports).
 */
import type { PoolClient } from "pg";
import type { AccountSnapshot, RecordedAction } from "../ledger/account.js";
import type { Columns } from "./postgres-sql.js";

/** Rows per bulk statement in `writeAccounts()`. */
const WRITE_CHUNK = 5000;
/** Actions per INSERT (at most 7 parameters each; a statement takes at most 65,535). */
const ACTIONS_PER_INSERT = 1000;

/** An action to insert: account id, id, stage, done_on, covers (JSON text), then channels (JSON text) and conversation where the table has them. */
type ActionRow = unknown[];

/** Writers for a ledger with the added columns `has`; each runs inside the caller's transaction. */
export function postgresWriter(has: Columns) {
  const v = (value: unknown): unknown => (value === undefined ? null : value);
  const json = (value: unknown): string | null => (value === undefined || value === null ? null : JSON.stringify(value));

  // The added columns are written only where the ledger has them (a vendor's table may not).
  const actionColumns = ["account_id", "id", "stage", "done_on", "covers", ...(["channels", "conversation"] as const).filter((c) => has[c])];
  const accountExtras = (["holds", "opt_outs", "estate", "owner_id"] as const).filter((c) => has[c]);
  /** An actions row for `insertActions`. */
  const actionRow = (accountId: string, r: RecordedAction): ActionRow => {
    const row: ActionRow = [accountId, v(r.id), v(r.stage), v(r.on), json(r.covers)];
    if (has.channels) row.push(json(r.channels));
    if (has.conversation) row.push(v(r.conversation));
    return row;
  };

  /**
   * Inserts actions in bulk, skipping (account, id) pairs already there; returns how many were
   * new. Multi-row VALUES with untyped parameters, so that PostgreSQL converts each value to its
   * column's type: a vendor's actions table may have a DATE `done_on` or a jsonb `covers`.
   */
  async function insertActions(client: PoolClient, rows: readonly ActionRow[]): Promise<number> {
    let added = 0;
    const width = actionColumns.length;
    for (let i = 0; i < rows.length; i += ACTIONS_PER_INSERT) {
      const chunk = rows.slice(i, i + ACTIONS_PER_INSERT);
      const values = chunk.map((_, r) => `(${actionColumns.map((_, k) => `$${r * width + k + 1}`).join(", ")})`).join(", ");
      const sql = `INSERT INTO actions (${actionColumns.join(", ")}) VALUES ${values} ON CONFLICT DO NOTHING`;
      added += (await client.query(sql, chunk.flat())).rowCount ?? 0;
    }
    return added;
  }

  return {
    actionRow,
    actions: insertActions,
    /** Replaces `accounts` (charges and payments included), merging their actions into those recorded. */
    async accounts(client: PoolClient, accounts: readonly AccountSnapshot[]): Promise<void> {
      for (let start = 0; start < accounts.length; start += WRITE_CHUNK / 5) {
        const chunk = accounts.slice(start, start + WRITE_CHUNK / 5);
        // Within one statement an id may appear once: the last occurrence wins, as it would
        // row by row; the actions of every occurrence are kept (the first of an id wins).
        const last = new Map<string, AccountSnapshot>();
        for (const a of chunk) last.set(a.id, a);
        const rows = [...last.values()];
        const ids = rows.map((a) => a.id);
        await client.query(
          `INSERT INTO accounts (id, segment, unit, owner_name, owner_tags${accountExtras.map((c) => `, ${c}`).join("")})
           SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[]${accountExtras.map((_, k) => `, $${k + 6}::text[]`).join("")})
           ON CONFLICT (id) DO UPDATE SET segment = excluded.segment, unit = excluded.unit, owner_name = excluded.owner_name, owner_tags = excluded.owner_tags${accountExtras.map((c) => `, ${c} = excluded.${c}`).join("")}`,
          [
            ids,
            rows.map((a) => v(a.segment)),
            rows.map((a) => v(a.unit)),
            rows.map((a) => v(a.owner?.name)),
            rows.map((a) => json(a.owner?.tags)),
            ...accountExtras.map((c) => rows.map((a) => (c === "holds" ? json(a.holds) : c === "opt_outs" ? json(a.optOuts) : v(c === "estate" ? a.estate : a.owner?.id)))),
          ],
        );
        await client.query("DELETE FROM charges WHERE account_id = ANY($1::text[])", [ids]);
        await client.query("DELETE FROM payments WHERE account_id = ANY($1::text[])", [ids]);
        const charges = rows.flatMap((a) => (a.charges ?? []).map((c) => [a.id, v(c.id), v(c.period), v(c.dueOn), v(c.amountMinor)]));
        for (let i = 0; i < charges.length; i += WRITE_CHUNK) {
          const part = charges.slice(i, i + WRITE_CHUNK);
          await client.query(
            "INSERT INTO charges (account_id, id, period, due_on, amount_minor) SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::bigint[])",
            [0, 1, 2, 3, 4].map((k) => part.map((r) => r[k])),
          );
        }
        const payments = rows.flatMap((a) => (a.payments ?? []).map((p) => [a.id, v(p.id), v(p.on), v(p.amountMinor)]));
        for (let i = 0; i < payments.length; i += WRITE_CHUNK) {
          const part = payments.slice(i, i + WRITE_CHUNK);
          await client.query(
            "INSERT INTO payments (account_id, id, paid_on, amount_minor) SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[])",
            [0, 1, 2, 3].map((k) => part.map((r) => r[k])),
          );
        }
        await insertActions(
          client,
          chunk.flatMap((a) => (a.actions ?? []).map((r) => actionRow(a.id, r))),
        );
      }
    },
  };
}
