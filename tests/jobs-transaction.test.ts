/**
 * The jobs' one transaction helper (src/jobs/store.ts `inTransaction`), against the real
 * PostgreSQL: what the function wrote is kept when it returns, gone when it throws or asks for a
 * rollback (a run that already exists, a job whose lease was lost), and the connection goes back
 * to the pool each time — a pool of one connection would otherwise hang on the next call.
 */
import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inTransaction } from "../src/jobs/store.js";

const PG_URL = process.env.PD_POSTGRES_URL || undefined;

describe.skipIf(!PG_URL)("inTransaction (real PostgreSQL)", () => {
  const schema = `tidy_tx_${randomBytes(4).toString("hex")}`;
  // One connection: a call that did not give it back would leave every later call waiting.
  const pool = new pg.Pool({ connectionString: PG_URL, max: 1, connectionTimeoutMillis: 5000 });
  const rows = async () => (await pool.query<{ note: string }>(`SELECT note FROM ${schema}.t ORDER BY note`)).rows.map((r) => r.note);

  beforeAll(async () => {
    await pool.query(`CREATE SCHEMA ${schema}; CREATE TABLE ${schema}.t (note text PRIMARY KEY)`);
  });
  afterAll(async () => {
    await pool.query(`DROP SCHEMA ${schema} CASCADE`);
    await pool.end();
  });

  it("keeps what the function wrote when it returns, and returns its value", async () => {
    const value = await inTransaction(pool, async (client) => {
      await client.query(`INSERT INTO ${schema}.t VALUES ('kept')`);
      return 42;
    });
    expect(value).toBe(42);
    expect(await rows()).toEqual(["kept"]);
  });

  it("undoes it when the function throws, and the error goes on", async () => {
    const failure = new Error("the sender refused");
    await expect(
      inTransaction(pool, async (client) => {
        await client.query(`INSERT INTO ${schema}.t VALUES ('thrown')`);
        throw failure;
      }),
    ).rejects.toBe(failure);
    expect(await rows()).toEqual(["kept"]);
  });

  it("undoes it when the function asks for a rollback, and returns its value", async () => {
    const value = await inTransaction(pool, async (client, rollback) => {
      await client.query(`INSERT INTO ${schema}.t VALUES ('declined')`);
      rollback();
      return "exists already";
    });
    expect(value).toBe("exists already");
    expect(await rows()).toEqual(["kept"]);
  });

  it("a failed statement inside is undone with the rest; the pool goes on with a usable connection", async () => {
    await expect(
      inTransaction(pool, async (client) => {
        await client.query(`INSERT INTO ${schema}.t VALUES ('before the duplicate')`);
        await client.query(`INSERT INTO ${schema}.t VALUES ('kept')`); // duplicate key: the transaction is aborted
      }),
    ).rejects.toMatchObject({ code: "23505" });
    // Not "current transaction is aborted": the connection given back was rolled back.
    expect(await inTransaction(pool, async (client) => (await client.query<{ n: string }>(`SELECT count(*) AS n FROM ${schema}.t`)).rows[0]!.n)).toBe("1");
    expect(pool.totalCount).toBe(1);
  });
});
