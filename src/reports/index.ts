export { buildReport, basisPoints, targetBasisPoints } from "./report.js";
export type { AgingBucket, CollectionRate, HoldsSummary, LimitationDebt, MonthRate, Report, ReportOptions, SkippedAccount, StageRow } from "./report.js";
export { csvField, formatReport, reportCsvFiles, sectionCsv, BOM, type FormatOptions, type ReportFormat } from "./format.js";
export { reportSections, percentText, SECTION_NAMES, type Section, type SectionName, type Column, type ColumnKind } from "./sections.js";
export { REPORT_LANGS, type ReportLang } from "./locale.js";
export { renderReportHtml } from "./html.js";
export { policyImpact, impactCollector, DEFAULT_IMPACT_DAYS } from "./impact.js";
export type { AccountImpact, ImpactAction, ImpactCollector, ImpactMove, ImpactOptions, ImpactTotals, PolicyImpact } from "./impact.js";
