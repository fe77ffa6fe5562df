/** Shared test helpers: built-in schedulers, a day-by-day planning loop, the CLI in-process, the SQL ledgers. */
import { builtinPolicySource, type BuiltinPolicyId } from "../src/rules/builtins.js";
import { parsePolicy } from "../src/rules/parse.js";
import type { AccountSnapshot, RecordedAction } from "../src/ledger/account.js";
import type { PlannedAction } from "../src/schedule/ladder/action.js";
import { civilDate, formatCivilDate } from "../src/schedule/time/civil-date.js";
import { createScheduler, type Scheduler } from "../src/schedule/ladder/scheduler.js";
import type { LedgerAdapter } from "../src/ledger/adapter.js";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, it } from "vitest";

export function builtin(id: BuiltinPolicyId): Scheduler {
  return createScheduler(parsePolicy(builtinPolicySource(id)));
}

export function oneCharge(overrides: Partial<AccountSnapshot> = {}): AccountSnapshot {
  return {
    id: "A-1201",
    segment: "residential",
    unit: "8-2-1201",
    owner: { name: "王芳", tags: [] },
    charges: [{ id: "c1", period: "2026-03", dueOn: "2026-03-01", amountMinor: 30000 }],
    payments: [],
    actions: [],
    ...overrides,
  };
}

export function record(action: PlannedAction, on: string): RecordedAction {
  return { id: action.id, stage: action.stage, on, covers: action.covers.map((c) => c.key), channels: [...action.channels] };
}

/**
 * Plans every day from `from` to `to` with `dueActions`, carrying out and recording each action
 * on the day it is planned, the way a vendor's nightly job would.
 */
export function runDaily(scheduler: Scheduler, account: AccountSnapshot, from: string, to: string): PlannedAction[] {
  const log: RecordedAction[] = [...(account.actions ?? [])];
  const out: PlannedAction[] = [];
  for (let d = civilDate(from); d <= civilDate(to); d++) {
    const day = formatCivilDate(d);
    for (const action of scheduler.dueActions({ ...account, actions: log }, day)) {
      out.push(action);
      log.push(record(action, day));
    }
  }
  return out;
}

/** The command line, run in-process: what it printed on stdout and stderr, and its exit code. */
export async function runCli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const { main } = await import("../src/cli/main.js");
  let out = "";
  let err = "";
  const code = await main(argv, { out: (s) => void (out += s), err: (s) => void (err += s) });
  return { code, out, err };
}

export const brief = (actions: readonly PlannedAction[]) => actions.map((a) => `${a.plannedOn} ${a.kind} ${a.channels.join("+")}`);

/**
 * Two tests in the calling describe, one per SQL ledger: SQLite in a scratch directory, and
 * PostgreSQL in a schema of its own (`pd_test_<name>_<pid>`; skipped without PD_POSTGRES_URL).
 * Each ledger is written `accounts`, `body` reads what the test is about, the ledger is closed,
 * and `body`'s answer must equal `expected`. The directory and the schema are removed afterwards.
 */
export function itOnSqlLedgers<T>(name: string, accounts: readonly AccountSnapshot[], body: (ledger: LedgerAdapter) => Promise<T>, expected: T): void {
  const url = process.env.PD_POSTGRES_URL || undefined;
  const dir = mkdtempSync(join(tmpdir(), `pd-${name}-db-`));
  const schema = `pd_test_${name}_${process.pid}`;
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    if (!url) return;
    const { default: pg } = await import("pg");
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await client.end();
  });
  const check = async (ledger: LedgerAdapter & { writeAccounts(accounts: readonly AccountSnapshot[]): Promise<void> }) => {
    try {
      await ledger.writeAccounts(accounts);
      expect(await body(ledger)).toEqual(expected);
    } finally {
      await ledger.close();
    }
  };
  it("SQLite", async () => {
    const { sqliteLedger } = await import("../src/adapters/sqlite.js");
    await check(await sqliteLedger(join(dir, "ledger.db")));
  });
  it.skipIf(!url)("PostgreSQL (PD_POSTGRES_URL)", async () => {
    const { postgresLedger } = await import("../src/adapters/postgres.js");
    await check(await postgresLedger(url!, { schema }));
  });
}

/** Runs one statement on the PostgreSQL at `url` on a connection of its own (CREATE/DROP DATABASE, which no transaction may hold). */
export async function pgAdmin(url: string, sql: string): Promise<void> {
  const { default: pg } = await import("pg");
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
