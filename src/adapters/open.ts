/**
 * Opens a ledger from a one-line spec (the CLI's `--ledger`). Each adapter is loaded with a
 * dynamic `import()` only when asked for, so nobody loads a database driver they do not use.
 */
import { LedgerError } from "./common.js";
import type { LedgerAdapter } from "./types.js";

export interface OpenLedgerOptions {
  /** Open for reading only: `record()` rejects (and SQLite opens the file read-only). */
  readonly?: boolean;
}

/** The spec forms `openLedger` accepts, for messages. */
export const LEDGER_SPEC_FORMS = "sqlite:PATH (or PATH.db / .sqlite / .sqlite3), postgres://… (or postgresql://…), PATH.json, PATH.jsonl";

/** The PostgreSQL adapter module's shape, as `openLedger` uses it. */
interface PostgresModule {
  postgresLedger(url: string, options?: OpenLedgerOptions): LedgerAdapter | Promise<LedgerAdapter>;
}

/**
 * Opens the ledger `spec` names:
 *
 * - `sqlite:PATH` (`sqlite://PATH` too), or a path ending in `.db`, `.sqlite`, `.sqlite3`: the
 *   SQLite adapter (needs `better-sqlite3`);
 * - `postgres://…` or `postgresql://…`: the PostgreSQL adapter, given the whole URL;
 * - a path ending in `.jsonl`: JSON Lines; in `.json`: a `{ "accounts": [...] }` document.
 *
 * @example await openLedger("sqlite:demo/estate.db")
 */
export async function openLedger(spec: string, options: OpenLedgerOptions = {}): Promise<LedgerAdapter> {
  const sqlitePath = /^sqlite:(?:\/\/)?(.+)$/i.exec(spec)?.[1] ?? (/\.(db|sqlite3?)$/i.test(spec) ? spec : undefined);
  if (sqlitePath !== undefined) {
    const { sqliteLedger } = await import("./sqlite.js");
    return sqliteLedger(sqlitePath, options);
  }
  if (/^postgres(ql)?:\/\//i.test(spec)) {
    const mod: PostgresModule = await import("./postgres.js");
    return mod.postgresLedger(spec, options);
  }
  if (/\.jsonl$/i.test(spec)) {
    const { jsonlLedger } = await import("./file.js");
    return jsonlLedger(spec, options);
  }
  if (/\.json$/i.test(spec)) {
    const { jsonLedger } = await import("./file.js");
    return jsonLedger(spec, options);
  }
  throw new LedgerError("unknown_ledger", `unknown ledger ${JSON.stringify(spec)}: use ${LEDGER_SPEC_FORMS}`);
}
