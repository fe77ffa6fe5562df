export { buildReport, basisPoints } from "./report.js";
export type { AgingBucket, CollectionRate, HoldsSummary, LimitationDebt, Report, ReportOptions, SkippedAccount, StageRow } from "./report.js";
export { csvField, formatReport, type ReportFormat } from "./format.js";
export { policyImpact, impactCollector, DEFAULT_IMPACT_DAYS } from "./impact.js";
export type { AccountImpact, ImpactAction, ImpactCollector, ImpactMove, ImpactOptions, ImpactTotals, PolicyImpact } from "./impact.js";
