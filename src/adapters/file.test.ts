import { readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { collect, describeEntry, okAccounts, SAMPLE_ORDER, sampleAccounts, shardsPartition, scratchPerTest } from "./__fixtures__/ledgers.js";
import { actionsSidecarPath, jsonLedger, jsonlLedger } from "./file.js";
import { memoryLedger } from "./memory.js";
import { openLedger } from "./open.js";
import type { AccountSnapshot } from "../ledger/account.js";
import type { ExecutedAction } from "../ledger/adapter.js";

const scratch = scratchPerTest();

const toJsonl = (rows: readonly unknown[]): string => rows.map((r) => JSON.stringify(r)).join("\n") + "\n";

describe("jsonLedger", () => {
  it("streams like the memory ledger: in the read order, bad elements reported", async () => {
    const path = join(scratch.dir, "ledger.json");
    const raw = [...sampleAccounts(), "junk", { id: "R-0001", charges: [] }];
    await writeFile(path, `\uFEFF${JSON.stringify({ accounts: raw })}`);
    const entries = await collect(jsonLedger(path));
    expect(entries).toEqual(await collect(memoryLedger(raw as AccountSnapshot[])));
    expect(entries.map(describeEntry)).toEqual(["bad accounts[7]", ...SAMPLE_ORDER.map((id) => `ok ${id}`).flatMap((e) => (e === "ok R-0001" ? [e, "bad R-0001"] : [e]))]);
  });

  it("partitions into shards and resumes after a cursor", async () => {
    const path = join(scratch.dir, "ledger.json");
    const accounts = [...sampleAccounts(), ...Array.from({ length: 100 }, (_, i) => ({ id: `Z-${i}`, charges: [] }))];
    await writeFile(path, JSON.stringify({ accounts }));
    const ledger = jsonLedger(path);
    for (const { whole, union } of await shardsPartition(ledger)) expect(union).toEqual(whole);
    const all = await collect(ledger);
    for (const i of [0, 3, 50, all.length - 1]) expect(await collect(ledger, { after: all[i]!.cursor })).toEqual(all.slice(i + 1));
  });

  it("records idempotently by rewriting the file atomically, keeping other keys", async () => {
    const path = join(scratch.dir, "ledger.json");
    await writeFile(path, JSON.stringify({ version: 3, accounts: sampleAccounts() }));
    const ledger = jsonLedger(path);
    const actions: ExecutedAction[] = [
      { accountId: "R-0001", id: "act-9", stage: "reminder", on: "2026-03-02", covers: ["k"] },
      { accountId: "R-0002", id: "act-1", stage: "reminder", on: "2026-02-10" },
    ];
    expect(await ledger.record(actions)).toBe(1);
    const written = await readFile(path, "utf8");
    expect(await ledger.record(actions)).toBe(0);
    expect(await readFile(path, "utf8")).toBe(written); // nothing new: not rewritten
    const data = JSON.parse(written) as { version: number; accounts: AccountSnapshot[] };
    expect(data.version).toBe(3);
    expect(data.accounts.find((a) => a.id === "R-0001")!.actions).toEqual([{ id: "act-9", stage: "reminder", on: "2026-03-02", covers: ["k"] }]);
    expect(data.accounts.find((a) => a.id === "R-0002")!.actions).toHaveLength(1);
    expect(await readdir(scratch.dir)).toEqual(["ledger.json"]); // no temporary file left
    await expect(ledger.record([{ accountId: "nobody", id: "x", stage: "s", on: "2026-03-01" }])).rejects.toThrow("unknown account");
    // Concurrent calls are serialised: each action lands once.
    const counts = await Promise.all([1, 2, 3].map((n) => ledger.record([{ accountId: "C-001", id: `c-${n}`, stage: "s", on: "2026-03-01" }, { accountId: "C-001", id: "c-shared", stage: "s", on: "2026-03-01" }])));
    expect(counts.reduce((a, b) => a + b)).toBe(4);
    const c = okAccounts(await collect(ledger)).find((a) => a.id === "C-001")!;
    expect(c.actions!.map((a) => a.id).sort()).toEqual(["c-1", "c-2", "c-3", "c-shared"]);
  });

  it("fails the stream, naming the file, when the file is not a ledger", async () => {
    const path = join(scratch.dir, "bad.json");
    await writeFile(path, "{ nope");
    await expect(collect(jsonLedger(path))).rejects.toThrow(`${path}: not valid JSON`);
    await writeFile(path, JSON.stringify([{ id: "A" }]));
    await expect(collect(jsonLedger(path))).rejects.toThrow('expected a JSON object { "accounts": [ … ] }');
  });

  it("refuses to record when read-only", async () => {
    const path = join(scratch.dir, "ledger.json");
    await writeFile(path, JSON.stringify({ accounts: sampleAccounts() }));
    await expect(jsonLedger(path, { readonly: true }).record([{ accountId: "R-0001", id: "x", stage: "s", on: "2026-03-01" }])).rejects.toThrow("read-only");
  });
});

describe("jsonlLedger", () => {
  it("streams in file order with line numbers as cursors; a bad line is reported and the stream goes on", async () => {
    const path = join(scratch.dir, "ledger.jsonl");
    const [a, b, c] = sampleAccounts();
    await writeFile(path, `\uFEFF${JSON.stringify(a)}\n\n{"id": "broken",\n${JSON.stringify(b)}\r\n[1,2]\n${JSON.stringify(c)}`);
    const entries = await collect(jsonlLedger(path));
    expect(entries.map((e) => `${e.cursor} ${describeEntry(e)}`)).toEqual(["1 ok R-0002", "3 bad line 3", "4 ok R-0001", "5 bad line 5", "6 ok C-001"]);
    expect(entries[1]).toMatchObject({ ok: false, reason: expect.stringContaining("not valid JSON") });
    expect(entries[1]).toMatchObject({ issues: [{ code: "unreadable", path: "" }] });
    expect(entries[3]).toMatchObject({ ok: false, issues: [{ code: "invalid_type", path: "", message: "must be an object (got an array)" }], reason: "line 5: must be an object (got an array)" });
    expect(okAccounts(entries)).toEqual(okAccounts(await collect(memoryLedger([a!, b!, c!]))).sort((x, y) => ["R-0002", "R-0001", "C-001"].indexOf(x.id) - ["R-0002", "R-0001", "C-001"].indexOf(y.id)));
    // Resume after each line.
    for (let i = 0; i < entries.length; i++) expect(await collect(jsonlLedger(path), { after: entries[i]!.cursor })).toEqual(entries.slice(i + 1));
    expect(await collect(jsonlLedger(path), { after: "2" })).toEqual(entries.slice(1));
    expect(() => jsonlLedger(path).accounts({ after: "R-0001" })).toThrow("the cursor is a line number");
  });

  it("partitions into shards; unparsable lines go to shard 0 only", async () => {
    const path = join(scratch.dir, "ledger.jsonl");
    const rows: unknown[] = [...sampleAccounts(), ...Array.from({ length: 100 }, (_, i) => ({ id: `Z-${i}`, charges: [] }))];
    await writeFile(path, `${toJsonl(rows)}not json\n`);
    const ledger = jsonlLedger(path);
    for (const { whole, union } of await shardsPartition(ledger)) expect(union).toEqual(whole);
  });

  it("records into a sidecar, idempotently, and merges it back into the stream", async () => {
    const path = join(scratch.dir, "ledger.jsonl");
    await writeFile(path, toJsonl(sampleAccounts()));
    const original = await readFile(path, "utf8");
    const ledger = jsonlLedger(path);
    const actions: ExecutedAction[] = [
      { accountId: "R-0001", id: "act-9", stage: "reminder", on: "2026-03-02", covers: ["k"] },
      { accountId: "R-0001", id: "act-9", stage: "reminder", on: "2026-03-02", covers: ["k"] },
      { accountId: "C-001", id: "act-10", stage: "notice", on: "2026-03-02" },
    ];
    expect(await ledger.record(actions)).toBe(2);
    expect(await ledger.record(actions)).toBe(0);
    expect(await readFile(path, "utf8")).toBe(original);
    const sidecar = await readFile(actionsSidecarPath(path), "utf8");
    expect(sidecar.trim().split("\n")).toHaveLength(2);
    const streamed = okAccounts(await collect(ledger));
    expect(streamed.find((a) => a.id === "R-0001")!.actions).toEqual([{ id: "act-9", stage: "reminder", on: "2026-03-02", covers: ["k"] }]);
    expect(streamed.find((a) => a.id === "C-001")!.actions).toEqual([{ id: "act-10", stage: "notice", on: "2026-03-02" }]);
    // An action the account's line already has is stored in the sidecar but merged once.
    expect(await ledger.record([{ accountId: "R-0002", id: "act-1", stage: "reminder", on: "2026-02-10" }])).toBe(1);
    expect(okAccounts(await collect(ledger)).find((a) => a.id === "R-0002")!.actions).toHaveLength(1);
  });

  it("survives an append cut short in the sidecar", async () => {
    const path = join(scratch.dir, "ledger.jsonl");
    await writeFile(path, toJsonl(sampleAccounts()));
    const ledger = jsonlLedger(path);
    expect(await ledger.record([{ accountId: "R-0001", id: "a1", stage: "s", on: "2026-03-01" }])).toBe(1);
    const sidecar = actionsSidecarPath(path);
    await writeFile(sidecar, `${await readFile(sidecar, "utf8")}{"accountId":"R-0001","id":"a2","st`);
    expect(okAccounts(await collect(ledger)).find((a) => a.id === "R-0001")!.actions!.map((a) => a.id)).toEqual(["a1"]);
    expect(await ledger.record([{ accountId: "R-0001", id: "a2", stage: "s", on: "2026-03-01" }])).toBe(1);
    expect(okAccounts(await collect(ledger)).find((a) => a.id === "R-0001")!.actions!.map((a) => a.id)).toEqual(["a1", "a2"]);
    expect((await readFile(sidecar, "utf8")).split("\n")).toHaveLength(3);
    // A bad line in the middle is an error, not silently skipped.
    await writeFile(sidecar, `garbage\n${await readFile(sidecar, "utf8")}`);
    await expect(collect(ledger)).rejects.toThrow(`${sidecar}:1: not valid JSON`);
  });
});

describe("openLedger", () => {
  it("maps a spec to its adapter", async () => {
    const json = join(scratch.dir, "l.json");
    const jsonl = join(scratch.dir, "l.jsonl");
    await writeFile(json, JSON.stringify({ accounts: sampleAccounts() }));
    await writeFile(jsonl, toJsonl(sampleAccounts()));
    const expected = okAccounts(await collect(memoryLedger(sampleAccounts())));
    for (const spec of [json, jsonl, `sqlite:${join(scratch.dir, "l.db")}`, join(scratch.dir, "m.sqlite")]) {
      const ledger = await openLedger(spec);
      try {
        if (spec.includes("sqlite")) await (ledger as unknown as { writeAccounts(a: AccountSnapshot[]): Promise<void> }).writeAccounts(sampleAccounts());
        const got = okAccounts(await collect(ledger));
        expect(spec.endsWith(".jsonl") ? got.sort((a, b) => expected.findIndex((e) => e.id === a.id) - expected.findIndex((e) => e.id === b.id)) : got).toEqual(expected);
      } finally {
        await ledger.close();
      }
    }
    await expect(openLedger(join(scratch.dir, "ledger.csv"))).rejects.toThrow("unknown ledger");
    await expect((await openLedger(json, { readonly: true })).record([{ accountId: "R-0001", id: "x", stage: "s", on: "2026-03-01" }])).rejects.toThrow("read-only");
  });
});
