/** A plan's names for charges: ids or periods, resolved once when the account is checked; nothing matched is an error. */
import { describe, expect, it } from "vitest";
import { type AccountSnapshot, type ChargeSnapshot } from "../../ledger/account.js";
import { normalizeAccount } from "../../ledger/check-account.js";
import type { HoldSnapshot } from "./hold-types.js";

const charge = (id: string, period: string, dueOn = `${period}-01`): ChargeSnapshot => ({ id, period, dueOn, amountMinor: 10000 });
const planNaming = (charges: unknown[]): HoldSnapshot =>
  ({ type: "installmentPlan", id: "ip1", agreedOn: "2026-03-10", charges, instalments: [{ dueOn: "2026-04-10", amountMinor: 100 }] }) as HoldSnapshot;
function covered(charges: ChargeSnapshot[], names: unknown[]): string[] {
  const r = normalizeAccount({ id: "A", charges, holds: [planNaming(names)] } satisfies AccountSnapshot);
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  const plan = r.account.holds[0]!;
  return plan.type === "installmentPlan" ? [...plan.charges].sort() : [];
}
const issuesOf = (account: AccountSnapshot) => {
  const r = normalizeAccount(account);
  return r.ok ? [] : r.issues;
};

const ledger = [charge("fee-01", "2026-01"), charge("fee-02", "2026-02"), charge("water-02", "2026-02", "2026-02-15")];

describe("installment plan references", () => {
  it("a charge id covers that charge; a period covers every charge of it", () => {
    expect(covered(ledger, ["fee-01"])).toEqual(["fee-01"]);
    expect(covered(ledger, ["2026-02"])).toEqual(["fee-02", "water-02"]);
    expect(covered(ledger, ["2026-01", "water-02"])).toEqual(["fee-01", "water-02"]);
    expect(covered(ledger, ["2026-01", "fee-01"])).toEqual(["fee-01"]); // named twice, covered once
  });

  it("an exact id wins over a period: a charge whose id is another month's period is meant alone", () => {
    // "2026-02" is the id of the January arrears charge, and February's period.
    const odd = [charge("2026-02", "2026-01"), charge("fee-02", "2026-02")];
    expect(covered(odd, ["2026-02"])).toEqual(["2026-02"]);
    // Ledgers that use the period as the charge id mean the same either way.
    expect(covered([charge("2026-01", "2026-01")], ["2026-01"])).toEqual(["2026-01"]);
  });

  it("a name that matches nothing is an unresolved_reference at its place, naming the value and what it could have been", () => {
    const issues = issuesOf({ id: "A", charges: ledger, holds: [{ type: "manual", id: "m", from: "2026-01-01", scope: "all", reason: "x" }, planNaming(["fee-01", "2026-3", "FEE-02"])] });
    expect(issues.map((i) => [i.code, i.path])).toEqual([
      ["unresolved_reference", "holds[1].charges[1]"],
      ["unresolved_reference", "holds[1].charges[2]"],
    ]);
    expect(issues[0]!.message).toBe('names no charge: "2026-3" is neither a charge id nor a billing period (YYYY-MM) of the account\'s charges (ids: "fee-01", "fee-02", "water-02"; periods: "2026-01", "2026-02")');
  });

  it("a long list of candidates is cut short in the message", () => {
    const many = Array.from({ length: 6 }, (_, i) => charge(`c${i}`, `2026-0${i + 1}`));
    const [issue] = issuesOf({ id: "A", charges: many, holds: [planNaming(["c9"])] });
    expect(issue!.message).toMatch(/ids: "c0", "c1", "c2", "c3", … \(6 in all\); periods: "2026-01", "2026-02", "2026-03", "2026-04", … \(6 in all\)\)$/);
  });

  it("a plan naming nothing, or naming with non-strings, is an error too", () => {
    expect(issuesOf({ id: "A", charges: ledger, holds: [planNaming([])] }).map((i) => [i.code, i.path])).toEqual([["invalid_value", "holds[0].charges"]]);
    expect(issuesOf({ id: "A", charges: ledger, holds: [planNaming(["fee-01", 2])] }).map((i) => [i.code, i.path])).toEqual([["invalid_type", "holds[0].charges"]]);
  });

  it("a plan naming a charge the ledger lists with a bad date is not also reported as naming nothing", () => {
    const issues = issuesOf({ id: "A", charges: [charge("fee-01", "2026-01", "2026-02-30")], holds: [planNaming(["fee-01", "2026-01"])] });
    expect(issues.map((i) => [i.code, i.path])).toEqual([["invalid_date", "charges[0].dueOn"]]);
  });
});

describe("other holds", () => {
  it("a promise's amount, when stated, must be a positive integer of minor units", () => {
    const promise = (amountMinor: unknown) => ({ type: "promiseToPay", id: "p", madeOn: "2026-03-01", promisedOn: "2026-03-08", amountMinor }) as HoldSnapshot;
    expect(issuesOf({ id: "A", charges: ledger, holds: [promise(30000)] })).toEqual([]);
    for (const bad of [0, -5, 1.5, "300"]) expect(issuesOf({ id: "A", charges: ledger, holds: [promise(bad)] }).map((i) => [i.code, i.path])).toEqual([["invalid_amount", "holds[0].amountMinor"]]);
  });
});
