/** Time: civil dates, the ladders, the next due actions. No I/O, no clock: `asOf` is passed in. */
export { createScheduler, AccountError, isAccountError, type Scheduler } from "./scheduler.js";
export { normalizeAccount, formatAccountIssues } from "./account.js";
export type {
  AccountSnapshot,
  ChargeSnapshot,
  PaymentSnapshot,
  RecordedAction,
  OwnerSnapshot,
  Account,
  AccountIssue,
  NormalizeResult,
} from "./account.js";
export type { PlannedAction, ActionCharge, CoveredStage, Because } from "./action.js";
export { parseCivilDate, formatCivilDate, civilDate, addMonths, wholeMonthsBetween, isCivilDate, type EpochDay } from "./civil-date.js";
export { fnv1a64, shardOf } from "./hash.js";
