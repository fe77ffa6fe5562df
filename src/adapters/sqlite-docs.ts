/**
 * The SQLite ledger's checked copies (`accounts.doc`, format in `account-doc.ts`): each account
 * row may hold its charges, payments and actions as `normalizeAccount` made them, so that
 * planning reads one row per account instead of gathering ~70 rows into JSON and checking them
 * again.
 *
 * The rows stay the truth; a copy is only ever a faster way to read them:
 * - triggers on `charges`, `payments` and `actions` clear an account's copy whenever any of its
 *   rows is inserted, updated or deleted, by this adapter or by any other program (and on
 *   `accounts`, when a row arrives with a copy or changes its id);
 * - an account without a copy (new rows, a copy in an older format, values that do not fit the
 *   format, or rows that fail the checks) is read from its rows, exactly as without copies;
 * - the adapter writes the copy back after `writeAccounts()` and `record()`, and `refresh()`
 *   fills in every missing one (for rows written by other programs);
 * - copies are read only while all eleven triggers exist as written, on their tables; a writer
 *   that finds one missing or changed recreates them and clears every copy, so a table rebuilt
 *   or replaced (which drops or moves its triggers) cannot leave stale copies behind; a ledger
 *   of views gets no copies;
 * - `pd_meta` names the copies' format: a library that writes another format clears them all
 *   when it first opens the ledger for writing, and reads none until then.
 */
import type BetterSqlite3 from "better-sqlite3";
import { normalizeAccount } from "../schedule/account.js";
import { DOC_VERSION, encodeAccountDoc } from "./account-doc.js";
import type { LedgerEntry } from "./types.js";

type Database = BetterSqlite3.Database;

const CHILDREN = ["charges", "payments", "actions"] as const;

const CLEAR = "UPDATE accounts SET doc = NULL WHERE doc IS NOT NULL AND id";

/**
 * Trigger names and bodies: on each child table, after insert, update and delete; on accounts,
 * when a row arrives with a copy (made elsewhere) or changes its id (its copy holds the old
 * id's rows).
 */
const TRIGGERS: readonly (readonly [name: string, sql: string])[] = [
  ...CHILDREN.flatMap((t) => [
    [`pd_${t}_insert_doc`, `AFTER INSERT ON ${t} BEGIN ${CLEAR} = NEW.account_id; END`] as const,
    [`pd_${t}_update_doc`, `AFTER UPDATE ON ${t} BEGIN ${CLEAR} IN (OLD.account_id, NEW.account_id); END`] as const,
    [`pd_${t}_delete_doc`, `AFTER DELETE ON ${t} BEGIN ${CLEAR} = OLD.account_id; END`] as const,
  ]),
  ["pd_accounts_insert_doc", `AFTER INSERT ON accounts WHEN NEW.doc IS NOT NULL BEGIN ${CLEAR} = NEW.id; END`],
  ["pd_accounts_rename_doc", `AFTER UPDATE OF id ON accounts BEGIN ${CLEAR} = NEW.id; END`],
];

/** Each trigger's table and its statement as `sqlite_master.sql` keeps it. */
const EXPECTED = new Map(TRIGGERS.map(([name, body]) => [name, { table: /ON (\w+)/.exec(body)![1]!, sql: `CREATE TRIGGER ${name} ${body}` }]));

/**
 * Whether every trigger exists exactly as written here, on its own table. A name alone is not
 * enough: renaming a table takes its triggers along (a migration that rebuilds `charges` leaves
 * them on the old table), and a program may drop and recreate one.
 */
function triggersIntact(conn: Database): boolean {
  const rows = conn.prepare<[], { name: string; tbl_name: string; sql: string }>("SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'trigger'").all();
  const found = new Map(rows.map((r) => [r.name, r]));
  for (const [name, want] of EXPECTED) {
    const got = found.get(name);
    if (got === undefined || got.tbl_name !== want.table || got.sql !== want.sql) return false;
  }
  return true;
}

function typeOf(conn: Database, name: string): string | undefined {
  return conn.prepare<[string], string>("SELECT type FROM sqlite_master WHERE name = ?").pluck(true).get(name);
}

/**
 * Whether `accounts`, `charges`, `payments` and `actions` are tables that compare ids as the
 * triggers do: no view, and no COLLATE anywhere in their definitions (with `account_id COLLATE
 * NOCASE`, the stream would gather 'a''s rows for account 'A' while a trigger on 'a' clears
 * only 'a''s copy).
 */
function plainTables(conn: Database): boolean {
  const sqlOf = conn.prepare<[string], { type: string; sql: string | null }>("SELECT type, sql FROM sqlite_master WHERE name = ?");
  return [...CHILDREN, "accounts"].every((t) => {
    const row = sqlOf.get(t);
    return row !== undefined && row.type === "table" && !/\bCOLLATE\b/i.test(row.sql ?? "");
  });
}

/**
 * Creates the triggers when `accounts` has the `doc` column and it and `charges`, `payments`
 * and `actions` are plain tables (a vendor's views, or tables with a collation, get none); when
 * one was missing or changed, recreates them all and clears every copy, in one transaction.
 */
export function setUpDocs(conn: Database, hasDocColumn: boolean): void {
  if (!hasDocColumn || !plainTables(conn)) return;
  conn.transaction(() => {
    conn.exec("CREATE TABLE IF NOT EXISTS pd_meta (key TEXT NOT NULL PRIMARY KEY, value TEXT) WITHOUT ROWID;");
    if (triggersIntact(conn) && formatOf(conn) === DOC_VERSION) return;
    // A trigger was missing or changed, so rows may have changed unseen: every copy goes.
    for (const [name, want] of EXPECTED) conn.exec(`DROP TRIGGER IF EXISTS ${name}; ${want.sql};`);
    conn.exec("UPDATE accounts SET doc = NULL WHERE doc IS NOT NULL");
    conn.prepare("INSERT OR REPLACE INTO pd_meta (key, value) VALUES ('doc_format', ?)").run(DOC_VERSION);
  }).immediate();
}

/** The format of the ledger's copies, from `pd_meta` (undefined when there is none). */
function formatOf(conn: Database): string | undefined {
  if (typeOf(conn, "pd_meta") !== "table") return undefined;
  return conn.prepare<[], string>("SELECT value FROM pd_meta WHERE key = 'doc_format'").pluck(true).get();
}

/** Whether copies may be read: `accounts.doc`, every trigger that keeps it honest (intact) and this format. */
export function docsUsable(conn: Database, hasDocColumn: boolean): boolean {
  return hasDocColumn && formatOf(conn) === DOC_VERSION && triggersIntact(conn) && plainTables(conn);
}

/**
 * Writes the copy of each account in `ids` from its rows (read with `readOne`, the streaming
 * statement for one account), or leaves it without one when its rows fail the checks or do not
 * fit the format. Run inside the write transaction that changed the rows. Returns how many it wrote.
 */
export function writeDocs(conn: Database, ids: Iterable<string>, readOne: (id: string) => LedgerEntry | undefined): number {
  let written = 0;
  const store = conn.prepare<[string, string]>("UPDATE accounts SET doc = ? WHERE id = ?");
  for (const id of ids) {
    const entry = readOne(id);
    if (entry === undefined || !entry.ok) continue;
    // The checked account keeps `conversation` as a boolean; the copy keeps it as stored, so
    // an account whose column holds anything but 1, 0 or NULL is read from its rows.
    const actions = entry.account.actions ?? [];
    if (!actions.every((a) => a.conversation === undefined || typeof a.conversation === "boolean")) continue;
    const checked = normalizeAccount(entry.account);
    if (!checked.ok) continue;
    const stored = new Map(actions.map((a) => [a.id, a.conversation]));
    const doc = encodeAccountDoc(checked.account, (actionId) => stored.get(actionId));
    if (doc !== undefined) written += store.run(doc, id).changes;
  }
  return written;
}

/** The ids of up to `limit` accounts after `after` (in id order) that have no copy. */
export function missingDocs(conn: Database, after: string, limit: number): string[] {
  return conn
    .prepare<[string, number], string>(
      "SELECT a.id FROM accounts a WHERE a.id > ? AND typeof(a.id) = 'text' AND a.doc IS NULL ORDER BY a.id LIMIT ?",
    )
    .pluck(true)
    .all(after, limit);
}
