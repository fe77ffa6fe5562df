/**
 * A ledger in PostgreSQL, read with node-postgres (`pg`, an optional dependency: it is loaded
 * only when this adapter is opened). Schema: `postgres-schema.sql`, the same tables and columns
 * as the SQLite ledger.
 *
 * Streaming is one statement, like the SQLite adapter's: accounts in id order (`COLLATE "C"`,
 * Unicode code point order), each with its charges, payments and actions gathered by correlated
 * subqueries into JSON arrays (`json_agg`), which JavaScript turns into snapshot objects. It is
 * read through a server-side cursor (`DECLARE … CURSOR` / `FETCH`) inside a read-only
 * REPEATABLE READ transaction, a batch at a time (the next batch is fetched while the current
 * one is consumed), so memory stays constant however many accounts there are and each stream
 * sees one consistent snapshot. The shard filter runs inside PostgreSQL (`pd_shard_of`) so the
 * other shards' accounts are never assembled.
 */
import type { FieldDef, Pool, PoolClient } from "pg";
import type { AccountSnapshot, RecordedAction } from "../schedule/account.js";
import { checkExecuted, checkReadOptions, inShard, snapshotProblem, UNORDERED_CURSOR } from "./common.js";
import { POSTGRES_SCHEMA } from "./postgres-schema.js";
import { assembleEntry, errorText, type TextColumns } from "./rows.js";
import type { ExecutedAction, LedgerAdapter, LedgerEntry, ReadOptions } from "./types.js";

/** The schema's SQL (`postgres-schema.sql`), for vendors who create the tables in their own migrations. */
export { POSTGRES_SCHEMA };

/** The driver module (its CommonJS exports, which every pg 8 release has as the default export). */
type Driver = (typeof import("pg"))["default"];

export interface PostgresLedgerOptions {
  /** Read only: creates nothing, and `record()` and `writeAccounts()` reject. The tables (or views) must exist. */
  readonly?: boolean;
  /**
   * The PostgreSQL schema (namespace) that holds the ledger's tables: every connection's
   * `search_path` is set to it alone, and (unless read-only) it is created on first use.
   * Default: the connection's own `search_path` (usually `public`).
   */
  schema?: string;
}

export interface PostgresLedger extends LedgerAdapter {
  /**
   * Writes whole accounts in one transaction (for the demo generator, tests and imports). An
   * account that already exists is replaced, charges and payments included; its actions are
   * merged, keeping those already recorded. Values are stored as given, unchecked by the
   * adapter (PostgreSQL still checks its column types: an amount must be an integer).
   */
  writeAccounts(accounts: readonly AccountSnapshot[]): Promise<void>;
}

/** Accounts per `FETCH`. */
const FETCH_SIZE = 1000;
/** Rows per bulk statement in `writeAccounts()`. */
const WRITE_CHUNK = 5000;
/** Actions per INSERT (at most 7 parameters each; a statement takes at most 65,535). */
const ACTIONS_PER_INSERT = 1000;

/** An action to insert: account id, id, stage, done_on, covers (JSON text), then channels (JSON text) and conversation where the table has them. */
type ActionRow = unknown[];

/**
 * Columns added after the first schema: a database created before them gets them on first
 * (writable) use; a read-only ledger or a vendor's view without them reads them as NULL.
 */
const ADDED_COLUMNS = {
  accounts: [
    ["holds", "TEXT"],
    ["opt_outs", "TEXT"],
  ],
  actions: [
    ["channels", "TEXT"],
    ["conversation", "BOOLEAN"],
  ],
} as const;

/** Which of the added columns the ledger has. */
interface Columns {
  holds: boolean;
  opt_outs: boolean;
  channels: boolean;
  conversation: boolean;
}

/** The columns of the accounts and actions tables or views, and whether each is a table. */
const COLUMNS_SQL = `SELECT t.name, c.relkind IN ('r', 'p'), array(SELECT a.attname::text FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped)
FROM (VALUES ('accounts'), ('actions')) t(name) JOIN pg_class c ON c.oid = to_regclass(t.name)`;
/** Text-like type oids (text, varchar, bpchar, name): a JSON column of these types is parsed in JavaScript. */
const TEXT_TYPES = new Set([25, 1043, 1042, 19]);

let driver: Promise<Driver> | undefined;

function loadDriver(): Promise<Driver> {
  driver ??= import("pg").then(
    (m) => m.default,
    (error: unknown) => {
      driver = undefined;
      throw new Error("the postgres ledger needs the pg package: npm install pg", { cause: error });
    },
  );
  return driver;
}

/** The URL without its password, for messages. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password === "") return url;
    u.password = "***";
    return u.toString();
  } catch {
    return url.replace(/\/\/([^/@:]*):[^/@]*@/, "//$1:***@");
  }
}

/** A double-quoted SQL identifier. */
function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/**
 * The rows of one child column: a JSON array of columns, `[[id, …], [period, …], …]` (each
 * `json_agg` of one column; `[null, null, …]` when there are no rows), turned back into rows.
 */
function jsonRows(value: unknown): unknown[][] {
  const columns = (typeof value === "string" ? JSON.parse(value) : value) as (unknown[] | null)[] | null;
  const first = columns?.[0];
  if (columns === null || first === null || first === undefined) return [];
  const rows: unknown[][] = new Array(first.length);
  for (let i = 0; i < first.length; i++) rows[i] = columns.map((column) => column?.[i]);
  return rows;
}

/**
 * The streaming statement. Ids are read as text (`::text`, a no-op on text columns, so the
 * primary key index still serves the order); `$1` is the cursor to start after ('' from the
 * start, which also leaves out NULL and empty ids: those are reported separately, first).
 *
 * Each account's children are gathered column by column (one `json_agg` per column, in id
 * order: the primary key's order, so no sort) into one JSON array of columns: about twice as
 * fast in PostgreSQL as one `json_build_array` per row. JSON keeps each value's type (text,
 * number, null), so malformed values reach the validator as they are.
 */
function streamSql(shardInSql: boolean, has: Columns): string {
  // A column the ledger lacks (see ADDED_COLUMNS) reads as NULL.
  const column = (alias: string, c: string): string => (c in has && !has[c as keyof Columns] ? `NULL::text AS ${c}` : `${alias}.${c}`);
  const children = (table: string, alias: string, columns: readonly string[]): string =>
    `(SELECT json_build_array(${columns.map((c) => `json_agg(${alias}.${c})`).join(", ")}) FROM (SELECT ${columns.map((c) => column(alias, c)).join(", ")} FROM ${table} ${alias} WHERE ${alias}.account_id = a.id ORDER BY ${alias}.id::text COLLATE "C") ${alias})`;
  return `SELECT a.id::text, a.segment, a.unit, a.owner_name, a.owner_tags,
  ${children("charges", "c", ["id", "period", "due_on", "amount_minor"])},
  ${children("payments", "p", ["id", "paid_on", "amount_minor"])},
  ${children("actions", "x", ["id", "stage", "done_on", "covers", "channels", "conversation"])},
  ${column("a", "holds")}, ${column("a", "opt_outs")}
FROM accounts a
WHERE a.id::text COLLATE "C" > $1::text${shardInSql ? " AND pd_shard_of(a.id::text, $2::integer) = $3::integer" : ""}
ORDER BY a.id::text COLLATE "C"`;
}

/** Ids that cannot be placed in the order: NULL and ''. */
const UNORDERED_SQL = `SELECT a.id::text FROM accounts a WHERE a.id IS NULL OR a.id::text = ''`;

/** Rolls back (ignoring errors) and hands the client back; a client in doubt is destroyed. */
async function rollbackAndRelease(client: PoolClient, broken: boolean): Promise<void> {
  if (!broken) {
    try {
      await client.query("ROLLBACK");
    } catch {
      broken = true;
    }
  }
  client.release(broken);
}

/**
 * A ledger in the PostgreSQL database at `url` (`postgres://user:password@host:port/database`,
 * or `postgresql://…`; libpq parameters such as `?sslmode=require` work as node-postgres
 * supports them). Unless read-only, the tables and the `pd_shard_of` function are created on
 * first use, and a ledger made with an older schema gets the newer columns (`holds`,
 * `opt_outs`; the actions' `channels`, `conversation`); read-only, or in a view, missing ones
 * read as NULL. Streams in ascending account id (code point order); the cursor is the account id.
 *
 * - Each `accounts()` stream holds one pooled connection and one read-only REPEATABLE READ
 *   transaction while it runs (so it sees one snapshot, and `record()` may run meanwhile);
 *   leaving the loop early (`break`) ends both.
 * - Values are streamed raw: a malformed date reaches the scheduler's validator, which names
 *   it. An account whose `owner_tags`, `holds` or `opt_outs` (or an action's `covers` or
 *   `channels`) is text that is not valid JSON is streamed as `{ ok: false }` with the reason
 *   naming the column, and the stream goes on; NULL or empty ids
 *   are reported first, as `{ ok: false }` with cursor `""`, on shard 0 only.
 * - `record()` inserts with `ON CONFLICT DO NOTHING` in one transaction, keyed by (account id,
 *   action id), and returns how many were new; it rejects, writing nothing, when an action
 *   names an account the ledger does not hold.
 */
export async function postgresLedger(url: string, options: PostgresLedgerOptions = {}): Promise<PostgresLedger> {
  const pg = await loadDriver();
  const readonly = options.readonly === true;
  const schema = options.schema;
  if (schema !== undefined && (typeof schema !== "string" || schema.length === 0)) throw new TypeError("postgresLedger: options.schema must be a non-empty string");
  const where = redactUrl(url);
  const name = `postgres ledger ${where}${schema === undefined ? "" : ` (schema ${schema})`}`;

  let pool: Pool;
  try {
    pool = new pg.Pool({ connectionString: url, application_name: "property-dunning", max: 10 });
  } catch (error) {
    throw new Error(`cannot open postgres ledger ${where}: ${errorText(error)}`, { cause: error });
  }
  // An idle connection that dies is dropped from the pool; without a listener it would crash the process.
  pool.on("error", () => undefined);

  const prepared = new WeakSet<PoolClient>();
  /** A pooled connection, its search_path set to the ledger's schema. */
  async function connect(): Promise<PoolClient> {
    const client = await pool.connect();
    if (schema !== undefined && !prepared.has(client)) {
      try {
        await client.query("SELECT set_config('search_path', $1, false)", [quoteIdent(schema)]);
      } catch (error) {
        client.release(true);
        throw error;
      }
      prepared.add(client);
    }
    return client;
  }

  /**
   * Which added columns the ledger has; unless read-only, first adds those missing from the
   * tables (not views) of a ledger created with an older schema, under the schema lock. When
   * that is refused (a vendor's table the user does not own), the columns read as NULL.
   */
  async function addedColumns(client: PoolClient): Promise<Columns> {
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
      await client.query("BEGIN");
      try {
        await client.query("SELECT pg_advisory_xact_lock(hashtext('property-dunning ledger schema'))");
        for (const [table, c, type] of missing(await probe())) await client.query(`ALTER TABLE ${table} ADD COLUMN IF NOT EXISTS ${c} ${type}`);
        await client.query("COMMIT");
      } catch {
        await client.query("ROLLBACK").catch(() => undefined);
      }
      tables = await probe();
    }
    const has: Record<string, boolean> = {};
    for (const [table, columns] of Object.entries(ADDED_COLUMNS)) for (const [c] of columns) has[c] = tables.get(table)?.[2].includes(c) === true;
    return has as unknown as Columns;
  }

  let shardInSql: boolean;
  let has: Columns;
  try {
    const client = await connect();
    try {
      const probe = `SELECT to_regclass('accounts') IS NOT NULL, to_regclass('charges') IS NOT NULL, to_regclass('payments') IS NOT NULL,
        to_regclass('actions') IS NOT NULL, to_regprocedure('pd_shard_of(text,integer)') IS NOT NULL`;
      const present = async (): Promise<boolean[]> => (await client.query<boolean[]>({ text: probe, rowMode: "array" })).rows[0]!;
      let found = await present();
      if (!readonly && !found.every(Boolean)) {
        // Serialized with an advisory lock: CREATE … IF NOT EXISTS races with itself.
        await client.query("BEGIN");
        try {
          await client.query("SELECT pg_advisory_xact_lock(hashtext('property-dunning ledger schema'))");
          // Only when missing: CREATE SCHEMA IF NOT EXISTS needs the right to create schemas even when it exists.
          if (schema !== undefined && (await client.query("SELECT 1 FROM pg_namespace WHERE nspname = $1", [schema])).rowCount === 0)
            await client.query(`CREATE SCHEMA ${quoteIdent(schema)}`);
          found = await present();
          if (!found.every(Boolean)) await client.query(POSTGRES_SCHEMA);
          await client.query("COMMIT");
        } catch (error) {
          await client.query("ROLLBACK").catch(() => undefined);
          throw error;
        }
        found = await present();
      }
      const missing = ["accounts", "charges", "payments", "actions"].filter((_, i) => found[i] !== true);
      if (missing.length > 0) throw new Error(`no ${missing.join(", ")} table or view (looked in the search_path ${schema === undefined ? "of the connection" : quoteIdent(schema)})`);
      shardInSql = found[4] === true;
      has = await addedColumns(client);
    } finally {
      client.release();
    }
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw new Error(`cannot open postgres ledger ${where}: ${errorText(error)}`, { cause: error });
  }

  const streams = new Set<PoolClient>();
  let closed = false;
  const usable = (): void => {
    if (closed) throw new Error(`${name} is closed`);
  };
  const writable = (what: string): void => {
    usable();
    if (readonly) throw new Error(`${what}: ${name} was opened read-only`);
  };

  async function* stream(options: ReadOptions): AsyncGenerator<LedgerEntry> {
    usable();
    const { shard, after } = options;
    const sharded = shard !== undefined && shard.count > 1;
    const client = await connect();
    streams.add(client);
    let broken = false;
    let pending: Promise<unknown[][]> | undefined;
    let last: string | undefined = after;
    const fail = (error: unknown): Error => {
      broken = true;
      const at = last === undefined ? "at the start" : `after account ${JSON.stringify(last)}`;
      return new Error(`${name}: reading stopped ${at}: ${errorText(error)}`, { cause: error });
    };
    try {
      const text: TextColumns = { tags: true, holds: true, optOuts: true };
      const entryOptions = { childRows: jsonRows, text };
      try {
        await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
        // JIT compiling the streaming plan costs more than it saves on this per-account work.
        await client.query("SET LOCAL jit = off");
        if (after === undefined && (shard === undefined || shard.index === 0)) {
          const odd = await client.query<[string | null]>({ text: UNORDERED_SQL, rowMode: "array" });
          for (const [id] of odd.rows) yield { ok: false, cursor: UNORDERED_CURSOR, accountId: String(id), reason: snapshotProblem({ id })! };
        }
        const params: unknown[] = [after ?? ""];
        if (sharded && shardInSql) params.push(shard.count, shard.index);
        await client.query(`DECLARE pd_stream NO SCROLL CURSOR FOR ${streamSql(sharded && shardInSql, has)}`, params);
      } catch (error) {
        throw fail(error);
      }
      const fetch = (): Promise<unknown[][]> => {
        const result = client.query<unknown[]>({ text: `FETCH ${FETCH_SIZE} FROM pd_stream`, rowMode: "array" }).then((r) => {
          const isText = (field: FieldDef | undefined): boolean => field === undefined || TEXT_TYPES.has(field.dataTypeID);
          text.tags = isText(r.fields[4]);
          text.holds = isText(r.fields[8]);
          text.optOuts = isText(r.fields[9]);
          return r.rows;
        });
        result.catch(() => undefined); // handled where awaited
        return result;
      };
      pending = fetch();
      for (;;) {
        let rows: unknown[][];
        try {
          rows = await pending;
        } catch (error) {
          pending = undefined;
          throw fail(error);
        }
        // Fetch the next batch while this one is consumed.
        pending = rows.length === FETCH_SIZE ? fetch() : undefined;
        for (const row of rows) {
          const id = row[0] as string;
          last = id;
          if (sharded && !shardInSql && !inShard(id, shard)) continue;
          yield assembleEntry(id, row, entryOptions);
        }
        if (pending === undefined) break;
      }
    } finally {
      if (pending !== undefined) await pending.catch(() => undefined);
      // Unless close() has already destroyed the connection.
      if (streams.delete(client)) await rollbackAndRelease(client, broken);
    }
  }

  /** Runs `work` in a read-write transaction on one pooled connection. */
  async function transaction<T>(work: (client: PoolClient) => Promise<T>): Promise<T> {
    const client = await connect();
    let result: T;
    try {
      await client.query("BEGIN");
      result = await work(client);
      await client.query("COMMIT");
    } catch (error) {
      await rollbackAndRelease(client, false);
      throw error;
    }
    client.release();
    return result;
  }

  const v = (value: unknown): unknown => (value === undefined ? null : value);
  const json = (value: unknown): string | null => (value === undefined || value === null ? null : JSON.stringify(value));

  /**
   * Inserts actions in bulk, skipping (account, id) pairs already there; returns how many were
   * new. Multi-row VALUES with untyped parameters, so that PostgreSQL converts each value to its
   * column's type: a vendor's actions table may have a DATE `done_on` or a jsonb `covers`.
   */
  // The added columns are written only where the ledger has them (a vendor's table may not).
  const actionColumns = ["account_id", "id", "stage", "done_on", "covers", ...(["channels", "conversation"] as const).filter((c) => has[c])];
  const accountExtras = (["holds", "opt_outs"] as const).filter((c) => has[c]);
  /** An actions row for `insertActions`. */
  const actionRow = (accountId: string, r: RecordedAction): ActionRow => {
    const row: ActionRow = [accountId, v(r.id), v(r.stage), v(r.on), json(r.covers)];
    if (has.channels) row.push(json(r.channels));
    if (has.conversation) row.push(v(r.conversation));
    return row;
  };

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
    accounts(options: ReadOptions = {}): AsyncIterable<LedgerEntry> {
      checkReadOptions(options);
      return stream(options);
    },
    async record(actions: readonly ExecutedAction[]): Promise<number> {
      writable("record");
      checkExecuted(actions);
      if (actions.length === 0) return 0;
      return transaction(async (client) => {
        const ids = [...new Set(actions.map((a) => a.accountId))];
        const unknown = (
          await client.query<[string]>({
            text: "SELECT u.id FROM unnest($1::text[]) WITH ORDINALITY u(id, n) WHERE NOT EXISTS (SELECT 1 FROM accounts a WHERE a.id::text = u.id) ORDER BY u.n",
            values: [ids],
            rowMode: "array",
          })
        ).rows.map((r) => r[0]);
        if (unknown.length > 0) throw new Error(`record: unknown account id(s): ${unknown.slice(0, 10).join(", ")}${unknown.length > 10 ? ", …" : ""}`);
        return insertActions(
          client,
          actions.map((a) => actionRow(a.accountId, a)),
        );
      });
    },
    async writeAccounts(accounts: readonly AccountSnapshot[]): Promise<void> {
      writable("writeAccounts");
      accounts.forEach((a, i) => {
        const problem = snapshotProblem(a);
        if (problem !== undefined) throw new TypeError(`writeAccounts: accounts[${i}]: ${problem}`);
      });
      if (accounts.length === 0) return;
      await transaction(async (client) => {
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
              ...accountExtras.map((c) => rows.map((a) => json(c === "holds" ? a.holds : a.optOuts))),
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
      });
    },
    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      // Streams left open (an iterator dropped without `return()`) would keep pool.end() waiting.
      for (const client of streams) client.release(true);
      streams.clear();
      await pool.end();
    },
  };
}
