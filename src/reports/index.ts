export { buildReport, basisPoints } from "./report.js";
export type { AgingBucket, CollectionRate, HoldsSummary, LimitationDebt, Report, ReportOptions, SkippedAccount, StageRow } from "./report.js";
export { csvField, formatReport, type ReportFormat } from "./format.js";
