/**
 * The model-based test with holds (src/testing/model-holds.ts): the built-ins pass it; each new
 * check fails on a scheduler or policy that breaks it (so none is vacuous); a failure shrinks to a
 * few readable steps; and the three engine bugs the model found on the built-ins stay fixed.
 */
import { describe, expect, it } from "vitest";
import { isDunningClass } from "../src/rules/kinds.js";
import { BUILTIN_POLICY_IDS, builtinPolicySource, type BuiltinPolicyId } from "../src/rules/builtins.js";
import { parsePolicy } from "../src/rules/parse.js";
import type { Policy } from "../src/rules/schema.js";
import type { AccountSnapshot } from "../src/ledger/account.js";
import type { PlannedAction } from "../src/schedule/ladder/action.js";
import { createScheduler, type Scheduler } from "../src/schedule/ladder/scheduler.js";
import { balancesOn, createModelInvariant, modelInvariant, planDaily, type InvariantResult } from "../src/testing/index.js";

/** Runs of the model per built-in: 200 here, more in CI (`PD_VERIFY_RUNS=1000`) and nightly (scripts/nightly-verify.sh). */
const RUNS = Number(process.env.PD_VERIFY_RUNS ?? 200);
const SEED = process.env.PD_VERIFY_SEED === "random" ? undefined : Number(process.env.PD_VERIFY_SEED ?? 20261123);
const SLOW = { timeout: 120_000 + RUNS * 600 };
const builtin = (id: BuiltinPolicyId): Policy => parsePolicy(builtinPolicySource(id));
const residential = builtin("residential");

/** The built-in residential scheduler with `change` applied to what `dueActions` plans or reads. */
function changed(change: (dueActions: Scheduler["dueActions"]) => Scheduler["dueActions"], build: Policy = residential): () => Scheduler {
  return () => {
    const s = createScheduler(build);
    return { ...s, dueActions: change(s.dueActions.bind(s)) };
  };
}
const withoutHolds = (keep: (type: string) => boolean) =>
  changed((due) => (a, d) => due({ ...(a as AccountSnapshot), holds: ((a as AccountSnapshot).holds ?? []).filter((h) => keep(h.type)) }, d));
const dropping = (stage: string) => changed((due) => (a, d) => due(a, d).filter((x) => x.stage !== stage));

function explain(r: InvariantResult): string {
  return r.ok ? "passed" : `${r.error}\n${r.timeline}\n${JSON.stringify(r.counterexample)}`;
}

describe("the built-in policies pass the model with holds", () => {
  // Every built-in the registry names: a new one is verified the day it is added.
  for (const id of BUILTIN_POLICY_IDS)
    it(`${id}, ${RUNS} lives`, SLOW, () => {
      const result = modelInvariant.check(builtin(id), { runs: RUNS, ...(SEED !== undefined ? { seed: SEED } : {}) });
      expect(result.ok, explain(result)).toBe(true);
      expect(result.runs).toBe(RUNS);
    });
});

describe("each hold check fails on a scheduler that breaks it", () => {
  const mutants: Array<[string, () => Scheduler, RegExp, Policy?]> = [
    ["the scheduler ignores every hold", withoutHolds(() => false), /(dispute d|promise pr|installment plan ip)\d+/],
    ["the scheduler ignores disputes", withoutHolds((t) => t !== "dispute"), /dispute d\d+ \((major|important|minor), opened/],
    ["the scheduler ignores promises to pay", withoutHolds((t) => t !== "promiseToPay"), /promise pr\d+/],
    ["the scheduler ignores installment plans", withoutHolds((t) => t !== "installmentPlan"), /installment plan ip\d+ \(agreed [-\d]+\) covers charge c\d+ and is kept/],
    ["the scheduler drops the call on a promised date", dropping("promise_follow_up"), /no follow-up call on [-\d]+, the date of promise pr\d+/],
    ["the scheduler drops the staff follow-up of an overdue dispute", dropping("dispute_follow_up"), /no staff follow-up on [-\d]+ for dispute d\d+/],
    [
      "the scheduler calls from 07:00",
      changed((due) => (a, d) => due(a, d).map((x): PlannedAction => (x.window && x.channels.includes("phone") ? { ...x, window: { ...x.window, from: x.window.from.replace(/T\d\d:/, "T07:") } } : x))),
      /phoneCall on [-\d]+ via phone: window [^ ]+T07:00/,
    ],
    [
      "the scheduler ignores the policy's cap of one SMS in 30 days",
      changed((due) => due),
      /\d+ sms contacts within 30 days from [-\d]+ \(cap 1\)/,
      { ...residential, contact: { ...residential.contact, caps: [{ channel: "sms", max: 1, withinDays: 30 }] } },
    ],
  ];

  for (const [what, scheduler, error, policy] of mutants)
    it(what, SLOW, () => {
      const result = createModelInvariant({ policyChecks: false }).check(policy ?? residential, { runs: 300, seed: 5, scheduler });
      expect(result.ok, `not caught: ${what}`).toBe(false);
      if (!result.ok) expect(result.error).toMatch(error);
    });

  it("a failure shrinks to a few readable steps", SLOW, () => {
    const result = modelInvariant.check(residential, { runs: 300, seed: 5, scheduler: withoutHolds(() => false) });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const steps = result.error.slice(result.error.indexOf("(steps: ") + 8, -1).split("; ");
    expect(steps.length).toBeLessThanOrEqual(6);
    const readable = /^(pass \d+ day\(s\)(, day \d+'s actions not carried out)?|pay .+|toggle tag \w+|open an? \w+ dispute|resolve the oldest open dispute|promise to pay in \d+ day\(s\)|agree a plan for .+)$/;
    for (const step of steps) expect(step).toMatch(readable);
    expect(steps.some((s) => /dispute|promise|plan/.test(s))).toBe(true);
  });
});

/** What the model found on both built-ins, as the shrunk lives replayed day by day: each was a bug in the engine, now fixed; kept as regressions. */
describe("findings of the model on the built-ins, fixed", () => {
  const scheduler = createScheduler(residential);
  const c0 = { id: "c0", period: "2024-01", dueOn: "2024-01-01", amountMinor: 1 };
  const account = (extra: Partial<AccountSnapshot>): AccountSnapshot => ({ id: "M-1", segment: "residential", owner: { tags: [] }, charges: [c0], payments: [], actions: [], ...extra });
  const pressing = (actions: PlannedAction[], day: string) => actions.filter((a) => a.plannedOn === day && a.audience === "owner" && isDunningClass(a.kind));

  // Model steps: promise to pay in 1 day(s); open a major dispute; pass 2 day(s).
  it("1a. the call on a promised date waits while a dispute is open", () => {
    const life = account({ holds: [{ type: "promiseToPay", id: "pr0", madeOn: "2024-01-01", promisedOn: "2024-01-02" }, { type: "dispute", id: "d1", openedOn: "2024-01-01", severity: "major" }] });
    expect(pressing(planDaily(scheduler, life, "2024-01-01", "2024-01-03"), "2024-01-02")).toEqual([]);
  });

  // Model steps: promise to pay in 1 day(s); promise to pay in 2 day(s); pass 11 day(s).
  it("1b. the call on one promised date waits while a later promise is pending", () => {
    const life = account({ holds: [{ type: "promiseToPay", id: "pr0", madeOn: "2024-01-01", promisedOn: "2024-01-02" }, { type: "promiseToPay", id: "pr1", madeOn: "2024-01-01", promisedOn: "2024-01-03" }] });
    expect(pressing(planDaily(scheduler, life, "2024-01-01", "2024-01-11"), "2024-01-02")).toEqual([]);
  });

  // Model steps: open a major dispute; pay over; pass 12 day(s).
  it("2. a dispute still open past its deadline gets a staff follow-up, also when nothing is unpaid", () => {
    const life = account({ payments: [{ id: "p0", on: "2024-01-01", amountMinor: 2 }], holds: [{ type: "dispute", id: "d0", openedOn: "2024-01-01", severity: "major" }] });
    const staff = planDaily(scheduler, life, "2024-01-01", "2024-01-12").filter((a) => a.audience === "staff");
    expect(staff.map((a) => [a.plannedOn, a.stage])).toEqual([["2024-01-12", "dispute_follow_up"]]);
  });

  // Model steps: pass 11 day(s); agree a plan for every overdue charge in 1 instalment(s), the
  // first in 1 day(s): c0; pass 7 day(s); pay full; pass 14 day(s). The plan's debt is paid a day
  // after its grace; when February's charge is billed, the owner is told the plan is broken.
  it("3. no plan-broken notice (a dunning notice) when nothing is overdue", () => {
    const c1 = { id: "c1", period: "2024-02", dueOn: "2024-02-01", amountMinor: 1001 };
    const life = account({
      charges: [c0, c1],
      payments: [{ id: "p0", on: "2024-01-19", amountMinor: 1 }],
      holds: [{ type: "installmentPlan", id: "ip0", agreedOn: "2024-01-12", charges: ["c0"], instalments: [{ dueOn: "2024-01-13", amountMinor: 1 }] }],
    });
    const actions = planDaily(scheduler, life, "2024-01-12", "2024-02-01");
    const wrong = actions.filter((a) => isDunningClass(a.kind) && balancesOn(life, a.plannedOn).overdueMinor === 0);
    expect(wrong.map((a) => `${a.plannedOn} ${a.stage}`)).toEqual([]);
  });
});
