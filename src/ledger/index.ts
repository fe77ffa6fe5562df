/**
 * The ledger contract, neutral and pure: an account as a ledger hands it over (the snapshot) and
 * its checking (dates to epoch days, amounts exact, references resolved, every problem with a
 * code and a path), the three-method adapter interface every ledger is read through, sharding by
 * a stable hash of the account id, and `plan()`, which streams a whole ledger through a policy.
 */
export type { AccountSnapshot, ChargeSnapshot, PaymentSnapshot, RecordedAction, OwnerSnapshot, Account, AccountIssue } from "./account.js";
export { formatAccountIssues, ledgerIssue, UnsafeAmountError, isUnsafeAmountError, LEDGER_ISSUE_CODES, type LedgerIssueCode } from "./account.js";
export { normalizeAccount, type NormalizeResult } from "./check-account.js";
export type { LedgerAdapter, LedgerEntry, LedgerProblem, ReadOptions, Shard, ExecutedAction } from "./adapter.js";
export { shardOf, fnv1a64 } from "./shard.js";
export { plan, toRecorded, schedulerPicker, policiesBySegment, segmentOf, SEGMENTS } from "./plan.js";
export type { PlanOptions, PlanEvent, PolicyChoice, Segment, SegmentPolicies, SnapshotProblem } from "./plan.js";
