/**
 * The ladder: a policy compiled once (stages by ladder, conditions, calendar, contact windows);
 * then, for an account on a day, the stage instances that are due (plan-day.ts), what the holds
 * pause (holds.ts), what was already carried out (the action log, log.ts), and the actions that
 * result, one per audience, with their stable ids (deliver.ts, action.ts). `createScheduler` is
 * the public face of all of it.
 */
export { createScheduler, compileScheduler, toAccount, AccountError, isAccountError, type Scheduler, type PlanningScheduler } from "./scheduler.js";
export { actionId, type PlannedAction, type ActionCharge, type CoveredStage, type Because } from "./action.js";
export { compilePolicy, type CompiledPolicy, type CompiledStage } from "./compile.js";
export type { HoldSnapshot, DisputeSeverity } from "./hold-types.js";
export type { HoldReview } from "./hold-review.js";
