/**
 * property-dunning: declarative fee-collection (物业费催缴) policies and a deterministic scheduler
 * that says which action is due, for whom, when, on which channels, for how much, and why.
 */
export * from "./rules/index.js";
export * from "./schedule/index.js";
export { plan, toRecorded, schedulerPicker, policiesBySegment, segmentOf, SEGMENTS, type PlanOptions, type PlanEvent, type PolicyChoice, type Segment, type SegmentPolicies, type SnapshotProblem } from "./plan.js";
export type { LedgerAdapter, LedgerEntry, LedgerProblem, ReadOptions, Shard, ExecutedAction } from "./adapters/types.js";
export { memoryLedger } from "./adapters/memory.js";
export { RecordError, isRecordError, LedgerFileError, isLedgerFileError, LedgerWriteError, isLedgerWriteError, LedgerError, isLedgerError, LEDGER_ERROR_CODES, type LedgerErrorCode } from "./adapters/common.js";
export { openLedger } from "./adapters/open.js";
export { renderNotice, TEMPLATES, OWNER_KINDS, type NoticeContext, type NoticeResult, type Locale } from "./notices/index.js";
export { buildReport, formatReport, type Report, type ReportOptions, type ReportFormat } from "./reports/index.js";
export { renderTimelineSvg, renderTimelineHtml, type TimelineOptions } from "./timeline/index.js";
