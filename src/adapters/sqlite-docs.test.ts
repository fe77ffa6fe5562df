import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { generateEstate } from "../demo/estate.js";
import { plan, type PlanEvent } from "../plan.js";
import { buildReport } from "../reports/report.js";
import type { AccountSnapshot } from "../schedule/account.js";
import { collect, okAccounts, scratchPerTest } from "./__fixtures__/ledgers.js";
import { tamper } from "./__fixtures__/sqlite.js";
import { memoryLedger } from "./memory.js";
import { sqliteLedger, type SqliteLedger } from "./sqlite.js";
import type { LedgerAdapter, LedgerEntry } from "./types.js";

const scratch = scratchPerTest();
const open = scratch.opened;

const AS_OF = "2026-03-10";
const estate = (): AccountSnapshot[] => generateEstate({ seed: 5, asOf: AS_OF, residentialUnits: 60, shops: 6 });

async function ledgerWith(accounts: AccountSnapshot[]): Promise<{ ledger: SqliteLedger; file: string }> {
  const file = join(scratch.dir, "ledger.db");
  const ledger = await sqliteLedger(file);
  open.push(ledger);
  await ledger.writeAccounts(accounts);
  return { ledger, file };
}

/** Account ids read from their copies (entries that carry the checked account). */
const fromCopies = (entries: readonly LedgerEntry[]): string[] => entries.filter((e) => e.ok && e.checked !== undefined).map((e) => e.cursor);

async function planned(ledger: LedgerAdapter): Promise<PlanEvent[]> {
  const out: PlanEvent[] = [];
  for await (const event of plan(ledger, { asOf: AS_OF })) out.push(event);
  return out;
}

describe("the SQLite ledger's checked copies", () => {
  it("are written with the accounts, and planning from them equals planning from the rows and from memory", async () => {
    const accounts = estate();
    const { ledger, file } = await ledgerWith(accounts);
    const entries = await collect(ledger);
    expect(fromCopies(entries)).toHaveLength(accounts.length);
    const fromDocs = await planned(ledger);
    expect(fromDocs.some((e) => e.type === "planned" && e.actions.length > 0)).toBe(true);
    expect(fromDocs).toEqual(await planned(memoryLedger(accounts)));
    // The same ledger read from its rows alone: asked to, or with the copies gone.
    const rowsOnly = await sqliteLedger(file, { readonly: true, copies: false });
    open.push(rowsOnly);
    expect(fromCopies(await collect(rowsOnly))).toEqual([]);
    expect(await planned(rowsOnly)).toEqual(fromDocs);
    tamper(file, "UPDATE accounts SET doc = NULL");
    expect(fromCopies(await collect(ledger))).toEqual([]);
    expect(await planned(ledger)).toEqual(fromDocs);
  });

  it("are cleared by another program's insert, update or delete of that account's rows, and only that account's", async () => {
    const accounts = estate();
    const { ledger, file } = await ledgerWith(accounts);
    const [a, b, c] = accounts.map((x) => x.id) as [string, string, string];
    const gone = accounts[2]!.charges[0]!.id;
    tamper(
      file,
      `UPDATE charges SET amount_minor = amount_minor + 1 WHERE account_id = '${a}';
       INSERT INTO payments (account_id, id, paid_on, amount_minor) VALUES ('${b}', 'late-cash', '2026-03-01', 500);
       DELETE FROM charges WHERE account_id = '${c}' AND id = '${gone}';`,
    );
    const entries = await collect(ledger);
    expect(new Set(accounts.map((x) => x.id)).size - fromCopies(entries).length).toBe(3);
    expect(fromCopies(entries)).not.toContain(a);
    const byId = new Map(okAccounts(entries).map((x) => [x.id, x]));
    expect(byId.get(a)!.charges.map((x) => x.amountMinor)).toEqual(accounts[0]!.charges.map((x) => x.amountMinor + 1));
    expect(byId.get(b)!.payments!.map((p) => p.id)).toContain("late-cash");
    expect(byId.get(c)!.charges.map((x) => x.id)).toEqual(accounts[2]!.charges.slice(1).map((x) => x.id));
    // An account that changes its id has its copy cleared too (the copy holds the old id's rows).
    const d = accounts[3]!.id;
    tamper(file, `UPDATE accounts SET id = '${d}-renamed' WHERE id = '${d}'; INSERT INTO accounts (id, doc) SELECT 'copied', doc FROM accounts WHERE id = '${accounts[4]!.id}';`);
    const renamed = okAccounts(await collect(ledger)).find((x) => x.id === `${d}-renamed`)!;
    expect(renamed.charges).toEqual([]);
    expect(okAccounts(await collect(ledger)).find((x) => x.id === "copied")!.charges).toEqual([]);
    // refresh() writes the five copies again, and planning is unchanged by it.
    const before = await planned(ledger);
    expect(await ledger.refresh()).toBe(5);
    expect(fromCopies(await collect(ledger))).toHaveLength(accounts.length + 1);
    expect(await planned(ledger)).toEqual(before);
    expect(await ledger.refresh()).toBe(0);
  });

  it("follow record(): the recorded actions are in the copy and planning again the same day finds nothing new", async () => {
    const { ledger } = await ledgerWith(estate());
    const actions = (await planned(ledger)).flatMap((e) => (e.type === "planned" ? e.actions : []));
    expect(actions.length).toBeGreaterThan(0);
    const added = await ledger.record(actions.map((a) => ({ accountId: a.accountId, id: a.id, stage: a.stage, on: AS_OF, covers: a.covers.map((c) => c.key), channels: [...a.channels] })));
    expect(added).toBe(actions.length);
    const entries = await collect(ledger);
    expect(fromCopies(entries)).toHaveLength(entries.length);
    const recorded = new Set(okAccounts(entries).flatMap((x) => (x.actions ?? []).map((r) => r.id)));
    for (const a of actions) expect(recorded.has(a.id)).toBe(true);
    expect((await planned(ledger)).flatMap((e) => (e.type === "planned" ? e.actions : []))).toEqual([]);
  });

  it("are not kept for an account that fails the checks: it is reported from its rows, as before", async () => {
    const accounts = estate();
    const bad = { ...accounts[1]!, charges: [{ ...accounts[1]!.charges[0]!, dueOn: "2026-02-30" }] };
    const { ledger } = await ledgerWith([accounts[0]!, bad, accounts[2]!]);
    expect(fromCopies(await collect(ledger))).toEqual([accounts[0]!.id, accounts[2]!.id]);
    const skipped = (await planned(ledger)).filter((e) => e.type === "skipped");
    expect(skipped).toEqual([expect.objectContaining({ accountId: bad.id, reason: expect.stringContaining("charges[0].dueOn: must be a date YYYY-MM-DD") })]);
  });

  it("report an unreadable copy, or another account's, by account id and reason; the other accounts still plan", async () => {
    const accounts = estate();
    const { ledger, file } = await ledgerWith(accounts);
    tamper(
      file,
      `UPDATE accounts SET doc = 'pd2' || char(9) || 'garbage' WHERE id = '${accounts[4]!.id}';
       UPDATE accounts SET doc = (SELECT doc FROM accounts WHERE id = '${accounts[6]!.id}') WHERE id = '${accounts[5]!.id}';`,
    );
    const events = await planned(ledger);
    expect(events).toHaveLength(accounts.length);
    expect(events.filter((e) => e.type === "skipped")).toEqual([
      expect.objectContaining({ accountId: accounts[4]!.id, reason: expect.stringMatching(/accounts\.doc\) is unreadable .*set it to NULL/) }),
      expect.objectContaining({ accountId: accounts[5]!.id, reason: expect.stringContaining(`accounts.doc) is account "${accounts[6]!.id}"'s`) }),
    ]);
  });

  it("a copy damaged past its first line: planning and the report skip that account and name it", async () => {
    const accounts = estate();
    const { ledger, file } = await ledgerWith(accounts);
    // One that owes something (a paid-up account is planned from its sums alone, never reading a list).
    const sum = (xs: readonly { amountMinor: number }[] = []) => xs.reduce((t, x) => t + x.amountMinor, 0);
    const bad = accounts.find((a) => sum(a.payments) < sum(a.charges))!.id;
    // The first line (sums, length) intact, the lists garbage of the right length: read only when a list is.
    tamper(
      file,
      `UPDATE accounts SET doc = substr(doc, 1, instr(doc, char(10))) || replace(substr(hex(zeroblob(length(doc))), 1, length(doc) - instr(doc, char(10)) - 1), '0', 'x') || char(10) WHERE id = '${bad}'`,
    );
    const skipped = (await planned(ledger)).filter((e) => e.type === "skipped");
    expect(skipped).toEqual([expect.objectContaining({ accountId: bad, reason: expect.stringMatching(/accounts\.doc\) is unreadable/) })]);
    const report = await buildReport(ledger, { asOf: AS_OF });
    expect(report.skipped).toEqual([expect.objectContaining({ accountId: bad, reason: expect.stringMatching(/accounts\.doc\) is unreadable/) })]);
    expect(report.accounts.reported).toBe(accounts.length - 1);
  });

  it("are read only while the triggers that keep them honest exist, and only in this format", async () => {
    const accounts = estate();
    const { file } = await ledgerWith(accounts);
    const reader = await sqliteLedger(file, { readonly: true });
    open.push(reader);
    const all = accounts.length;
    expect(fromCopies(await collect(reader))).toHaveLength(all);
    // Without one trigger, a change could leave a copy stale: none is read…
    const [a] = accounts;
    tamper(file, `DROP TRIGGER pd_payments_update_doc; UPDATE payments SET amount_minor = amount_minor + 1 WHERE account_id = '${a!.id}'`);
    expect(fromCopies(await collect(reader))).toEqual([]);
    const expected = okAccounts(await collect(reader));
    // …and a writer that finds it missing puts it back and clears every copy, since rows may have
    // changed meanwhile (as here); refresh() then writes them from the rows.
    const writer = await sqliteLedger(file);
    open.push(writer);
    expect(fromCopies(await collect(reader))).toEqual([]);
    expect(await writer.refresh()).toBe(all);
    expect(okAccounts(await collect(reader))).toEqual(expected);
    // A trigger moved to another table (a migration renaming the table away) counts as missing.
    tamper(file, "ALTER TABLE charges RENAME TO charges_old; CREATE TABLE charges AS SELECT * FROM charges_old;");
    expect(fromCopies(await collect(reader))).toEqual([]);
    // Renamed back, SQLite has rewritten the triggers' text: still not as written, still unread.
    tamper(file, "DROP TABLE charges; ALTER TABLE charges_old RENAME TO charges;");
    expect(fromCopies(await collect(reader))).toEqual([]);
    // Copies of another format are not read, and a writer of this format clears them.
    tamper(file, "UPDATE pd_meta SET value = 'pd0' WHERE key = 'doc_format'");
    expect(fromCopies(await collect(reader))).toEqual([]);
    open.push(await sqliteLedger(file));
    expect(fromCopies(await collect(reader))).toEqual([]);
    expect(await writer.refresh()).toBe(all);
    expect(fromCopies(await collect(reader))).toHaveLength(all);
    expect(okAccounts(await collect(reader))).toEqual(expected);
  });

  it("are not kept for tables with a collation, where the triggers could miss rows the stream reads", async () => {
    const file = join(scratch.dir, "nocase.db");
    tamper(
      file,
      `CREATE TABLE accounts (id TEXT NOT NULL PRIMARY KEY, segment TEXT, unit TEXT, owner_name TEXT, owner_tags TEXT, holds TEXT, opt_outs TEXT, doc TEXT) WITHOUT ROWID;
       CREATE TABLE charges (account_id TEXT NOT NULL COLLATE NOCASE, id TEXT NOT NULL, period TEXT, due_on TEXT, amount_minor INTEGER, PRIMARY KEY (account_id, id)) WITHOUT ROWID;`,
    );
    const ledger = await sqliteLedger(file);
    open.push(ledger);
    await ledger.writeAccounts(estate().slice(0, 5));
    expect(fromCopies(await collect(ledger))).toEqual([]);
    expect(await planned(ledger)).toEqual(await planned(memoryLedger(estate().slice(0, 5))));
  });
});
