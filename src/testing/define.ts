/**
 * The frame every invariant shares: a name, a description, an arbitrary of scenarios and a
 * verification; `fc.check` runs it and shrinks a failure to a small counterexample, which comes
 * back rendered as a timeline. New invariants (holds, contact, money) are one `defineInvariant`.
 */
import fc from "fast-check";
import type { assessCharge } from "../rules/rates.js";
import type { Policy } from "../rules/schema.js";
import type { AccountSnapshot } from "../ledger/account.js";
import type { PlannedAction } from "../schedule/ladder/action.js";
import type { computeLateFees } from "../schedule/fees/money.js";
import { createScheduler, type Scheduler } from "../schedule/ladder/scheduler.js";
import { scenarioArb, type AccountArbOptions, type Scenario } from "./arbitraries.js";
import { renderTimeline } from "./timeline.js";

/** The money functions the invariant checks; replace them (`checkPolicy(p, { money })`) to check your own layer. */
export interface MoneyFunctions {
  computeLateFees: typeof computeLateFees;
  assessCharge: typeof assessCharge;
}

export interface InvariantOptions {
  /** Runs (generated scenarios) per invariant (default 100). */
  runs?: number;
  /** fast-check seed, to reproduce a run. */
  seed?: number;
  /** fast-check path of a failure (with its seed and `only` naming its invariant), to replay just that counterexample. */
  path?: string;
  /** The scheduler to check (default `createScheduler`): wrap it to check your own layer on top. */
  scheduler?: (policy: Policy) => Scheduler;
  /** The money functions the `money` invariant checks (default the library's): replace them to check your own. */
  money?: Partial<MoneyFunctions>;
  /** How accounts are generated. */
  account?: AccountArbOptions;
  /** Host time zones the deterministic invariant also plans under (default America/New_York, Asia/Shanghai). */
  timeZones?: readonly string[];
}

/** What an invariant's verification sees. */
export interface InvariantContext {
  policy: Policy;
  scheduler: Scheduler;
  options: InvariantOptions;
}

/** A failed verification: why, on which day, and the actions to show in the timeline. */
export interface Violation {
  error: string;
  asOf?: string;
  actions: readonly PlannedAction[];
}

export type Scope = "engine" | "policy";

interface ResultBase {
  name: string;
  description: string;
  /** `engine`: holds for every valid policy unless the scheduler is wrong; `policy`: a fair policy keeps it. */
  scope: Scope;
  /** Scenarios run (up to and including the first failure). */
  runs: number;
}

export interface InvariantPass extends ResultBase {
  ok: true;
}

export interface InvariantFailure extends ResultBase {
  ok: false;
  /** Why it failed, in one sentence. */
  error: string;
  /** The shrunk account. */
  counterexample: AccountSnapshot;
  from: string;
  to: string;
  /** The day it went wrong, when known. */
  asOf?: string;
  /** The counterexample day by day (see `renderTimeline`). */
  timeline: string;
  /** Replay with `{ seed, path }`. */
  seed: number;
  path: string;
  shrinks: number;
}

export type InvariantResult = InvariantPass | InvariantFailure;

export interface Invariant {
  name: string;
  description: string;
  scope: Scope;
  check(policy: Policy, options?: InvariantOptions): InvariantResult;
}

export interface InvariantSpec<T extends Scenario> {
  name: string;
  description: string;
  scope: Scope;
  arbitrary(ctx: InvariantContext): fc.Arbitrary<T>;
  /** Undefined when the property holds for `input`. May throw: a throw is a failure too. */
  verify(ctx: InvariantContext, input: T): Violation | undefined;
}

/** The fast-check parameters for `options`. */
export function checkParameters<Ts>(options: InvariantOptions): fc.Parameters<Ts> {
  return {
    numRuns: options.runs ?? 100,
    ...(options.seed !== undefined ? { seed: options.seed } : {}),
    ...(options.path !== undefined ? { path: options.path } : {}),
  };
}

/** A failure result for `scenario`, its timeline rendered. */
export function failure(
  base: Omit<ResultBase, "runs">,
  details: Pick<fc.RunDetails<unknown>, "numRuns" | "seed" | "counterexamplePath" | "numShrinks">,
  scenario: Scenario,
  violation: Violation,
  policy: Policy,
): InvariantFailure {
  return {
    ...base,
    ok: false,
    runs: details.numRuns,
    error: violation.error,
    counterexample: scenario.account,
    from: scenario.from,
    to: scenario.to,
    ...(violation.asOf ? { asOf: violation.asOf } : {}),
    timeline: renderTimeline(scenario.account, violation.actions, { mark: violation.asOf, minorDigits: policy.currency.minorDigits }),
    seed: details.seed,
    path: details.counterexamplePath ?? "",
    shrinks: details.numShrinks,
  };
}

function attempt<T extends Scenario>(spec: InvariantSpec<T>, ctx: InvariantContext, input: T): Violation | undefined {
  try {
    return spec.verify(ctx, input);
  } catch (error) {
    return { error: `threw ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`, actions: [] };
  }
}

/** Turns a spec into an invariant: `check` runs it with `fc.check` and reports the shrunk counterexample. */
export function defineInvariant<T extends Scenario>(spec: InvariantSpec<T>): Invariant {
  const { name, description, scope } = spec;
  return {
    name,
    description,
    scope,
    check(policy, options = {}) {
      const ctx: InvariantContext = { policy, scheduler: (options.scheduler ?? createScheduler)(policy), options };
      const details = fc.check(fc.property(spec.arbitrary(ctx), (input) => attempt(spec, ctx, input) === undefined), checkParameters(options));
      if (!details.failed) return { name, description, scope, ok: true, runs: details.numRuns };
      const input = details.counterexample?.[0];
      if (!input) {
        const error = details.errorInstance instanceof Error ? details.errorInstance.message : "no counterexample";
        return failure({ name, description, scope }, details, { account: { id: "?", charges: [] }, from: "", to: "" }, { error, actions: [] }, policy);
      }
      const violation = attempt(spec, ctx, input) ?? { error: "failed, then passed when replayed: the scheduler is not deterministic", actions: [] };
      return failure({ name, description, scope }, details, input, violation, policy);
    },
  };
}

/**
 * Runs `fn` with the host time zone set to `zone` (Node re-reads `process.env.TZ` when it is
 * assigned), then restores the zone in force before.
 */
export function withTimeZone<T>(zone: string, fn: () => T): T {
  if (typeof process === "undefined" || !process.env) return fn();
  const before = process.env.TZ;
  process.env.TZ = zone;
  try {
    return fn();
  } finally {
    // Deleting TZ brings back the system zone, which was in force when TZ was not set.
    if (before === undefined) delete process.env.TZ;
    else process.env.TZ = before;
  }
}

/** The scenarios most invariants run: a generated account and a planning window. */
export const cleanScenarios = ({ policy, options }: InvariantContext): fc.Arbitrary<Scenario> => scenarioArb(policy, { account: options.account });
/** The scenario's forecast, on a copy of its account (a scheduler must not change its input, but need not be trusted). */
export const forecastOf = ({ scheduler }: InvariantContext, { account, from, to }: Scenario): PlannedAction[] => scheduler.forecast(structuredClone(account), from, to);
