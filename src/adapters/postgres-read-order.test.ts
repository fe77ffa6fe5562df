/**
 * The PostgreSQL ledger reads in the read order (owner key, then account id) through its index
 * `pd_accounts_read_order`, without sorting the accounts: the plan PostgreSQL makes for the very
 * cursor the adapter declares (`EXPLAIN DECLARE …`), from the start, resumed and on the paid-up
 * fast path. Needs PD_POSTGRES_URL (skipped without it, except in CI).
 */
import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import type { AccountSnapshot } from "../ledger/account.js";
import { postgresLedger } from "./postgres.js";
import { streamSql, type Columns } from "./postgres-sql.js";

const URL_ = process.env.PD_POSTGRES_URL || undefined;
const IN_CI = !!process.env.CI && process.env.CI !== "false" && process.env.CI !== "0";
const SCHEMA = `pd_test_${randomBytes(4).toString("hex")}_order`;

describe.runIf(URL_ === undefined && IN_CI)("the PostgreSQL read order in CI", () => {
  it("needs a PostgreSQL server: set PD_POSTGRES_URL (scripts/start-postgres.sh prints it)", () => {
    throw new Error("CI is set but PD_POSTGRES_URL is not: start the server with scripts/start-postgres.sh and export its URL");
  });
});

describe.skipIf(URL_ === undefined)("the PostgreSQL read order", () => {
  const client = new pg.Client({ connectionString: URL_ });
  afterAll(async () => {
    await client.query(`DROP SCHEMA IF EXISTS "${SCHEMA}" CASCADE; DROP SCHEMA IF EXISTS pms_${SCHEMA} CASCADE`);
    await client.end();
  });

  it("EXPLAIN DECLARE: an index scan of pd_accounts_read_order, no sort of the accounts; without the index, a sort", async () => {
    // 3,000 units of 1,000 owners, an owner's three units far apart in id order.
    const units = Array.from({ length: 3000 }, (_, i): AccountSnapshot => ({ id: `U-${String(i).padStart(4, "0")}`, owner: { id: `O-${String(i % 1000).padStart(3, "0")}` }, charges: [] }));
    const ledger = await postgresLedger(URL_!, { schema: SCHEMA });
    await ledger.writeAccounts(units);
    await ledger.close();
    await client.connect();
    await client.query(`SET search_path TO "${SCHEMA}"; ANALYZE`);
    const has: Columns = { holds: true, opt_outs: true, estate: true, owner_id: true, channels: true, conversation: true };
    const explain = async (sql: string, params: unknown[]): Promise<string> => {
      await client.query("BEGIN");
      try {
        return (await client.query<{ "QUERY PLAN": string }>(`EXPLAIN DECLARE pd_stream NO SCROLL CURSOR FOR ${sql}`, params)).rows.map((r) => r["QUERY PLAN"]).join("\n");
      } finally {
        await client.query("ROLLBACK");
      }
    };
    const cases = [
      ["from the start", streamSql(false, has), []],
      ["resumed after a position", streamSql(false, has, new Set(), undefined, "position"), ["O-420", "U-1420"]],
      ["paid-up fast path", streamSql(false, has, new Set(), "2026-03-25"), []],
    ] as const;
    // PostgreSQL 15 says, for the first: "Index Scan using pd_accounts_read_order on accounts a", then
    // the children's SubPlans; the accounts are never the input of a Sort.
    for (const [name, sql, params] of cases) {
      const plan = await explain(sql, [...params]);
      expect(plan, name).toMatch(/Index Scan using pd_accounts_read_order on accounts a/);
      expect(plan, name).not.toMatch(/Sort Key: \(COALESCE/);
    }
    // The mutant: without the index, the same cursor sorts every account first.
    await client.query("DROP INDEX pd_accounts_read_order");
    expect(await explain(cases[0][1], [])).toMatch(/Sort Key: \(COALESCE\(NULLIF\(a\.owner_id, ''::text\), a\.id\)\) COLLATE "C"/);
    // A writable open puts it back.
    await (await postgresLedger(URL_!, { schema: SCHEMA })).close();
    expect(await explain(cases[0][1], [])).toMatch(/Index Scan using pd_accounts_read_order on accounts a/);
  });

  it("through a view over a vendor's table: the index docs/adapters.md shows serves the order", async () => {
    await client.query(`CREATE SCHEMA pms_${SCHEMA}; SET search_path TO "${SCHEMA}";
      ALTER TABLE accounts RENAME TO account_rows;
      CREATE TABLE pms_${SCHEMA}.units (unit_id bigint PRIMARY KEY, owner_code text, kind text);
      INSERT INTO pms_${SCHEMA}.units SELECT i, CASE WHEN i % 3 = 0 THEN 'O-' || (i % 1000) END, 'home' FROM generate_series(1, 20000) i;
      CREATE INDEX ON pms_${SCHEMA}.units ((COALESCE(NULLIF(owner_code, ''), unit_id::text) COLLATE "C"), (unit_id::text) COLLATE "C");
      ANALYZE pms_${SCHEMA}.units;
      CREATE VIEW accounts AS SELECT u.unit_id::text AS id, u.kind AS segment, NULL::text AS unit, NULL::text AS owner_name, NULL::text AS owner_tags,
        NULL::text AS holds, NULL::text AS opt_outs, NULL::text AS estate, u.owner_code AS owner_id FROM pms_${SCHEMA}.units u`);
    try {
      await client.query("BEGIN");
      const has: Columns = { holds: true, opt_outs: true, estate: true, owner_id: true, channels: true, conversation: true };
      const plan = (await client.query<{ "QUERY PLAN": string }>(`EXPLAIN DECLARE pd_stream NO SCROLL CURSOR FOR ${streamSql(false, has)}`)).rows.map((r) => r["QUERY PLAN"]).join("\n");
      await client.query("ROLLBACK");
      expect(plan).toMatch(/Index Scan using units_coalesce_unit_id_idx on units u/);
      expect(plan).not.toMatch(/Sort Key: \(COALESCE/);
    } finally {
      await client.query(`DROP SCHEMA pms_${SCHEMA} CASCADE`);
    }
  });
});
