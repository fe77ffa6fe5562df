/**
 * A fee left once the principal is paid is chased when an estate's own policy says so, not only
 * when the policy for everyone does: the SQL ledgers hand over a paid-up account without its rows
 * unless plan() tells them a chosen policy plans such accounts (review of the #18 merge, item 5).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { builtinPolicySource, parsePolicy, plan } from "../src/index.js";
import { sqliteLedger } from "../src/adapters/sqlite.js";

describe("an estate's residualLateFee on a SQLite ledger", () => {
  const dir = mkdtempSync(join(tmpdir(), "pd-estate-residual-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("reads the estate's paid-up account and plans the fee's reminder", async () => {
    const src = builtinPolicySource("residential") as Record<string, unknown>;
    src.id = "north-park";
    src.residualLateFee = { reminders: [{ id: "late_fee_reminder", kind: "reminder", channels: ["sms"], daysAfterPrincipalPaid: 7 }] };
    const north = parsePolicy(src);
    const ledger = await sqliteLedger(join(dir, "ledger.db"));
    try {
      // 300.00 due 2026-03-01, paid in full 2026-04-01: the built-in's 0.05% a day for 30 days
      // leaves 4.50 of late fee; its reminder is due 7 days after the principal was paid.
      await ledger.writeAccounts([
        {
          id: "N-1",
          estate: "north",
          segment: "residential",
          charges: [{ id: "c1", period: "2026-03", dueOn: "2026-03-01", amountMinor: 30000 }],
          payments: [{ id: "p1", on: "2026-04-01", amountMinor: 30000 }],
        },
      ]);
      const planned: string[] = [];
      for await (const e of plan(ledger, { asOf: "2026-04-08", estates: { north } })) if (e.type === "planned") planned.push(...e.actions.map((a) => `${a.accountId} ${a.stage} ${a.lateFeeMinor}`));
      expect(planned).toEqual(["N-1 late_fee_reminder 450"]);
    } finally {
      await ledger.close();
    }
  });
});
