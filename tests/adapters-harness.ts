/**
 * The shared harness of the adapter tests (adapters-equivalence.test.ts,
 * adapters-read-order.test.ts): the demo estate, a fresh ledger of each bundled kind holding
 * given accounts (optionally with one row broken the way its store allows), and planning it.
 * PostgreSQL needs PD_POSTGRES_URL; without it its cases are skipped (the test files say so).
 */
import { randomBytes } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, afterEach, beforeAll } from "vitest";
import { compareIds } from "../src/adapters/common.js";
import { jsonLedger, jsonlLedger } from "../src/adapters/file.js";
import { memoryLedger } from "../src/adapters/memory.js";
import { postgresLedger } from "../src/adapters/postgres.js";
import { sqliteLedger } from "../src/adapters/sqlite.js";
import type { LedgerAdapter, Shard } from "../src/ledger/adapter.js";
import { generateEstate } from "../src/demo/estate.js";
import { plan, type PlanEvent } from "../src/ledger/plan.js";
import type { AccountSnapshot } from "../src/ledger/account.js";
import type { PlannedAction } from "../src/schedule/ladder/action.js";

export const PG_URL = process.env.PD_POSTGRES_URL || undefined;
export const IN_CI = !!process.env.CI && process.env.CI !== "false" && process.env.CI !== "0";
export const RUN = `pd_test_${randomBytes(4).toString("hex")}_eq`;

export const AS_OF = "2026-03-10";
export const ESTATE = generateEstate({ seed: 11, asOf: AS_OF, residentialUnits: 150, shops: 10, months: 24 });

export const KINDS = ["memory", "json", "jsonl", "sqlite", "postgres"] as const;
export type Kind = (typeof KINDS)[number];
/** Adapters that stream in the read order, owner id else account id, then account id (JSON Lines keeps file order). */
export const ORDERED: readonly Kind[] = ["memory", "json", "sqlite", "postgres"];
export const available = (kind: Kind): boolean => kind !== "postgres" || PG_URL !== undefined;

export let dir: string;
const schemas: string[] = [];
export const open: LedgerAdapter[] = [];
export let made = 0;

/**
 * Registers the hooks of a test file that makes ledgers with {@link ledgerOf}: a scratch folder,
 * each test's ledgers closed after it, the PostgreSQL schemas dropped at the end. Warns (`file`)
 * when the PostgreSQL cases are skipped.
 */
export function useScratchLedgers(file: string): void {
  if (PG_URL === undefined && !IN_CI)
    console.warn(`${file}: PD_POSTGRES_URL is not set, so the PostgreSQL cases are SKIPPED. Run them with: export PD_POSTGRES_URL=$(scripts/start-postgres.sh)`);
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "pd-equivalence-"));
  });
  afterEach(async () => {
    for (const ledger of open.splice(0)) await ledger.close();
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
    if (PG_URL !== undefined && schemas.length > 0) {
      const client = new pg.Client({ connectionString: PG_URL });
      await client.connect();
      try {
        for (const schema of schemas) await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      } finally {
        await client.end();
      }
    }
  });
}

/** What a ledger of each kind holds besides plain snapshots: one row the store itself cannot read. */
interface Corruption {
  /** Index in `accounts` of the account whose row is broken in the store. */
  at: number;
}

/**
 * A fresh ledger of `kind` holding `accounts` (in their given order; JSON Lines keeps it). With
 * `corrupt`, the row of accounts[corrupt.at] is broken in the way the store allows, and the
 * returned name is how the adapter reports it.
 */
export async function ledgerOf(kind: Kind, accounts: readonly AccountSnapshot[], corrupt?: Corruption): Promise<{ ledger: LedgerAdapter; badName?: string }> {
  const n = ++made;
  const broken = corrupt?.at;
  let ledger: LedgerAdapter;
  let badName: string | undefined;
  switch (kind) {
    case "memory":
    case "json": {
      // A row that is not an account at all.
      const rows: unknown[] = accounts.map((a, i) => (i === broken ? null : a));
      if (broken !== undefined) badName = `accounts[${broken}]`;
      if (kind === "memory") ledger = memoryLedger(rows as AccountSnapshot[]);
      else {
        const file = join(dir, `ledger-${n}.json`);
        await writeFile(file, JSON.stringify({ accounts: rows }));
        ledger = jsonLedger(file);
      }
      break;
    }
    case "jsonl": {
      // A line cut short.
      const file = join(dir, `ledger-${n}.jsonl`);
      await writeFile(file, accounts.map((a, i) => (i === broken ? JSON.stringify(a).slice(0, 40) : JSON.stringify(a))).join("\n") + "\n");
      if (broken !== undefined) badName = `line ${broken + 1}`;
      ledger = jsonlLedger(file);
      break;
    }
    case "sqlite":
    case "postgres": {
      // owner_tags that is not JSON.
      const writable =
        kind === "sqlite" ? await sqliteLedger(join(dir, `ledger-${n}.db`)) : await postgresLedger(PG_URL!, { schema: `${RUN}_${n}` });
      if (kind === "postgres") schemas.push(`${RUN}_${n}`);
      await writable.writeAccounts(accounts.map((a, i) => (i === broken ? { ...a, owner: { ...a.owner, tags: ["__corrupt__"] } } : a)));
      if (broken !== undefined) {
        const id = accounts[broken]!.id;
        await runSql(kind, n, `UPDATE accounts SET owner_tags = '[oops' WHERE id = '${id}'`);
        badName = id;
      }
      ledger = writable;
      break;
    }
  }
  open.push(ledger);
  return { ledger, badName };
}

export async function planAll(ledger: LedgerAdapter, options: { shard?: Shard; after?: string } = {}): Promise<PlanEvent[]> {
  const events: PlanEvent[] = [];
  for await (const event of plan(ledger, { asOf: AS_OF, ...options })) events.push(event);
  return events;
}

const byAccount = (a: PlanEvent, b: PlanEvent): number => compareIds(a.accountId, b.accountId);
/** Events without their cursors (JSON Lines' cursors are line numbers), in account id order. */
export const comparable = (events: readonly PlanEvent[]): Omit<PlanEvent, "cursor">[] =>
  [...events].sort(byAccount).map(({ cursor: _cursor, ...rest }) => rest);
export const actionsOf = (events: readonly PlanEvent[]): PlannedAction[] => events.flatMap((e) => (e.type === "planned" ? e.actions : []));

/** Runs SQL on the SQLite file or PostgreSQL schema of ledger number `n`. */
export async function runSql(kind: "sqlite" | "postgres", n: number, sql: string): Promise<void> {
  if (kind === "sqlite") {
    const { default: Database } = await import("better-sqlite3");
    const db = new Database(join(dir, `ledger-${n}.db`));
    db.exec(sql);
    db.close();
  } else {
    const client = new pg.Client({ connectionString: PG_URL });
    await client.connect();
    await client.query(`SET search_path TO "${RUN}_${n}"; ${sql}`);
    await client.end();
  }
}
