/**
 * Rows whose account does not exist (a charge, payment or action naming an `account_id` that no
 * `accounts` row has): the SQL ledgers find them with one query per child table and report each
 * such account id as a ledger problem (`orphan_row`), so that money never disappears unsaid.
 * Loads no driver.
 */
import { ledgerIssue } from "../ledger/account.js";
import { compareIds, ledgerProblem, UNORDERED_CURSOR } from "./common.js";
import type { LedgerProblem } from "../ledger/adapter.js";

export const CHILD_TABLES = ["charges", "payments", "actions"] as const;
export type ChildTable = (typeof CHILD_TABLES)[number];

/** How many of an orphan account's row ids the message names. */
const NAMED = 3;

/** One orphan account id's rows in one table: how many, and the first few ids (in id order). */
export interface OrphanRows {
  table: ChildTable;
  accountId: unknown;
  count: number;
  ids: readonly unknown[];
}

/**
 * SQLite: each orphan account id of `table`, its row count and first ids as a JSON array. Each
 * distinct account id of the table is looked up once in `accounts`.
 *
 * `keyed`: the table is a table whose primary key starts with `account_id` (the schema's
 * `(account_id, id)`), so its distinct account ids are found by seeking from one to the next in
 * that key (a skip scan: one seek per account instead of a read of every row; ~25% less time on
 * the 100k billing-day ledger, whose actions are two thirds of the file). Otherwise (a vendor's
 * view, a table keyed otherwise) a seek could mean a scan, so the rows are read once, in order.
 */
export function orphanSqlSqlite(table: ChildTable, keyed = false): string {
  const id = `CASE typeof(t.id) WHEN 'blob' THEN 'x''' || hex(t.id) || '''' ELSE t.id END`;
  // The seeks pass over NULL (`>` is never true of it), so a NULL account id is looked for apart.
  const distinct = keyed
    ? `(WITH RECURSIVE k(account_id) AS (SELECT (SELECT t.account_id FROM ${table} t WHERE t.account_id IS NOT NULL ORDER BY t.account_id LIMIT 1)
    UNION ALL SELECT (SELECT t.account_id FROM ${table} t WHERE t.account_id > k.account_id ORDER BY t.account_id LIMIT 1) FROM k WHERE k.account_id IS NOT NULL)
  SELECT account_id FROM k WHERE account_id IS NOT NULL
  UNION ALL SELECT NULL WHERE EXISTS (SELECT 1 FROM ${table} t WHERE t.account_id IS NULL))`
    : `(SELECT DISTINCT account_id FROM ${table})`;
  return `SELECT g.account_id, (SELECT count(*) FROM ${table} t WHERE t.account_id IS g.account_id),
  (SELECT json_group_array(i) FROM (SELECT ${id} AS i FROM ${table} t WHERE t.account_id IS g.account_id ORDER BY t.id LIMIT ${NAMED}))
FROM ${distinct} g WHERE NOT EXISTS (SELECT 1 FROM accounts a WHERE a.id = g.account_id) ORDER BY g.account_id`;
}

/** PostgreSQL: the same, as one anti-join grouped by account id (NULL ids group together). */
export function orphanSqlPostgres(table: ChildTable): string {
  return `SELECT t.account_id::text, count(*)::int, (array_agg(t.id::text ORDER BY t.id::text COLLATE "C"))[1:${NAMED}]
FROM ${table} t WHERE NOT EXISTS (SELECT 1 FROM accounts a WHERE a.id = t.account_id)
GROUP BY t.account_id ORDER BY t.account_id::text COLLATE "C"`;
}

const ROW_NAME: Record<ChildTable, string> = { charges: "charge", payments: "payment", actions: "action" };

/** An account id as the problem names it: text as it is, anything else (NULL, a number, bytes) shown. */
function idText(value: unknown): string {
  if (typeof value === "string") return value;
  if (value instanceof Uint8Array) return `x'${Buffer.from(value).toString("hex")}'`;
  return String(value);
}

/**
 * One problem per orphan account id (in id order, tables merged), with one issue per table
 * that has its rows: code `orphan_row`, path the table, the count and the first ids. Cursor `""`,
 * like other entries that have no place in the read order: reported first, by shard 0 only.
 */
export function orphanProblems(found: readonly OrphanRows[]): LedgerProblem[] {
  const byAccount = new Map<string, OrphanRows[]>();
  for (const f of found) {
    const key = idText(f.accountId);
    const list = byAccount.get(key);
    if (list) list.push(f);
    else byAccount.set(key, [f]);
  }
  return [...byAccount].sort(([a], [b]) => compareIds(a, b)).map(([accountId, rows]) =>
    ledgerProblem(
      UNORDERED_CURSOR,
      accountId,
      rows.map((r) => {
        const what = `${r.count} ${ROW_NAME[r.table]} row${r.count === 1 ? "" : "s"}`;
        const ids = `${r.ids.map((i) => JSON.stringify(idText(i))).join(", ")}${r.count > r.ids.length ? ", …" : ""}`;
        return ledgerIssue("orphan_row", r.table, `${what} name account ${JSON.stringify(accountId)}, which the ledger does not hold (${ids}); their amounts are not counted anywhere`);
      }),
    ),
  );
}
