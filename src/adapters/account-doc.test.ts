import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { generateEstate } from "../demo/estate.js";
import { normalizeAccount, type Account, type AccountSnapshot } from "../schedule/account.js";
import { accountArb } from "../testing/arbitraries.js";
import { encodeAccountDoc, readAccountDoc } from "./account-doc.js";

/** The account checked, and its copy (the conversation flags as the snapshot holds them). */
function checkedAndDoc(snapshot: AccountSnapshot): { checked: Account; doc: string | undefined } {
  const result = normalizeAccount(snapshot);
  if (!result.ok) throw new Error(`sample does not pass the checks: ${JSON.stringify(result.issues)}`);
  const said = new Map((snapshot.actions ?? []).map((a) => [a.id, a.conversation]));
  return { checked: result.account, doc: encodeAccountDoc(result.account, (id) => said.get(id)) };
}

/** The account's own fields: what the SQLite ledger reads from the accounts row. */
function headerOf(snapshot: AccountSnapshot): { header: AccountSnapshot; checked: Account } {
  const header = { ...snapshot, charges: [], payments: [], actions: [] };
  const result = normalizeAccount(header);
  if (!result.ok) throw new Error("header does not pass the checks");
  return { header, checked: result.account };
}

/** What planning reads of a checked account. */
function planned(account: Account) {
  return { id: account.id, charges: account.charges, payments: account.payments, actions: account.actions, holds: account.holds, optOuts: [...account.optOuts] };
}

/** The snapshot as the checks order it (charges by due date, payments and actions by day), as a copy gives it back. */
function inCheckedOrder(snapshot: AccountSnapshot, checked: Account): AccountSnapshot {
  const byId = <T extends { id: string }>(items: readonly T[] | undefined) => new Map((items ?? []).map((x) => [x.id, x]));
  const charges = byId(snapshot.charges);
  const payments = byId(snapshot.payments);
  const actions = byId(snapshot.actions);
  return {
    ...snapshot,
    charges: checked.charges.map((c) => charges.get(c.id)!),
    payments: checked.payments.map((p) => payments.get(p.id)!),
    actions: checked.actions.map((a) => actions.get(a.id)!),
  };
}

function roundTrip(snapshot: AccountSnapshot): void {
  const { checked, doc } = checkedAndDoc(snapshot);
  expect(doc).toBeDefined();
  const { header, checked: own } = headerOf(snapshot);
  const read = readAccountDoc(doc!, header, own);
  // Planning sees exactly what the checks make of the rows…
  expect(planned(read.account!)).toEqual(planned(checked));
  // …with sums that agree with the lists…
  const sum = (xs: readonly { amount: number }[]) => xs.reduce((t, x) => t + x.amount, 0);
  expect(read.account!.totals).toEqual({
    billedMinor: sum(checked.charges),
    paidMinor: sum(checked.payments),
    lastPaidOn: checked.payments.length === 0 ? -Infinity : Math.max(...checked.payments.map((p) => p.on)),
  });
  // …and a reader of the snapshot sees the rows, in the checked order.
  expect(read.snapshot).toEqual(inCheckedOrder(snapshot, checked));
  expect(JSON.parse(JSON.stringify(read.snapshot))).toEqual(JSON.parse(JSON.stringify(inCheckedOrder(snapshot, checked))));
}

describe("the checked copy of an account", () => {
  it("gives back every account of the demo estate (holds, tags, plans, promises) exactly", () => {
    for (const snapshot of generateEstate({ seed: 11, asOf: "2026-03-10", residentialUnits: 120, shops: 10 })) roundTrip(snapshot);
  });

  it("property: any checked account comes back as the checks made it", () => {
    // Ids unique within an account, as the SQLite ledger's keys make them.
    const unique = <T extends { id: string }>(items: T[] | undefined) => items?.filter((x, i) => items.findIndex((y) => y.id === x.id) === i);
    const arb = accountArb({ stages: ["billing_notice", "dunning_notice", "final_notice", "call"] }).map((a) => ({ ...a, payments: unique(a.payments), actions: unique(a.actions) }));
    fc.assert(fc.property(arb, (snapshot) => roundTrip(snapshot)), { numRuns: 300 });
  });

  it("keeps what the checks do not: a conversation not recorded, empty lists, odd but legal text", () => {
    roundTrip({
      id: "A 1/😀",
      charges: [
        { id: "c-0", period: "1969-12", dueOn: "1969-12-31", amountMinor: 0 },
        { id: "年费,2026", period: "2026-01", dueOn: "2026-01-01", amountMinor: 9_007_199_254_740_991 },
      ],
      payments: [],
      actions: [
        { id: "a", stage: "", on: "2026-01-02", covers: [], channels: [] },
        { id: "b", stage: "call", on: "2026-01-03", covers: ["-", "0", ""], channels: ["phone"], conversation: false },
        { id: "c", stage: "call", on: "2026-01-04", conversation: true },
        // Written short (the id plan() gives, covers of the action's own stage), read back whole.
        { id: "A 1/😀:dunning_notice@年费,2026", stage: "dunning_notice", on: "2026-01-25", covers: ["dunning_notice@年费,2026"], channels: ["sms"] },
        { id: "A 1/😀:x", stage: "final_notice", on: "2026-01-26", covers: ["final_notice@c-0", "dunning_notice@c-0", "final_notice@"] },
        { id: "d", stage: "", on: "2026-01-27", covers: ["@c-0", "@"] },
      ],
    });
  });

  it("is shorter than the rows it stands for: the id plan() gives and a cover's own stage are left out", () => {
    const snapshot: AccountSnapshot = {
      id: "A-1",
      charges: [{ id: "fee-2026-01", period: "2026-01", dueOn: "2026-01-01", amountMinor: 100 }],
      actions: [{ id: "A-1:billing_notice@fee-2026-01", stage: "billing_notice", on: "2026-01-01", covers: ["billing_notice@fee-2026-01"] }],
    };
    const { doc } = checkedAndDoc(snapshot);
    const day = Date.UTC(2026, 0, 1) / 86_400_000; // the epoch day of 2026-01-01
    expect(doc!.split("\n")[2]).toBe(`\tbilling_notice\t${day}\t\t1\t@fee-2026-01\t-`);
  });

  it("is not written when a value holds a tab or a newline (such an account is read from its rows)", () => {
    const base: AccountSnapshot = { id: "A-1", charges: [{ id: "fee", period: "2026-01", dueOn: "2026-01-01", amountMinor: 100 }] };
    expect(checkedAndDoc(base).doc).toBeDefined();
    expect(checkedAndDoc({ ...base, charges: [{ ...base.charges[0]!, id: "fee\t1" }] }).doc).toBeUndefined();
    expect(checkedAndDoc({ ...base, payments: [{ id: "p\n", on: "2026-01-02", amountMinor: 1 }] }).doc).toBeUndefined();
    expect(checkedAndDoc({ ...base, actions: [{ id: "x", stage: "call", on: "2026-01-02", covers: ["a\tb"] }] }).doc).toBeUndefined();
    // A cover of another stage that starts with "@" could not be told from a shortened one.
    expect(checkedAndDoc({ ...base, actions: [{ id: "x", stage: "call", on: "2026-01-02", covers: ["@fee"] }] }).doc).toBeUndefined();
  });

  it("decodes a list only when it is read, and then once", () => {
    const snapshot = generateEstate({ seed: 3, asOf: "2026-03-10", residentialUnits: 5, shops: 0 })[0]!;
    const { doc } = checkedAndDoc(snapshot);
    const { header, checked } = headerOf(snapshot);
    // A copy whose lists are garbage (of the right length) still gives its sums: nothing else is
    // read until asked.
    const head = doc!.indexOf("\n") + 1;
    const broken = doc!.slice(0, head) + "x".repeat(doc!.length - head - 1) + "\n";
    const read = readAccountDoc(broken, header, checked);
    expect(read.account!.totals!.billedMinor).toBeGreaterThan(0);
    expect(() => read.account!.charges).toThrow(/checked copy \(accounts\.doc\) is unreadable at character \d+/);
    const good = readAccountDoc(doc!, header, checked);
    expect(good.account!.charges).toBe(good.account!.charges);
    expect(good.snapshot.actions).toBe(good.snapshot.actions);
  });

  it("refuses a copy in another format or with a broken first line, naming the column", () => {
    const snapshot = generateEstate({ seed: 3, asOf: "2026-03-10", residentialUnits: 1, shops: 0 })[0]!;
    const { doc } = checkedAndDoc(snapshot);
    const { header, checked } = headerOf(snapshot);
    expect(() => readAccountDoc(doc!.replace(/^pd2/, "pd1"), header, checked)).toThrow(/accounts\.doc/);
    expect(() => readAccountDoc("pd2\t12x\n", header, checked)).toThrow(/accounts\.doc/);
    // Cut short, or another account's copy.
    expect(() => readAccountDoc(doc!.slice(0, -5), header, checked)).toThrow(/accounts\.doc\) is unreadable/);
    expect(() => readAccountDoc(doc!, { ...header, id: "someone-else" }, checked)).toThrow(/accounts\.doc\) is account ".*"'s/);
    // With own fields that fail the checks, the lists are read at once, so a broken one shows.
    const head = doc!.indexOf("\n") + 1;
    expect(() => readAccountDoc(doc!.slice(0, head) + "x".repeat(doc!.length - head - 1) + "\n", header, undefined)).toThrow(/unreadable/);
  });
});
