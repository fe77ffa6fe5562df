/**
 * Shared test fixtures for the adapter tests: sample accounts, a canonical form to compare
 * snapshots from different adapters, stream helpers and temporary directories.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach } from "vitest";
import type { AccountSnapshot, RecordedAction } from "../../ledger/account.js";
import type { LedgerAdapter, LedgerEntry, ReadOptions } from "../../ledger/adapter.js";
import { readCursor } from "../../ledger/read-order.js";

/** A few accounts covering the optional fields, and ids that JavaScript's `<` would misorder. */
export function sampleAccounts(): AccountSnapshot[] {
  return [
    {
      id: "R-0002",
      segment: "residential",
      unit: "8-2-1201",
      owner: { name: "王秀英", tags: ["elderly", "hardship"] },
      charges: [
        { id: "fee-2026-02", period: "2026-02", dueOn: "2026-02-01", amountMinor: 22343 },
        { id: "fee-2026-01", period: "2026-01", dueOn: "2026-01-01", amountMinor: 22343 },
      ],
      payments: [{ id: "pay-001", on: "2026-01-09", amountMinor: 22343 }],
      actions: [{ id: "act-1", stage: "dunning_notice", on: "2026-02-10", covers: ["R-0002:fee-2026-02"], channels: ["phone"], conversation: true }],
      holds: [
        { type: "dispute", id: "d-1", openedOn: "2026-02-12", severity: "important", note: "水管漏水 — says the fee is unfair" },
        { type: "installmentPlan", id: "ip-1", agreedOn: "2026-02-15", charges: ["fee-2026-01"], instalments: [{ dueOn: "2026-03-01", amountMinor: 11172 }, { dueOn: "2026-04-01", amountMinor: 11171 }] },
        { type: "promiseToPay", id: "ptp-1", madeOn: "2026-03-01", promisedOn: "2026-03-12", amountMinor: 22343 },
        { type: "manual", id: "m-1", from: "2026-01-01", scope: "legal", reason: "owner in hospital" },
      ],
      optOuts: ["sms", "wechat"],
    },
    { id: "R-0001", segment: "residential", unit: "8-2-1202", owner: { name: "李建国" }, charges: [{ id: "fee-2026-02", period: "2026-02", dueOn: "2026-02-01", amountMinor: 30000 }], payments: [], actions: [], holds: [], optOuts: [] },
    { id: "C-001", segment: "commercial", unit: "1-S01", owner: { name: "惠民便利店", tags: [] }, charges: [], payments: [{ id: "p", on: "2026-01-02", amountMinor: 5 }], actions: [] },
    { id: "X-no-owner", charges: [{ id: "c", period: "2026-01", dueOn: "2026-01-01", amountMinor: 1 }], payments: [], actions: [{ id: "a", stage: "s", on: "2026-01-05", channels: ["registeredMail", "sms"], conversation: false }] },
    // U+E000 sorts before U+1F600 by code point (and in SQLite), after it by UTF-16 unit.
    { id: "\uE000-private", charges: [], payments: [], actions: [] },
    { id: "😀-emoji", charges: [], payments: [], actions: [] },
    { id: "楼-3", owner: { tags: ["entrusted"] }, charges: [], payments: [], actions: [] },
  ];
}

/** Ids of `sampleAccounts()` in stream order (Unicode code point order). */
export const SAMPLE_ORDER = ["C-001", "R-0001", "R-0002", "X-no-owner", "楼-3", "\uE000-private", "😀-emoji"];
/** The cursor of a unit that names no owner (its key is its id): the read order's position. */
export const cursorOfId = (id: string): string => readCursor({ key: id, id });

const byId = (a: { id: string }, b: { id: string }): number => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/**
 * A snapshot in a form every adapter can reproduce: arrays sorted by id, payments and actions
 * present, absent and empty owner fields dropped; holds and opt-outs (and an action's channels
 * and conversation) kept as given when present.
 */
export function canonical(account: AccountSnapshot): AccountSnapshot {
  const out: AccountSnapshot = {
    id: account.id,
    charges: [...account.charges].sort(byId),
    payments: [...(account.payments ?? [])].sort(byId),
    actions: [...(account.actions ?? [])]
      .map((a) => {
        const r: RecordedAction = { id: a.id, stage: a.stage, on: a.on };
        if (a.covers !== undefined) r.covers = [...a.covers];
        if (a.channels !== undefined) r.channels = [...a.channels];
        if (a.conversation !== undefined) r.conversation = a.conversation;
        return r;
      })
      .sort(byId),
  };
  if (account.segment !== undefined) out.segment = account.segment;
  if (account.unit !== undefined) out.unit = account.unit;
  if (account.owner !== undefined && (account.owner.name !== undefined || account.owner.tags !== undefined)) {
    out.owner = {};
    if (account.owner.name !== undefined) out.owner.name = account.owner.name;
    if (account.owner.tags !== undefined) out.owner.tags = [...account.owner.tags];
  }
  if (account.holds !== undefined) out.holds = structuredClone(account.holds);
  if (account.optOuts !== undefined) out.optOuts = [...account.optOuts];
  return out;
}

export async function collect(ledger: LedgerAdapter, options?: ReadOptions): Promise<LedgerEntry[]> {
  const entries: LedgerEntry[] = [];
  for await (const entry of ledger.accounts(options)) entries.push(entry);
  return entries;
}

/** The accounts of ok entries, canonical. */
export function okAccounts(entries: readonly LedgerEntry[]): AccountSnapshot[] {
  return entries.flatMap((e) => (e.ok ? [canonical(e.account)] : []));
}

export function describeEntry(e: LedgerEntry): string {
  return e.ok ? `ok ${e.account.id}` : `bad ${e.accountId}`;
}

/** A fresh temporary directory and its removal. */
export async function tempDir(): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), "pd-adapters-"));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/**
 * Registers, in the calling test file, a fresh temporary directory for each test (`dir`, read
 * inside a test) and, after each test, the closing of every ledger pushed to `opened`, then the
 * directory's removal.
 */
export function scratchPerTest(): { readonly dir: string; readonly opened: LedgerAdapter[] } {
  let current: { dir: string; cleanup: () => Promise<void> } | undefined;
  const opened: LedgerAdapter[] = [];
  beforeEach(async () => {
    current = await tempDir();
  });
  afterEach(async () => {
    for (const ledger of opened.splice(0)) await ledger.close();
    await current?.cleanup();
  });
  return {
    get dir() {
      return current!.dir;
    },
    opened,
  };
}

/**
 * For k = 1…5: the entries of the whole ledger and those of shards 0…k-1 put together (both
 * sorted), which must be equal for the shards to partition the ledger.
 */
export async function shardsPartition(ledger: LedgerAdapter, key: (e: LedgerEntry) => string = describeEntry): Promise<{ k: number; whole: string[]; union: string[] }[]> {
  const whole = (await collect(ledger)).map(key).sort();
  const results: { k: number; whole: string[]; union: string[] }[] = [];
  for (let k = 1; k <= 5; k++) {
    const union: string[] = [];
    for (let index = 0; index < k; index++) for (const e of await collect(ledger, { shard: { index, count: k } })) union.push(key(e));
    results.push({ k, whole, union: union.sort() });
  }
  return results;
}
