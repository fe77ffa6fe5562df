/**
 * Ledgers in plain files: a JSON document `{ "accounts": [...] }`, or JSON Lines (one account
 * snapshot per line). Node built-ins only.
 */
import { createReadStream } from "node:fs";
import { appendFile, readFile, truncate } from "node:fs/promises";
import { createInterface } from "node:readline";
import type { AccountSnapshot, RecordedAction } from "../ledger/account.js";
import { ledgerIssue } from "../ledger/account.js";
import { InvalidArgumentError } from "../rules/errors.js";
import { checkExecuted, checkReadOptions, LedgerError, LedgerFileError, groupByAccount, inShard, isObject, shardKeyOf, ledgerProblem, snapshotProblem, recordedActionOf, unknownAccounts, withActions } from "./common.js";
import { indexAccounts, indexedEntries } from "./indexed.js";
import { serial, writeAtomically } from "./atomic-write.js";
import type { ExecutedAction, LedgerAdapter, LedgerEntry, ReadOptions } from "../ledger/adapter.js";

export interface FileLedgerOptions {
  /** `record()` rejects instead of writing. */
  readonly?: boolean;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Drops a leading byte order mark, which Windows editors like to add. */
function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

// ---------------------------------------------------------------------------------------------
// JSON

interface JsonDocument {
  data: Record<string, unknown>;
  accounts: unknown[];
}

async function readDocument(path: string): Promise<JsonDocument> {
  const text = stripBom(await readFile(path, "utf8"));
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new LedgerFileError(`${path}: not valid JSON (${errorText(error)})`, { cause: error });
  }
  if (!isObject(data) || !Array.isArray(data.accounts)) throw new LedgerFileError(`${path}: expected a JSON object { "accounts": [ … ] }`);
  return { data, accounts: data.accounts };
}

/**
 * A ledger in the JSON file at `path`, shaped `{ "accounts": [ … ] }` (other top-level keys are
 * kept). The file is read whole at the start of each stream and streamed in the read order
 * (src/ledger/read-order.ts: owner id, else account id; then account id); the cursor is that position.
 *
 * - An element that is not an object or has no non-empty string id is streamed as
 *   `{ ok: false, accountId: "accounts[i]" }` (first, cursor `""`, shard 0 only); a repeated id
 *   as `{ ok: false, accountId: id }` right after the first occurrence, which is the one read.
 * - `record()` appends to the accounts' `actions`, skipping ids an account already has, and
 *   rewrites the file atomically (temporary file + rename, pretty-printed); nothing is written
 *   when nothing is new. It rejects, writing nothing, when an action names an account the file
 *   does not hold.
 */
export function jsonLedger(path: string, options: FileLedgerOptions = {}): LedgerAdapter {
  const queue = serial();
  let closed = false;
  const usable = (): void => {
    if (closed) throw new LedgerError("ledger_closed", `json ledger ${path} is closed`);
  };

  async function* stream(options: ReadOptions): AsyncGenerator<LedgerEntry> {
    usable();
    const { accounts } = await readDocument(path);
    yield* indexedEntries(indexAccounts(accounts), options, (at) => `accounts[${at}]`);
  }

  return {
    accounts(options: ReadOptions = {}): AsyncIterable<LedgerEntry> {
      checkReadOptions(options);
      return stream(options);
    },
    async record(actions: readonly ExecutedAction[]): Promise<number> {
      usable();
      if (options.readonly) throw new LedgerError("read_only", `record: json ledger ${path} was opened read-only`);
      checkExecuted(actions);
      if (actions.length === 0) return 0;
      return queue(async () => {
        const document = await readDocument(path);
        const index = indexAccounts(document.accounts);
        const groups = groupByAccount(actions);
        const unknown = [...groups.keys()].filter((id) => !index.byId.has(id));
        if (unknown.length > 0) throw unknownAccounts(unknown);
        let added = 0;
        for (const [id, list] of groups) {
          const slot = index.slots[index.byId.get(id)!]!;
          const result = withActions(slot.snapshot, list.map(recordedActionOf));
          if (result.added > 0) (document.accounts[slot.at] = result.snapshot), (added += result.added);
        }
        if (added > 0) await writeAtomically(path, `${JSON.stringify(document.data, null, 2)}\n`);
        return added;
      });
    },
    async close(): Promise<void> {
      closed = true;
    },
  };
}

// ---------------------------------------------------------------------------------------------
// JSON Lines

/** One line of the actions sidecar. */
interface SidecarLine extends RecordedAction {
  accountId: string;
}

/** The sidecar file a JSONL ledger records actions into. */
export function actionsSidecarPath(path: string): string {
  return `${path}.actions.jsonl`;
}

interface Sidecar {
  /** Account id → its recorded actions, in file order. */
  byAccount: Map<string, RecordedAction[]>;
  /** The file's text ("" when missing). */
  text: string;
  /** Set when the last line has no newline and does not parse: an append cut short. */
  tornFrom?: number;
}

/** Parses one sidecar line, or returns why it cannot. */
function sidecarLine(line: string): SidecarLine | string {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (error) {
    return `not valid JSON (${errorText(error)})`;
  }
  if (!isObject(value) || typeof value.accountId !== "string" || typeof value.id !== "string")
    return `expected {"accountId", "id", "stage", "on", "covers"?}`;
  return value as unknown as SidecarLine;
}

/**
 * Reads the sidecar. A last line without its newline that does not parse is a write cut short:
 * it is ignored (and `tornFrom` says where it starts); any other bad line throws.
 */
async function readSidecar(sidecar: string): Promise<Sidecar> {
  const byAccount = new Map<string, RecordedAction[]>();
  let text: string;
  try {
    text = await readFile(sidecar, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return { byAccount, text: "" };
    throw error;
  }
  const result: Sidecar = { byAccount, text };
  const lines = text.split("\n");
  lines.forEach((line, i) => {
    if (line.trim() === "") return;
    const parsed = sidecarLine(line);
    if (typeof parsed === "string") {
      if (i === lines.length - 1) return void (result.tornFrom = text.length - line.length);
      throw new LedgerFileError(`${sidecar}:${i + 1}: ${parsed}`);
    }
    const { accountId, ...action } = parsed;
    const list = byAccount.get(accountId);
    if (list) list.push(action);
    else byAccount.set(accountId, [action]);
  });
  return result;
}

/**
 * A ledger in the JSON Lines file at `path`: one account snapshot per line, streamed with
 * readline in file order, so memory stays small whatever the file's size (the accounts' ids
 * only). It is not sorted: write it in the read order (owner id, else account id; then account
 * id), or `plan()` reports the units whose owner's units are scattered (`out_of_order`,
 * docs/ledger-format.md). Blank lines are skipped.
 *
 * - The cursor is the 1-based line number (`"42"`): `after: "42"` resumes at line 43.
 * - A line that is not valid JSON, or not an object with a non-empty string id, is streamed as
 *   `{ ok: false, accountId: "line N" }` (on shard 0 only), and the stream goes on. A repeated
 *   id is streamed as `{ ok: false, accountId: id }` with a `duplicate_account` issue naming both
 *   lines (the first is the one read). To tell, a stream keeps the ids it has read (of its shard;
 *   ids only, so memory grows with their number, not with the accounts' contents), and a stream
 *   resumed `after` a line still parses the lines before it.
 * - `record()` appends to the sidecar `<path>.actions.jsonl` (one `{accountId, id, stage, on,
 *   covers?}` per line), skipping (account, action id) pairs the sidecar already holds; the main
 *   file is never rewritten. Each stream loads the sidecar into memory at its start and merges
 *   its actions into the accounts' `actions` (skipping ids an account's line already has). An
 *   action whose account the file does not hold is stored and never streamed: unlike the other
 *   adapters, this one does not reject it, since checking would mean reading the whole file.
 */
export function jsonlLedger(path: string, options: FileLedgerOptions = {}): LedgerAdapter {
  const sidecar = actionsSidecarPath(path);
  const queue = serial();
  let closed = false;
  const usable = (): void => {
    if (closed) throw new LedgerError("ledger_closed", `jsonl ledger ${path} is closed`);
  };

  async function* stream(options: ReadOptions): AsyncGenerator<LedgerEntry> {
    usable();
    const { shard } = options;
    const skip = options.after === undefined ? 0 : Number(options.after);
    const reportsUnordered = shard === undefined || shard.index === 0;
    const recorded = (await readSidecar(sidecar)).byAccount;
    const input = createReadStream(path, { encoding: "utf8" });
    const lines = createInterface({ input, crlfDelay: Infinity });
    // The line of each account id of this shard read so far, lines before `after` included: a
    // repeated id is reported, never planned twice. Memory: the ids (and a number) only.
    const firstLine = new Map<string, number>();
    let lineNo = 0;
    try {
      for await (const raw of lines) {
        lineNo++;
        const line = lineNo === 1 ? stripBom(raw) : raw;
        if (line.trim() === "") continue;
        const cursor = String(lineNo);
        let value: unknown;
        try {
          value = JSON.parse(line);
        } catch (error) {
          if (reportsUnordered && lineNo > skip) yield ledgerProblem(cursor, `line ${lineNo}`, [ledgerIssue("unreadable", "", `not valid JSON (${errorText(error)})`)]);
          continue;
        }
        const problem = snapshotProblem(value);
        if (problem !== undefined) {
          if (reportsUnordered && lineNo > skip) yield ledgerProblem(cursor, `line ${lineNo}`, [problem]);
          continue;
        }
        let account = value as AccountSnapshot;
        if (!inShard(shardKeyOf(account), shard)) continue;
        const first = firstLine.get(account.id);
        if (first === undefined) firstLine.set(account.id, lineNo);
        if (lineNo <= skip) continue;
        if (first !== undefined) {
          yield ledgerProblem(cursor, account.id, [ledgerIssue("duplicate_account", "id", `duplicate account id (line ${lineNo} repeats line ${first}); only the first is read`)]);
          continue;
        }
        const extra = recorded.get(account.id);
        if (extra !== undefined && (account.actions === undefined || Array.isArray(account.actions))) account = withActions(account, extra).snapshot;
        yield { ok: true, cursor, account };
      }
    } finally {
      lines.close();
      input.destroy();
    }
  }

  return {
    accounts(options: ReadOptions = {}): AsyncIterable<LedgerEntry> {
      checkReadOptions(options);
      if (options.after !== undefined && !/^(0|[1-9]\d*)$/.test(options.after))
        throw new InvalidArgumentError("invalid_option", "after", `jsonl ledger ${path}: the cursor is a line number (got ${JSON.stringify(options.after)})`);
      return stream(options);
    },
    async record(actions: readonly ExecutedAction[]): Promise<number> {
      usable();
      if (options.readonly) throw new LedgerError("read_only", `record: jsonl ledger ${path} was opened read-only`);
      checkExecuted(actions);
      if (actions.length === 0) return 0;
      return queue(async () => {
        const existing = await readSidecar(sidecar);
        const seen = new Set<string>();
        for (const [accountId, list] of existing.byAccount) for (const a of list) seen.add(`${accountId}\u0000${a.id}`);
        let text = "";
        let added = 0;
        for (const a of actions) {
          const key = `${a.accountId}\u0000${a.id}`;
          if (seen.has(key)) continue;
          seen.add(key);
          const line: SidecarLine = { accountId: a.accountId, ...recordedActionOf(a) };
          text += `${JSON.stringify(line)}\n`;
          added++;
        }
        if (added === 0) return 0;
        if (existing.tornFrom !== undefined) {
          // An earlier append was cut short: drop its partial line, then append after it.
          await truncate(sidecar, Buffer.byteLength(existing.text.slice(0, existing.tornFrom), "utf8"));
        } else if (existing.text !== "" && !existing.text.endsWith("\n")) text = `\n${text}`;
        await appendFile(sidecar, text, "utf8");
        return added;
      });
    },
    async close(): Promise<void> {
      closed = true;
    },
  };
}
