/** Time: civil dates, the ladders, the next due actions. No I/O, no clock: `asOf` is passed in. */
export { createScheduler, AccountError, isAccountError, type Scheduler } from "./scheduler.js";
export { formatAccountIssues, ledgerIssue, UnsafeAmountError, isUnsafeAmountError, LEDGER_ISSUE_CODES, type LedgerIssueCode } from "./account.js";
export { normalizeAccount } from "./check-account.js";
export type { AccountSnapshot, ChargeSnapshot, PaymentSnapshot, RecordedAction, OwnerSnapshot, Account, AccountIssue } from "./account.js";
export type { NormalizeResult } from "./check-account.js";
export { actionId } from "./action.js";
export type { PlannedAction, ActionCharge, CoveredStage, Because } from "./action.js";
export { parseCivilDate, formatCivilDate, civilDate, addMonths, wholeMonthsBetween, isCivilDate, type EpochDay } from "./civil-date.js";
export { fnv1a64, shardOf } from "./hash.js";
export { computeLateFees, limitationDates } from "./money.js";
export { lateFeeTimeline, type LateFeeReport, type ChargeLateFee, type AccrualRow, type TimelineRow } from "./late-fees.js";
export { allocatePayments, type Allocation, type AllocationOrder, type PaymentAllocation, type AllocationLine } from "./allocation.js";
export type { LimitationReport, ChargeLimitation } from "./limitation.js";
export { createWorkingCalendar, deadlineOn, deadlineAfter, CN_COVERED_YEARS, type WorkingCalendar } from "./calendar.js";
export { contactWindow, actionWindow, checkFrequency, type ContactWindow, type ContactRecord, type FrequencyCheck } from "./contact.js";
export type { HoldSnapshot, DisputeSeverity } from "./hold-types.js";
