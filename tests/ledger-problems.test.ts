/**
 * Issue 14's ledger defects 5, 6, 8, 9 and 19 (the temporary file), each a named regression
 * test: the expected codes and paths come from the issue and docs/ledger-format.md, never from
 * the program's output.
 */
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { jsonLedger, jsonlLedger } from "../src/adapters/file.js";
import { memoryLedger } from "../src/adapters/memory.js";
import { sqliteLedger } from "../src/adapters/sqlite.js";
import type { LedgerAdapter } from "../src/ledger/adapter.js";
import { main } from "../src/cli/main.js";
import { plan, type PlanEvent } from "../src/ledger/plan.js";
import { type AccountSnapshot } from "../src/ledger/account.js";
import { normalizeAccount } from "../src/ledger/check-account.js";
import { oneCharge } from "./helpers.js";

const dir = mkdtempSync(join(tmpdir(), "pd-ledger-problems-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let made = 0;
const fresh = (ext: string): string => join(dir, `ledger-${++made}.${ext}`);

async function planAll(ledger: LedgerAdapter, asOf = "2026-04-10", after?: string): Promise<PlanEvent[]> {
  const events: PlanEvent[] = [];
  for await (const event of plan(ledger, { asOf, ...(after !== undefined ? { after } : {}) })) events.push(event);
  return events;
}
const actionIds = (events: readonly PlanEvent[]): string[] => events.flatMap((e) => (e.type === "planned" ? e.actions.map((a) => a.id) : []));
const problems = (events: readonly PlanEvent[]) => events.flatMap((e) => (e.type === "skipped" ? e.issues.map((i) => ({ accountId: e.accountId, code: i.code, path: i.path })) : []));
const issuesOf = (raw: unknown) => {
  const r = normalizeAccount(raw);
  return r.ok ? [] : r.issues.map(({ code, path }) => ({ code, path }));
};

/** An account that is 40 days overdue on 2026-04-10, so that the built-in policy plans for it. */
const overdue = (id: string): AccountSnapshot => oneCharge({ id, charges: [{ id: "c1", period: "2026-03", dueOn: "2026-03-01", amountMinor: 30000 }] });

describe("#14.5 one plan never emits the same action id twice", () => {
  it("#14.5 a duplicate account id in JSON Lines is reported as duplicate_account and planned once", async () => {
    const path = fresh("jsonl");
    const first = overdue("A-1");
    const again = { ...overdue("A-1"), unit: "another copy" };
    writeFileSync(path, [first, overdue("A-2"), again].map((a) => JSON.stringify(a)).join("\n") + "\n");
    const events = await planAll(jsonlLedger(path));
    const ids = actionIds(events);
    expect(ids.length).toBeGreaterThan(0);
    expect(new Set(ids).size).toBe(ids.length);
    expect(problems(events)).toEqual([{ accountId: "A-1", code: "duplicate_account", path: "id" }]);
    // Like the JSON ledger: the first occurrence is the one planned.
    expect(events.filter((e) => e.type === "planned").map((e) => e.accountId)).toEqual(["A-1", "A-2"]);
    // A run resumed after the first occurrence still knows it (cursor = line number).
    const resumed = await planAll(jsonlLedger(path), "2026-04-10", "1");
    expect(problems(resumed)).toEqual([{ accountId: "A-1", code: "duplicate_account", path: "id" }]);
    expect(actionIds(resumed).every((id) => !id.startsWith("A-1:"))).toBe(true);
  });

  it("#14.5 plan() reports an account a vendor's adapter streams twice, and sends once", async () => {
    // A mutant adapter: every account twice, one right after the other, in id order, as a
    // vendor's view joined to a table with two rows per account streams it.
    const inner = memoryLedger([overdue("B-1"), overdue("B-2")]);
    const twice: LedgerAdapter = {
      async *accounts(options) {
        for await (const e of inner.accounts(options)) {
          yield e;
          yield e;
        }
      },
      record: (a) => inner.record(a),
      close: () => inner.close(),
    };
    const events = await planAll(twice);
    const ids = actionIds(events);
    expect(ids.length).toBeGreaterThanOrEqual(2);
    expect(new Set(ids).size).toBe(ids.length);
    expect(problems(events)).toEqual([
      { accountId: "B-1", code: "duplicate_account", path: "id" },
      { accountId: "B-2", code: "duplicate_account", path: "id" },
    ]);
  });
});

describe("#14.6 ids that must be unique", () => {
  const twoPayments = overdue("P-1");
  twoPayments.payments = [
    { id: "pay-1", on: "2026-03-05", amountMinor: 15000 },
    { id: "pay-1", on: "2026-03-05", amountMinor: 15000 },
  ];

  it("#14.6 a duplicate payment id is refused (duplicate_id at payments[1].id), not counted twice, in JSON and JSON Lines", async () => {
    expect(issuesOf(twoPayments)).toEqual([{ code: "duplicate_id", path: "payments[1].id" }]);
    const json = fresh("json");
    writeFileSync(json, JSON.stringify({ accounts: [twoPayments] }));
    const jsonl = fresh("jsonl");
    writeFileSync(jsonl, `${JSON.stringify(twoPayments)}\n`);
    for (const ledger of [jsonLedger(json), jsonlLedger(jsonl), memoryLedger([twoPayments])]) {
      const events = await planAll(ledger);
      // Counted twice, the two halves would pay the charge in full and nothing would be planned, silently.
      expect(problems(events)).toEqual([{ accountId: "P-1", code: "duplicate_id", path: "payments[1].id" }]);
    }
  });
});

describe("#14.8 amounts that cannot be exact", () => {
  const MAX = Number.MAX_SAFE_INTEGER;

  it("#14.8 two charges of 2^53-1 are refused (unsafe_total at charges); so are payments and a plan's instalments", () => {
    const charges = [
      { id: "c1", period: "2026-01", dueOn: "2026-01-01", amountMinor: MAX },
      { id: "c2", period: "2026-02", dueOn: "2026-02-01", amountMinor: MAX },
    ];
    expect(issuesOf({ id: "U-1", charges })).toEqual([{ code: "unsafe_total", path: "charges" }]);
    // One of them alone is exact, and accepted.
    expect(issuesOf({ id: "U-1", charges: charges.slice(0, 1) })).toEqual([]);
    const payments = [
      { id: "p1", on: "2026-01-05", amountMinor: MAX },
      { id: "p2", on: "2026-01-06", amountMinor: 1 },
    ];
    expect(issuesOf({ id: "U-2", charges: [], payments })).toEqual([{ code: "unsafe_total", path: "payments" }]);
    const plan = { type: "installmentPlan", id: "ip", agreedOn: "2026-01-10", charges: ["c1"], instalments: [{ dueOn: "2026-02-01", amountMinor: MAX }, { dueOn: "2026-03-01", amountMinor: 2 }] };
    expect(issuesOf({ id: "U-3", charges: charges.slice(0, 1), holds: [plan] })).toEqual([{ code: "unsafe_total", path: "holds[0].instalments" }]);
  });

  it("#14.8 a late fee that makes what is owed inexact reports the account (unsafe_total) instead of an inexact amount", async () => {
    // The built-in clause: 0.05 % a day, at most 30 % of the charge. On a charge of 2^53-1 the fee
    // alone is exact (≤ 30 %), but charge + fee is 1.3 × 2^53: not a number that can be stated exactly.
    const clean = await planAll(memoryLedger([overdue("F-1")]));
    expect(actionIds(clean).length, "the same account with an ordinary charge is planned that day").toBeGreaterThan(0);
    const huge = oneCharge({ id: "F-1", charges: [{ id: "c1", period: "2026-03", dueOn: "2026-03-01", amountMinor: MAX }] });
    const events = await planAll(memoryLedger([huge]));
    expect(problems(events)).toEqual([{ accountId: "F-1", code: "unsafe_total", path: "charges" }]);
  });
});

async function cli(...argv: string[]) {
  let out = "";
  let err = "";
  const code = await main(argv, { out: (s) => void (out += s), err: (s) => void (err += s) });
  return { code, out, err };
}

/** A planned action as `plan --format json` writes it (the fields `record` reads). */
const plannedAction = (accountId: string, stage: string, plannedOn: string) => ({
  id: `${accountId}:${stage}@2026-03`,
  accountId,
  stage,
  plannedOn,
  channels: ["sms"],
  covers: [{ key: `${stage}@2026-03`, stage }],
});

describe("#14.9 record checks before storing anything", () => {
  const ledgers = async (): Promise<{ spec: string; file: string }[]> => {
    const json = fresh("json");
    copyFileSync("examples/ledger.json", json);
    const db = fresh("db");
    const sqlite = await sqliteLedger(db);
    await sqlite.writeAccounts((JSON.parse(readFileSync("examples/ledger.json", "utf8")) as { accounts: AccountSnapshot[] }).accounts);
    await sqlite.close();
    return [
      { spec: json, file: json },
      { spec: `sqlite:${db}`, file: db },
    ];
  };

  it("#14.9 an action with an impossible date: exit 1 naming actions[3].on, the ledger file unchanged (JSON and SQLite)", async () => {
    const actions = join(dir, "bad-date.json");
    writeFileSync(
      actions,
      JSON.stringify([
        plannedAction("A-1201", "reminder", "2026-03-10"),
        plannedAction("A-0302", "reminder", "2026-03-10"),
        plannedAction("C-015", "reminder", "2026-03-10"),
        plannedAction("C-015", "dunning_notice", "2026-02-30"),
      ]),
    );
    for (const { spec, file } of await ledgers()) {
      const before = readFileSync(file);
      const r = await cli("record", "--ledger", spec, "--actions", actions);
      expect(r.code, spec).toBe(1);
      expect(r.err, spec).toContain('actions[3].on: must be a date YYYY-MM-DD (got "2026-02-30")');
      expect(readFileSync(file).equals(before), `${spec}: the file's bytes`).toBe(true);
      // A good file afterwards records, and the ledger still plans: nothing bad was stored.
      const good = join(dir, "good.json");
      // A stage of C-015's policy (commercial): one it does not have would skip the account (unknown_stage).
      writeFileSync(good, JSON.stringify([plannedAction("C-015", "billing_notice", "2026-03-10")]));
      expect((await cli("record", "--ledger", spec, "--actions", good)).out).toContain("recorded 1 new action");
      const planned = await cli("plan", "--ledger", spec, "--as-of", "2026-03-25", "--format", "json");
      expect(planned.code, `${spec}: ${planned.err}`).toBe(0);
    }
  });

  it("#14.9 a wrong-shaped actions file: exit 1 naming each bad element, never a TypeError, nothing stored", async () => {
    const actions = join(dir, "bad-shape.json");
    writeFileSync(actions, JSON.stringify([plannedAction("A-1201", "reminder", "2026-03-10"), 7, { ...plannedAction("A-0302", "reminder", "2026-03-10"), covers: "all" }, { accountId: "C-015" }]));
    for (const { spec, file } of await ledgers()) {
      const before = readFileSync(file);
      const r = await cli("record", "--ledger", spec, "--actions", actions);
      expect(r.code, spec).toBe(1);
      for (const place of ["actions[1]: must be an object", "actions[2].covers: must be an array of strings", "actions[3].id: ", "actions[3].stage: ", "actions[3].on: "])
        expect(r.err, spec).toContain(place);
      expect(readFileSync(file).equals(before), `${spec}: the file's bytes`).toBe(true);
    }
    const notArray = join(dir, "object.json");
    writeFileSync(notArray, JSON.stringify({ actions: [] }));
    expect(await cli("record", "--ledger", "examples/ledger.json", "--actions", notArray)).toMatchObject({ code: 1, err: expect.stringContaining("must be a JSON array of planned actions") });
  });
});

describe("a ledger file that cannot be read at all", () => {
  it("a JSON ledger that does not parse, or a sidecar line that is not an action: exit 1 naming the file, never a crash (exit 70)", async () => {
    const json = fresh("json");
    writeFileSync(json, '{ "accounts": [');
    const r = await cli("plan", "--ledger", json, "--as-of", "2026-04-10", "--format", "json");
    expect(r).toMatchObject({ code: 1, err: expect.stringContaining(`${json}: not valid JSON`) });
    const jsonl = fresh("jsonl");
    writeFileSync(jsonl, `${JSON.stringify(overdue("S-1"))}\n`);
    writeFileSync(`${jsonl}.actions.jsonl`, '"not an action"\n{"accountId":"S-1","id":"a","stage":"reminder","on":"2026-03-05"}\n');
    expect(await cli("plan", "--ledger", jsonl, "--as-of", "2026-04-10", "--format", "json")).toMatchObject({ code: 1, err: expect.stringContaining(".actions.jsonl:1: ") });
  });
});

describe("#14.19 a killed record leaves no temporary file behind", () => {
  it("#14.19 a stale temporary file of a killed run is removed by the next record, and the ledger is right", async () => {
    const work = mkdtempSync(join(dir, "temp-"));
    const path = join(work, "ledger.json");
    copyFileSync("examples/ledger.json", path);
    // A process that has exited: the pid a killed run's file would carry.
    const dead = spawnSync(process.execPath, ["-e", ""]).pid!;
    const stale = `.ledger.json.${dead}.${(Date.now() - 60_000).toString(36)}.tmp`;
    writeFileSync(join(work, stale), '{ "accounts": [ { "id": "half-writ');
    // One of a process that is running (the test runner's parent) may be being written right now: left alone.
    const live = `.ledger.json.${process.ppid}.${Date.now().toString(36)}.tmp`;
    writeFileSync(join(work, live), "{");
    const ledger = jsonLedger(path);
    expect(await ledger.record([{ accountId: "C-015", id: "C-015:x", stage: "reminder", on: "2026-03-10" }])).toBe(1);
    expect(readdirSync(work).sort()).toEqual([live, "ledger.json"].sort());
    const recorded = (JSON.parse(readFileSync(path, "utf8")) as { accounts: AccountSnapshot[] }).accounts.find((a) => a.id === "C-015")!;
    expect(recorded.actions!.map((a) => a.id)).toContain("C-015:x");
  });
});
