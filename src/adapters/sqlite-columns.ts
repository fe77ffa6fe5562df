/**
 * Columns the SQLite schema gained after its first version, and adding them to a ledger made
 * before them; removing what the schema no longer has (the checked copies). Loads no driver
 * (the connection is passed in).
 */
import type BetterSqlite3 from "better-sqlite3";

type Database = BetterSqlite3.Database;

/**
 * Columns added after the first schema: a database created before them gets them on first
 * (writable) use; a read-only ledger or a vendor's view without them reads them as NULL.
 */
export const ADDED_COLUMNS = {
  accounts: [
    ["holds", "TEXT"],
    ["opt_outs", "TEXT"],
    ["estate", "TEXT"],
    ["owner_id", "TEXT"],
  ],
  actions: [
    ["channels", "TEXT"],
    ["conversation", "INTEGER"],
  ],
} as const;

/** Which of the added columns the ledger has. */
export interface Columns {
  holds: boolean;
  opt_outs: boolean;
  estate: boolean;
  owner_id: boolean;
  channels: boolean;
  conversation: boolean;
}

/** The column names of a table or view (none when it does not exist). */
function columnsOf(conn: Database, table: string): Set<string> {
  return new Set((conn.pragma(`table_info(${table})`) as { name: string }[]).map((c) => c.name));
}

/**
 * Adds the columns of {@link ADDED_COLUMNS} missing from the tables (not views: a vendor's view
 * is left as it is) of a database created with an older schema; returns which columns exist.
 */
export function migrate(conn: Database, writable: boolean): Columns {
  if (writable)
    for (const [table, columns] of Object.entries(ADDED_COLUMNS)) {
      const present = columnsOf(conn, table);
      const missing = columns.filter(([name]) => !present.has(name));
      if (missing.length === 0) continue;
      const isTable = conn.prepare<[string], string>("SELECT type FROM sqlite_master WHERE name = ? AND type IN ('table', 'view')").pluck(true).get(table) === "table";
      if (!isTable) continue;
      conn.transaction(() => {
        // Checked again inside the (immediate) transaction: another process may have added them.
        const now = columnsOf(conn, table);
        for (const [name, type] of missing) if (!now.has(name)) conn.exec(`ALTER TABLE ${table} ADD COLUMN ${name} ${type}`);
      }).immediate();
    }
  return presentColumns(conn);
}

/**
 * The checked copies earlier versions kept (`accounts.doc`, eleven triggers that cleared it,
 * `pd_meta` naming its format): rows are now the one truth, and nothing reads them.
 */
const COPY_TRIGGERS = ["charges", "payments", "actions"].flatMap((t) => ["insert", "update", "delete"].map((op) => `pd_${t}_${op}_doc`)).concat("pd_accounts_insert_doc", "pd_accounts_rename_doc");

/**
 * Removes the checked copies from a writable ledger that still has them, in one transaction:
 * the triggers first (a column a trigger names cannot be dropped), then `pd_meta`, then the
 * `doc` column (ALTER TABLE … DROP COLUMN: SQLite 3.35 or later; better-sqlite3 bundles a newer
 * one). A vendor's view named `accounts` is left as it is. Returns whether anything was removed.
 */
export function dropCopies(conn: Database): boolean {
  const names = conn.prepare<[], { name: string; type: string }>("SELECT name, type FROM sqlite_master WHERE type IN ('trigger', 'table')").all();
  const triggers = names.filter((n) => n.type === "trigger" && COPY_TRIGGERS.includes(n.name)).map((n) => n.name);
  const meta = names.some((n) => n.type === "table" && n.name === "pd_meta");
  const doc = names.some((n) => n.type === "table" && n.name === "accounts") && columnsOf(conn, "accounts").has("doc");
  if (triggers.length === 0 && !meta && !doc) return false;
  conn.transaction(() => {
    for (const name of triggers) conn.exec(`DROP TRIGGER IF EXISTS ${name}`);
    conn.exec("DROP TABLE IF EXISTS pd_meta");
    // Checked again inside the (immediate) transaction: another process may have dropped it.
    if (columnsOf(conn, "accounts").has("doc")) conn.exec("ALTER TABLE accounts DROP COLUMN doc");
  }).immediate();
  return true;
}

/** Which of the added columns the ledger has now (another process may have added them since it was opened). */
export function presentColumns(conn: Database): Columns {
  const has: Record<string, boolean> = {};
  for (const [table, columns] of Object.entries(ADDED_COLUMNS)) {
    const present = columnsOf(conn, table);
    for (const [name] of columns) has[name] = present.has(name);
  }
  return has as unknown as Columns;
}
