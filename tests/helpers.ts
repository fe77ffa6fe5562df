/** Shared test helpers: built-in schedulers, a day-by-day planning loop, the CLI in-process and spawned, the SQL ledgers. */
import { builtinPolicySource, type BuiltinPolicyId } from "../src/rules/builtins.js";
import { parsePolicy } from "../src/rules/parse.js";
import type { AccountSnapshot, RecordedAction } from "../src/ledger/account.js";
import type { PlannedAction } from "../src/schedule/ladder/action.js";
import { civilDate, formatCivilDate } from "../src/schedule/time/civil-date.js";
import { createScheduler, type Scheduler } from "../src/schedule/ladder/scheduler.js";
import type { LedgerAdapter } from "../src/ledger/adapter.js";
import { spawnSync, type SpawnSyncOptions, type SpawnSyncReturns } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { fileURLToPath } from "node:url";
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

/** The variables a process reads its language from; the CLI reads LC_ALL, LC_MESSAGES and LANG (src/cli/messages.ts). */
const LOCALE_VARIABLES = ["LANG", "LC_ALL", "LC_MESSAGES", "LANGUAGE"];

/**
 * The environment for a spawned CLI, or a shell running printed commands: `env` (default: the
 * test's own) in a neutral locale, LANG=C.UTF-8 with LC_ALL, LC_MESSAGES and LANGUAGE unset. The
 * CLI picks zh-CN from the locale, so without this a zh_CN machine would see Chinese messages
 * where a test expects the English ones. `locale` is what the test asks for on top, a language
 * among it (`{ LANG: "zh_CN.UTF-8" }`).
 */
export function cliEnv(env: NodeJS.ProcessEnv = process.env, locale: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const kept = Object.fromEntries(Object.entries(env).filter(([name]) => !LOCALE_VARIABLES.includes(name)));
  return { ...kept, LANG: "C.UTF-8", ...locale };
}

/**
 * `spawnSync` for the CLI (`process.execPath dist/cli.js …`, or `sh -c` with printed commands):
 * text output, room for large plans, and the environment through `cliEnv` (options.env, default
 * the test's own, in a neutral locale unless `locale` names one).
 */
export function spawnCli(command: string, args: readonly string[], options: Omit<SpawnSyncOptions, "encoding"> & { encoding?: "utf8"; locale?: NodeJS.ProcessEnv } = {}): SpawnSyncReturns<string> {
  const { locale, env, encoding: _utf8, ...rest } = options;
  return spawnSync(command, args, { maxBuffer: 256 * 1024 * 1024, ...rest, encoding: "utf8", env: cliEnv(env, locale) });
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

/**
 * A clone as a reader has it, for running printed commands as printed: `property-dunning` on PATH
 * as npm links a package's bin (this checkout's dist/cli.js), and a scratch `work` folder in `dir`
 * holding the repository's `folders` (linked); `env` is the neutral locale, no colour.
 */
export function cliOnPath(dir: string, folders: readonly string[]): { work: string; env: NodeJS.ProcessEnv } {
  const root = fileURLToPath(new URL("..", import.meta.url));
  const bin = `${dir}/bin`;
  const work = `${dir}/work`;
  mkdirSync(bin);
  mkdirSync(work);
  writeFileSync(`${bin}/property-dunning`, `#!/bin/sh\nexec "${process.execPath}" "${root}dist/cli.js" "$@"\n`);
  chmodSync(`${bin}/property-dunning`, 0o755);
  for (const folder of folders) symlinkSync(`${root}${folder}`, `${work}/${folder}`);
  return { work, env: cliEnv({ ...process.env, PATH: `${bin}:${process.env.PATH}`, NO_COLOR: "1" }) };
}
