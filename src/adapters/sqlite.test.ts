import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import Database from "better-sqlite3";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { generateEstate } from "../demo/estate.js";
import { type AccountSnapshot } from "../ledger/account.js";
import { normalizeAccount } from "../ledger/check-account.js";
import { collect, cursorOfId, describeEntry, okAccounts, SAMPLE_ORDER, sampleAccounts, shardsPartition, scratchPerTest } from "./__fixtures__/ledgers.js";
import { compareIds } from "./common.js";
import { jsonLedger, jsonlLedger } from "./file.js";
import { memoryLedger } from "./memory.js";
import { orphanSqlSqlite } from "./orphans.js";
import { plan, type PlanEvent } from "../ledger/plan.js";
import type { LedgerAdapter } from "../ledger/adapter.js";
import { sqliteLedger, type SqliteLedger } from "./sqlite.js";
import { SQLITE_SCHEMA } from "./sqlite-schema.js";
import { resumeSql, streamSql } from "./sqlite-checks.js";
import { presentColumns } from "./sqlite-columns.js";
import { tamper } from "./__fixtures__/sqlite.js";
import { recordsDuringAStream, recordsIdempotently, resumesAfterAnyCursor, streamsSamplesInOrder, writeAccountsReplaces } from "./__fixtures__/contract.js";

const scratch = scratchPerTest();
const open = scratch.opened;

async function ledgerWith(accounts: AccountSnapshot[], name = "ledger.db"): Promise<SqliteLedger> {
  const ledger = await sqliteLedger(join(scratch.dir, name));
  open.push(ledger);
  await ledger.writeAccounts(accounts);
  return ledger;
}


describe("sqlite schema", () => {
  it("the exported SQL is the documented .sql file, byte for byte", async () => {
    expect(SQLITE_SCHEMA).toBe(await readFile(new URL("./sqlite-schema.sql", import.meta.url), "utf8"));
  });
});

describe("the bundled adapters agree", () => {
  it("memory, JSON, JSONL and SQLite stream the same snapshots", async () => {
    const estate = generateEstate({ seed: 7, asOf: "2026-03-10", residentialUnits: 300, shops: 20 });
    const accounts = [...sampleAccounts().filter((a) => !estate.some((e) => e.id === a.id)), ...estate];
    const json = join(scratch.dir, "ledger.json");
    const jsonl = join(scratch.dir, "ledger.jsonl");
    await writeFile(json, JSON.stringify({ accounts }));
    await writeFile(jsonl, accounts.map((a) => JSON.stringify(a)).join("\n"));
    const sqlite = await ledgerWith(accounts);

    const fromMemory = await collect(memoryLedger(accounts));
    const expected = okAccounts(fromMemory);
    expect(expected).toHaveLength(accounts.length);
    expect(expected.map((a) => a.id)).toEqual(accounts.map((a) => a.id).sort(compareIds));
    expect(okAccounts(await collect(jsonLedger(json)))).toEqual(expected);
    const fromSqlite = await collect(sqlite);
    expect(okAccounts(fromSqlite)).toEqual(expected);
    expect(fromSqlite.map((e) => e.cursor)).toEqual(fromMemory.map((e) => e.cursor));
    // JSONL keeps file order.
    const fromJsonl = okAccounts(await collect(jsonlLedger(jsonl)));
    expect(fromJsonl.map((a) => a.id)).toEqual(accounts.map((a) => a.id));
    expect([...fromJsonl].sort((a, b) => compareIds(a.id, b.id))).toEqual(expected);
  });
});

describe("sqliteLedger", () => {
  it("streams in the read order (code point order, as SQLite sorts) with its position as cursor", () => streamsSamplesInOrder(ledgerWith));

  it("splits into k shards that partition the ledger, k = 1…5", async () => {
    const ledger = await ledgerWith(generateEstate({ seed: 3, asOf: "2026-03-10", residentialUnits: 200, shops: 10, months: 3 }));
    tamper(join(scratch.dir, "ledger.db"), `UPDATE accounts SET owner_tags = '[oops' WHERE id = 'R-0007'`);
    for (const { whole, union } of await shardsPartition(ledger)) expect(union).toEqual(whole);
  });

  it("resumes exactly after any cursor, also within a shard", () => resumesAfterAnyCursor(ledgerWith));

  it("records with INSERT OR IGNORE: twice changes nothing and returns 0", () => recordsIdempotently(ledgerWith));

  it("can record while a stream is open; the open stream keeps its snapshot", () => recordsDuringAStream(ledgerWith));

  it("reports an account with malformed JSON by id, and the others still stream", async () => {
    const ledger = await ledgerWith(sampleAccounts());
    const file = join(scratch.dir, "ledger.db");
    tamper(file, `UPDATE accounts SET owner_tags = '["elderly"' WHERE id = 'R-0002'; UPDATE actions SET covers = 'nope' WHERE account_id = 'X-no-owner'`);
    const entries = await collect(ledger);
    expect(entries.map(describeEntry)).toEqual(SAMPLE_ORDER.map((id) => (id === "R-0002" || id === "X-no-owner" ? `bad ${id}` : `ok ${id}`)));
    expect(entries.find((e) => e.cursor === cursorOfId("R-0002"))).toMatchObject({ ok: false, accountId: "R-0002", reason: expect.stringContaining("owner_tags is not valid JSON") });
    expect(entries.find((e) => e.cursor === cursorOfId("X-no-owner"))).toMatchObject({ ok: false, reason: expect.stringContaining('action "a": covers is not valid JSON') });
  });

  it("round-trips holds, opt-outs and recorded channels; malformed holds or opt_outs fail only that account", async () => {
    const ledger = await ledgerWith(sampleAccounts());
    const r2 = okAccounts(await collect(ledger)).find((a) => a.id === "R-0002")!;
    expect(r2.holds).toEqual(sampleAccounts().find((a) => a.id === "R-0002")!.holds);
    expect(r2.optOuts).toEqual(["sms", "wechat"]);
    expect(r2.actions![0]).toMatchObject({ channels: ["phone"], conversation: true });
    expect(normalizeAccount(r2).ok).toBe(true);
    expect(await ledger.record([{ accountId: "R-0001", id: "visit", stage: "visit", on: "2026-03-02", channels: ["homeVisit"], conversation: true }, { accountId: "R-0001", id: "sms", stage: "s", on: "2026-03-02", conversation: false }])).toBe(2);
    const r1 = okAccounts(await collect(ledger)).find((a) => a.id === "R-0001")!;
    expect(r1.actions).toEqual([{ id: "sms", stage: "s", on: "2026-03-02", conversation: false }, { id: "visit", stage: "visit", on: "2026-03-02", channels: ["homeVisit"], conversation: true }]);
    expect(r1).toMatchObject({ holds: [], optOuts: [] });
    expect(okAccounts(await collect(ledger)).find((a) => a.id === "C-001")).not.toHaveProperty("holds");

    tamper(join(scratch.dir, "ledger.db"), `UPDATE accounts SET holds = '[{"type":' WHERE id = 'R-0002'; UPDATE accounts SET opt_outs = 'sms' WHERE id = 'C-001'; UPDATE actions SET channels = '[' WHERE account_id = 'X-no-owner'`);
    const entries = await collect(ledger);
    expect(entries.map(describeEntry)).toEqual(SAMPLE_ORDER.map((id) => (["R-0002", "C-001", "X-no-owner"].includes(id) ? `bad ${id}` : `ok ${id}`)));
    expect(entries.find((e) => e.cursor === cursorOfId("R-0002"))).toMatchObject({ ok: false, reason: expect.stringContaining("holds is not valid JSON") });
    expect(entries.find((e) => e.cursor === cursorOfId("C-001"))).toMatchObject({ ok: false, reason: expect.stringContaining("opt_outs is not valid JSON") });
    expect(entries.find((e) => e.cursor === cursorOfId("X-no-owner"))).toMatchObject({ ok: false, reason: expect.stringContaining('action "a": channels is not valid JSON') });
  });

  it("adds the new columns to a ledger made with the old schema; read-only, it reads them as missing", async () => {
    const file = join(scratch.dir, "old.db");
    tamper(
      file,
      `CREATE TABLE accounts (id TEXT NOT NULL PRIMARY KEY, segment TEXT, unit TEXT, owner_name TEXT, owner_tags TEXT) WITHOUT ROWID;
       CREATE TABLE charges (account_id TEXT NOT NULL, id TEXT NOT NULL, period TEXT, due_on TEXT, amount_minor INTEGER, PRIMARY KEY (account_id, id)) WITHOUT ROWID;
       CREATE TABLE payments (account_id TEXT NOT NULL, id TEXT NOT NULL, paid_on TEXT, amount_minor INTEGER, PRIMARY KEY (account_id, id)) WITHOUT ROWID;
       CREATE TABLE actions (account_id TEXT NOT NULL, id TEXT NOT NULL, stage TEXT, done_on TEXT, covers TEXT, PRIMARY KEY (account_id, id)) WITHOUT ROWID;
       INSERT INTO accounts VALUES ('A-1', 'residential', '1-1-101', '陈静', NULL);
       INSERT INTO charges VALUES ('A-1', 'fee-2026-01', '2026-01', '2026-01-01', 100);
       INSERT INTO actions VALUES ('A-1', 'x', 'reminder', '2026-01-10', '["A-1:fee-2026-01"]');`,
    );
    const old: AccountSnapshot = { id: "A-1", segment: "residential", unit: "1-1-101", owner: { name: "陈静" }, charges: [{ id: "fee-2026-01", period: "2026-01", dueOn: "2026-01-01", amountMinor: 100 }], payments: [], actions: [{ id: "x", stage: "reminder", on: "2026-01-10", covers: ["A-1:fee-2026-01"] }] };
    const reader = await sqliteLedger(file, { readonly: true });
    open.push(reader);
    expect(okAccounts(await collect(reader))).toEqual([old]);
    // Opened for writing (twice: the second open finds the columns there), it adds them.
    for (let i = 0; i < 2; i++) open.push(await sqliteLedger(file));
    const ledger = open.at(-1) as SqliteLedger;
    const db = new Database(file, { readonly: true });
    const columns = (table: string): string[] => (db.pragma(`table_info(${table})`) as { name: string }[]).map((c) => c.name);
    expect(columns("accounts")).toEqual(["id", "segment", "unit", "owner_name", "owner_tags", "holds", "opt_outs", "estate", "owner_id"]);
    expect(columns("actions")).toEqual(["account_id", "id", "stage", "done_on", "covers", "channels", "conversation"]);
    db.close();
    expect(okAccounts(await collect(ledger))).toEqual([old]);
    const holds = [{ type: "manual" as const, id: "m", from: "2026-01-01", scope: "legal" as const, reason: "in court" }];
    await ledger.writeAccounts([{ ...old, holds, optOuts: ["sms"] }]);
    expect(await ledger.record([{ accountId: "A-1", id: "y", stage: "call", on: "2026-02-01", channels: ["phone"], conversation: true }])).toBe(1);
    expect(okAccounts(await collect(reader))).toEqual([{ ...old, holds, optOuts: ["sms"], actions: [...old.actions!, { id: "y", stage: "call", on: "2026-02-01", channels: ["phone"], conversation: true }] }]);
  });

  it("streams in the read order through the pd_accounts_read_order index: EXPLAIN QUERY PLAN shows no sort, from the start, resumed or paid-up", async () => {
    // 300 units of 100 owners, an owner's units far apart in id order.
    const units = Array.from({ length: 300 }, (_, i): AccountSnapshot => ({ id: `U-${String(i).padStart(3, "0")}`, owner: { id: `O-${i % 100}` }, charges: [] }));
    await ledgerWith(units);
    const db = new Database(join(scratch.dir, "ledger.db"), { readonly: true });
    try {
      const has = presentColumns(db);
      const explain = (sql: string, params: unknown[]): string => db.prepare<unknown[], { detail: string }>(`EXPLAIN QUERY PLAN ${sql}`).all(...params).map((r) => r.detail).join("\n");
      const resumed = resumeSql({ key: "O-42", id: "U-042" }, has);
      // What SQLite says (3.4x): 'SCAN a USING INDEX pd_accounts_read_order' (or SEARCH … (<expr>>?) when resumed),
      // and no 'USE TEMP B-TREE FOR ORDER BY': the rows come in the index's order, none is sorted.
      for (const [name, sql, params] of [
        ["from the start", streamSql([], has), []],
        ["resumed", streamSql(resumed.where, has), resumed.params],
        ["paid-up", streamSql([], has, false, "2026-03-25"), []],
      ] as const) {
        const planText = explain(sql, [...params]);
        expect(planText, name).toMatch(/(SCAN|SEARCH) a USING (COVERING )?INDEX pd_accounts_read_order/);
        expect(planText, name).not.toMatch(/TEMP B-TREE/);
      }
      expect(explain(streamSql(resumed.where, has), [...resumed.params])).toMatch(/SEARCH a USING (COVERING )?INDEX pd_accounts_read_order \(<expr>>\?\)/);
    } finally {
      db.close();
    }
    // The mutant: the same statement ordered by the key written another way is sorted (the index is matched by its expression).
    const db2 = new Database(join(scratch.dir, "ledger.db"), { readonly: true });
    try {
      const other = streamSql([], presentColumns(db2)).replace(/ORDER BY COALESCE\(NULLIF\(a\.owner_id, ''\), a\.id\), a\.id/, "ORDER BY IFNULL(NULLIF(a.owner_id, ''), a.id), a.id");
      expect(db2.prepare<[], { detail: string }>(`EXPLAIN QUERY PLAN ${other}`).all().map((r) => r.detail).join("\n")).toMatch(/TEMP B-TREE FOR ORDER BY/);
    } finally {
      db2.close();
    }
  });

  it("ignores the checked copies of a ledger made by an earlier version, and a writable open removes them", async () => {
    const estate = generateEstate({ seed: 11, asOf: "2026-03-10", residentialUnits: 60, shops: 4, months: 6 });
    const file = join(scratch.dir, "copies.db");
    const writer = await sqliteLedger(file);
    await writer.writeAccounts(estate);
    await writer.close();
    // What an earlier version left in the file (its DDL, abridged to one of the eleven
    // triggers): a copy per account that no longer says what the rows say.
    tamper(
      file,
      `ALTER TABLE accounts ADD COLUMN doc TEXT;
       UPDATE accounts SET doc = '{"v":"stale","charges":[]}';
       CREATE TABLE pd_meta (key TEXT NOT NULL PRIMARY KEY, value TEXT) WITHOUT ROWID;
       INSERT INTO pd_meta VALUES ('doc_format', '4');
       CREATE TRIGGER pd_charges_insert_doc AFTER INSERT ON charges BEGIN UPDATE accounts SET doc = NULL WHERE doc IS NOT NULL AND id = NEW.account_id; END;`,
    );
    const events = async (ledger: LedgerAdapter): Promise<PlanEvent[]> => {
      const out: PlanEvent[] = [];
      for await (const e of plan(ledger, { asOf: "2026-03-25" })) out.push(e);
      return out;
    };
    const expected = await events(memoryLedger(estate));
    expect(expected.some((e) => e.type === "planned" && e.actions.length > 0)).toBe(true);
    const schemaObjects = (): string[] => {
      const db = new Database(file, { readonly: true });
      try {
        const names = db.prepare<[], string>("SELECT type || ' ' || name FROM sqlite_master WHERE name LIKE 'pd_%' AND name NOT LIKE '%_unusable' ORDER BY name").pluck(true).all();
        const accountColumns = (db.pragma("table_info(accounts)") as { name: string }[]).map((c) => c.name);
        return accountColumns.includes("doc") ? [...names, "column accounts.doc"] : names;
      } finally {
        db.close();
      }
    };
    const reader = await sqliteLedger(file, { readonly: true });
    open.push(reader);
    expect(await events(reader)).toEqual(expected);
    expect(schemaObjects()).toEqual(["index pd_accounts_read_order", "trigger pd_charges_insert_doc", "table pd_meta", "column accounts.doc"]);
    const ledger = await sqliteLedger(file);
    open.push(ledger);
    expect(schemaObjects()).toEqual(["index pd_accounts_read_order"]);
    expect(await events(ledger)).toEqual(expected);
  });

  it("streams values of the wrong type as they are, for the validator to name", async () => {
    const ledger = await ledgerWith(sampleAccounts());
    tamper(
      join(scratch.dir, "ledger.db"),
      `UPDATE charges SET amount_minor = 123.5 WHERE account_id = 'R-0002' AND id = 'fee-2026-01';
       UPDATE charges SET due_on = '2026-02-30', amount_minor = 'lots' WHERE account_id = 'R-0002' AND id = 'fee-2026-02';
       UPDATE payments SET paid_on = NULL WHERE account_id = 'R-0002';
       UPDATE accounts SET segment = 'industrial', owner_tags = '"elderly"' WHERE id = 'R-0001';
       INSERT INTO charges VALUES ('ghost', 'c', '2026-01', '2026-01-01', 1);`,
    );
    const accounts = (await collect(ledger)).flatMap((e) => (e.ok ? [e.account] : [])); // raw, not canonical
    expect(accounts.map((a) => a.id)).toEqual(SAMPLE_ORDER); // the orphan charge belongs to no account
    const r2 = accounts.find((a) => a.id === "R-0002")!;
    expect(r2.charges).toEqual([
      { id: "fee-2026-01", period: "2026-01", dueOn: "2026-01-01", amountMinor: 123.5 },
      { id: "fee-2026-02", period: "2026-02", dueOn: "2026-02-30", amountMinor: "lots" },
    ]);
    expect(r2.payments).toEqual([{ id: "pay-001", on: null, amountMinor: 22343 }]);
    const checked = normalizeAccount(r2);
    expect(checked.ok ? [] : checked.issues.map((i) => i.path).sort()).toEqual(["charges[0].amountMinor", "charges[1].amountMinor", "charges[1].dueOn", "payments[0].on"]);
    const r1 = normalizeAccount(accounts.find((a) => a.id === "R-0001")!);
    expect(r1.ok ? [] : r1.issues.map((i) => i.path).sort()).toEqual(["owner.tags", "segment"]);
  });

  it("reads vendor views with the same columns; ids that are not text come first, on shard 0", async () => {
    const file = join(scratch.dir, "vendor.db");
    tamper(
      file,
      `CREATE TABLE units (code, kind, owner);
       INSERT INTO units VALUES ('B-2', 'residential', '陈静'), (17, 'residential', 'x'), ('A-1', 'commercial', NULL);
       CREATE VIEW accounts AS SELECT code AS id, kind AS segment, NULL AS unit, owner AS owner_name, NULL AS owner_tags FROM units;
       CREATE TABLE bills (unit_code, n, month, amount);
       INSERT INTO bills VALUES ('A-1', 1, '2026-01', 500), ('B-2', 1, '2026-02', 700), ('B-2', 2, '2026-01', 700);
       CREATE VIEW charges AS SELECT unit_code AS account_id, 'bill-' || n AS id, month AS period, month || '-01' AS due_on, amount AS amount_minor FROM bills;
       CREATE VIEW payments AS SELECT NULL AS account_id, NULL AS id, NULL AS paid_on, NULL AS amount_minor WHERE 0;
       CREATE TABLE actions (account_id, id, stage, done_on, covers);`,
    );
    const ledger = await sqliteLedger(file, { readonly: true });
    open.push(ledger);
    const entries = await collect(ledger);
    expect(entries.map(describeEntry)).toEqual(["bad 17", "ok A-1", "ok B-2"]);
    expect(entries[0]).toMatchObject({ cursor: "", issues: [{ code: "invalid_id", path: "id", message: "must be a non-empty string (got 17)" }] });
    expect(okAccounts(entries)[1]).toEqual({
      id: "B-2",
      segment: "residential",
      owner: { name: "陈静" },
      charges: [
        { id: "bill-1", period: "2026-02", dueOn: "2026-02-01", amountMinor: 700 },
        { id: "bill-2", period: "2026-01", dueOn: "2026-01-01", amountMinor: 700 },
      ],
      payments: [],
      actions: [],
    });
    expect((await collect(ledger, { shard: { index: 1, count: 2 } })).some((e) => !e.ok)).toBe(false);
    expect((await collect(ledger, { after: "" })).map(describeEntry)).toEqual(["ok A-1", "ok B-2"]);
    await expect(ledger.record([{ accountId: "A-1", id: "x", stage: "s", on: "2026-03-01" }])).rejects.toThrow("read-only");
  });

  it("replaces accounts on writeAccounts, keeping recorded actions", () => writeAccountsReplaces(ledgerWith));

  it("reports a BLOB that SQLite cannot turn into JSON on its account, by field, and streams on", async () => {
    const ledger = await ledgerWith(sampleAccounts());
    tamper(join(scratch.dir, "ledger.db"), `UPDATE charges SET amount_minor = x'00ff' WHERE account_id = 'R-0002'`);
    const entries = await collect(ledger);
    expect(entries.map(describeEntry)).toEqual(SAMPLE_ORDER.map((id) => (id === "R-0002" ? "bad R-0002" : `ok ${id}`)));
    expect(entries.find((e) => !e.ok)).toMatchObject({ issues: [{ code: "unreadable", path: "charges[0].amountMinor" }, { code: "unreadable", path: "charges[1].amountMinor" }] });
    for (const { whole, union } of await shardsPartition(ledger)) expect(union).toEqual(whole);
  });

  it("works in memory, and rejects use after close", async () => {
    const ledger = await sqliteLedger(":memory:");
    await ledger.writeAccounts(sampleAccounts());
    expect(okAccounts(await collect(ledger)).map((a) => a.id)).toEqual(SAMPLE_ORDER);
    expect(await ledger.record([{ accountId: "R-0001", id: "x", stage: "s", on: "2026-03-01" }])).toBe(1);
    await ledger.close();
    await expect(collect(ledger)).rejects.toThrow("closed");
  });

  it("names the file when it cannot be opened read-only", async () => {
    await expect(sqliteLedger(join(scratch.dir, "missing.db"), { readonly: true })).rejects.toThrow("cannot open sqlite ledger");
  });
});

describe("orphan rows (orphans.ts)", () => {
  it("a skip scan of a table keyed on account_id finds what a read of every row finds", () => {
    // A rowid table keyed (account_id, id) may hold NULL and any type of account id, which a view
    // or a table made by someone else can give: the skip scan must pass none of them over.
    const accountId = fc.oneof(fc.constantFrom("A-1", "A-2", "B-1", "楼-1", "😀", ""), fc.constant(null), fc.integer({ min: -3, max: 3 }), fc.constant(Buffer.from("A-1")), fc.string({ maxLength: 4 }));
    const rows = fc.array(fc.tuple(accountId, fc.oneof(fc.string({ maxLength: 3 }), fc.integer())), { maxLength: 40 });
    const accounts = fc.uniqueArray(fc.constantFrom("A-1", "A-2", "B-1", "楼-1", "😀", "1", "x"), { maxLength: 7 });
    fc.assert(
      fc.property(rows, accounts, (children, ids) => {
        const db = new Database(":memory:");
        try {
          db.exec("CREATE TABLE accounts (id TEXT PRIMARY KEY); CREATE TABLE charges (account_id, id, PRIMARY KEY (account_id, id))");
          for (const id of ids) db.prepare("INSERT INTO accounts VALUES (?)").run(id);
          for (const row of children) db.prepare("INSERT OR IGNORE INTO charges VALUES (?, ?)").run(...row);
          const found = (keyed: boolean): unknown[] => db.prepare(orphanSqlSqlite("charges", keyed)).raw(true).all();
          expect(found(true)).toEqual(found(false));
        } finally {
          db.close();
        }
      }),
      { numRuns: 300 },
    );
  });
});
