/**
 * An in-memory, id-sorted view of raw account snapshots, shared by the memory and JSON adapters.
 * @internal
 */
import type { AccountSnapshot } from "../ledger/account.js";
import type { Issue } from "../rules/errors.js";
import { ledgerIssue } from "../ledger/account.js";
import { compareIds, inShard, shardKeyOf, ledgerProblem, snapshotProblem, UNORDERED_CURSOR } from "./common.js";
import type { LedgerEntry, ReadOptions } from "../ledger/adapter.js";

interface Slot {
  id: string;
  /** Position in the source array. */
  at: number;
  snapshot: AccountSnapshot;
  /** Set on every occurrence of an id after the first. */
  duplicateOf?: number;
}

export interface IndexedAccounts {
  /** Snapshots with a usable id, ascending id (stable, so duplicates keep source order). */
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
      slots.push({ id: snapshot.id, at, snapshot });
    }
  });
  slots.sort((a, b) => compareIds(a.id, b.id));
  const byId = new Map<string, number>();
  slots.forEach((slot, i) => {
    const first = byId.get(slot.id);
    if (first === undefined) byId.set(slot.id, i);
    else slot.duplicateOf = slots[first]!.at;
  });
  return { slots, invalid, byId };
}

/** Index of the first slot whose id sorts after `after`. */
function startAfter(slots: readonly Slot[], after: string): number {
  let lo = 0;
  let hi = slots.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compareIds(slots[mid]!.id, after) <= 0) lo = mid + 1;
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
  for (let i = after === undefined ? 0 : startAfter(slots, after); i < slots.length; i++) {
    const slot = slots[i]!;
    if (!inShard(shardKeyOf(slot.snapshot), shard)) continue;
    if (slot.duplicateOf !== undefined)
      yield ledgerProblem(slot.id, slot.id, [ledgerIssue("duplicate_account", "id", `duplicate account id (${label(slot.at)} repeats ${label(slot.duplicateOf)}); only the first is read`)]);
    else yield { ok: true, cursor: slot.id, account: slot.snapshot };
  }
}
