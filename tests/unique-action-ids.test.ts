/**
 * One plan, unique action ids (issue 14): a vendor records actions by id, so an id named twice in
 * one run is an action sent twice or one lost. The `unique-action-ids` invariant checks the
 * scheduler account by account; this runs whole generated ledgers through `plan()` on a memory
 * ledger, the way the CLI does.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { memoryLedger } from "../src/adapters/memory.js";
import { plan } from "../src/plan.js";
import type { AccountSnapshot } from "../src/schedule/account.js";
import type { PlannedAction } from "../src/schedule/action.js";
import { civilDate, formatCivilDate } from "../src/schedule/civil-date.js";
import { duplicateIds, ledgerArb } from "../src/testing/index.js";

async function run(accounts: AccountSnapshot[], asOf: string): Promise<PlannedAction[]> {
  const out: PlannedAction[] = [];
  for await (const event of plan(memoryLedger(accounts), { asOf })) if (event.type === "planned") out.push(...event.actions);
  return out;
}

const STAGES = ["billing_notice", "dunning_notice", "final_notice", "arrears_6m_final_notice", "limitation_legal_review"];

describe("one plan, unique action ids", () => {
  it("plan() over a memory ledger of several accounts never names an id twice", async () => {
    await fc.assert(
      fc.asyncProperty(ledgerArb({ maxAccounts: 6, maxMonths: 12, stages: STAGES }), fc.integer({ min: 0, max: 1500 }), async (ledger, offset) => {
        const asOf = formatCivilDate(civilDate(ledger[0]!.charges[0]!.dueOn) + offset);
        const actions = await run(ledger, asOf);
        expect(duplicateIds(actions), asOf).toEqual([]);
      }),
      { numRuns: 60, seed: 14 },
    );
  });

  it("the check flags a run that names an action twice (an account listed twice)", async () => {
    const account: AccountSnapshot = { id: "A-1", segment: "residential", charges: [{ id: "c1", period: "2026-03", dueOn: "2026-03-01", amountMinor: 30000 }] };
    const once = await run([account], "2026-03-25");
    expect(once.map((a) => a.id)).toEqual(["A-1:dunning_notice@c1"]);
    expect(duplicateIds([...once, ...once])).toEqual(["A-1:dunning_notice@c1"]);
  });
});
