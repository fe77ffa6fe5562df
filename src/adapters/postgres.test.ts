/**
 * The PostgreSQL adapter against a real server: set PD_POSTGRES_URL (scripts/start-postgres.sh
 * starts one and prints it). Without it the suite is skipped, saying so, except in CI (`CI` set),
 * where a missing server is a failure. Each test works in its own schema, `pd_test_<run>_<n>`,
 * and every schema is dropped at the end.
 */
import { randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import fc from "fast-check";
import pg from "pg";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { generateEstate } from "../demo/estate.js";
import { type AccountSnapshot } from "../ledger/account.js";
import { normalizeAccount } from "../ledger/check-account.js";
import { shardOf } from "../ledger/shard.js";
import { collect, cursorOfId, describeEntry, okAccounts, SAMPLE_ORDER, sampleAccounts, shardsPartition } from "./__fixtures__/ledgers.js";
import { compareIds } from "./common.js";
import { memoryLedger } from "./memory.js";
import { openLedger } from "./open.js";
import { postgresLedger, redactUrl, type PostgresLedger, type PostgresLedgerOptions } from "./postgres.js";
import { POSTGRES_SCHEMA } from "./postgres-schema.js";
import type { LedgerAdapter } from "../ledger/adapter.js";
import { recordsDuringAStream, recordsIdempotently, resumesAfterAnyCursor, streamsSamplesInOrder, writeAccountsReplaces } from "./__fixtures__/contract.js";

const URL_ = process.env.PD_POSTGRES_URL || undefined;
const IN_CI = !!process.env.CI && process.env.CI !== "false" && process.env.CI !== "0";
const RUN = `pd_test_${randomBytes(4).toString("hex")}`;
if (URL_ === undefined && !IN_CI)
  console.warn("postgres.test.ts: PD_POSTGRES_URL is not set, so the PostgreSQL tests are SKIPPED. Run them with: export PD_POSTGRES_URL=$(scripts/start-postgres.sh)");

describe("postgres schema", () => {
  it("the exported SQL is the documented .sql file, byte for byte", async () => {
    expect(POSTGRES_SCHEMA).toBe(await readFile(new URL("./postgres-schema.sql", import.meta.url), "utf8"));
  });

  it("never puts a password in a message", async () => {
    expect(redactUrl("postgres://ann:s3cret@db.example:5432/ledger")).toBe("postgres://ann:***@db.example:5432/ledger");
    expect(redactUrl("postgresql://ann@db.example/ledger")).toBe("postgresql://ann@db.example/ledger");
    // Port 1 refuses at once: nothing listens there.
    const failure = postgresLedger("postgres://ann:s3cret@127.0.0.1:1/ledger").then(
      () => "opened",
      (error: Error) => error.message,
    );
    const message = await failure;
    expect(message).toMatch(/^cannot open postgres ledger postgres:\/\/ann:\*\*\*@127\.0\.0\.1:1\/ledger: /);
    expect(message).not.toContain("s3cret");
  });
});

describe.runIf(URL_ === undefined && IN_CI)("postgresLedger in CI", () => {
  it("needs a PostgreSQL server: set PD_POSTGRES_URL (scripts/start-postgres.sh prints it)", () => {
    throw new Error("CI is set but PD_POSTGRES_URL is not: start the server with scripts/start-postgres.sh and export its URL");
  });
});

describe.skipIf(URL_ === undefined)(
  URL_ === undefined ? "postgresLedger — SKIPPED: PD_POSTGRES_URL is not set (export PD_POSTGRES_URL=$(scripts/start-postgres.sh))" : "postgresLedger",
  () => {
    const url = URL_!;
    const schemas: string[] = [];
    const open: LedgerAdapter[] = [];
    let admin: pg.Client | undefined;

    /** A fresh schema name for this test (dropped at the end of the run). */
    const freshSchema = (): string => {
      const schema = `${RUN}_${schemas.length + 1}`;
      schemas.push(schema);
      return schema;
    };

    async function adminClient(): Promise<pg.Client> {
      if (admin === undefined) {
        admin = new pg.Client({ connectionString: url });
        await admin.connect();
      }
      return admin;
    }

    /** Runs SQL in `schema` through a separate connection, as a vendor's system would. */
    async function tamper(schema: string, sql: string): Promise<void> {
      const client = await adminClient();
      await client.query(`SET search_path TO "${schema}"; ${sql}; RESET search_path`);
    }

    async function ledgerWith(accounts: AccountSnapshot[], schema = freshSchema(), options: PostgresLedgerOptions = {}): Promise<PostgresLedger> {
      const ledger = await postgresLedger(url, { schema, ...options });
      open.push(ledger);
      if (accounts.length > 0) await ledger.writeAccounts(accounts);
      return ledger;
    }

    afterEach(async () => {
      for (const ledger of open.splice(0)) await ledger.close();
    });
    afterAll(async () => {
      const client = await adminClient();
      for (const schema of schemas) await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await client.end();
    });

    it("creates the tables and pd_shard_of on first use, once, also when opened concurrently", async () => {
      const schema = freshSchema();
      const ledgers = await Promise.all([1, 2, 3, 4].map(() => postgresLedger(url, { schema })));
      open.push(...ledgers);
      const client = await adminClient();
      const tables = await client.query<{ table_name: string }>(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY table_name",
        [schema],
      );
      expect(tables.rows.map((r) => r.table_name)).toEqual(["accounts", "actions", "charges", "payments"]);
      const fn = await client.query("SELECT 1 FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = $1 AND p.proname = 'pd_shard_of'", [schema]);
      expect(fn.rowCount).toBe(1);
      // The ids keep code point order in the primary key.
      const collation = await client.query("SELECT collation_name FROM information_schema.columns WHERE table_schema = $1 AND table_name = 'accounts' AND column_name = 'id'", [schema]);
      expect(collation.rows[0]).toEqual({ collation_name: "C" });
      // Opening again changes nothing and keeps the data.
      await ledgers[0]!.writeAccounts(sampleAccounts());
      const again = await postgresLedger(url, { schema });
      open.push(again);
      expect(okAccounts(await collect(again)).map((a) => a.id)).toEqual(SAMPLE_ORDER);
    });

    it("read-only creates nothing and names what is missing", async () => {
      const schema = freshSchema();
      await expect(postgresLedger(url, { schema, readonly: true })).rejects.toThrow(
        `no accounts, charges, payments, actions table or view (looked in the search_path "${schema}")`,
      );
      await expect(postgresLedger(url, { schema, readonly: true })).rejects.toMatchObject({ name: "LedgerError", code: "cannot_open", cause: { code: "missing_tables" } });
      const client = await adminClient();
      expect((await client.query("SELECT 1 FROM pg_namespace WHERE nspname = $1", [schema])).rowCount).toBe(0);
    });

    it("pd_shard_of is shardOf, for every kind of id", async () => {
      const ids = ["a", "", "R-0001", "C-001", "楼-3", "\uE000-private", "😀-emoji", "𝔸𝔹", "é", "\uFFFF", ...Array.from({ length: 200 }, (_, i) => `acct-${i * 7919}`)];
      await ledgerWith([], freshSchema());
      const client = await adminClient();
      for (const count of [1, 2, 3, 7, 1000, 2 ** 31 - 1]) {
        const { rows } = await client.query<{ s: number }>(`SELECT "${schemas.at(-1)!}".pd_shard_of(id, $2) AS s FROM unnest($1::text[]) WITH ORDINALITY u(id, n) ORDER BY n`, [ids, count]);
        expect(rows.map((r) => r.s)).toEqual(ids.map((id) => shardOf(id, count)));
      }
    });

    it("pd_shard_of is shardOf over random ids: ASCII (its fast path), any code point, long", async () => {
      await ledgerWith([], freshSchema());
      const client = await adminClient();
      const fn = `"${schemas.at(-1)!}".pd_shard_of`;
      // PostgreSQL text holds neither NUL nor a lone surrogate (UTF-8 cannot): every other code point.
      const text = (unit: "binary" | "binary-ascii", maxLength: number): fc.Arbitrary<string> => fc.string({ unit, maxLength }).filter((id) => !/\0|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(id));
      const ids = fc.array(fc.oneof(text("binary-ascii", 40), text("binary", 40), text("binary-ascii", 2000), text("binary", 600)), { minLength: 1, maxLength: 40 });
      await fc.assert(
        fc.asyncProperty(ids, fc.oneof(fc.integer({ min: 1, max: 8 }), fc.integer({ min: 1, max: 2 ** 31 - 1 })), async (list, count) => {
          const { rows } = await client.query<{ s: number }>(`SELECT ${fn}(id, $2) AS s FROM unnest($1::text[]) WITH ORDINALITY u(id, n) ORDER BY n`, [list, count]);
          expect(rows.map((r) => r.s)).toEqual(list.map((id) => shardOf(id, count)));
        }),
        { numRuns: 150 },
      );
    });

    it("streams the same snapshots as memory, in the read order, with its position as cursor", async () => {
      const estate = generateEstate({ seed: 7, asOf: "2026-03-10", residentialUnits: 300, shops: 20 });
      const accounts = [...sampleAccounts().filter((a) => !estate.some((e) => e.id === a.id)), ...estate];
      const ledger = await ledgerWith(accounts);
      const fromMemory = await collect(memoryLedger(accounts));
      const fromPostgres = await collect(ledger);
      expect(okAccounts(fromPostgres)).toEqual(okAccounts(fromMemory));
      expect(fromPostgres.map((e) => e.cursor)).toEqual(fromMemory.map((e) => e.cursor));
      expect(fromPostgres.map((e) => e.cursor)).toEqual(accounts.map((a) => a.id).sort(compareIds).map(cursorOfId));

      await streamsSamplesInOrder(ledgerWith);
    });

    it("streams more accounts than one FETCH holds, and releases the connection when left early", async () => {
      const ledger = await ledgerWith(Array.from({ length: 2500 }, (_, i): AccountSnapshot => ({ id: `A-${String(i).padStart(5, "0")}`, charges: [] })));
      expect((await collect(ledger)).map((e) => e.cursor)).toEqual(Array.from({ length: 2500 }, (_, i) => cursorOfId(`A-${String(i).padStart(5, "0")}`)));
      // More early exits than the pool has connections: each must give its connection back.
      for (let i = 0; i < 25; i++) {
        for await (const entry of ledger.accounts({ after: `A-${String(i * 90).padStart(5, "0")}` })) {
          expect(entry.cursor).toBe(cursorOfId(`A-${String(i * 90 + 1).padStart(5, "0")}`));
          break;
        }
      }
      expect(await ledger.record([{ accountId: "A-00001", id: "x", stage: "s", on: "2026-03-01" }])).toBe(1);
    });

    it("splits into k shards that partition the ledger, k = 1…5, in SQL and in JavaScript", async () => {
      const schema = freshSchema();
      const ledger = await ledgerWith(generateEstate({ seed: 3, asOf: "2026-03-10", residentialUnits: 200, shops: 10, months: 3 }), schema);
      await tamper(schema, `UPDATE accounts SET owner_tags = '[oops' WHERE id = 'R-0007'`);
      for (const { whole, union } of await shardsPartition(ledger)) expect(union).toEqual(whole);
      // A read-only ledger without pd_shard_of (vendor views) filters in JavaScript, to the same shards.
      const inSql = await collect(ledger, { shard: { index: 1, count: 3 } });
      await tamper(schema, "DROP FUNCTION pd_shard_of(text, integer)");
      const viewsOnly = await postgresLedger(url, { schema, readonly: true });
      open.push(viewsOnly);
      expect(await collect(viewsOnly, { shard: { index: 1, count: 3 } })).toEqual(inSql);
      for (const { whole, union } of await shardsPartition(viewsOnly)) expect(union).toEqual(whole);
    });

    it("resumes exactly after any cursor, also within a shard", () => resumesAfterAnyCursor(ledgerWith));

    it("records with ON CONFLICT DO NOTHING: twice changes nothing and returns 0", () => recordsIdempotently(ledgerWith));

    it("can record while a stream is open; the open stream keeps its snapshot", () => recordsDuringAStream(ledgerWith));

    it("reports an account with malformed JSON by id, and the others still stream", async () => {
      const schema = freshSchema();
      const ledger = await ledgerWith(sampleAccounts(), schema);
      await tamper(schema, `UPDATE accounts SET owner_tags = '["elderly"' WHERE id = 'R-0002'; UPDATE actions SET covers = 'nope' WHERE account_id = 'X-no-owner'`);
      const entries = await collect(ledger);
      expect(entries.map(describeEntry)).toEqual(SAMPLE_ORDER.map((id) => (id === "R-0002" || id === "X-no-owner" ? `bad ${id}` : `ok ${id}`)));
      expect(entries.find((e) => e.cursor === cursorOfId("R-0002"))).toMatchObject({ ok: false, accountId: "R-0002", reason: expect.stringContaining("owner_tags is not valid JSON") });
      expect(entries.find((e) => e.cursor === cursorOfId("X-no-owner"))).toMatchObject({ ok: false, reason: expect.stringContaining('action "a": covers is not valid JSON') });
    });

    it("round-trips holds, opt-outs and recorded channels; malformed holds or opt_outs fail only that account", async () => {
      const schema = freshSchema();
      const ledger = await ledgerWith(sampleAccounts(), schema);
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

      await tamper(schema, `UPDATE accounts SET holds = '[{"type":' WHERE id = 'R-0002'; UPDATE accounts SET opt_outs = 'sms' WHERE id = 'C-001'; UPDATE actions SET channels = '[' WHERE account_id = 'X-no-owner'`);
      const entries = await collect(ledger);
      expect(entries.map(describeEntry)).toEqual(SAMPLE_ORDER.map((id) => (["R-0002", "C-001", "X-no-owner"].includes(id) ? `bad ${id}` : `ok ${id}`)));
      expect(entries.find((e) => e.cursor === cursorOfId("R-0002"))).toMatchObject({ ok: false, reason: expect.stringContaining("holds is not valid JSON") });
      expect(entries.find((e) => e.cursor === cursorOfId("C-001"))).toMatchObject({ ok: false, reason: expect.stringContaining("opt_outs is not valid JSON") });
      expect(entries.find((e) => e.cursor === cursorOfId("X-no-owner"))).toMatchObject({ ok: false, reason: expect.stringContaining('action "a": channels is not valid JSON') });
    });

    it("adds the new columns to a ledger made with the old schema; read-only, it reads them as missing", async () => {
      const schema = freshSchema();
      await (await adminClient()).query(`CREATE SCHEMA "${schema}"`);
      await tamper(
        schema,
        `CREATE TABLE accounts (id TEXT COLLATE "C" NOT NULL PRIMARY KEY, segment TEXT, unit TEXT, owner_name TEXT, owner_tags TEXT);
         CREATE TABLE charges (account_id TEXT COLLATE "C" NOT NULL, id TEXT COLLATE "C" NOT NULL, period TEXT, due_on TEXT, amount_minor BIGINT, PRIMARY KEY (account_id, id));
         CREATE TABLE payments (account_id TEXT COLLATE "C" NOT NULL, id TEXT COLLATE "C" NOT NULL, paid_on TEXT, amount_minor BIGINT, PRIMARY KEY (account_id, id));
         CREATE TABLE actions (account_id TEXT COLLATE "C" NOT NULL, id TEXT COLLATE "C" NOT NULL, stage TEXT, done_on TEXT, covers TEXT, PRIMARY KEY (account_id, id));
         INSERT INTO accounts VALUES ('A-1', 'residential', '1-1-101', '陈静', NULL);
         INSERT INTO charges VALUES ('A-1', 'fee-2026-01', '2026-01', '2026-01-01', 100);
         INSERT INTO actions VALUES ('A-1', 'x', 'reminder', '2026-01-10', '["A-1:fee-2026-01"]')`,
      );
      const columns = async (table: string): Promise<string[]> =>
        (await (await adminClient()).query<{ column_name: string }>("SELECT column_name FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2 ORDER BY ordinal_position", [schema, table])).rows.map((r) => r.column_name);
      expect(await columns("accounts")).toEqual(["id", "segment", "unit", "owner_name", "owner_tags"]);
      expect(await columns("actions")).toEqual(["account_id", "id", "stage", "done_on", "covers"]);
      const old: AccountSnapshot = { id: "A-1", segment: "residential", unit: "1-1-101", owner: { name: "陈静" }, charges: [{ id: "fee-2026-01", period: "2026-01", dueOn: "2026-01-01", amountMinor: 100 }], payments: [], actions: [{ id: "x", stage: "reminder", on: "2026-01-10", covers: ["A-1:fee-2026-01"] }] };
      const reader = await ledgerWith([], schema, { readonly: true });
      expect(okAccounts(await collect(reader))).toEqual([old]);
      // Opened for writing (concurrently: the columns are added once), it adds them.
      const [ledger] = await Promise.all([1, 2, 3].map(() => ledgerWith([], schema)));
      expect(await columns("accounts")).toEqual(["id", "segment", "unit", "owner_name", "owner_tags", "holds", "opt_outs", "estate", "owner_id"]);
      expect(await columns("actions")).toEqual(["account_id", "id", "stage", "done_on", "covers", "channels", "conversation"]);
      expect(okAccounts(await collect(ledger!))).toEqual([old]);
      const holds = [{ type: "manual" as const, id: "m", from: "2026-01-01", scope: "legal" as const, reason: "in court" }];
      await ledger!.writeAccounts([{ ...old, holds, optOuts: ["sms"] }]);
      expect(await ledger!.record([{ accountId: "A-1", id: "y", stage: "call", on: "2026-02-01", channels: ["phone"], conversation: true }])).toBe(1);
      const after = await ledgerWith([], schema, { readonly: true });
      expect(okAccounts(await collect(after))).toEqual([{ ...old, holds, optOuts: ["sms"], actions: [...old.actions!, { id: "y", stage: "call", on: "2026-02-01", channels: ["phone"], conversation: true }] }]);
    });

    it("streams values of the wrong type as they are, for the validator to name", async () => {
      const schema = freshSchema();
      const ledger = await ledgerWith(sampleAccounts(), schema);
      await tamper(
        schema,
        `UPDATE charges SET due_on = '2026-02-30', period = NULL WHERE account_id = 'R-0002' AND id = 'fee-2026-02';
         UPDATE payments SET paid_on = NULL WHERE account_id = 'R-0002';
         UPDATE accounts SET segment = 'industrial', owner_tags = '"elderly"' WHERE id = 'R-0001';
         INSERT INTO charges VALUES ('ghost', 'c', '2026-01', '2026-01-01', 1)`,
      );
      const accounts = (await collect(ledger)).flatMap((e) => (e.ok ? [e.account] : [])); // raw, not canonical
      expect(accounts.map((a) => a.id)).toEqual(SAMPLE_ORDER); // the orphan charge belongs to no account
      const r2 = accounts.find((a) => a.id === "R-0002")!;
      expect(r2.charges).toEqual([
        { id: "fee-2026-01", period: "2026-01", dueOn: "2026-01-01", amountMinor: 22343 },
        { id: "fee-2026-02", period: null, dueOn: "2026-02-30", amountMinor: 22343 },
      ]);
      expect(r2.payments).toEqual([{ id: "pay-001", on: null, amountMinor: 22343 }]);
      const checked = normalizeAccount(r2);
      expect(checked.ok ? [] : checked.issues.map((i) => i.path).sort()).toEqual(["charges[1].dueOn", "charges[1].period", "payments[0].on"]);
      const r1 = normalizeAccount(accounts.find((a) => a.id === "R-0001")!);
      expect(r1.ok ? [] : r1.issues.map((i) => i.path).sort()).toEqual(["owner.tags", "segment"]);
    });

    it("reads vendor views with the same columns; NULL and empty ids come first, on shard 0", async () => {
      const schema = freshSchema();
      await (await adminClient()).query(`CREATE SCHEMA "${schema}"`);
      await tamper(
        schema,
        `CREATE TABLE units (code text, kind text, owner text, tags jsonb);
         INSERT INTO units VALUES ('B-2', 'residential', '陈静', '["elderly"]'), (NULL, 'residential', 'x', NULL), ('', 'residential', 'y', NULL), ('A-1', 'commercial', NULL, NULL);
         CREATE VIEW accounts AS SELECT code AS id, kind AS segment, NULL::text AS unit, owner AS owner_name, tags AS owner_tags FROM units;
         CREATE TABLE bills (unit_code text, n int, month date, amount numeric(12,2));
         INSERT INTO bills VALUES ('A-1', 1, '2026-01-01', 5.00), ('B-2', 1, '2026-02-01', 7.00), ('B-2', 2, '2026-01-01', 7.00);
         CREATE VIEW charges AS SELECT unit_code AS account_id, 'bill-' || n AS id, to_char(month, 'YYYY-MM') AS period, month AS due_on, (amount * 100)::bigint AS amount_minor FROM bills;
         CREATE VIEW payments AS SELECT NULL::text AS account_id, NULL::text AS id, NULL::date AS paid_on, NULL::bigint AS amount_minor WHERE false;
         CREATE TABLE actions (account_id text, id text, stage text, done_on date, covers jsonb, PRIMARY KEY (account_id, id))`,
      );
      const ledger = await postgresLedger(url, { schema, readonly: true });
      open.push(ledger);
      const entries = await collect(ledger);
      expect(entries.map(describeEntry).sort()).toEqual(["bad ", "bad null", "ok A-1", "ok B-2"]);
      expect(entries.slice(0, 2).every((e) => !e.ok && e.cursor === "")).toBe(true);
      expect(entries.find((e) => !e.ok && e.accountId === "null")).toMatchObject({ issues: [{ code: "invalid_id", path: "id", message: "must be a non-empty string (got null)" }] });
      expect(okAccounts(entries)[1]).toEqual({
        id: "B-2",
        segment: "residential",
        owner: { name: "陈静", tags: ["elderly"] },
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

      // Opened for writing, it records into the vendor's actions table (jsonb covers, date done_on).
      const writer = await postgresLedger(url, { schema });
      open.push(writer);
      expect(await writer.record([{ accountId: "A-1", id: "x", stage: "s", on: "2026-03-01", covers: ["A-1:bill-1"] }])).toBe(1);
      expect(okAccounts(await collect(writer)).find((a) => a.id === "A-1")!.actions).toEqual([{ id: "x", stage: "s", on: "2026-03-01", covers: ["A-1:bill-1"] }]);
    });

    it("replaces accounts on writeAccounts, keeping recorded actions", async () => {
      await writeAccountsReplaces(ledgerWith);
      // A failed write changes nothing.
      const ledger = await ledgerWith(sampleAccounts());
      await expect(ledger.writeAccounts([{ id: "NEW", charges: [] }, { id: "R-0002", charges: [{ id: "c", period: "2026-03", dueOn: "2026-03-01", amountMinor: 1.5 }] }])).rejects.toThrow();
      expect(okAccounts(await collect(ledger)).map((a) => a.id)).toEqual(SAMPLE_ORDER);
    });

    it("opens through openLedger with a postgres:// URL (schema in the URL's options)", async () => {
      const schema = freshSchema();
      await ledgerWith(sampleAccounts(), schema);
      const withSchema = new URL(url);
      withSchema.searchParams.set("options", `-c search_path=${schema}`);
      const ledger = await openLedger(withSchema.toString(), { readonly: true });
      open.push(ledger);
      expect(okAccounts(await collect(ledger)).map((a) => a.id)).toEqual(SAMPLE_ORDER);
      await expect(ledger.record([{ accountId: "R-0001", id: "x", stage: "s", on: "2026-03-01" }])).rejects.toThrow("read-only");
    });

    it("rejects use after close, and closes with a stream left hanging", async () => {
      const ledger = await postgresLedger(url, { schema: freshSchema() });
      await ledger.writeAccounts(sampleAccounts());
      const hanging = ledger.accounts()[Symbol.asyncIterator]();
      expect((await hanging.next()).value).toMatchObject({ cursor: cursorOfId("C-001") });
      await ledger.close();
      await ledger.close();
      await expect(collect(ledger)).rejects.toThrow("closed");
      await expect(ledger.record([{ accountId: "R-0001", id: "x", stage: "s", on: "2026-03-01" }])).rejects.toThrow("closed");
      await hanging.return?.();
    });
  },
);
