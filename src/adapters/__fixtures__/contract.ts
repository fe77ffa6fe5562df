/**
 * The adapter contract, as assertions every database adapter must pass on the same data: the
 * sample accounts in code point order, resuming after any cursor, idempotent recording, recording
 * while a stream is open, and `writeAccounts` replacing an account but keeping its actions. The
 * SQLite and PostgreSQL tests run them on their own ledgers; adapter-specific behaviour stays in
 * those files.
 */
import { expect } from "vitest";
import { generateEstate } from "../../demo/estate.js";
import type { AccountSnapshot } from "../../ledger/account.js";
import { compareIds, RecordError } from "../common.js";
import type { LedgerAdapter } from "../../ledger/adapter.js";
import { canonical, collect, cursorOfId, describeEntry, okAccounts, SAMPLE_ORDER, sampleAccounts } from "./ledgers.js";

/** A database ledger as the contract needs it: streaming, recording and whole-account writes. */
export type WritableLedger = LedgerAdapter & { writeAccounts(accounts: readonly AccountSnapshot[]): Promise<void> };
/** Opens a fresh, empty ledger and writes `accounts` into it. */
export type LedgerWith = (accounts: AccountSnapshot[]) => Promise<WritableLedger>;

/** The sample accounts (none names an owner) stream back as written, in code point order, the read order's position as cursor. */
export async function streamsSamplesInOrder(ledgerWith: LedgerWith): Promise<void> {
  const entries = await collect(await ledgerWith(sampleAccounts()));
  expect(entries.map((e) => e.cursor)).toEqual(SAMPLE_ORDER.map(cursorOfId));
  expect(entries.map(describeEntry)).toEqual(SAMPLE_ORDER.map((id) => `ok ${id}`));
  expect(okAccounts(entries)).toEqual(sampleAccounts().map(canonical).sort((a, b) => compareIds(a.id, b.id)));
}

/** After any cursor (also an account id alone, the id-order versions' cursor, that is no account's id; and within a shard), exactly the rest. */
export async function resumesAfterAnyCursor(ledgerWith: LedgerWith): Promise<void> {
  const ledger = await ledgerWith([...generateEstate({ seed: 3, asOf: "2026-03-10", residentialUnits: 40, shops: 5, months: 2 }), ...sampleAccounts().slice(3)]);
  const all = await collect(ledger);
  for (let i = 0; i < all.length; i++) expect(await collect(ledger, { after: all[i]!.cursor })).toEqual(all.slice(i + 1));
  expect(await collect(ledger, { after: "R-0001x" })).toEqual(all.filter((e) => compareIds(e.ok ? e.account.id : e.accountId, "R-0001x") > 0));
  const shard = { index: 2, count: 3 };
  const inShard = await collect(ledger, { shard });
  for (let i = 0; i < inShard.length; i++) expect(await collect(ledger, { shard, after: inShard[i]!.cursor })).toEqual(inShard.slice(i + 1));
}

/** Recording is idempotent by (account, action id); an unknown account rejects the whole batch. */
export async function recordsIdempotently(ledgerWith: LedgerWith): Promise<void> {
  const ledger = await ledgerWith(sampleAccounts());
  const actions = [
    { accountId: "R-0001", id: "act-9", stage: "reminder", on: "2026-03-02", covers: ["R-0001:fee-2026-02"] },
    { accountId: "R-0002", id: "act-1", stage: "reminder", on: "2026-02-10" }, // already recorded
    { accountId: "R-0001", id: "act-9", stage: "reminder", on: "2026-03-02" }, // repeated in the batch
  ];
  expect(await ledger.record(actions)).toBe(1);
  expect(await ledger.record(actions)).toBe(0);
  expect(await ledger.record([])).toBe(0);
  const accounts = okAccounts(await collect(ledger));
  expect(accounts.find((a) => a.id === "R-0001")!.actions).toEqual([{ id: "act-9", stage: "reminder", on: "2026-03-02", covers: ["R-0001:fee-2026-02"] }]);
  expect(accounts.find((a) => a.id === "R-0002")!.actions).toHaveLength(1);
  await expect(ledger.record([{ accountId: "R-0001", id: "new", stage: "s", on: "2026-03-01" }, { accountId: "nobody", id: "x", stage: "s", on: "2026-03-01" }])).rejects.toThrow("unknown account id(s): nobody");
  expect(okAccounts(await collect(ledger)).find((a) => a.id === "R-0001")!.actions).toHaveLength(1);
  await expect(ledger.record([{ accountId: "R-0001" } as never])).rejects.toThrow(RecordError);
}

/** A stream keeps the snapshot it started with while actions are recorded. */
export async function recordsDuringAStream(ledgerWith: LedgerWith): Promise<void> {
  const ledger = await ledgerWith(sampleAccounts());
  const seen: string[] = [];
  for await (const entry of ledger.accounts()) {
    if (!entry.ok) continue;
    if (entry.account.id === "C-001") expect(await ledger.record([{ accountId: "X-no-owner", id: "during", stage: "s", on: "2026-03-01" }])).toBe(1);
    if (entry.account.id === "X-no-owner") seen.push(...entry.account.actions!.map((a) => a.id));
  }
  expect(seen).toEqual(["a"]);
  expect(okAccounts(await collect(ledger)).find((a) => a.id === "X-no-owner")!.actions!.map((a) => a.id)).toEqual(["a", "during"]);
}

/** `writeAccounts` replaces an account (the last of an id in a batch wins) and keeps its recorded actions; an invalid one is rejected. */
export async function writeAccountsReplaces(ledgerWith: LedgerWith): Promise<void> {
  const ledger = await ledgerWith(sampleAccounts());
  await ledger.record([{ accountId: "R-0001", id: "kept", stage: "s", on: "2026-03-01" }]);
  const only = { id: "only", period: "2026-03", dueOn: "2026-03-01", amountMinor: 1 };
  await ledger.writeAccounts([
    { id: "R-0001", segment: "residential", charges: [] },
    { id: "R-0001", segment: "commercial", charges: [only] },
  ]);
  const r1 = okAccounts(await collect(ledger)).find((a) => a.id === "R-0001");
  expect(r1).toEqual({ id: "R-0001", segment: "commercial", charges: [only], payments: [], actions: [{ id: "kept", stage: "s", on: "2026-03-01" }] });
  await expect(ledger.writeAccounts([{ charges: [] } as unknown as AccountSnapshot])).rejects.toThrow("writeAccounts: accounts[0].id: must be a non-empty string");
  // Every bad account is named, as data, and none of the batch is written.
  await expect(ledger.writeAccounts([{ id: "R-0009", charges: [] }, { charges: [] }, 7] as unknown as AccountSnapshot[])).rejects.toMatchObject({
    code: "invalid_accounts",
    issues: [
      { code: "invalid_id", path: "accounts[1].id" },
      { code: "invalid_type", path: "accounts[2]" },
    ],
  });
  expect(okAccounts(await collect(ledger)).some((x) => x.id === "R-0009")).toBe(false);
}
