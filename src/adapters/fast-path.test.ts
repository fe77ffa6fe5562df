/**
 * #15.2, the paid-up fast path: the SQL ledgers leave out the rows of a paid-up account without
 * holds only while their unusable-rows indexes are empty for it. The invariant that makes that
 * sound: every row the index leaves out (calls usable) is one normalizeAccount accepts. Checked
 * here on arbitrary cell values, each in an otherwise paid-up account of its own: an account
 * handed over without its rows must read, in full, as an account with no issues. And ordinary
 * valid rows must not be in the index (or the fast path would never apply).
 *
 * PostgreSQL needs PD_POSTGRES_URL (scripts/start-postgres.sh prints it); without it that half is skipped.
 */
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import fc from "fast-check";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { CHANNELS } from "../rules/kinds.js";
import { normalizeAccount } from "../ledger/check-account.js";
import { civilDate } from "../schedule/time/civil-date.js";
import { scratchPerTest } from "./__fixtures__/ledgers.js";
import { postgresLedger } from "./postgres.js";
import { sqliteLedger } from "./sqlite.js";
import type { LedgerAdapter, LedgerEntry } from "../ledger/adapter.js";

const PG_URL = process.env.PD_POSTGRES_URL || undefined;
const SCHEMA = `pd_test_${randomBytes(4).toString("hex")}_fastpath`;
const AS_OF = "2026-03-10";
const scratch = scratchPerTest();

type Table = "charges" | "payments" | "actions";
/** One child row, by column, as a store holds it (a Buffer is a BLOB). */
type Row = { table: Table; cells: Record<string, unknown> };

const validDate = fc.date({ min: new Date("1900-01-01T00:00:00Z"), max: new Date("2199-12-31T00:00:00Z"), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
const oddDates = fc.constantFrom("2026-02-30", "2026-02-29", "2024-02-29", "2026-13-01", "2026-00-10", "2026-1-05", " 2026-01-05", "2026-01-05 ", "2026-01-05T00:00", "now", "", "0000-01-01", "-001-01-01", "２０２６-01-05", "2026/01/05");
const date = (sql: "sqlite" | "postgres") =>
  fc.oneof({ arbitrary: validDate, weight: 6 }, oddDates, fc.string({ maxLength: 12 }), fc.constant(null), ...(sql === "sqlite" ? [fc.integer(), fc.constant(Buffer.from("2026-01-05"))] : []));
const period = (sql: "sqlite" | "postgres") =>
  fc.oneof({ arbitrary: validDate.map((d) => d.slice(0, 7)), weight: 6 }, fc.constantFrom("2026-13", "2026-00", "2026-1", "202601", "2026-01-01", ""), fc.string({ maxLength: 8 }), fc.constant(null), ...(sql === "sqlite" ? [fc.integer()] : []));
const amount = (sql: "sqlite" | "postgres") =>
  fc.oneof(
    { arbitrary: fc.integer({ min: -5, max: 100_000 }), weight: 6 },
    fc.constantFrom(0, 1, Number.MAX_SAFE_INTEGER, -1),
    fc.constant(null),
    ...(sql === "sqlite" ? [fc.double({ noNaN: true }), fc.constantFrom(2 ** 53, 2 ** 60, "20000", "lots", 1.5), fc.constant(Buffer.from([0, 255]))] : [fc.constantFrom("9007199254740992", "1152921504606846976")]),
  );
const id = fc.oneof({ arbitrary: fc.constantFrom("r-1", "", " ", "0"), weight: 3 }, fc.string({ maxLength: 6 }).filter((s) => !s.includes("\u0000")));
const strings = fc.array(fc.string({ maxLength: 6 }).filter((s) => !s.includes("\u0000")), { maxLength: 4 });
const jsonCell = (sql: "sqlite" | "postgres") =>
  fc.oneof(
    { arbitrary: fc.constant(null), weight: 3 },
    strings.map((a) => JSON.stringify(a)),
    fc.array(fc.constantFrom(...CHANNELS), { maxLength: 3 }).map((a) => JSON.stringify(a)),
    fc.array(fc.constantFrom(...CHANNELS), { minLength: 1, maxLength: 3 }).map((a) => JSON.stringify(a, null, 1)),
    fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.stringify(v)).filter((s) => !s.includes("\\u0000")),
    fc.constantFrom('["a"', "[1,2]", '["sms",["phone"]]', '{"a":"b"}', '"sms"', '["a\\"","b"]', '["a\\\\","b"]', '["",""]', '["sms","fax"]', "[]", "", "null", '["a",{"b":1},"c"]', '["sms",{"x":0},"phone"]', '["a",1,"b"]', '[["a"],"b"]'),
    ...(sql === "sqlite" ? [fc.constant(Buffer.from('["a"]'))] : []),
  );
const conversation = (sql: "sqlite" | "postgres") => (sql === "sqlite" ? fc.oneof(fc.constant(null), fc.constantFrom(0, 1, 2, -1, 1.5, "yes", "1")) : fc.constantFrom(null, true, false));

const row = (sql: "sqlite" | "postgres"): fc.Arbitrary<Row> =>
  fc.oneof(
    fc.record({ id, period: period(sql), due_on: date(sql), amount_minor: amount(sql) }).map((cells) => ({ table: "charges" as const, cells })),
    fc.record({ id, paid_on: date(sql), amount_minor: amount(sql) }).map((cells) => ({ table: "payments" as const, cells })),
    fc.record({ id, stage: fc.oneof({ arbitrary: fc.constantFrom("reminder", ""), weight: 4 }, fc.constant(null)), done_on: date(sql), covers: jsonCell(sql), channels: jsonCell(sql), conversation: conversation(sql) }).map((cells) => ({ table: "actions" as const, cells })),
  );

/** Account `A-i` holds row i and a payment of 2^52, which pays up any charge up to that amount. */
function statements(rows: readonly Row[]): { sql: string; values: unknown[] }[] {
  const out: { sql: string; values: unknown[] }[] = [];
  rows.forEach((r, i) => {
    const account = `A-${String(i).padStart(3, "0")}`;
    out.push({ sql: "INSERT INTO accounts (id) VALUES ($1)", values: [account] });
    out.push({ sql: "INSERT INTO payments (account_id, id, paid_on, amount_minor) VALUES ($1, $2, $3, $4)", values: [account, "zz-cover", "2026-01-01", 2 ** 52] });
    const columns = Object.keys(r.cells);
    const cells = columns.map((c) => r.cells[c]);
    // The row's id must not collide with the covering payment's.
    if (r.table === "payments" && cells[0] === "zz-cover") cells[0] = "zz-other";
    out.push({ sql: `INSERT INTO ${r.table} (account_id, ${columns.join(", ")}) VALUES ($1, ${columns.map((_, k) => `$${k + 2}`).join(", ")})`, values: [account, ...cells] });
  });
  return out;
}

interface Verdict {
  /** Handed over without its rows. */
  fast: boolean;
  /** Read in full, an account with no issues. */
  sound: boolean;
  /** Sound, and paid up on AS_OF without holds (the planner's rule, on the checked account). */
  paidUp: boolean;
}

/** What the ledger says of each account. */
async function verdicts(ledger: LedgerAdapter): Promise<Map<string, Verdict>> {
  const out = new Map<string, Verdict>();
  for await (const e of ledger.accounts({ paidUpOn: AS_OF })) if (e.ok) out.set(e.account.id, { fast: e.paidUp === true, sound: false, paidUp: false });
  for await (const e of ledger.accounts()) {
    const id = e.ok ? e.account.id : e.accountId;
    const v = out.get(id) ?? { fast: false, sound: false, paidUp: false };
    const checked = e.ok ? normalizeAccount(e.account) : undefined;
    v.sound = checked?.ok === true;
    if (checked?.ok) {
      const a = checked.account;
      const paid = a.payments.filter((p) => p.on <= civilDate(AS_OF)).reduce((sum, p) => sum + p.amount, 0);
      v.paidUp = paid >= a.charges.reduce((sum, c) => sum + c.amount, 0) && a.holds.length === 0;
    }
    out.set(id, v);
  }
  return out;
}

/** Accounts handed over without rows whose rows are not sound, or that are not paid up (must be none). */
const unsound = (v: Map<string, Verdict>, rows: readonly Row[]) => [...v].filter(([, x]) => x.fast && !(x.sound && x.paidUp)).map(([id]) => ({ id, row: rows[Number(id.slice(2))] }));

/** Sound paid-up accounts read in full all the same (the index calls a usable row unusable). */
const missed = (v: Map<string, Verdict>, rows: readonly Row[]) => [...v].filter(([, x]) => !x.fast && x.paidUp).map(([id]) => ({ id, row: rows[Number(id.slice(2))] }));

describe("the SQLite unusable-rows indexes", () => {
  it("leave out only rows normalizeAccount accepts (arbitrary cells), and every ordinary valid row", async () => {
    let n = 0;
    let fastSeen = 0;
    let slowSeen = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(row("sqlite"), { minLength: 1, maxLength: 40 }), async (rows) => {
        const file = join(scratch.dir, `p-${++n}.db`);
        await (await sqliteLedger(file)).close();
        const db = new Database(file);
        for (const s of statements(rows)) db.prepare(s.sql.replace(/\$\d+/g, "?")).run(...s.values);
        db.close();
        const ledger = await sqliteLedger(file, { readonly: true });
        try {
          const v = await verdicts(ledger);
          expect(unsound(v, rows)).toEqual([]);
          expect(missed(v, rows)).toEqual([]);
          fastSeen += [...v.values()].filter((x) => x.fast).length;
          slowSeen += [...v.values()].filter((x) => !x.fast).length;
        } finally {
          await ledger.close();
        }
      }),
      { numRuns: 40 },
    );
    // Both sides of the index were met.
    expect(fastSeen).toBeGreaterThan(20);
    expect(slowSeen).toBeGreaterThan(20);
  });
});

/** covers and channels cells at the edges of "a JSON array of strings" (of channel names): the SQLite index tells them by counting quotes. */
const JSON_EDGES = ['[]', '["a"]', '["a","b"]', '["",""]', '["a\\"","b"]', '["a\\\\","b"]', '["a\\",\\"b"]', '["a", "b"]', ' ["sms"] ', '["sms","phone"]',
  '[1]', '["a",1]', '["a",1,"b"]', '[["a"]]', '["a",["b"]]', '["a",{"b":1},"c"]', '["sms",{"x":0},"phone"]', '["a",[],"b"]', '{"a":"b"}', '"a"', "null", "", '["a"', '["sms","fax"]', '["sms",["phone"]]'];

describe("the SQLite unusable-rows index of actions", () => {
  it("tells a JSON array of strings (of channel names) from everything else, as normalizeAccount does", async () => {
    const rows: Row[] = JSON_EDGES.flatMap((cell) => [
      { table: "actions" as const, cells: { id: "a-1", stage: "reminder", done_on: "2026-01-05", covers: cell, channels: null, conversation: null } },
      { table: "actions" as const, cells: { id: "a-1", stage: "reminder", done_on: "2026-01-05", covers: null, channels: cell, conversation: null } },
    ]);
    const file = join(scratch.dir, "edges.db");
    await (await sqliteLedger(file)).close();
    const db = new Database(file);
    for (const s of statements(rows)) db.prepare(s.sql.replace(/\$\d+/g, "?")).run(...s.values);
    db.close();
    const ledger = await sqliteLedger(file, { readonly: true });
    try {
      const v = await verdicts(ledger);
      expect(unsound(v, rows)).toEqual([]);
      expect(missed(v, rows)).toEqual([]);
      // Both kinds are among the edges.
      expect([...v.values()].filter((x) => x.fast).length).toBeGreaterThan(10);
      expect([...v.values()].filter((x) => !x.sound).length).toBeGreaterThan(20);
    } finally {
      await ledger.close();
    }
  });
});

describe.skipIf(PG_URL === undefined)(PG_URL === undefined ? "the PostgreSQL unusable-rows indexes — SKIPPED: PD_POSTGRES_URL is not set" : "the PostgreSQL unusable-rows indexes", () => {
  afterAll(async () => {
    const client = new pg.Client({ connectionString: PG_URL });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS "${SCHEMA}" CASCADE`);
    await client.end();
  });

  it("leave out only rows normalizeAccount accepts (arbitrary cells), and every ordinary valid row", async () => {
    await (await postgresLedger(PG_URL!, { schema: SCHEMA })).close();
    const ledger = await postgresLedger(PG_URL!, { schema: SCHEMA, readonly: true });
    const client = new pg.Client({ connectionString: PG_URL });
    await client.connect();
    await client.query(`SET search_path TO "${SCHEMA}"`);
    let fastSeen = 0;
    let slowSeen = 0;
    try {
      await fc.assert(
        fc.asyncProperty(fc.array(row("postgres"), { minLength: 1, maxLength: 40 }), async (rows) => {
          await client.query("TRUNCATE accounts, charges, payments, actions");
          for (const s of statements(rows)) await client.query(s.sql, s.values);
          const v = await verdicts(ledger);
          expect(unsound(v, rows)).toEqual([]);
          expect(missed(v, rows)).toEqual([]);
          fastSeen += [...v.values()].filter((x) => x.fast).length;
          slowSeen += [...v.values()].filter((x) => !x.fast).length;
        }),
        { numRuns: 25 },
      );
    } finally {
      await client.end();
      await ledger.close();
    }
    expect(fastSeen).toBeGreaterThan(20);
    expect(slowSeen).toBeGreaterThan(20);
  });
});

/**
 * The sums count a payment once only while the table's key forbids a repeat: a child table made by
 * someone else without the (account_id, id) key must not vouch, or a payment stored twice in an
 * otherwise paid-up account would be left unread and unreported (the review of #15.2).
 */
const A1_ROWS = [
  ["INSERT INTO accounts (id) VALUES ('A1')"],
  ["INSERT INTO charges (account_id, id, period, due_on, amount_minor) VALUES ('A1', 'c1', '2026-01', '2026-01-05', 200)"],
  ["INSERT INTO payments (account_id, id, paid_on, amount_minor) VALUES ('A1', 'p1', '2026-01-05', 100), ('A1', 'p1', '2026-01-05', 100)"],
];
const UNKEYED_PAYMENTS = "CREATE TABLE payments (account_id TEXT NOT NULL, id TEXT NOT NULL, paid_on TEXT NOT NULL, amount_minor BIGINT NOT NULL)";

async function entriesOf(ledger: LedgerAdapter): Promise<LedgerEntry[]> {
  const entries: LedgerEntry[] = [];
  for await (const e of ledger.accounts({ paidUpOn: AS_OF })) entries.push(e);
  await ledger.close();
  return entries;
}

/** Handed over with its rows (not as paid up), so that checking, as plan() does, reports the repeat. */
function expectReportedTwice(entries: LedgerEntry[]): void {
  expect(entries).toHaveLength(1);
  const entry = entries[0]!;
  expect(entry).toMatchObject({ ok: true, account: { id: "A1" } });
  expect(entry.ok && entry.paidUp).toBeFalsy();
  const checked = normalizeAccount(entry.ok ? entry.account : undefined);
  expect(checked.ok ? [] : checked.issues).toContainEqual(expect.objectContaining({ code: "duplicate_id", path: "payments[1].id" }));
}

describe("a child table without the (account_id, id) key does not vouch for its rows", () => {
  it("SQLite: a payment stored twice in a paid-up account is read and reported", async () => {
    const file = join(scratch.dir, "unkeyed.db");
    const made = new Database(file);
    made.exec(UNKEYED_PAYMENTS);
    made.close();
    await (await sqliteLedger(file)).close(); // the rest of the schema and the unusable-rows indexes, on first writable use
    const raw = new Database(file);
    for (const [sql] of A1_ROWS) raw.exec(sql!);
    raw.close();
    expectReportedTwice(await entriesOf(await sqliteLedger(file, { readonly: true })));
  });

  it.skipIf(PG_URL === undefined)("PostgreSQL: a payment stored twice in a paid-up account is read and reported", async () => {
    const schema = `${SCHEMA}_unkeyed`;
    const client = new pg.Client({ connectionString: PG_URL });
    await client.connect();
    try {
      await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE; CREATE SCHEMA "${schema}"; SET search_path TO "${schema}"; ${UNKEYED_PAYMENTS}`);
      await (await postgresLedger(PG_URL!, { schema })).close();
      for (const [sql] of A1_ROWS) await client.query(sql!);
      expectReportedTwice(await entriesOf(await postgresLedger(PG_URL!, { schema, readonly: true })));
    } finally {
      await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await client.end();
    }
  });
});

describe("the unusable-rows indexes name the channels CHANNELS names", () => {
  it("SQLite's and PostgreSQL's lists of channels are exactly CHANNELS (adding a channel means adding it there too)", async () => {
    const { readFile } = await import("node:fs/promises");
    const sqlite = await readFile(new URL("./sqlite-schema.sql", import.meta.url), "utf8");
    const postgres = await readFile(new URL("./postgres-schema.sql", import.meta.url), "utf8");
    const inSqlite = [...sqlite.matchAll(/replace\((?:replace\()*json\(channels\)|, '"(\w+)"', ''\)/g)].map((m) => m[1]).filter((c): c is string => c !== undefined);
    expect(inSqlite).toEqual([...CHANNELS]);
    const array = /pd_json_strings_ok\(channels, ARRAY\[([^\]]*)\]\)/.exec(postgres)![1]!;
    expect([...array.matchAll(/'(\w+)'/g)].map((m) => m[1])).toEqual([...CHANNELS]);
  });
});

describe("bench/paid-up.ts", () => {
  it("writes a small realistic ledger and plans it both ways, the same actions on both sides", () => {
    const root = fileURLToPath(new URL("../..", import.meta.url));
    const db = join(scratch.dir, "bench.db");
    const run = (cmd: string) => execFileSync("sh", ["-c", cmd], { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
    run(`npx tsx bench/paid-up.ts prepare-sqlite ${db} realistic 400`);
    const out = run(`npx tsx bench/paid-up.ts sqlite ${db} 2026-11-26 150`);
    expect(out).toContain("400 accounts,");
    expect(out).toContain("the same on both sides");
    // Some accounts went the fast way, and not all.
    const fast = Number(/(\d+) handed over without rows by B/.exec(out)?.[1]);
    expect(fast).toBeGreaterThan(0);
    expect(fast).toBeLessThan(400);
  }, 180_000);
});
