/**
 * The paid-up fast path of the SQLite ledger: its partial indexes of unusable rows (in
 * `sqlite-schema.sql`, the documented source) and the SQL that tells paid-up accounts without
 * holds from the rest. Loads no driver (the connection is passed in).
 */
import type BetterSqlite3 from "better-sqlite3";
import type { ChildTable } from "./orphans.js";
import { SQLITE_SCHEMA } from "./sqlite-schema.js";

type Database = BetterSqlite3.Database;

/** One partial index of the rows of a child table that `normalizeAccount` would refuse. */
interface UnusableIndex {
  name: string;
  table: ChildTable;
  /** Its WHERE clause, `(…) IS NOT 1`, with the columns unqualified. */
  where: string;
  /** Its statement as it is run (`CREATE INDEX IF NOT EXISTS …;`). */
  statement: string;
  /** Its statement as SQLite keeps it in `sqlite_master.sql`. */
  stored: string;
}

const INDEX = /CREATE INDEX IF NOT EXISTS (pd_(charges|payments|actions)_unusable) ON \2 \(account_id\) WHERE \(([\s\S]*?)\n\) IS NOT 1;/g;

export const UNUSABLE_INDEXES: readonly UnusableIndex[] = [...SQLITE_SCHEMA.matchAll(INDEX)].map((m) => ({
  name: m[1]!,
  table: m[2] as ChildTable,
  where: `(${m[3]!}\n) IS NOT 1`,
  statement: m[0],
  stored: m[0].replace("CREATE INDEX IF NOT EXISTS ", "CREATE INDEX ").replace(/;$/, ""),
}));
// An invariant of the bundled schema file, checked once when the module loads (a build defect, not an input).
if (UNUSABLE_INDEXES.length !== 3) throw new Error("sqlite-schema.sql must have one unusable-rows index per child table");

/** The read order's index on accounts (see sqlite-schema.sql): the statement, as it is run. */
const READ_ORDER = /CREATE INDEX IF NOT EXISTS pd_accounts_read_order ON accounts \(.*\);/;
export const READ_ORDER_INDEX: string = READ_ORDER.exec(SQLITE_SCHEMA)?.[0] ?? "";
// An invariant of the bundled schema file, checked once when the module loads (a build defect, not an input).
if (READ_ORDER_INDEX === "") throw new Error("sqlite-schema.sql must have the read order's index");

/** The schema without those indexes: the tables, run before the older columns are added (the indexes read them). */
export const SCHEMA_TABLES: string = SQLITE_SCHEMA.replace(INDEX, "").replace(READ_ORDER, "");

/** Creates the unusable-rows indexes on the child tables that are tables (a vendor's view cannot have one). */
export function createUnusableIndexes(conn: Database): void {
  const tables = new Set(conn.prepare<[], string>("SELECT name FROM sqlite_master WHERE type = 'table'").pluck(true).all());
  for (const index of UNUSABLE_INDEXES) if (tables.has(index.table)) conn.exec(index.statement);
  // And the read order's, on accounts when it is a table (a view reads in order through its own tables' indexes, or sorts).
  if (tables.has("accounts")) conn.exec(READ_ORDER_INDEX);
}

/**
 * Whether the ledger vouches for its rows: every child table has its unusable-rows index, exactly
 * as the schema states it (so a table with another index of that name, or a view, does not), and
 * its primary key is (account_id, id), as the schema's: the sums count each row once only while
 * no id can repeat within an account (a table made by someone else, without that key, could hold
 * a payment twice, which checking would report and the sums would count).
 */
export function vouchesForRows(conn: Database): boolean {
  const stored = new Map(conn.prepare<[], [string, string]>("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND name LIKE 'pd\\_%\\_unusable' ESCAPE '\\'").raw(true).all());
  const key = conn.prepare<[string], string>("SELECT name FROM pragma_table_info(?) WHERE pk > 0 ORDER BY pk").pluck(true);
  return UNUSABLE_INDEXES.every((index) => stored.get(index.name) === index.stored && key.all(index.table).join(",") === "account_id,id");
}

/** Fen: the largest sum that is exact in JavaScript (and in SQLite's `total()`, a double). */
const MAX_SAFE = "9007199254740991";

/**
 * 1 when the account (alias `a`, its `holds` column `holds`) is paid up on `asOf` and has no
 * holds, and no row of it is in an unusable-rows index; 0 otherwise. The cheap tests come first
 * (SQLite stops at the first that fails): holds, then the sums (the payments on or before asOf
 * against every charge, as `findCandidates` adds them up; NULL, so 0, when the payments' total
 * is past the exact range), and the index look-ups only for an account that is paid up. `asOf`
 * must be a checked `YYYY-MM-DD` (it is written into the statement).
 */
export function paidUpSql(asOf: string, holds: string): string {
  const unusable = (i: UnusableIndex): string => `NOT EXISTS (SELECT 1 FROM ${i.table} INDEXED BY ${i.name} WHERE account_id = a.id AND ${i.where})`;
  return `CASE WHEN (${holds} IS NULL OR ${holds} = '[]')
  AND (SELECT CASE WHEN total(p.amount_minor) <= ${MAX_SAFE} THEN total(CASE WHEN p.paid_on <= '${asOf}' THEN p.amount_minor END) END FROM payments p WHERE p.account_id = a.id)
    >= (SELECT total(c.amount_minor) FROM charges c WHERE c.account_id = a.id)
  AND ${UNUSABLE_INDEXES.map(unusable).join("\n  AND ")}
THEN 1 ELSE 0 END`;
}
