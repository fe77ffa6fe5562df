/**
 * property-dunning/testing: evidence that a policy is fair and escalates correctly, as
 * property-based tests (fast-check, a peer dependency of this entry only).
 *
 * @example
 * import { checkPolicy } from "property-dunning/testing";
 * const report = checkPolicy(parsePolicy(myJson), { runs: 1000, seed: 42 });
 * for (const r of report.results) if (!r.ok) console.log(r.name, r.error, "\n" + r.timeline);
 */
/** Arbitraries (fast-check) of accounts, ledgers, payment histories, scenarios and policies. */
export {
  accountArb,
  ledgerArb,
  historyArb,
  ledgerAsOf,
  scenarioArb,
  policyArb,
  DEFAULT_TAG_POOL,
  type AccountArbOptions,
  type History,
  type HistoryEvent,
  type Scenario,
  type ScenarioOptions,
  type PolicyArbOptions,
} from "./arbitraries.js";
/** The built-in invariants (fairness, escalation, determinism, privacy…) and `checkPolicy`, which runs them. */
export {
  INVARIANTS,
  DEFAULT_TIME_ZONES,
  checkPolicy,
  deterministic,
  equalTreatment,
  paidMeansQuiet,
  order,
  escalation,
  idempotent,
  oneActionPerDay,
  forecastAgrees,
  privacy,
  type CheckPolicyOptions,
  type PolicyReport,
} from "./invariants.js";
/** Invariants about people: holds are respected, protected owners treated as their twins, contact rules kept. */
export { holdsRespected, protectedTwin, contactRules } from "./people.js";
/** Invariant: a hold covers exactly the charges it names. */
export { holdReferences } from "./hold-references.js";
/** Invariant: nothing owner-facing after a terminal stage until reopened; nothing for written-off charges. */
export { terminalStops } from "./check-terminal.js";
/** Invariant: a late fee left once the principal is paid is chased or waived as `residualLateFee` says, never left silent. */
export { residualFee } from "./check-residual-fee.js";
/** Invariant: a policy published as a new version part-way through repeats and skips no warning. */
export { versions } from "./check-versions.js";
/** Invariant: late fees and amounts stay within the clause's bounds. */
export { moneyBounds, type MoneyFunctions } from "./money.js";
/** Invariant: the scheduler agrees with a small independent model of the ladder, day by day. */
export { modelInvariant, createModelInvariant, type ModelInvariantOptions } from "./model.js";
/** Safeguards: a legal review before each limitation date; action ids unique across a ledger. */
export { limitationReview, uniqueActionIds, duplicateIds } from "./safeguards.js";
/** Write your own invariant: its scenarios, its check, and how a failure is printed. */
export {
  defineInvariant,
  withTimeZone,
  type Invariant,
  type InvariantSpec,
  type InvariantContext,
  type InvariantOptions,
  type InvariantResult,
  type InvariantPass,
  type InvariantFailure,
  type Violation,
  type Scope,
} from "./define.js";
/** Single checks over one run (an account, its plan day by day), for invariants of your own. */
export * as checks from "./checks.js";
export type { Run, Check, Finding } from "./checks.js";
/** A counterexample printed day by day, as `checkPolicy` reports it. */
export { renderTimeline, describeAction, formatMoney, type TimelineOptions } from "./timeline.js";
/** Helpers for invariants of your own: balances on a day, the simulation window, planning day by day, recording. */
export { balancesOn, simulationWindow, planDaily, recordOf, renameAccount, type Balances } from "./ledger.js";
