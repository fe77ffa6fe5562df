/**
 * Issue 14, defect 2: a hold's references resolve or are an error on the account. The account is
 * the one docs/ledger-format.md shows under "Holds", read from the page, so that the page and the
 * program cannot disagree again.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { memoryLedger } from "../src/adapters/memory.js";
import { plan, type PlanEvent } from "../src/ledger/plan.js";
import { builtinPolicySource } from "../src/rules/builtins.js";
import { isDunningClass } from "../src/rules/kinds.js";
import { parsePolicy } from "../src/rules/parse.js";
import type { AccountSnapshot } from "../src/ledger/account.js";
import { createScheduler } from "../src/schedule/ladder/scheduler.js";

const page = readFileSync(fileURLToPath(new URL("../docs/ledger-format.md", import.meta.url)), "utf8");
/** The first JSON block after the page's "### Holds" heading. */
function documentedAccount(): AccountSnapshot {
  const section = page.slice(page.indexOf("### Holds"));
  const block = /```json\n([\s\S]*?)```/.exec(section);
  if (!block) throw new Error("docs/ledger-format.md has no JSON example under ### Holds");
  return JSON.parse(block[1]!) as AccountSnapshot;
}

const residential = createScheduler(parsePolicy(builtinPolicySource("residential")));
/** The charge a stage instance is anchored on: the part of its key after the `@`. */
const anchorOf = (key: string) => key.slice(key.lastIndexOf("@") + 1);

async function events(accounts: AccountSnapshot[], asOf: string): Promise<PlanEvent[]> {
  const out: PlanEvent[] = [];
  for await (const e of plan(memoryLedger(accounts), { asOf })) out.push(e);
  return out;
}

describe("#14.2 hold references", () => {
  it("#14.2 an installment plan naming billing periods (the documented example) covers them: no dunning for them while it is kept", () => {
    const account = documentedAccount();
    const plan = account.holds!.find((h) => h.type === "installmentPlan")!;
    expect(plan.type === "installmentPlan" && plan.charges).toEqual(["2026-01", "2026-02"]); // periods, as the page says
    // Agreed 2026-03-10; both instalments paid before their dates, so the plan is kept throughout.
    const actions = residential.forecast(account, "2026-03-10", "2026-06-30");
    const dunned = (id: string) => actions.filter((a) => a.audience === "owner" && isDunningClass(a.kind) && a.covers.some((c) => anchorOf(c.key) === id));
    expect(dunned("fee-2026-01")).toEqual([]);
    expect(dunned("fee-2026-02")).toEqual([]);
    // March is not in the plan; payments go to the oldest charges first, so March stays unpaid and
    // its ladder runs once the dispute is resolved (2026-04-20).
    expect(dunned("fee-2026-03").length).toBeGreaterThan(0);
    expect(dunned("fee-2026-03").every((a) => a.plannedOn > "2026-04-20")).toBe(true);
  });

  it("#14.2 a misspelled period is reported through plan() (unresolved_reference at its place); the rest of the ledger plans", async () => {
    const good = documentedAccount();
    const misspelled: AccountSnapshot = {
      ...documentedAccount(),
      id: "A-0603",
      holds: good.holds!.map((h) => (h.type === "installmentPlan" ? { ...h, charges: ["2026-01", "2026-2"] } : h)),
    };
    const plain: AccountSnapshot = { id: "A-0604", charges: [{ id: "c1", period: "2026-03", dueOn: "2026-03-01", amountMinor: 30000 }] };
    const got = await events([good, misspelled, plain], "2026-03-25");
    expect(got.map((e) => [e.accountId, e.type])).toEqual([
      ["A-0602", "planned"],
      ["A-0603", "skipped"],
      ["A-0604", "planned"],
    ]);
    const skipped = got[1]!;
    if (skipped.type !== "skipped") throw new Error("unreachable");
    expect(skipped.issues).toEqual([{ code: "unresolved_reference", path: "holds[1].charges[1]", message: expect.stringContaining('"2026-2"') }]);
    // The message says what the name could have been: the account's charge ids and periods.
    expect(skipped.issues[0]!.message).toMatch(/fee-2026-01/);
    expect(skipped.issues[0]!.message).toMatch(/2026-03/);
    expect(skipped.reason).toMatch(/^A-0603: holds\[1\]\.charges\[1\]: /);
    // The plain account's dunning notice is due on 03-25 (S2: day 25 of the billing month).
    const planned = got[2]!;
    expect(planned.type === "planned" && planned.actions.map((a) => a.stage)).toEqual(["dunning_notice"]);
  });
});
