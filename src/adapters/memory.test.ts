import { describe, expect, it } from "vitest";
import { canonical, collect, cursorOfId, describeEntry, okAccounts, SAMPLE_ORDER, sampleAccounts, shardsPartition } from "./__fixtures__/ledgers.js";
import { compareIds, RecordError } from "./common.js";
import { memoryLedger } from "./memory.js";
import type { AccountSnapshot } from "../ledger/account.js";
import type { ExecutedAction } from "../ledger/adapter.js";

describe("compareIds", () => {
  it("orders by code point, like SQLite's BINARY collation on UTF-8", () => {
    const ids = ["😀", "\uE000", "b", "a", "ab", "", "\uFFFF", "𝔸"];
    const utf8 = [...ids].sort((x, y) => Buffer.compare(Buffer.from(x, "utf8"), Buffer.from(y, "utf8")));
    expect([...ids].sort(compareIds)).toEqual(utf8);
    expect(compareIds("a", "a")).toBe(0);
  });
});

describe("memoryLedger", () => {
  it("streams in the read order (no owner here: ascending id, code point order) with its position as cursor", async () => {
    const entries = await collect(memoryLedger(sampleAccounts()));
    expect(entries.map((e) => (e.ok ? e.account.id : "?"))).toEqual(SAMPLE_ORDER);
    expect(entries.map((e) => e.cursor)).toEqual(SAMPLE_ORDER.map(cursorOfId));
    const byId = new Map(sampleAccounts().map((a) => [a.id, a]));
    for (const e of entries) if (e.ok) expect(e.account).toEqual(byId.get(e.account.id));
  });

  it("reports invalid snapshots and repeated ids as entries instead of throwing", async () => {
    const raw = [{ id: "B", charges: [] }, 42, { id: 7, charges: [] }, null, { id: "A", charges: [] }, { id: "B", charges: [{ id: "x" }] }, { charges: [] }, { id: "", charges: [] }];
    const ledger = memoryLedger(raw as unknown as AccountSnapshot[]);
    const entries = await collect(ledger);
    expect(entries.map(describeEntry)).toEqual(["bad accounts[1]", "bad accounts[2]", "bad accounts[3]", "bad accounts[6]", "bad accounts[7]", "ok A", "ok B", "bad B"]);
    const bad = entries.filter((e) => !e.ok);
    expect(bad[0]).toMatchObject({ cursor: "", issues: [{ code: "invalid_type", path: "", message: "must be an object (got number)" }] });
    expect(bad[1]).toMatchObject({ issues: [{ code: "invalid_id", path: "id", message: "must be a non-empty string (got 7)" }], reason: "accounts[2]: id: must be a non-empty string (got 7)" });
    expect(bad.at(-1)).toMatchObject({ cursor: cursorOfId("B"), accountId: "B", issues: [{ code: "duplicate_account", path: "id" }], reason: expect.stringContaining("duplicate account id (accounts[5] repeats accounts[0])") });
    // The first occurrence is the one read.
    expect(entries.find((e) => e.ok && e.account.id === "B")).toMatchObject({ account: { charges: [] } });
    // Unordered entries go to shard 0 only and are not repeated on resume.
    expect((await collect(ledger, { shard: { index: 1, count: 2 } })).filter((e) => e.cursor === "")).toEqual([]);
    expect((await collect(ledger, { after: "" })).map(describeEntry)).toEqual(["ok A", "ok B", "bad B"]);
  });

  it("splits into k shards that partition the ledger, k = 1…5", async () => {
    const accounts = Array.from({ length: 300 }, (_, i): AccountSnapshot => ({ id: `A-${i}`, charges: [] }));
    for (const { whole, union } of await shardsPartition(memoryLedger([...accounts, ...sampleAccounts()]))) expect(union).toEqual(whole);
  });

  it("resumes exactly after any cursor, also within a shard", async () => {
    const ledger = memoryLedger(sampleAccounts());
    const all = await collect(ledger);
    for (let i = 0; i < all.length; i++) expect(await collect(ledger, { after: all[i]!.cursor })).toEqual(all.slice(i + 1));
    expect(await collect(ledger, { after: "R-0001x" })).toEqual(all.slice(SAMPLE_ORDER.indexOf("R-0002")));
    const shard = { index: 1, count: 3 };
    const inShard = await collect(ledger, { shard });
    for (let i = 0; i < inShard.length; i++) expect(await collect(ledger, { shard, after: inShard[i]!.cursor })).toEqual(inShard.slice(i + 1));
  });

  it("rejects bad read options", () => {
    const ledger = memoryLedger([]);
    expect(() => ledger.accounts({ shard: { index: 3, count: 3 } })).toThrow(expect.objectContaining({ name: "InvalidArgumentError", code: "invalid_number", path: "shard.index" }));
    expect(() => ledger.accounts({ shard: { index: 0, count: 0 } })).toThrow(expect.objectContaining({ name: "InvalidArgumentError", code: "invalid_number", path: "shard.count" }));
    expect(() => ledger.accounts({ paidUpOn: "2026-02-30" })).toThrow(expect.objectContaining({ name: "InvalidArgumentError", code: "invalid_date", path: "paidUpOn" }));
    expect(() => ledger.accounts({ after: 7 as unknown as string })).toThrow(expect.objectContaining({ name: "InvalidArgumentError", code: "invalid_option", path: "after" }));
  });

  it("records idempotently, without touching the caller's objects or streamed snapshots", async () => {
    const input = sampleAccounts();
    const ledger = memoryLedger(input);
    const before = await collect(ledger);
    const actions: ExecutedAction[] = [
      { accountId: "R-0001", id: "act-9", stage: "reminder", on: "2026-03-02", covers: ["R-0001:fee-2026-02"] },
      { accountId: "R-0002", id: "act-1", stage: "reminder", on: "2026-02-10" }, // already in the log
      { accountId: "R-0001", id: "act-9", stage: "reminder", on: "2026-03-02" }, // repeated in the batch
      { accountId: "C-001", id: "act-10", stage: "notice", on: "2026-03-02" },
    ];
    expect(await ledger.record(actions)).toBe(2);
    expect(await ledger.record(actions)).toBe(0);
    expect(await ledger.record([])).toBe(0);
    const after = okAccounts(await collect(ledger));
    expect(after.find((a) => a.id === "R-0001")!.actions).toEqual([{ id: "act-9", stage: "reminder", on: "2026-03-02", covers: ["R-0001:fee-2026-02"] }]);
    expect(after.find((a) => a.id === "R-0002")!.actions).toHaveLength(1);
    expect(after.find((a) => a.id === "C-001")!.actions).toEqual([{ id: "act-10", stage: "notice", on: "2026-03-02" }]);
    expect(input).toEqual(sampleAccounts());
    expect(before).toEqual(await collect(memoryLedger(sampleAccounts())));
  });

  it("rejects actions for unknown accounts, writing none of the batch", async () => {
    const ledger = memoryLedger(sampleAccounts());
    await expect(
      ledger.record([
        { accountId: "R-0001", id: "ok", stage: "s", on: "2026-03-01" },
        { accountId: "nobody", id: "x", stage: "s", on: "2026-03-01" },
      ]),
    ).rejects.toThrow("unknown account id(s): nobody");
    expect(okAccounts(await collect(ledger))).toEqual(sampleAccounts().map(canonical).sort((a, b) => compareIds(a.id, b.id)));
    await expect(ledger.record([{ accountId: "R-0001", id: "", stage: "s", on: "2026-03-01" }])).rejects.toThrow(RecordError);
  });

  it("is unusable once closed", async () => {
    const ledger = memoryLedger(sampleAccounts());
    await ledger.close();
    await expect(collect(ledger)).rejects.toThrow("closed");
    await expect(ledger.record([])).rejects.toThrow("closed");
  });
});
