/**
 * The gap invariant (check-gap.ts): it passes the scheduler, flags hand-made runs that break S2's
 * calendar days either way, and fails on two mutants of the scheduler's own rule (gap.ts): the rule
 * before DOMAIN.md's reading (the regular gap after every warning) and no gap after a late one.
 */
import { describe, expect, it, vi } from "vitest";
import { builtinPolicySource } from "../rules/builtins.js";
import { parsePolicy } from "../rules/parse.js";
import type { AccountSnapshot } from "../ledger/account.js";
import type { PlannedAction } from "../schedule/ladder/action.js";
import { createScheduler } from "../schedule/ladder/scheduler.js";
import { gap, gapKept } from "./check-gap.js";

// The scheduler's gap rule, replaced per test: "real", or one of two mutants.
const rule = vi.hoisted(() => ({ mode: "real" as "real" | "everyWarning" | "neverAfterLate" }));
vi.mock("../schedule/ladder/gap.js", async (importOriginal) => {
  const real = await importOriginal<typeof import("../schedule/ladder/gap.js")>();
  return {
    ...real,
    gapAfter: (...args: Parameters<typeof real.gapAfter>) => {
      const [cs, , , owed, regular, predRegular, predOn] = args;
      if (rule.mode === "everyWarning") return cs.gap ?? Math.max(1, regular - predRegular);
      if (rule.mode === "neverAfterLate") return cs.gap ?? Math.max(1, owed - predOn);
      return real.gapAfter(...args);
    },
  };
});

const policy = parsePolicy(builtinPolicySource("residential"));
const scheduler = createScheduler(policy);
/** Two charges: c1 due on the 28th (its dunning notice first owed on the 29th), c2 due 04-26. */
const account: AccountSnapshot = {
  id: "A-1",
  charges: [
    { id: "c1", period: "2026-03", dueOn: "2026-03-28", amountMinor: 30000 },
    { id: "c2", period: "2026-04", dueOn: "2026-04-26", amountMinor: 30000 },
  ],
};
const run = (actions: readonly PlannedAction[], a: AccountSnapshot = account) => ({ policy, account: a, actions });
const moved = (actions: readonly PlannedAction[], stage: string, charge: string, plannedOn: string) =>
  actions.map((a) => (a.covers.some((c) => c.key === `${stage}@${charge}`) ? { ...a, plannedOn } : a)).sort((a, b) => (a.plannedOn < b.plannedOn ? -1 : a.plannedOn > b.plannedOn ? 1 : 0));

describe("gapKept on hand-made runs", () => {
  const fair = scheduler.forecast(account, "2026-02-28", "2026-05-31");

  it("the scheduler's run keeps S2's days: c1's dunning 03-29 (first owed), its final notice on its own 04-25", () => {
    expect(fair.map((a) => `${a.plannedOn} ${a.covers.map((c) => c.key).join("+")}`)).toEqual([
      "2026-03-01 billing_notice@c1",
      "2026-03-29 dunning_notice@c1",
      "2026-04-01 billing_notice@c2",
      "2026-04-25 final_notice@c1",
      "2026-04-27 dunning_notice@c2",
      "2026-05-25 final_notice@c2",
    ]);
    expect(gapKept(run(fair))).toBeUndefined();
  });

  it("flags a warning before its first-owed day", () => {
    expect(gapKept(run(moved(fair, "dunning_notice", "c1", "2026-03-25")))?.error).toMatch(/dunning_notice@c1 on 2026-03-25, before 2026-03-29 \(first owed 2026-03-29\)/);
  });

  it("flags a final notice on its own day after a late dunning notice (no regular gap kept)", () => {
    // Planning first run on 04-10: the dunning notice, first owed 03-29, is late; the final notice
    // is owed the regular 31 days (03-25 → 04-25) after it, on 05-11.
    const one: AccountSnapshot = { id: "A-2", charges: [account.charges[0]!] };
    const late = scheduler.forecast(one, "2026-04-10", "2026-05-31");
    expect(late.map((a) => `${a.plannedOn} ${a.stage}`)).toEqual(["2026-04-10 dunning_notice", "2026-05-11 final_notice"]);
    expect(gapKept({ ...run(late, one), from: "2026-04-10" })).toBeUndefined();
    expect(gapKept(run(moved(late, "final_notice", "c1", "2026-04-25"), one))?.error).toMatch(/final_notice@c1 on 2026-04-25, before 2026-05-11 .*late: first owed 2026-03-29.*regular gap 31 days/);
  });

  it("flags a final notice held back the regular gap after a dunning notice that was on time", () => {
    // The rule before DOMAIN.md's reading: 03-29 + 31 = 04-29, though the owner was reached on 04-27.
    // (04-25 and 04-26 are a weekend: a wait for a working day is not ruled out there.)
    expect(gapKept(run(moved(fair, "final_notice", "c1", "2026-04-29")))?.error).toMatch(/final_notice@c1 was due by 2026-04-25 .* on 2026-04-27 an owner-facing action went out, but it waited until 2026-04-29/);
    // Without the other charge's action, with planning from 03-01: Monday 04-27 was a working day,
    // the residential built-in caps neither door postings nor SMS, and the owner refused nothing.
    const one: AccountSnapshot = { id: "A-2", charges: [account.charges[0]!] };
    const alone = scheduler.forecast(one, "2026-03-01", "2026-05-31");
    expect(gapKept({ ...run(alone, one), from: "2026-03-01" })).toBeUndefined();
    expect(gapKept({ ...run(moved(alone, "final_notice", "c1", "2026-04-29"), one), from: "2026-03-01" })?.error).toMatch(/on 2026-04-27 nothing could hold it/);
    // An elderly owner's visits wait for working days and for the cap (one visit in 7 days): then
    // a later day is not ruled out. (Her dunning visit waited from Sunday 03-29 to Monday 03-30, so
    // her final notice is owed 31 days after, on 04-30.)
    const elderly = { ...one, owner: { tags: ["elderly"] } };
    const visits = scheduler.forecast(elderly, "2026-03-01", "2026-05-31");
    expect(visits.map((a) => `${a.plannedOn} ${a.stage}`)).toEqual(["2026-03-02 billing_notice", "2026-03-30 dunning_notice", "2026-04-30 final_notice"]);
    expect(gapKept({ ...run(moved(visits, "final_notice", "c1", "2026-05-08"), elderly), from: "2026-03-01" })).toBeUndefined();
  });
});

describe("the gap invariant", () => {
  const check = (mode: typeof rule.mode, id: "residential" | "commercial" = "residential") => {
    rule.mode = mode;
    try {
      return gap.check(parsePolicy(builtinPolicySource(id)), { runs: 150, seed: 5 });
    } finally {
      rule.mode = "real";
    }
  };

  it("holds for the scheduler on both built-ins", { timeout: 120_000 }, () => {
    expect(check("real").ok).toBe(true);
    expect(check("real", "commercial").ok).toBe(true);
  });

  it("fails on the mutant that keeps the regular gap after every warning (the rule before DOMAIN.md's reading)", { timeout: 120_000 }, () => {
    const result = check("everyWarning");
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatch(/a gap kept after a warning that was not late/);
  });

  it("fails on the mutant that keeps no gap after a late warning", { timeout: 120_000 }, () => {
    const result = check("neverAfterLate");
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatch(/a gap S2's calendar days keep was not kept/);
  });
});
