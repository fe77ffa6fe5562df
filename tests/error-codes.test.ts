/**
 * Errors are data (issue 16, item 4): every refusal the library makes on a user's input is a
 * `PropertyDunningError` of its kind, with a `code` (and a `path` where the input has a place),
 * told apart by a guard, never by its message. Each code reachable from an input is produced
 * here from that input and asserted by code; docs/cli.md ("Error codes") lists every code.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { jsonLedger, jsonlLedger } from "../src/adapters/file.js";
import { sqliteLedger } from "../src/adapters/sqlite.js";
import { JOBS_ERROR_CODES } from "../src/jobs/errors.js";
import * as api from "../src/index.js";
import {
  ARGUMENT_ERROR_CODES,
  CALENDAR_ERROR_CODES,
  LEDGER_ERROR_CODES,
  buildReport,
  builtinPolicySource,
  contactWindow,
  createScheduler,
  formatReport,
  isAccountError,
  isCalendarError,
  isConditionError,
  isInvalidArgumentError,
  isLedgerError,
  isLedgerFileError,
  isLedgerWriteError,
  isPolicyError,
  isPropertyDunningError,
  isRecordError,
  memoryLedger,
  parsePolicy,
  type ReportFormat,
} from "../src/index.js";
import { normalizeAccount } from "../src/ledger/check-account.js";
import { civilDate } from "../src/schedule/time/civil-date.js";
import { createWorkingCalendar } from "../src/schedule/time/calendar.js";
import { compileCondition } from "../src/rules/conditions.js";
import { openLedger } from "../src/adapters/open.js";
import { schedulerPicker } from "../src/ledger/plan.js";
import { limitationDatesFromTerms } from "../src/schedule/fees/limitation.js";
import { checkPolicy } from "../src/testing/index.js";

const dir = mkdtempSync(join(tmpdir(), "pd-error-codes-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** What `fn` throws (or rejects with); fails the test when it returns. */
async function caught(fn: () => unknown): Promise<unknown> {
  try {
    await fn();
  } catch (error) {
    return error;
  }
  throw new Error("expected a refusal, got a value");
}

const GUARDS = { isPolicyError, isConditionError, isAccountError, isInvalidArgumentError, isCalendarError, isLedgerError, isLedgerFileError, isLedgerWriteError, isRecordError };

/** The error is the library's, its own guard says so and no other kind's does, and it carries `code` and `path`. */
function expectKind(error: unknown, guard: keyof typeof GUARDS, code: string, path?: string): void {
  expect(isPropertyDunningError(error), String(error)).toBe(true);
  for (const [name, is] of Object.entries(GUARDS)) expect(is(error), `${name} of ${code}`).toBe(name === guard);
  expect(error).toMatchObject({ code, ...(path === undefined ? {} : { path }) });
}

const residential = parsePolicy(builtinPolicySource("residential"));
const snapshot = { id: "A-1", charges: [{ id: "c1", period: "2026-03", dueOn: "2026-03-01", amountMinor: 30000 }] };

describe("each code from the input that causes it", () => {
  it("a policy that does not validate: invalid_policy, with its issues", async () => {
    const error = await caught(() => parsePolicy({ extends: "residential", id: "x", version: "1", timeZone: "Mars/Olympus" }));
    expectKind(error, "isPolicyError", "invalid_policy");
  });

  it("a condition the engine would not run: invalid_condition at its place below the top", async () => {
    // The second clause of `all` names an operator the engine does not have.
    const error = await caught(() => compileCondition({ all: [{ fact: "monthsInArrears", operator: "greaterThanInclusive", value: 3 }, { fact: "tags", operator: "isAbout" as "in", value: 1 }] }));
    expectKind(error, "isConditionError", "invalid_condition", "$.all[1]");
  });

  it("an account snapshot that cannot be planned: invalid_account, each issue with its code and path", async () => {
    const error = await caught(() => createScheduler(residential).dueActions({ ...snapshot, charges: [{ ...snapshot.charges[0]!, period: "2026-3" }] }, "2026-04-01"));
    expectKind(error, "isAccountError", "invalid_account");
    expect((error as api.AccountError).issues).toMatchObject([{ code: "invalid_period", path: "charges[0].period" }]);
  });

  it("arguments: invalid_date, invalid_time_zone, invalid_range, invalid_number, invalid_option, policy_without_segment, mixed_currency", async () => {
    expectKind(await caught(() => civilDate("2026-02-30")), "isInvalidArgumentError", "invalid_date"); // no 30 February
    expectKind(await caught(() => contactWindow("2026-04-08", undefined, "Mars/Olympus")), "isInvalidArgumentError", "invalid_time_zone");
    expectKind(await caught(() => createScheduler(residential).forecast(snapshot, "2026-04-01", "2026-03-31")), "isInvalidArgumentError", "invalid_range", "to");
    expectKind(await caught(() => createWorkingCalendar({ holidays: "CN" }).addWorkingDays(civilDate("2026-10-08"), 1.5)), "isInvalidArgumentError", "invalid_number", "n");
    expectKind(await caught(() => memoryLedger([]).accounts({ shard: { index: 2, count: 2 } })), "isInvalidArgumentError", "invalid_number", "shard.index");
    const report = await buildReport(memoryLedger([snapshot]), { asOf: "2026-04-01" });
    expectKind(await caught(() => formatReport(report, "xml" as ReportFormat)), "isInvalidArgumentError", "invalid_option", "format");
    expectKind(await caught(() => checkPolicy(residential, { only: ["noSuchInvariant"] })), "isInvalidArgumentError", "invalid_option", "only");
    const anyUnit = parsePolicy({ ...(builtinPolicySource("residential") as object), segment: undefined, id: "any-unit" });
    expectKind(await caught(() => schedulerPicker(anyUnit)), "isInvalidArgumentError", "policy_without_segment", "policy");
    // A report adds amounts across policies: 100 fen and 100 Hong Kong cents are not 200 of anything.
    const hkd = parsePolicy({ ...(builtinPolicySource("commercial") as object), id: "hk-shops", currency: { code: "HKD", minorDigits: 2 } });
    const byEstate = { policy: { residential }, estates: { "hk-bay": { commercial: hkd } } };
    expectKind(await caught(() => buildReport(memoryLedger([snapshot]), { asOf: "2026-04-01", ...byEstate })), "isInvalidArgumentError", "mixed_currency", 'estates["hk-bay"].commercial.currency');
  });

  it("a working calendar: a bad date in a list, a day both closed and worked, a year without a working day", async () => {
    expectKind(await caught(() => createWorkingCalendar({ holidays: "none", closures: ["2026-05-06", "2026-13-01"] })), "isInvalidArgumentError", "invalid_date", "closures[1]");
    const clash = await caught(() => createWorkingCalendar({ holidays: "none", closures: ["2026-05-09"], extraWorkingDays: ["2026-05-10", "2026-05-09"] }));
    expectKind(clash, "isCalendarError", "calendar_conflict", "extraWorkingDays[1]");
    const checked = normalizeAccount(snapshot);
    if (!checked.ok) throw new Error("the sample account is valid");
    // A calendar with no working day at all: the limitation date (art. 203) cannot move to one.
    expectKind(await caught(() => limitationDatesFromTerms(checked.account, { stageKindOf: () => undefined, isWorkingDay: () => false })), "isCalendarError", "no_working_day");
  });

  it("ledgers: unknown_ledger, cannot_open, read_only, ledger_closed, a jsonl cursor that is not a line number", async () => {
    expectKind(await caught(() => openLedger(join(dir, "ledger.csv"))), "isLedgerError", "unknown_ledger");
    expectKind(await caught(() => sqliteLedger(join(dir, "missing.db"), { readonly: true })), "isLedgerError", "cannot_open");
    const json = join(dir, "ledger.json");
    writeFileSync(json, JSON.stringify({ accounts: [snapshot] }));
    const action = { accountId: "A-1", id: "A-1:x", stage: "x", on: "2026-04-01" };
    expectKind(await caught(() => jsonLedger(json, { readonly: true }).record([action])), "isLedgerError", "read_only");
    const closed = memoryLedger([snapshot]);
    await closed.close();
    expectKind(await caught(() => closed.record([action])), "isLedgerError", "ledger_closed");
    const jsonl = join(dir, "ledger.jsonl");
    writeFileSync(jsonl, `${JSON.stringify(snapshot)}\n`);
    expectKind(await caught(() => jsonlLedger(jsonl).accounts({ after: "A-1" })), "isInvalidArgumentError", "invalid_option", "after");
  });

  it("what a ledger refuses to store or cannot read: invalid_actions, invalid_accounts, invalid_ledger", async () => {
    const recorded = await caught(() => memoryLedger([snapshot]).record([{ accountId: "A-1", id: "A-1:x", stage: "x", on: "2026-02-30" }]));
    expectKind(recorded, "isRecordError", "invalid_actions");
    expect((recorded as api.RecordError).issues).toMatchObject([{ code: "invalid_date", path: "actions[0].on" }]);
    const db = await sqliteLedger(join(dir, "write.db"));
    const written = await caught(() => db.writeAccounts([{ ...snapshot, id: "" }]));
    await db.close();
    expectKind(written, "isLedgerWriteError", "invalid_accounts");
    expect((written as api.LedgerWriteError).issues).toMatchObject([{ code: "invalid_id", path: "accounts[0].id" }]);
    const broken = join(dir, "broken.json");
    writeFileSync(broken, "{ not json");
    expectKind(await caught(async () => {
      for await (const _ of jsonLedger(broken).accounts()) void _;
    }), "isLedgerFileError", "invalid_ledger");
  });
});

describe("docs/cli.md, Error codes", () => {
  const docs = readFileSync(fileURLToPath(new URL("../docs/cli.md", import.meta.url)), "utf8");
  const start = docs.indexOf("\n## Error codes\n");
  const section = docs.slice(start, docs.indexOf("\n## ", start + 1));
  const rows = [...section.matchAll(/^\| `(\w+)` \| `(\w+)` \|/gm)].map((m) => ({ code: m[1]!, kind: m[2]! }));

  it("lists every code of every error kind, each under a class the package exports with its guard", () => {
    expect(start).toBeGreaterThan(0);
    const codes = [
      ...Object.keys(ARGUMENT_ERROR_CODES),
      ...Object.keys(CALENDAR_ERROR_CODES),
      ...Object.keys(LEDGER_ERROR_CODES),
      ...Object.keys(JOBS_ERROR_CODES),
      ...["invalid_policy", "invalid_condition", "invalid_account", "unsafe_total", "invalid_actions", "invalid_accounts", "invalid_ledger"],
    ];
    expect(rows.map((r) => r.code).sort()).toEqual(codes.sort()); // invalid_option twice: an argument, a jobs option
    const exported = api as Record<string, unknown>;
    for (const { code, kind } of rows) {
      if (kind === "JobsError") continue; // exported from property-dunning/jobs, which loads pg-boss
      expect(typeof exported[kind], `${code}: ${kind}`).toBe("function");
      expect(typeof exported[`is${kind}`], `${code}: is${kind}`).toBe("function");
    }
  });
});
