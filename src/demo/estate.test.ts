import { existsSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { canonical, collect, okAccounts, tempDir } from "../adapters/__fixtures__/ledgers.js";
import { compareIds } from "../adapters/common.js";
import { sqliteLedger } from "../adapters/sqlite.js";
import { type AccountSnapshot } from "../ledger/account.js";
import { normalizeAccount } from "../ledger/check-account.js";
import { civilDate } from "../schedule/time/civil-date.js";
import type { HoldSnapshot } from "../schedule/ladder/hold-types.js";
import { ensureDemoEstate, generateEstate } from "./estate.js";
import { createRandom, mulberry32 } from "./random.js";

const AS_OF = "2026-03-10";
const estate = generateEstate({ seed: 20260301, asOf: AS_OF });

/** The charges the payments leave unpaid (they settle the oldest charges first), oldest due first. */
function unpaidCharges(account: AccountSnapshot): AccountSnapshot["charges"] {
  let paid = (account.payments ?? []).reduce((sum, p) => sum + p.amountMinor, 0);
  const out: AccountSnapshot["charges"] = [];
  for (const c of [...account.charges].sort((a, b) => (a.dueOn < b.dueOn ? -1 : 1))) {
    if (paid < c.amountMinor) out.push(c);
    paid = Math.max(0, paid - c.amountMinor);
  }
  return out;
}

/** The period of the oldest charge left unpaid. */
const oldestUnpaid = (account: AccountSnapshot): string | undefined => unpaidCharges(account)[0]?.period;

describe("mulberry32", () => {
  it("is deterministic and spreads over [0, 1)", () => {
    const a = mulberry32(42);
    const b = mulberry32(42);
    const xs = Array.from({ length: 10_000 }, () => a());
    expect(xs.slice(0, 5)).toEqual(Array.from({ length: 5 }, () => b()));
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThan(1);
    expect(xs.reduce((s, x) => s + x, 0) / xs.length).toBeCloseTo(0.5, 1);
    const r = createRandom(1);
    for (let i = 0; i < 1000; i++) expect(r.int(3, 5)).toBeOneOf([3, 4, 5]);
  });
});

describe("generateEstate", () => {
  it("is deterministic: same seed, same estate; another seed, another estate", () => {
    expect(generateEstate({ seed: 20260301, asOf: AS_OF })).toEqual(estate);
    const other = generateEstate({ seed: 20260302, asOf: AS_OF });
    expect(other).not.toEqual(estate);
    expect(other.map((a) => a.id)).toEqual(estate.map((a) => a.id));
  });

  it("has the requested shape: ids, units, segments, 24 monthly charges ending at asOf's month", () => {
    expect(estate).toHaveLength(2100);
    const residential = estate.filter((a) => a.segment === "residential");
    const commercial = estate.filter((a) => a.segment === "commercial");
    expect(residential).toHaveLength(2000);
    expect(commercial).toHaveLength(100);
    expect(residential[0]!.id).toBe("R-0001");
    expect(residential.at(-1)!.id).toBe("R-2000");
    expect(commercial[0]!.id).toBe("C-001");
    expect(new Set(estate.map((a) => a.id)).size).toBe(2100);
    for (const a of residential) expect(a.unit).toMatch(/^\d+-[12]-([1-9]|1[0-8])0[12]$/);
    expect(residential.some((a) => a.unit === "8-2-1201")).toBe(true);
    for (const a of commercial) expect(a.unit).toMatch(/^\d+-S\d\d$/);
    for (const a of estate) {
      expect(a.charges).toHaveLength(24);
      expect(a.charges[0]).toMatchObject({ id: "fee-2024-04", period: "2024-04", dueOn: "2024-04-01" });
      expect(a.charges.at(-1)).toMatchObject({ id: "fee-2026-03", period: "2026-03", dueOn: "2026-03-01" });
      expect(a.owner?.name).toMatch(/^\p{Script=Han}{2,6}$/u);
      expect(a.actions).toEqual([]);
    }
    const small = generateEstate({ seed: 1, asOf: "2026-01-31", residentialUnits: 3, shops: 0, months: 2 });
    expect(small.map((a) => a.charges.map((c) => c.period))).toEqual([["2025-12", "2026-01"], ["2025-12", "2026-01"], ["2025-12", "2026-01"]]);
  });

  it("bills in integer fen: apartments 60–160 m² × 2.50 CNY, shops more", () => {
    const amounts = estate.flatMap((a) => [...a.charges, ...a.payments!].map((x) => x.amountMinor));
    expect(amounts.filter((x) => !Number.isSafeInteger(x) || x <= 0)).toEqual([]);
    const fee = (a: AccountSnapshot): number => a.charges[0]!.amountMinor;
    const residentialFees = estate.filter((x) => x.segment === "residential").map(fee);
    expect(Math.min(...residentialFees)).toBeGreaterThanOrEqual(15000); // 60 m² × 250 fen
    expect(Math.max(...residentialFees)).toBeLessThanOrEqual(40000); // 160 m² × 250 fen
    for (const a of estate) expect(new Set(a.charges.map((c) => c.amountMinor)).size).toBe(1);
    const median = (xs: number[]): number => xs.sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;
    expect(median(estate.filter((a) => a.segment === "commercial").map(fee))).toBeGreaterThan(2 * median(estate.filter((a) => a.segment === "residential").map(fee)));
  });

  it("never dates a payment after asOf, and every account passes the validator", () => {
    expect(estate.flatMap((a) => a.payments!.filter((p) => p.on > AS_OF))).toEqual([]);
    expect(estate.flatMap((a) => { const checked = normalizeAccount(a); return checked.ok ? [] : [checked.issues]; })).toEqual([]);
  });

  it("has the behaviour mix: mostly prompt payers, some late, some long-term debtors, tagged owners", () => {
    const share = (pred: (a: AccountSnapshot) => boolean): number => estate.filter(pred).length / estate.length;
    // Paid up except (perhaps) the current month: prompt payers and the like.
    expect(share((a) => (oldestUnpaid(a) ?? "9999") >= "2026-03")).toBeGreaterThan(0.6);
    // One to three months behind: late payers.
    expect(share((a) => { const o = oldestUnpaid(a); return o !== undefined && o < "2026-03" && o >= "2025-12"; })).toBeGreaterThan(0.05);
    // Unpaid for more than four months: long-term debtors (and some vacant units).
    const longTerm = share((a) => (oldestUnpaid(a) ?? "9999") < "2025-11");
    expect(longTerm).toBeGreaterThan(0.05);
    expect(longTerm).toBeLessThan(0.2);
    // Some paid in part.
    expect(estate.some((a) => a.payments!.some((p) => p.amountMinor < a.charges[0]!.amountMinor))).toBe(true);
    const tagged = (tag: string): number => share((a) => a.owner?.tags?.includes(tag) === true);
    expect(tagged("entrusted")).toBeGreaterThan(0.01);
    expect(tagged("entrusted")).toBeLessThan(0.06);
    expect(tagged("elderly")).toBeGreaterThan(0.03);
    expect(tagged("disabled")).toBeGreaterThan(0.003);
    expect(tagged("hardship")).toBeGreaterThan(0.005);
    expect(tagged("hardship")).toBeLessThan(0.06);
  });

  it("adds a few holds and opt-outs, consistent with the ledger, the same on every run", () => {
    const holds = estate.flatMap((a) => (a.holds ?? []).map((h) => ({ account: a, hold: h })));
    const of = <T extends HoldSnapshot["type"]>(type: T) => holds.filter((x): x is { account: AccountSnapshot; hold: Extract<HoldSnapshot, { type: T }> } => x.hold.type === type);
    const between = (n: number, low: number, high: number): void => {
      expect(n / estate.length).toBeGreaterThanOrEqual(low);
      expect(n / estate.length).toBeLessThanOrEqual(high);
    };
    const disputes = of("dispute");
    between(disputes.length, 0.007, 0.03);
    expect(new Set(disputes.map((x) => x.hold.severity))).toEqual(new Set(["major", "important", "minor"]));
    expect(disputes.some((x) => x.hold.resolvedOn !== undefined) && disputes.some((x) => x.hold.resolvedOn === undefined)).toBe(true);
    for (const { hold } of disputes) if (hold.resolvedOn !== undefined) expect(hold.resolvedOn > hold.openedOn && hold.resolvedOn <= AS_OF).toBe(true);

    const plans = of("installmentPlan");
    between(plans.length, 0.004, 0.02);
    let kept = 0;
    let broken = 0;
    for (const { account, hold } of plans) {
      expect(hold.charges.length).toBeGreaterThanOrEqual(2);
      expect(hold.charges.length).toBeLessThanOrEqual(4);
      expect(hold.charges.every((id) => account.charges.some((c) => c.id === id && c.dueOn <= hold.agreedOn))).toBe(true);
      // The plan covers consecutive charges, each still unpaid when it was agreed (payments oldest charge first).
      const unpaidThen = unpaidCharges({ ...account, payments: (account.payments ?? []).filter((p) => p.on < hold.agreedOn) }).map((c) => c.id);
      expect(hold.charges.filter((id) => !unpaidThen.includes(id))).toEqual([]);
      const at = hold.charges.map((id) => account.charges.findIndex((c) => c.id === id));
      expect(at).toEqual(at.map((_, k) => at[0]! + k));
      expect(hold.instalments.every((x) => x.dueOn > hold.agreedOn && Number.isSafeInteger(x.amountMinor) && x.amountMinor > 0)).toBe(true);
      const months = hold.instalments.map((x) => x.dueOn.slice(0, 7));
      expect(new Set(months).size).toBe(months.length);
      const due = hold.instalments.filter((x) => x.dueOn <= AS_OF);
      const paidAfter = (account.payments ?? []).filter((p) => p.on >= hold.agreedOn);
      const met = due.filter((x) => paidAfter.some((p) => p.amountMinor === x.amountMinor && p.on <= x.dueOn));
      if (due.length > 0 && met.length === due.length) kept++;
      else if (met.length < due.length) broken++;
    }
    expect(kept).toBeGreaterThan(0);
    expect(broken).toBeGreaterThan(0);

    const promises = of("promiseToPay");
    between(promises.length, 0.004, 0.02);
    const asOf = civilDate(AS_OF);
    for (const { hold } of promises) {
      expect(asOf - civilDate(hold.madeOn)).toBeGreaterThanOrEqual(0);
      expect(asOf - civilDate(hold.madeOn)).toBeLessThan(14);
      expect(Math.abs(civilDate(hold.promisedOn) - asOf)).toBeLessThanOrEqual(5);
      expect(hold.promisedOn >= hold.madeOn).toBe(true);
    }
    // Disputes, plans and promises go to accounts that are behind.
    for (const { account } of [...disputes, ...plans, ...promises]) expect(oldestUnpaid(account)).toBeDefined();

    const manual = of("manual");
    expect(manual.length).toBeGreaterThanOrEqual(2);
    expect(manual.length).toBeLessThanOrEqual(15);
    for (const { hold } of manual) expect(hold).toMatchObject({ scope: "legal", reason: expect.stringMatching(/\S/) });

    const optedOut = estate.filter((a) => a.optOuts !== undefined);
    between(optedOut.length, 0.002, 0.02);
    expect(optedOut.some((a) => a.optOuts!.includes("sms"))).toBe(true);
    // Empty lists are left out, so that accounts without holds look as they always did.
    expect(estate.some((a) => a.holds?.length === 0 || a.optOuts?.length === 0)).toBe(false);
    // Deterministic, and the holds draw from their own stream: another seed gives other holds.
    expect(generateEstate({ seed: 20260301, asOf: AS_OF }).map((a) => [a.holds, a.optOuts])).toEqual(estate.map((a) => [a.holds, a.optOuts]));
    const other = generateEstate({ seed: 20260302, asOf: AS_OF });
    expect(other.map((a) => a.holds)).not.toEqual(estate.map((a) => a.holds));
  });

  it("rejects bad options", () => {
    expect(() => generateEstate({ seed: 1, asOf: "2026-02-30" })).toThrow(expect.objectContaining({ name: "InvalidArgumentError", code: "invalid_date" }));
    expect(() => generateEstate({ seed: 1, asOf: AS_OF, months: 0 })).toThrow(expect.objectContaining({ name: "InvalidArgumentError", code: "invalid_number", path: "months" }));
    expect(() => generateEstate({ seed: 1, asOf: AS_OF, shops: 1.5 })).toThrow(expect.objectContaining({ name: "InvalidArgumentError", code: "invalid_number", path: "shops" }));
  });
});

describe("ensureDemoEstate", () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => {
    ({ dir, cleanup } = await tempDir());
  });
  afterEach(async () => {
    await cleanup();
  });

  it("writes the estate once, into a SQLite ledger that streams it back", async () => {
    const db = join(dir, "demo", "estate.db");
    const options = { seed: 5, asOf: AS_OF, residentialUnits: 120, shops: 8 };
    expect(await ensureDemoEstate(db, options)).toBe(true);
    expect(existsSync(db)).toBe(true);
    expect(await ensureDemoEstate(db, options)).toBe(false);
    const ledger = await sqliteLedger(db, { readonly: true });
    try {
      expect(okAccounts(await collect(ledger))).toEqual(generateEstate(options).map(canonical).sort((a, b) => compareIds(a.id, b.id)));
    } finally {
      await ledger.close();
    }
  });
});
