/**
 * Account ids that `accounts` holds more than once (a vendor's view joined to a table with
 * several rows per account, a co-owners table say): the SQL ledgers find them with one query up
 * front, report each id once as a ledger problem (`duplicate_account`, naming the owner ids it
 * came under) and leave every row of it out of the stream. In the read order such rows need not
 * be next to each other (each comes under its own owner's key), so `plan()`, which remembers the
 * previous id only, cannot tell; and which row is the account is not known, so none is planned.
 * Loads no driver.
 */
import { ledgerIssue } from "../ledger/account.js";
import { compareIds, ledgerProblem, UNORDERED_CURSOR } from "./common.js";
import type { LedgerProblem } from "../ledger/adapter.js";

/** One id `accounts` holds more than once: how many rows, and the owner id of each (`null`: none). */
export interface RepeatedAccount {
  id: string;
  count: number;
  owners: readonly (string | null)[];
}

/**
 * SQLite: each usable id with more than one row, its count and its rows' owner ids as a JSON
 * array. `ownerColumn`: the ledger has `owner_id`. (A table whose primary key is `id` alone, the
 * schema's, cannot repeat one: the caller need not ask, see {@link idIsKeySqlite}.)
 */
export function repeatSqlSqlite(ownerColumn: boolean): string {
  const owner = ownerColumn ? "NULLIF(a.owner_id, '')" : "NULL";
  return `SELECT a.id, count(*), json_group_array(${owner}) FROM accounts a WHERE typeof(a.id) = 'text' AND a.id <> ''
GROUP BY a.id HAVING count(*) > 1 ORDER BY a.id`;
}

/** SQLite: 1 when `accounts` is a table whose primary key is `id` alone (so no id repeats). */
export const ID_IS_KEY_SQLITE = `SELECT count(*) = 1 AND max(c.name = 'id') FROM sqlite_master m, pragma_table_info(m.name) c WHERE m.type = 'table' AND m.name = 'accounts' AND c.pk > 0`;

/** PostgreSQL: the same (owner ids as a text array), NULL and empty ids left to the unordered rows' check. */
export function repeatSqlPostgres(ownerColumn: boolean): string {
  const owner = ownerColumn ? "NULLIF(a.owner_id::text, '')" : "NULL::text";
  return `SELECT a.id::text, count(*)::int, array_agg(${owner}) FROM accounts a WHERE a.id IS NOT NULL AND a.id::text <> ''
GROUP BY a.id::text HAVING count(*) > 1 ORDER BY a.id::text COLLATE "C"`;
}

/** PostgreSQL: true when `accounts` (on the search path) is a table with a unique index on `id` alone (the schema's primary key). */
export const ID_IS_KEY_POSTGRES = `SELECT EXISTS (SELECT 1 FROM pg_index i JOIN pg_attribute c ON c.attrelid = i.indrelid AND c.attnum = i.indkey[0]
  WHERE i.indrelid = to_regclass('accounts') AND i.indisunique AND i.indnatts = 1 AND c.attname = 'id')`;

/** One problem per repeated id (in id order): code `duplicate_account`, path `id`, the owner ids. Cursor `""`: reported first, by shard 0 only. */
export function repeatProblems(found: readonly RepeatedAccount[]): LedgerProblem[] {
  return [...found]
    .sort((a, b) => compareIds(a.id, b.id))
    .map((r) => {
      const owners = r.owners.map((o) => (o === null ? "no owner" : `owner ${JSON.stringify(o)}`)).join(", ");
      const message = `the ledger has ${r.count} rows for account ${JSON.stringify(r.id)} (${owners}): a view joined to a table with several rows per account, say; which row is the account is not known, so it is not planned; give the ledger one row per account`;
      return ledgerProblem(UNORDERED_CURSOR, r.id, [ledgerIssue("duplicate_account", "id", message)]);
    });
}
