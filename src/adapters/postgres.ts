/**
 * A ledger in PostgreSQL, read with node-postgres (`pg`, an optional dependency: it is loaded
 * only when this adapter is opened). Schema: `postgres-schema.sql`, the same tables and columns
 * as the SQLite ledger.
 *
 * Streaming is one statement, like the SQLite adapter's: accounts in the read order (shard key,
 * then id, `COLLATE "C"`, Unicode code point order), each with its charges, payments and actions gathered by correlated
 * subqueries into JSON arrays (`json_agg`), which JavaScript turns into snapshot objects. It is
 * read through a server-side cursor (`DECLARE … CURSOR` / `FETCH`) inside a read-only
 * REPEATABLE READ transaction, a batch at a time (the next batch is fetched while the current
 * one is consumed), so memory stays constant however many accounts there are and each stream
 * sees one consistent snapshot. The shard filter runs inside PostgreSQL (`pd_shard_of`) so the
 * other shards' accounts are never assembled. With `ReadOptions.paidUpOn` (from `plan()`), an
 * account paid up on that day without holds is handed over without its children, where the
 * ledger's indexes of unusable rows vouch for them (see postgres-sql.ts, docs/adapters.md).
 */
import type { FieldDef, Pool, PoolClient } from "pg";
import type { AccountSnapshot } from "../ledger/account.js";
import { InvalidArgumentError } from "../rules/errors.js";
import { checkAccountsToWrite, checkExecuted, checkReadOptions, inShard, lazyDriver, LedgerError, ledgerProblem, snapshotProblem, unknownAccounts, UNORDERED_CURSOR } from "./common.js";
import { POSTGRES_SCHEMA } from "./postgres-schema.js";
import { postgresWriter } from "./postgres-write.js";
import { prepareLedger } from "./postgres-setup.js";
import { parseCursor, readCursor } from "../ledger/read-order.js";
import { BYTEA, TEXT_TYPES, UNORDERED_SQL, VOUCHES_SQL, jsonRows, quoteIdent, streamSql, type Columns } from "./postgres-sql.js";
import { CHILD_TABLES, orphanProblems, orphanSqlPostgres, type OrphanRows } from "./orphans.js";
import { ID_IS_KEY_POSTGRES, repeatProblems, repeatSqlPostgres } from "./repeats.js";
import { assembleEntry, errorText, type TextColumns } from "./rows.js";
import type { ExecutedAction, LedgerAdapter, LedgerEntry, ReadOptions } from "../ledger/adapter.js";

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

/**
 * Accounts per `FETCH`: a batch and the next one (fetched while this one is read) are what the
 * stream holds, as JSON text (postgres-sql.ts), ~0.5 MB each here; each account is parsed when
 * it is read. The round trips cost little next to the accounts' own reading. Peak RSS is not set
 * by it: 20, 100 and 1000 measured alike (docs/performance.md, "End to end through the CLI").
 */
const FETCH_SIZE = 100;

const loadDriver = lazyDriver<Driver>(() => import("pg"), "the postgres ledger needs the pg package: npm install pg");

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
 * read as NULL. Streams in the read order (the owner's id, else the account id; then the account
 * id; code point order, through the `pd_accounts_read_order` index); the cursor is that position
 * (`readCursor`).
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
  if (schema !== undefined && (typeof schema !== "string" || schema.length === 0)) throw new InvalidArgumentError("invalid_option", "schema", "postgresLedger: options.schema must be a non-empty string");
  const where = redactUrl(url);
  const name = `postgres ledger ${where}${schema === undefined ? "" : ` (schema ${schema})`}`;

  let pool: Pool;
  try {
    pool = new pg.Pool({ connectionString: url, application_name: "property-dunning", max: 10 });
  } catch (error) {
    throw new LedgerError("cannot_open", `cannot open postgres ledger ${where}: ${errorText(error)}`, { cause: error });
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

  let shardInSql: boolean;
  let has: Columns;
  try {
    const client = await connect();
    try {
      ({ shardInSql, has } = await prepareLedger(client, schema, readonly));
    } finally {
      client.release();
    }
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw new LedgerError("cannot_open", `cannot open postgres ledger ${where}: ${errorText(error)}`, { cause: error });
  }

  const streams = new Set<PoolClient>();
  let closed = false;
  const usable = (): void => {
    if (closed) throw new LedgerError("ledger_closed", `${name} is closed`);
  };
  const writable = (what: string): void => {
    usable();
    if (readonly) throw new LedgerError("read_only", `${what}: ${name} was opened read-only`);
  };

  async function* stream(options: ReadOptions): AsyncGenerator<LedgerEntry> {
    usable();
    const { shard, after, paidUpOn } = options;
    const sharded = shard !== undefined && shard.count > 1;
    const client = await connect();
    streams.add(client);
    let broken = false;
    let pending: Promise<unknown[][]> | undefined;
    const from = after === undefined ? undefined : parseCursor(after);
    let last: string | undefined = from?.id;
    const fail = (error: unknown): LedgerError => {
      broken = true;
      const at = last === undefined ? "at the start" : `after account ${JSON.stringify(last)}`;
      return new LedgerError("read_failed", `${name}: reading stopped ${at}: ${errorText(error)}`, { cause: error });
    };
    const repeated = new Set<string>();
    const repeats: LedgerEntry[] = [];
    try {
      const text: TextColumns = { tags: true, holds: true, optOuts: true };
      const entryOptions = { childRows: jsonRows, text, marked: false };
      try {
        await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
        // JIT compiling the streaming plan costs more than it saves on this per-account work.
        await client.query("SET LOCAL jit = off");
        if (after === undefined && (shard === undefined || shard.index === 0)) {
          // Rows whose account does not exist belong to no account's stream: reported first, once.
          const orphans: OrphanRows[] = [];
          for (const table of CHILD_TABLES)
            for (const [accountId, count, ids] of (await client.query<[string | null, number, string[]]>({ text: orphanSqlPostgres(table), rowMode: "array" })).rows)
              orphans.push({ table, accountId, count, ids });
          yield* orphanProblems(orphans);
          const odd = await client.query<[string | null]>({ text: UNORDERED_SQL, rowMode: "array" });
          for (const [id] of odd.rows) yield ledgerProblem(UNORDERED_CURSOR, String(id), [snapshotProblem({ id })!]);
        }
        // An id with several rows: reported once (by shard 0 from the start); left out of every stream.
        if (!(await client.query<[boolean]>({ text: ID_IS_KEY_POSTGRES, rowMode: "array" })).rows[0]![0]) {
          const found = (await client.query<[string, number, (string | null)[]]>({ text: repeatSqlPostgres(has.owner_id), rowMode: "array" })).rows;
          for (const [id] of found) repeated.add(id);
          if (after === undefined && (shard === undefined || shard.index === 0)) repeats.push(...repeatProblems(found.map(([id, count, owners]) => ({ id, count, owners }))));
        }
        const params: unknown[] = from === undefined ? [] : from.key !== undefined ? [from.key, from.id] : [from.id];
        if (sharded && shardInSql) params.push(shard.count, shard.index);
        // A vendor's view may give a child column as bytea: those cells are marked, to be reported.
        const binary = new Set<string>();
        for (const table of CHILD_TABLES)
          for (const field of (await client.query(`SELECT * FROM ${table} LIMIT 0`)).fields) if (field.dataTypeID === BYTEA) binary.add(`${table}.${field.name}`);
        entryOptions.marked = binary.size > 0;
        // The paid-up fast path only where the ledger's indexes vouch for the rows it leaves out.
        const paidUp = paidUpOn !== undefined && (await client.query<[boolean]>({ text: VOUCHES_SQL, rowMode: "array" })).rows[0]![0] ? paidUpOn : undefined;
        await client.query(`DECLARE pd_stream NO SCROLL CURSOR FOR ${streamSql(sharded && shardInSql, has, binary, paidUp, from === undefined ? "start" : from.key !== undefined ? "position" : "legacy")}`, params);
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
      yield* repeats;
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
          if (repeated.has(id)) continue;
          if (sharded && !shardInSql && !inShard(typeof row[11] === "string" && row[11] !== "" ? row[11] : id, shard)) continue;
          const entry = assembleEntry(id, readCursor({ key: typeof row[13] === "string" ? row[13] : id, id }), row, entryOptions);
          if (entry.ok && row[12] === true) entry.paidUp = true;
          yield entry;
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

  const write = postgresWriter(has);

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
        if (unknown.length > 0) throw unknownAccounts(unknown);
        return write.actions(
          client,
          actions.map((a) => write.actionRow(a.accountId, a)),
        );
      });
    },
    async writeAccounts(accounts: readonly AccountSnapshot[]): Promise<void> {
      writable("writeAccounts");
      checkAccountsToWrite(accounts);
      if (accounts.length === 0) return;
      await transaction((client) => write.accounts(client, accounts));
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
