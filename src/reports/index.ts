export { buildReport, basisPoints, targetBasisPoints } from "./report.js";
export type { AgingBucket, CollectionRate, HoldsSummary, LimitationDebt, MonthRate, Report, ReportOptions, SkippedAccount, StageRow } from "./report.js";
export { csvField, formatReport, type ReportFormat } from "./format.js";
