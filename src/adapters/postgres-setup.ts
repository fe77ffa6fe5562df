/**
 * Preparing a PostgreSQL ledger on open: unless read-only, the tables and `pd_shard_of` are
 * created (under an advisory lock, in the ledger's schema), and a ledger made with an older
 * schema gets the newer columns; then what the ledger has is probed.
 */
import type { PoolClient } from "pg";
import { LedgerError } from "./common.js";
import { ADDED_COLUMNS, COLUMNS_SQL, FAST_PATH_SQL, READ_ORDER_SQL, TABLES_SQL, VOUCHES_SQL, quoteIdent, type Columns } from "./postgres-sql.js";

/**
 * Runs `work` in a transaction holding the ledger's schema lock: schema changes are serialized
 * across connections (CREATE … IF NOT EXISTS and ADD COLUMN IF NOT EXISTS race with themselves).
 */
async function underSchemaLock(client: PoolClient, work: () => Promise<void>): Promise<void> {
  await client.query("BEGIN");
  try {
    await client.query("SELECT pg_advisory_xact_lock(hashtext('property-dunning ledger schema'))");
    await work();
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  }
}

/**
 * Which added columns the ledger has; unless read-only, first adds those missing from the
 * tables (not views) of a ledger created with an older schema, under the schema lock. When
 * that is refused (a vendor's table the user does not own), the columns read as NULL.
 */
async function addedColumns(client: PoolClient, readonly: boolean): Promise<Columns> {
  type Row = [string, boolean, string[]];
  const probe = async (): Promise<Map<string, Row>> =>
    new Map((await client.query<Row>({ text: COLUMNS_SQL, rowMode: "array" })).rows.map((r) => [r[0], r]));
  const missing = (tables: Map<string, Row>): [string, string, string][] =>
    Object.entries(ADDED_COLUMNS).flatMap(([table, columns]) => {
      const row = tables.get(table);
      return row === undefined || !row[1] ? [] : columns.filter(([c]) => !row[2].includes(c)).map(([c, type]): [string, string, string] => [table, c, type]);
    });
  let tables = await probe();
  if (!readonly && missing(tables).length > 0) {
    await underSchemaLock(client, async () => {
      for (const [table, c, type] of missing(await probe())) await client.query(`ALTER TABLE ${table} ADD COLUMN IF NOT EXISTS ${c} ${type}`);
    }).catch(() => undefined);
    tables = await probe();
  }
  const has: Record<string, boolean> = {};
  for (const [table, columns] of Object.entries(ADDED_COLUMNS)) for (const [c] of columns) has[c] = tables.get(table)?.[2].includes(c) === true;
  return has as unknown as Columns;
}

/**
 * Creates what is missing (unless `readonly`) and reports what the ledger has: whether sharding
 * runs in SQL (`pd_shard_of` exists) and which added columns exist. Throws naming a missing
 * table or view.
 */
export async function prepareLedger(client: PoolClient, schema: string | undefined, readonly: boolean): Promise<{ shardInSql: boolean; has: Columns }> {
  const probe = `SELECT to_regclass('accounts') IS NOT NULL, to_regclass('charges') IS NOT NULL, to_regclass('payments') IS NOT NULL,
    to_regclass('actions') IS NOT NULL, to_regprocedure('pd_shard_of(text,integer)') IS NOT NULL`;
  const present = async (): Promise<boolean[]> => (await client.query<boolean[]>({ text: probe, rowMode: "array" })).rows[0]!;
  let found = await present();
  if (!readonly && !found.every(Boolean)) {
    await underSchemaLock(client, async () => {
      // Only when missing: CREATE SCHEMA IF NOT EXISTS needs the right to create schemas even when it exists.
      if (schema !== undefined && (await client.query("SELECT 1 FROM pg_namespace WHERE nspname = $1", [schema])).rowCount === 0)
        await client.query(`CREATE SCHEMA ${quoteIdent(schema)}`);
      found = await present();
      if (!found.every(Boolean)) await client.query(TABLES_SQL);
    });
    found = await present();
  }
  const missing = ["accounts", "charges", "payments", "actions"].filter((_, i) => found[i] !== true);
  if (missing.length > 0) throw new LedgerError("missing_tables", `no ${missing.join(", ")} table or view (looked in the search_path ${schema === undefined ? "of the connection" : quoteIdent(schema)})`);
  const has = await addedColumns(client, readonly);
  if (!readonly) await addFastPath(client);
  if (!readonly && has.owner_id) await addReadOrder(client);
  return { shardInSql: found[4] === true, has };
}

/**
 * Gives a ledger's accounts table the read order's index (docs/ledger-format.md, "The read
 * order") when it lacks it, under the schema lock; building it reads the table once. Not where
 * accounts is a view, and not when it is refused (a vendor's table the user does not own): that
 * ledger is still read in order, PostgreSQL sorting the accounts once per read.
 */
async function addReadOrder(client: PoolClient): Promise<void> {
  const needed = "SELECT c.relkind IN ('r', 'p') AND to_regclass('pd_accounts_read_order') IS NULL FROM pg_class c WHERE c.oid = to_regclass('accounts')";
  const missing = async (): Promise<boolean> => (await client.query<[boolean]>({ text: needed, rowMode: "array" })).rows[0]?.[0] === true;
  if (!(await missing())) return;
  await underSchemaLock(client, async () => {
    if (await missing()) await client.query(READ_ORDER_SQL);
  }).catch((error: unknown) => {
    if ((error as { code?: string }).code !== "42501") throw error;
  });
}

/**
 * Gives a ledger made before the paid-up fast path its functions and unusable-rows indexes
 * (after the added columns, which the actions' index reads), under the schema lock; building them
 * reads every row once. Not where a child table is a view (no index), and not when it is refused
 * (a vendor's table the user does not own): that ledger is read in full.
 */
async function addFastPath(client: PoolClient): Promise<void> {
  const vouches = async (): Promise<boolean> => (await client.query<[boolean]>({ text: VOUCHES_SQL, rowMode: "array" })).rows[0]![0];
  if (await vouches()) return;
  const tables = (await client.query<[boolean]>({ text: "SELECT bool_and(c.relkind IN ('r', 'p')) FROM unnest(ARRAY['charges', 'payments', 'actions']) t(name) JOIN pg_class c ON c.oid = to_regclass(t.name)", rowMode: "array" })).rows[0]![0];
  if (tables !== true) return;
  await underSchemaLock(client, async () => {
    if (!(await vouches())) await client.query(FAST_PATH_SQL);
  }).catch((error: unknown) => {
    // Refused on a vendor's table the user does not own (insufficient_privilege): that ledger is
    // read in full. Anything else (a lock timeout, a full disk) is an error, not a slower ledger.
    if ((error as { code?: string }).code !== "42501") throw error;
  });
}
