/**
 * A ledger held in memory: for tests, examples, and vendors that already have their accounts as
 * objects. Loads no driver.
 */
import type { AccountSnapshot } from "../ledger/account.js";
import { checkExecuted, checkReadOptions, groupByAccount, LedgerError, recordedActionOf, unknownAccounts, withActions } from "./common.js";
import { indexAccounts, indexedEntries } from "./indexed.js";
import type { ExecutedAction, LedgerAdapter, LedgerEntry, ReadOptions } from "../ledger/adapter.js";

/**
 * A ledger over `accounts`, streamed in the read order (src/ledger/read-order.ts: owner id, else
 * account id; then account id; Unicode code point order); the cursor is that position.
 *
 * - A snapshot that is not an object or has no non-empty string id is streamed as
 *   `{ ok: false, accountId: "accounts[i]" }` (first, cursor `""`, shard 0 only); a repeated id
 *   as `{ ok: false, accountId: id }` right after the first occurrence, which is the one read.
 * - `record()` appends to the account's `actions`, skipping ids the account already has, and
 *   returns how many were new. It rejects (writing nothing) when an action names an account the
 *   ledger does not hold. It never mutates the caller's objects, nor snapshots already streamed:
 *   the ledger keeps its own shallow copies and replaces them on write.
 */
export function memoryLedger(accounts: readonly AccountSnapshot[]): LedgerAdapter {
  const index = indexAccounts(accounts.map((a) => (a !== null && typeof a === "object" && !Array.isArray(a) ? { ...a } : a)));
  let closed = false;
  const open = (): void => {
    if (closed) throw new LedgerError("ledger_closed", "memory ledger is closed");
  };

  async function* stream(options: ReadOptions): AsyncGenerator<LedgerEntry> {
    open();
    yield* indexedEntries(index, options, (at) => `accounts[${at}]`);
  }

  return {
    accounts(options: ReadOptions = {}): AsyncIterable<LedgerEntry> {
      checkReadOptions(options);
      return stream(options);
    },
    async record(actions: readonly ExecutedAction[]): Promise<number> {
      open();
      checkExecuted(actions);
      const groups = groupByAccount(actions);
      const unknown = [...groups.keys()].filter((id) => !index.byId.has(id));
      if (unknown.length > 0) throw unknownAccounts(unknown);
      const updates: [number, AccountSnapshot][] = [];
      let added = 0;
      for (const [id, list] of groups) {
        const at = index.byId.get(id)!;
        const result = withActions(index.slots[at]!.snapshot, list.map(recordedActionOf));
        if (result.added > 0) updates.push([at, result.snapshot]), (added += result.added);
      }
      for (const [at, snapshot] of updates) index.slots[at]!.snapshot = snapshot;
      return added;
    },
    async close(): Promise<void> {
      closed = true;
    },
  };
}
