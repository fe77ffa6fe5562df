/**
 * The read order shares one key between owner ids and account ids (owner id, else account id;
 * then account id), so a unit that names no owner can sort inside an owner's units, and one
 * account can come under two keys (a vendor's view joined to a co-owners table). Each account
 * must still be planned once, an owner's units together. Expected values from the ledgers
 * written here: three overdue units of one owner and of nobody, each one dunning notice on S2's
 * day 25 of the billing month.
 */
import { join } from "node:path";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { scratchPerTest } from "../src/adapters/__fixtures__/ledgers.js";
import { tamper } from "../src/adapters/__fixtures__/sqlite.js";
import { memoryLedger } from "../src/adapters/memory.js";
import { postgresLedger } from "../src/adapters/postgres.js";
import { sqliteLedger } from "../src/adapters/sqlite.js";
import type { AccountSnapshot } from "../src/ledger/account.js";
import type { LedgerAdapter } from "../src/ledger/adapter.js";
import { plan, type PlanEvent, type PlanOptions } from "../src/ledger/plan.js";
import { parsePolicy } from "../src/rules/parse.js";

const AS_OF = "2026-03-25"; // S2: day 25 of the billing month, the dunning notice's day
const scratch = scratchPerTest();
const march = (id: string) => [{ id, period: "2026-03", dueOn: "2026-03-01", amountMinor: 32000 }];
const unit = (id: string, owner?: string): AccountSnapshot => ({ id, segment: "residential", unit: id, ...(owner ? { owner: { id: owner } } : {}), charges: march(`c-${id}`) });

async function events(ledger: LedgerAdapter, options: Omit<PlanOptions, "asOf"> = {}): Promise<PlanEvent[]> {
  const out: PlanEvent[] = [];
  for await (const e of plan(ledger, { asOf: AS_OF, ...options })) out.push(e);
  return out;
}
const skipped = (all: PlanEvent[]) => all.filter((e) => e.type === "skipped").map((e) => `${e.accountId} ${e.type === "skipped" ? e.issues.map((i) => i.code).join(",") : ""}`);
const notices = (all: PlanEvent[]) => all.flatMap((e) => (e.type === "planned" ? e.actions.map((a) => `${a.accountId} ${a.stage}`) : []));

async function sqliteWith(accounts: AccountSnapshot[], name: string): Promise<LedgerAdapter> {
  const ledger = await sqliteLedger(join(scratch.dir, name));
  await ledger.writeAccounts(accounts);
  scratch.opened.push(ledger);
  return ledger;
}

// Owner "Z" has units A and ZZ; an account of no owner is called "Z" too. In the read order the
// unowned Z sorts between them: (Z, A), (Z, Z), (Z, ZZ).
const collision = [unit("A", "Z"), unit("Z"), unit("ZZ", "Z")];
const oneNotice = parsePolicy({ extends: "residential", id: "one-notice", version: "1", owners: { oneNoticePerOwner: true } });

describe("an account without owner whose id is an owner's id", () => {
  for (const [name, ledgerOf] of [
    ["memory", async () => memoryLedger(collision)],
    ["SQLite", async () => sqliteWith(collision, "collision.db")],
  ] as const)
    it(`${name}: all three are planned, owner Z's two units together`, async () => {
      const all = await events(await ledgerOf());
      expect(skipped(all)).toEqual([]);
      // Three overdue accounts, each its dunning notice; owner Z is contacted once a day, so
      // without oneNoticePerOwner one of A and ZZ goes and the other waits; Z (no owner) goes.
      const sent = notices(all);
      const waiting = all.flatMap((e) => (e.type === "planned" ? (e.waiting ?? []).map((w) => `${w.action.accountId} ${w.action.stage}`) : []));
      expect(sent.filter((s) => s.startsWith("Z "))).toEqual(["Z dunning_notice"]);
      expect([...sent, ...waiting].sort()).toEqual(["A dunning_notice", "Z dunning_notice", "ZZ dunning_notice"]);
      expect(waiting).toHaveLength(1);
      // With one notice per owner: one notice for owner Z listing both units, and Z's own.
      const one = (await events(await ledgerOf(), { policy: oneNotice })).flatMap((e) => (e.type === "planned" ? e.actions : []));
      expect(one.filter((a) => a.ownerNotice !== undefined).map((a) => a.ownerNotice!.units.map((u) => u.accountId))).toEqual([["A", "ZZ"]]);
      expect(one.filter((a) => a.accountId === "Z").map((a) => a.stage)).toEqual(["dunning_notice"]);
    });
});

// A vendor's view joins its units to a co-owners table: unit A has two owners (O-1 and O-2), unit
// B one (O-1). The view yields A twice, under two keys: (O-1, A), (O-1, B), (O-2, A). Which row is
// the account is not known, so A is reported once (duplicate_account, naming both owners) and
// never planned; B is planned once: S2's dunning notice on day 25.
const coOwned = [unit("A"), unit("B")];
const coOwners = [["A", "O-1"], ["A", "O-2"], ["B", "O-1"]];

function expectRepeatReported(all: PlanEvent[]): void {
  expect(skipped(all)).toEqual(["A duplicate_account"]);
  const issue = all.find((e) => e.type === "skipped")!;
  expect(issue.type === "skipped" && issue.issues[0]!.path).toBe("id");
  expect(issue.type === "skipped" && issue.issues[0]!.message).toMatch(/"O-1".*"O-2"/);
  expect(notices(all)).toEqual(["B dunning_notice"]);
}

describe("an account a vendor's view yields twice, under two owners", () => {
  it("SQLite: reported once, by id, naming both owners; never planned; the rest planned once", async () => {
    const file = join(scratch.dir, "co-owners.db");
    const writer = await sqliteLedger(file);
    await writer.writeAccounts(coOwned);
    await writer.close();
    tamper(
      file,
      `ALTER TABLE accounts RENAME TO account_rows;
       CREATE TABLE co_owners (account_id TEXT, owner_id TEXT);
       INSERT INTO co_owners VALUES ${coOwners.map(([a, o]) => `('${a}', '${o}')`).join(", ")};
       CREATE VIEW accounts AS SELECT a.id, a.segment, a.unit, a.owner_name, a.owner_tags, a.holds, a.opt_outs, a.estate, c.owner_id
         FROM account_rows a JOIN co_owners c ON c.account_id = a.id`,
    );
    const ledger = await sqliteLedger(file, { readonly: true });
    scratch.opened.push(ledger);
    expectRepeatReported(await events(ledger));
    // Every shard and every resumed stream leaves A out too; only a stream from the start of shard 0 reports it.
    const shard1 = await events(ledger, { shard: { index: 1, count: 2 } });
    const shard0 = await events(ledger, { shard: { index: 0, count: 2 } });
    expect([...notices(shard0), ...notices(shard1)]).toEqual(["B dunning_notice"]);
    expect([...skipped(shard0), ...skipped(shard1)]).toEqual(["A duplicate_account"]);
  });

  it.runIf(process.env.PD_POSTGRES_URL)("PostgreSQL: the same", async () => {
    const url = process.env.PD_POSTGRES_URL!;
    const schema = `pd_r1_repeat_${process.pid}`;
    const writer = await postgresLedger(url, { schema });
    await writer.writeAccounts(coOwned);
    await writer.close();
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    try {
      await admin.query(`SET search_path TO "${schema}";
        ALTER TABLE accounts RENAME TO account_rows;
        CREATE TABLE co_owners (account_id TEXT, owner_id TEXT);
        INSERT INTO co_owners VALUES ${coOwners.map(([a, o]) => `('${a}', '${o}')`).join(", ")};
        CREATE VIEW accounts AS SELECT a.id, a.segment, a.unit, a.owner_name, a.owner_tags, a.holds, a.opt_outs, a.estate, c.owner_id
          FROM account_rows a JOIN co_owners c ON c.account_id = a.id`);
      const ledger = await postgresLedger(url, { schema, readonly: true });
      try {
        expectRepeatReported(await events(ledger));
      } finally {
        await ledger.close();
      }
    } finally {
      await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await admin.end();
    }
  });

  it("memory: the repeats are reported, the first planned", async () => {
    const all = await events(memoryLedger(coOwners.map(([a, o]) => ({ ...unit(a!), owner: { id: o! } }))));
    // The memory ledger reads the first occurrence in its array (A under O-1) and reports the other.
    expect(skipped(all)).toEqual(["A duplicate_account"]);
    expect(notices(all).sort()).toEqual(["A dunning_notice"]);
  });
});

describe("a vendor's adapter that yields one account twice under one key", () => {
  it("plan() plans the first and reports the repeat: within a key ids ascend, so a repeat follows its first", async () => {
    // (O-1, A), (O-1, A), (O-1, B): a view joined to two rows of A with the same owner.
    const rows = [{ ...unit("A"), owner: { id: "O-1" } }, { ...unit("A"), owner: { id: "O-1" } }, { ...unit("B"), owner: { id: "O-1" } }];
    const vendor: LedgerAdapter = {
      async *accounts() {
        for (const [i, account] of rows.entries()) yield { ok: true as const, cursor: String(i + 1), account };
      },
      record: async () => 0,
      close: async () => undefined,
    };
    const all = await events(vendor);
    expect(skipped(all)).toEqual(["A duplicate_account"]);
    // Owner O-1's two units, A and B, each overdue: one owner-facing action today, the other waits.
    const waiting = all.flatMap((e) => (e.type === "planned" ? (e.waiting ?? []).map((w) => w.action.accountId) : []));
    expect([...notices(all).map((n) => n.split(" ")[0]), ...waiting].sort()).toEqual(["A", "B"]);
  });
});
