/**
 * An in-memory view of raw account snapshots in the read order (shard key, then id), shared by
 * the memory and JSON adapters.
 * @internal
 */
import type { AccountSnapshot } from "../ledger/account.js";
import type { Issue } from "../rules/errors.js";
import { ledgerIssue } from "../ledger/account.js";
import { inShard, ledgerProblem, snapshotProblem, UNORDERED_CURSOR } from "./common.js";
import { compareReadOrder, namesOwner, parseCursor, readCursor, resumesAt, shardKeyOf } from "../ledger/read-order.js";
import type { LedgerEntry, ReadOptions } from "../ledger/adapter.js";

interface Slot {
  id: string;
  /** The shard key ({@link shardKeyOf}): the owner's id, else `id`. */
  key: string;
  /** Position in the source array. */
  at: number;
  snapshot: AccountSnapshot;
  /** Set on every occurrence of an id after the first. */
  duplicateOf?: number;
}

export interface IndexedAccounts {
  /** Snapshots with a usable id, in the read order (stable, so duplicates of one key keep source order). */
  slots: Slot[];
  /** Unusable snapshots, in source order. */
  invalid: { at: number; issue: Issue }[];
  /** id → index into `slots` of its first occurrence. */
  byId: Map<string, number>;
}

/** Indexes raw snapshots; those without a usable id are set aside as invalid. */
export function indexAccounts(raw: readonly unknown[]): IndexedAccounts {
  const slots: Slot[] = [];
  const invalid: { at: number; issue: Issue }[] = [];
  raw.forEach((value, at) => {
    const problem = snapshotProblem(value);
    if (problem !== undefined) invalid.push({ at, issue: problem });
    else {
      const snapshot = value as AccountSnapshot;
      slots.push({ id: snapshot.id, key: shardKeyOf(snapshot), at, snapshot });
    }
  });
  slots.sort(compareReadOrder);
  // The first occurrence in the source is the one read, wherever its owner puts it in the order.
  const byId = new Map<string, number>();
  slots.forEach((slot, i) => {
    const first = byId.get(slot.id);
    if (first === undefined || slots[first]!.at > slot.at) byId.set(slot.id, i);
  });
  slots.forEach((slot, i) => {
    const first = byId.get(slot.id)!;
    if (first !== i) slot.duplicateOf = slots[first]!.at;
  });
  return { slots, invalid, byId };
}

/** Index of the first slot after `after` (a position): slots before it are left out by a binary search, not read. */
function startAfter(slots: readonly Slot[], after: { key: string; id: string }): number {
  let lo = 0;
  let hi = slots.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compareReadOrder(slots[mid]!, after) <= 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The ledger entries of an index, honouring shard and cursor. `label(at)` names a source position, e.g. `accounts[3]`. */
export function* indexedEntries(index: IndexedAccounts, options: ReadOptions, label: (at: number) => string): Generator<LedgerEntry> {
  const { shard, after } = options;
  if (after === undefined && (shard === undefined || shard.index === 0))
    for (const bad of index.invalid) yield ledgerProblem(UNORDERED_CURSOR, label(bad.at), [bad.issue]);
  const { slots } = index;
  const from = after === undefined ? undefined : parseCursor(after);
  const start = from !== undefined && from.key !== undefined ? startAfter(slots, from) : 0;
  for (let i = start; i < slots.length; i++) {
    const slot = slots[i]!;
    if (!inShard(slot.key, shard)) continue;
    // An account id alone (a cursor of the id-order versions): see parseCursor.
    if (from !== undefined && from.key === undefined && !resumesAt(slot, namesOwner(slot.snapshot), from)) continue;
    const cursor = readCursor(slot);
    if (slot.duplicateOf !== undefined)
      yield ledgerProblem(cursor, slot.id, [ledgerIssue("duplicate_account", "id", `duplicate account id (${label(slot.at)} repeats ${label(slot.duplicateOf)}); only the first is read`)]);
    else yield { ok: true, cursor, account: slot.snapshot };
  }
}
