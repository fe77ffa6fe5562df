/**
 * The read order shares one key between owner ids and account ids (owner id, else account id;
 * then account id), so a unit that names no owner can sort inside an owner's units, and one
 * account can come under two keys (a vendor's view joined to a co-owners table). Each account
 * must still be planned once, an owner's units together. Expected values from the ledgers
 * written here: three overdue units of one owner and of nobody, each one dunning notice on S2's
 * day 25 of the billing month.
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { scratchPerTest } from "../src/adapters/__fixtures__/ledgers.js";
import { memoryLedger } from "../src/adapters/memory.js";
import { sqliteLedger } from "../src/adapters/sqlite.js";
import type { AccountSnapshot } from "../src/ledger/account.js";
import type { LedgerAdapter } from "../src/ledger/adapter.js";
import { plan, type PlanEvent } from "../src/ledger/plan.js";
import { parsePolicy } from "../src/rules/parse.js";

const AS_OF = "2026-03-25"; // S2: day 25 of the billing month, the dunning notice's day
const scratch = scratchPerTest();
const march = (id: string) => [{ id, period: "2026-03", dueOn: "2026-03-01", amountMinor: 32000 }];
const unit = (id: string, owner?: string): AccountSnapshot => ({ id, segment: "residential", unit: id, ...(owner ? { owner: { id: owner } } : {}), charges: march(`c-${id}`) });

async function events(ledger: LedgerAdapter, options: { policy?: ReturnType<typeof parsePolicy> } = {}): Promise<PlanEvent[]> {
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
