/**
 * `property-dunning/adapters/open`: opens a ledger from a one-line spec (the CLI's `--ledger`).
 * Node only (files and drivers), so it is not in the root entry, which runs in a browser. Each
 * adapter is loaded with a dynamic `import()` only when asked for, so nobody loads a database
 * driver they do not use.
 */
import { LedgerError } from "./common.js";
import type { LedgerAdapter } from "../ledger/adapter.js";

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
 * @example
 * // examples/ledger.json holds three accounts: two flats and a shop, streamed in the read order (no owner ids: by id).
 * const ledger = await openLedger("examples/ledger.json", { readonly: true });
 * const ids = [];
 * for await (const entry of ledger.accounts()) if (entry.ok) ids.push(entry.account.id);
 * await ledger.close();
 * ids // => ["A-0302", "A-1201", "C-015"]
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
