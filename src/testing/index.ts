/**
 * property-dunning/testing: evidence that a policy is fair and escalates correctly, as
 * property-based tests (fast-check, a peer dependency of this entry only).
 *
 * @example
 * import { checkPolicy } from "property-dunning/testing";
 * const report = checkPolicy(parsePolicy(myJson), { runs: 1000, seed: 42 });
 * for (const r of report.results) if (!r.ok) console.log(r.name, r.error, "\n" + r.timeline);
 */
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
export { holdsRespected, protectedTwin, contactRules } from "./people.js";
export { holdReferences } from "./hold-references.js";
export { moneyBounds, type MoneyFunctions } from "./money.js";
export { modelInvariant, createModelInvariant, type ModelInvariantOptions } from "./model.js";
export { limitationReview, uniqueActionIds, limitationLead, duplicateIds } from "./safeguards.js";
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
export * as checks from "./checks.js";
export type { Run, Check, Finding } from "./checks.js";
export { renderTimeline, describeAction, formatMoney, type TimelineOptions } from "./timeline.js";
export { balancesOn, ladders, simulationWindow, planDaily, recordOf, renameAccount, factsRead, type Balances, type LadderStage } from "./ledger.js";
