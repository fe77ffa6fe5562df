/**
 * property-dunning: declarative fee-collection (物业费催缴) policies and a deterministic scheduler
 * that says which action is due, for whom, when, on which channels, for how much, and why.
 *
 * The root entry is what a vendor (plan a ledger, write an adapter, load policies) and an estate
 * tool (parse and validate a policy, its JSON Schema, its timeline, a report, the notices) need.
 * It loads no Node built-in, so it runs in a browser or an edge function
 * (tests/browser-bundle.test.ts). Node-only parts are subpaths: `property-dunning/adapters/open`,
 * `…/adapters/file`, `…/adapters/sqlite`, `…/adapters/postgres`, and the pg-boss runner; the proof
 * kit is `property-dunning/testing`. Dates are civil dates (`YYYY-MM-DD` in the policy's zone)
 * and instants (ISO 8601 with offset); money is integer minor units. tests/api-surface.test.ts
 * lists every export, so that the surface changes only on purpose.
 */

// Policies: load, validate, describe.
/** Parses and validates a policy document (resolving `extends`); throws `PolicyError` with every issue. */
export { parsePolicy } from "./rules/index.js";
/** `parsePolicy` that returns `{ ok: true, value }` or `{ ok: false, issues }` instead of throwing. */
export { safeParsePolicy, type ParseResult } from "./rules/index.js";
/** Prints issues (`code`, `path`, `message`) for people, one a line. */
export { formatIssues, type Issue } from "./rules/index.js";
/** The built-in policies (`residential`, `commercial`) as documents, and their ids. */
export { builtinPolicySource, BUILTIN_POLICY_IDS, isBuiltinPolicyId, type BuiltinPolicyId } from "./rules/index.js";
/** The JSON Schema of a policy file (draft 2020-12), for editors and other languages. */
export { policyJsonSchema } from "./rules/index.js";
/** The stage kinds and the channels a policy may name. */
export { STAGE_KINDS, CHANNELS, type StageKind, type Channel } from "./rules/index.js";
/** A policy and its parts, as `parsePolicy` returns them. */
export type { Policy, PolicyFile, Stage, StagePatch, Trigger, Condition, TopLevelCondition, Operator } from "./rules/index.js";
/** The policy's sections: late fees, rates, contact and calendar rules, holds, protections. */
export type { LateFeeClause, RoundingMode } from "./rules/index.js";
export type { RateRules, Occupancy, Assessment, OccupancyPeriod } from "./rules/index.js";
export type { ContactRules, CalendarRules } from "./rules/index.js";
export type { HoldRules } from "./rules/index.js";
export type { Protection, Offer } from "./rules/index.js";
/**
 * What the policy types above are made of, for the API reference: the policy's zod schemas and
 * the vocabularies' tables and lists. Exported as types only (`typeof PolicySchema`): at run time
 * the package offers `parsePolicy`, `policyJsonSchema`, `STAGE_KINDS` and `CHANNELS` instead.
 */
export type { PolicySchema, PolicyFileSchema, StageSchema, StagePatchSchema, TriggerSchema, FactCondition, FactConditionSchema, OPERATORS, Json } from "./rules/schema.js";
/** The sections' schemas (late fees, rates, contact and calendar rules, holds, protections), their value lists, and the stage kinds' and channels' tables (types only). */
export type { LateFeeClauseSchema, ROUNDING_MODES, RateRulesSchema, OCCUPANCIES, ContactRulesSchema, CalendarRulesSchema, HoldRulesSchema, ProtectionSchema, OFFERS, CHANNEL_TABLE, STAGE_KIND_TABLE } from "./rules/index.js";
export type { TerminalState } from "./rules/kinds.js";

// Errors: one base class with a `code`, a subclass per kind, and guards.
/** The base of every error this library throws on purpose; `code` says which kind. */
export { PropertyDunningError, isPropertyDunningError } from "./rules/index.js";
/** A policy that does not validate; `issues` hold each problem's `code`, `path` and `message`. */
export { PolicyError, isPolicyError } from "./rules/index.js";
/** An account snapshot that cannot be planned; `issues` name the fields. */
export { AccountError, isAccountError } from "./schedule/index.js";
/** An amount or a sum beyond what a double holds exactly (2^53 − 1 minor units). */
export { UnsafeAmountError, isUnsafeAmountError } from "./ledger/index.js";
/** An argument a function cannot use (a date that is no `YYYY-MM-DD`, an unknown time zone…); `code` says which. */
export { InvalidArgumentError, isInvalidArgumentError, ARGUMENT_ERROR_CODES, type ArgumentErrorCode } from "./rules/index.js";
/** A working calendar that contradicts itself, or has no working day where one is needed. */
export { CalendarError, isCalendarError, CALENDAR_ERROR_CODES, type CalendarErrorCode } from "./rules/index.js";
/** A stage condition the engine cannot evaluate; `path` says where in it. */
export { ConditionError, isConditionError } from "./rules/index.js";
/** `record()` refused an executed action (its problems as data). */
export { RecordError, isRecordError } from "./adapters/common.js";
/** A ledger file that cannot be read, or a write to it that failed. */
export { LedgerFileError, isLedgerFileError, LedgerWriteError, isLedgerWriteError } from "./adapters/common.js";
/** A ledger that cannot be opened, read or written (no such ledger, missing tables, read-only…); `code` says which. */
export { LedgerError, isLedgerError, LEDGER_ERROR_CODES, type LedgerErrorCode } from "./adapters/common.js";

// Planning: one account, or a whole ledger through an adapter.
/** Compiles a policy once; `dueActions` and `forecast` then plan any number of accounts. */
export { createScheduler, type Scheduler } from "./schedule/index.js";
/** Plans a whole ledger through an adapter, streaming; an unusable account is reported, not fatal. */
export { plan, type PlanOptions, type PlanEvent, type PolicyChoice, type Segment, type SegmentPolicies, type SnapshotProblem } from "./ledger/index.js";
/** The executed action to `record()` for a planned action carried out on a day. */
export { toRecorded } from "./ledger/index.js";
/** The shard an account id belongs to (`fnv1a32(id) % count`): what an adapter's `accounts({ shard })` must filter by. */
export { shardOf } from "./ledger/index.js";
/** A ledger held in memory (also `property-dunning/adapters/memory`); loads no driver. */
export { memoryLedger } from "./adapters/memory.js";
/** Prints an account's issues for a log line (what `PlanEvent.reason` holds). */
export { formatAccountIssues } from "./ledger/index.js";
/** The codes of ledger and account problems, each with what it means. */
export { LEDGER_ISSUE_CODES, type LedgerIssueCode } from "./ledger/index.js";
/** The adapter contract: three methods (`accounts`, `record`, `close`) and what they carry. */
export type { LedgerAdapter, LedgerEntry, LedgerProblem, ReadOptions, Shard, ExecutedAction } from "./ledger/index.js";
/** An account as a ledger hands it over, and what a plan says about it. */
export type { AccountSnapshot, ChargeSnapshot, PaymentSnapshot, RecordedAction, OwnerSnapshot, AccountIssue } from "./ledger/index.js";
export type { PlannedAction, ActionCharge, CoveredStage, Because } from "./schedule/index.js";
export type { HoldSnapshot, DisputeSeverity, HoldReview } from "./schedule/index.js";
/** The parts of a plan's answers: a hold as the ledger records it, policies per estate. */
export type { HoldRecord } from "./schedule/ladder/hold-types.js";
export type { EstatePolicies } from "./ledger/policy-choice.js";

// Time: deadlines and contact hours, on civil dates.
/** The day a deadline falling on a date really ends (Civil Code art. 203), holidays and 调休 counted. */
export { deadlineOn, type WorkingCalendarOptions } from "./schedule/index.js";
/** The deadline a number of days after a start date (art. 201), moved off rest days. */
export { deadlineAfter } from "./schedule/index.js";
/** The instants between which a channel may be used on a date, in a zone (DST counted). */
export { contactWindow, type ContactWindow } from "./schedule/index.js";

// Money: late fees, limitation, rates.
/** An account's late fees on a date under a policy's clause, per charge with accrual rows. */
export { computeLateFees } from "./schedule/index.js";
/** Each charge's limitation date (Civil Code art. 188), restarts (art. 195) counted. */
export { limitationDates } from "./schedule/index.js";
export type { LateFeeReport, ChargeLateFee, AccrualRow } from "./schedule/index.js";
export type { LimitationReport, ChargeLimitation } from "./schedule/index.js";
export type { Waiver, CapKind } from "./schedule/fees/accrual.js";
export type { LimitationEvent } from "./schedule/fees/limitation.js";
export type { AllocationReport, AllocationOrder, ChargeBalanceReport, PaymentAllocation, AllocationLine, AllocationPart, PrincipalPaid } from "./schedule/fees/allocation.js";
/** A unit's charge for a period under a policy's rates (S2: entrusted units pay 70%). */
export { assessCharge } from "./rules/index.js";

// What people read: notices, reports, timelines.
/** Renders a planned action as a notice's text (zh-CN or en), refusing what it must not print. */
export { renderNotice, type NoticeContext, type NoticeResult } from "./notices/render.js";
export type { Locale, OwnerKind } from "./notices/templates.js";
/** The month's figures of a ledger: collection rate, aging, stages, holds, limitation. */
export { buildReport, type Report, type ReportOptions } from "./reports/report.js";
/** A report as a table, JSON, one CSV table per section (in en or zh-CN) or one HTML page with charts. */
export { formatReport, reportCsvFiles, type FormatOptions, type ReportFormat } from "./reports/format.js";
export type { ReportLang } from "./reports/locale.js";
export type { SectionName } from "./reports/sections.js";
export type { AgingBucket, CollectionRate, HoldsSummary, LimitationDebt, MonthRate, SkippedAccount, StageRow } from "./reports/report.js";
export type { TerminalRow } from "./reports/terminal.js";
export type { StageLadder } from "./schedule/ladder/compile.js";
export type { Ladder } from "./rules/vocabulary-triggers.js";
/** The report's sections, in the order the report prints them (a type: `SectionName` is one of them). */
export type { SECTION_NAMES } from "./reports/sections.js";
/** What a new policy version changes over the next days, account by account: `impact` on the command line. */
export { policyImpact, impactCollector, DEFAULT_IMPACT_DAYS, type PolicyImpact, type AccountImpact, type ImpactOptions, type ImpactTotals, type ImpactAction, type ImpactMove, type ImpactCollector } from "./reports/impact.js";
/** A policy's ladder (or an account's history and forecast) as an SVG picture. */
export { renderTimelineSvg } from "./timeline/svg.js";
/** The same timeline as a self-contained HTML page. */
export { renderTimelineHtml } from "./timeline/html.js";
export type { TimelineOptions } from "./timeline/model.js";
/** An owner's one notice for several units (`PlannedAction.ownerNotice`), each unit's line, and an owner-facing action held back for a later day (`PlanEvent.waiting`) with its code. */
export type { OwnerNotice, OwnerNoticeUnit } from "./schedule/ladder/action.js";
export type { WaitingAction, WaitingCode } from "./schedule/owners/coordinate.js";
