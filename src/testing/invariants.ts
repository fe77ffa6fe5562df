/**
 * The invariants a policy and the scheduler must keep, one checker each, and `checkPolicy`,
 * which runs them all. Each checker plans generated accounts (with `forecast`, or day by day
 * with `dueActions` the way a vendor does) and checks what came out.
 */
import fc from "fast-check";
import type { Policy } from "../rules/schema.js";
import type { AccountSnapshot } from "../ledger/account.js";
import type { PlannedAction } from "../schedule/ladder/action.js";
import { civilDate, formatCivilDate } from "../schedule/time/civil-date.js";
import { DEFAULT_TAG_POOL, scenarioArb, type Scenario } from "./arbitraries.js";
import { escalation as escalationCheck, ladderOrder, onePerDay, paidMeansQuiet as paidCheck, privacy as privacyCheck, type Check } from "./checks.js";
import { cleanScenarios as clean, defineInvariant, forecastOf as plan, withTimeZone, type Invariant, type InvariantContext, type InvariantOptions, type InvariantResult, type Scope } from "./define.js";
import { factsRead, planDaily, recordOf, renameAccount, tagsRead } from "./ledger.js";
import { modelInvariant } from "./model.js";
import { moneyBounds } from "./money.js";
import { contactRules, holdsRespected, protectedTwin } from "./people.js";
import { holdReferences } from "./hold-references.js";
import { terminalStops, terminalWaitsForHolds } from "./check-terminal.js";
import { residualFee } from "./check-residual-fee.js";
import { limitationReview, uniqueActionIds } from "./safeguards.js";
import { backdatedHolds } from "./check-backdated-holds.js";
import { InvalidArgumentError } from "../rules/errors.js";
import { gap } from "./check-gap.js";
import { versions } from "./check-versions.js";
import { oneOwnerOneAction } from "./check-owners.js";

export const DEFAULT_TIME_ZONES: readonly string[] = ["America/New_York", "Asia/Shanghai"];

const history = ({ policy, options }: InvariantContext) => scenarioArb(policy, { account: options.account, history: true });

/** Where two plans first differ, in words. */
function difference(expected: readonly PlannedAction[], got: readonly PlannedAction[]): string {
  const brief = (a: PlannedAction | undefined) => (a ? `${a.plannedOn} ${a.kind} ${a.id}` : "nothing");
  for (let i = 0; i < Math.max(expected.length, got.length); i++)
    if (JSON.stringify(expected[i]) !== JSON.stringify(got[i])) {
      const a = expected[i];
      const b = got[i];
      const field = a && b ? Object.keys({ ...a, ...b }).find((k) => JSON.stringify(a[k as keyof PlannedAction]) !== JSON.stringify(b[k as keyof PlannedAction])) : undefined;
      return `action ${i + 1}: expected ${brief(a)}, got ${brief(b)}${field ? ` (${field} differs)` : ""}`;
    }
  return "the same actions";
}

/** An invariant that plans a scenario with `forecast` and applies one check to the result. */
function forecastCheck(name: string, scope: Scope, description: string, check: Check, withHistory: boolean): Invariant {
  return defineInvariant<Scenario>({
    name,
    description,
    scope,
    arbitrary: withHistory ? history : clean,
    verify(ctx, scenario) {
      const actions = plan(ctx, scenario);
      const finding = check({ policy: ctx.policy, account: scenario.account, actions });
      return finding && { ...finding, actions };
    },
  });
}

export const deterministic = defineInvariant<Scenario>({
  name: "deterministic",
  description: "The same ledger gives the same actions and ids: planned twice, listed in another order, under other host time zones.",
  scope: "engine",
  arbitrary: history,
  verify(ctx, scenario) {
    const first = plan(ctx, scenario);
    const reversed: AccountSnapshot = {
      ...scenario.account,
      charges: [...scenario.account.charges].reverse(),
      payments: [...(scenario.account.payments ?? [])].reverse(),
      actions: [...(scenario.account.actions ?? [])].reverse(),
    };
    const variants: Array<[string, () => PlannedAction[]]> = [
      ["planned again", () => plan(ctx, scenario)],
      ["with the ledger listed in reverse", () => plan(ctx, { ...scenario, account: reversed })],
      ...(ctx.options.timeZones ?? DEFAULT_TIME_ZONES).map((zone): [string, () => PlannedAction[]] => [`under TZ=${zone}`, () => withTimeZone(zone, () => plan(ctx, scenario))]),
    ];
    for (const [what, run] of variants) {
      const got = run();
      if (JSON.stringify(got) !== JSON.stringify(first)) return { error: `${what}: ${difference(first, got)}`, actions: first };
    }
    return undefined;
  },
});

type TwinScenario = Scenario & { twin: AccountSnapshot };

export const equalTreatment = defineInvariant<TwinScenario>({
  name: "equal-treatment",
  description: "Accounts that differ only in id, owner name, unit, segment (when no condition reads it) and tags no condition or protection reads get the same actions on the same days; ids differ only by the account id.",
  scope: "engine",
  arbitrary(ctx) {
    const read = factsRead(ctx.policy);
    const tagged = tagsRead(ctx.policy);
    const who = fc.record({
      id: fc.stringMatching(/^[A-Z]{1,2}-[0-9]{1,6}$/),
      name: fc.constantFrom("赵磊", "孙丽", "Maria Garcia", ""),
      unit: fc.stringMatching(/^[0-9]{1,2}-[A-Z]?[0-9]{3,4}$/),
      tags: fc.subarray([...(ctx.options.account?.tagPool ?? DEFAULT_TAG_POOL)]),
      segment: fc.constantFrom<AccountSnapshot["segment"]>("residential", "commercial", undefined),
    });
    return fc.tuple(history(ctx), who).map(([scenario, w]): TwinScenario => {
      const { segment: _s, ...base } = renameAccount(scenario.account, w.id);
      const segment = read.has("segment") ? scenario.account.segment : w.segment;
      const own = scenario.account.owner?.tags ?? [];
      const tags = tagged === "all" ? own : [...own.filter((t) => tagged.has(t)), ...w.tags.filter((t) => !tagged.has(t))];
      const twin = { ...base, ...(segment ? { segment } : {}), unit: w.unit, owner: { ...(w.name ? { name: w.name } : {}), tags } };
      return { ...scenario, twin };
    });
  },
  verify(ctx, input) {
    const mine = plan(ctx, input);
    const theirs = plan(ctx, { ...input, account: input.twin });
    const view = (actions: PlannedAction[], id: string) =>
      actions.map((a) => {
        // A finding about the planner's output, not an input problem: a throw in verify is reported as the invariant's failure.
        if (!a.id.startsWith(`${id}:`) || a.accountId !== id) throw new Error(`action id ${a.id} does not start with its account id ${id}`);
        return { ...a, id: a.id.slice(id.length + 1), accountId: "" };
      });
    const a = view(mine, input.account.id);
    const b = view(theirs, input.twin.id);
    if (JSON.stringify(a) === JSON.stringify(b)) return undefined;
    const who = JSON.stringify({ id: input.twin.id, segment: input.twin.segment, unit: input.twin.unit, owner: input.twin.owner });
    return { error: `its twin ${who} is treated differently: ${difference(a, b)}`, actions: mine };
  },
});

export const paidMeansQuiet = forecastCheck(
  "paid-means-quiet",
  "engine",
  "No dunning-class action without an overdue balance, none on or before a charge's due date, none for a charge once it is paid.",
  paidCheck,
  true,
);

export const order = forecastCheck(
  "order",
  "engine",
  "Every warning of a ladder in order, none skipped; a lawyer's letter or a ladder's legal review only after a written demand whose deadline has passed (the staff's review before a limitation date waits for none).",
  ladderOrder,
  false,
);

export const escalation = forecastCheck(
  "escalation",
  "policy",
  "Within a charge's ladder or an arrears episode severity never goes down; a final notice, formal letter or legal step only after a lighter warning.",
  escalationCheck,
  false,
);

export const oneActionPerDay = forecastCheck("one-action-a-day", "engine", "At most one owner-facing (and one staff) action a day; no stage instance twice.", onePerDay, true);

export const privacy = forecastCheck("privacy", "policy", "No lawyer's letter or legal review on a channel neighbours can read (a door posting).", privacyCheck, false);

export const idempotent = defineInvariant<Scenario>({
  name: "idempotent",
  description: "Planning day by day and recording each action with its covers, planning again the same day yields nothing.",
  scope: "engine",
  arbitrary: history,
  verify({ scheduler }, { account, from, to }) {
    let again: { day: string; actions: PlannedAction[] } | undefined;
    const actions = planDaily(scheduler, account, from, to, (day, planned, log) => {
      if (again || planned.length === 0) return;
      const second = scheduler.dueActions({ ...account, actions: [...log] }, day);
      if (second.length > 0) again = { day, actions: second };
    });
    if (!again) return undefined;
    return { asOf: again.day, error: `planned ${again.actions.map((a) => `${a.kind} ${a.id}`).join(", ")} again on ${again.day} after recording that day's actions`, actions };
  },
});

export const forecastAgrees = defineInvariant<Scenario & { split: number }>({
  name: "forecast-agrees",
  description: "forecast equals planning day by day with dueActions and recording each action; also when forecasting from a day part-way through.",
  scope: "engine",
  arbitrary: (ctx) => fc.tuple(history(ctx), fc.integer({ min: 0, max: 1000 })).map(([s, split]) => ({ ...s, split })),
  verify(ctx, { account, from, to, split }) {
    const daily = planDaily(ctx.scheduler, account, from, to);
    const forecast = plan(ctx, { account, from, to });
    if (JSON.stringify(forecast) !== JSON.stringify(daily)) return { error: `forecast ${from}–${to} differs from daily planning: ${difference(daily, forecast)}`, actions: daily };
    const start = civilDate(from);
    const mid = formatCivilDate(start + Math.floor(((civilDate(to) - start) * split) / 1000));
    const recorded = { ...account, actions: [...(account.actions ?? []), ...daily.filter((a) => a.plannedOn < mid).map((a) => recordOf(a))] };
    const rest = plan(ctx, { account: recorded, from: mid, to });
    const expected = daily.filter((a) => a.plannedOn >= mid);
    if (JSON.stringify(rest) !== JSON.stringify(expected)) return { asOf: mid, error: `forecast from ${mid}, with the actions before it recorded, differs from daily planning: ${difference(expected, rest)}`, actions: daily };
    return undefined;
  },
});

/** Every invariant, in the order `checkPolicy` runs them. */
export const INVARIANTS: readonly Invariant[] = [
  deterministic,
  equalTreatment,
  paidMeansQuiet,
  order,
  gap,
  escalation,
  idempotent,
  oneActionPerDay,
  forecastAgrees,
  privacy,
  holdsRespected,
  holdReferences,
  backdatedHolds,
  protectedTwin,
  contactRules,
  moneyBounds,
  modelInvariant,
  limitationReview,
  uniqueActionIds,
  terminalStops,
  residualFee,
  versions,
  oneOwnerOneAction,
  terminalWaitsForHolds,
];

export interface CheckPolicyOptions extends InvariantOptions {
  /** Run only the invariants of these names. */
  only?: readonly string[];
  /** The invariants to run (default `INVARIANTS`); add your own with `defineInvariant`. */
  invariants?: readonly Invariant[];
}

export interface PolicyReport {
  ok: boolean;
  /** The seed every invariant ran with: pass it back to reproduce. */
  seed: number;
  results: Array<InvariantResult & { ms: number }>;
}

/** Runs every invariant (or `only` some) against `policy`; `ok` when all pass. */
export function checkPolicy(policy: Policy, options: CheckPolicyOptions = {}): PolicyReport {
  const all = options.invariants ?? INVARIANTS;
  const unknown = (options.only ?? []).filter((n) => !all.some((i) => i.name === n));
  if (unknown.length > 0) throw new InvalidArgumentError("invalid_option", "only", `unknown invariant ${unknown.join(", ")}; the invariants are ${all.map((i) => i.name).join(", ")}`);
  const seed = options.seed ?? Math.floor(Math.random() * 0x7fffffff);
  const results = all
    .filter((i) => !options.only || options.only.includes(i.name))
    .map((invariant) => {
      const started = performance.now();
      const result = invariant.check(policy, { ...options, seed });
      return { ...result, ms: Math.round(performance.now() - started) };
    });
  return { ok: results.every((r) => r.ok), seed, results };
}
