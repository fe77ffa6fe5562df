/**
 * A report as text: plain tables for people, JSON for programs, one CSV table per section for
 * spreadsheets (RFC 4180 quoting, CRLF line ends, a UTF-8 BOM on request), and one HTML page
 * (html.ts).
 */
import { accountIssuesText, jsonText, table, xmlChars } from "../text/index.js";
import { formatMinor } from "../schedule/fees/money-text.js";
import type { Report } from "./report.js";
import { InvalidArgumentError } from "../rules/errors.js";
import { say, type ReportLang } from "./locale.js";
import { percentText, reportSections, SECTION_NAMES, type Cell, type Column, type Section, type SectionName } from "./sections.js";
import { renderReportHtml } from "./html.js";

export type ReportFormat = "table" | "json" | "csv" | "html";

export interface FormatOptions {
  /** The language of headings, labels and (CSV) the header row; default `en`. JSON keys stay English. */
  lang?: ReportLang;
  /** CSV: the one section to write (a CSV file holds one table); required for `csv`. Table: only this section. */
  section?: SectionName;
  /** CSV: begin with a UTF-8 byte order mark, so that Excel reads Chinese text as UTF-8 (without one, Excel on a Chinese Windows reads it as GBK). */
  bom?: boolean;
}

/** The UTF-8 byte order mark as text (written as EF BB BF). */
export const BOM = "\uFEFF";

/**
 * A cell that begins with one of these is run as a formula by spreadsheets (OWASP, CSV
 * injection); the full-width forms too, which spreadsheets in CJK locales may read as ASCII.
 */
const FORMULA_START = /^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/;

/**
 * One CSV field, quoted when it holds a comma, a quote, CR or LF (RFC 4180). A text cell (any
 * string unless told it is a number) that a spreadsheet would run as a formula gets a `'` in
 * front and quotes, as OWASP recommends: the ledger's text stays readable and never runs. Numbers
 * (and amounts formatted from them, `kind` "number") keep their minus sign. Controls other than
 * TAB, CR and LF (which quoting keeps), DEL, C1 and bidi controls become U+FFFD (`xmlChars`): a
 * CSV is also read on a terminal, where they would act.
 *
 * @example
 * csvField("=HYPERLINK(\"http://x\")") // "\"'=HYPERLINK(\"\"http://x\"\")\""
 * csvField(-1250) // "-1250"
 */
export function csvField(value: string | number | null | undefined, kind: "text" | "number" = typeof value === "number" ? "number" : "text"): string {
  const text = value === null || value === undefined ? "" : kind === "text" ? xmlChars(String(value)) : String(value);
  if (kind === "text" && FORMULA_START.test(text)) return `"'${text.replace(/"/g, '""')}"`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** A cell for a CSV file: amounts without grouping (`1234.50`), rates as percentages (`66.67%`), text defused. */
function csvCell(value: Cell, column: Column, digits: number): string {
  if (value === null) return "";
  if (column.kind === "money" && typeof value === "number") return csvField(formatMinor(value, digits, false), "number");
  if (column.kind === "rate" && typeof value === "number") return csvField(percentText(value), "number");
  return csvField(value);
}

/** One section as one CSV table: one header row, then its rows. */
export function sectionCsv(section: Section, digits: number, bom = false): string {
  const lines = [section.columns.map((c) => csvField(c.label)).join(","), ...section.rows.map((r) => r.map((v, i) => csvCell(v, section.columns[i]!, digits)).join(","))];
  return `${bom ? BOM : ""}${lines.map((l) => `${l}\r\n`).join("")}`;
}

/**
 * Every section as its own CSV file, `<section>.csv`, for `report --out-dir`: one table each, a
 * spreadsheet opens any of them as it is.
 */
export function reportCsvFiles(report: Report, options: Omit<FormatOptions, "section"> = {}): { name: string; section: SectionName; text: string }[] {
  return reportSections(report, options.lang).map((s) => ({ name: `${s.name}.csv`, section: s.name, text: sectionCsv(s, report.currency.minorDigits, options.bom) }));
}

function sectionOf(report: Report, options: FormatOptions): Section {
  const sections = reportSections(report, options.lang);
  const found = sections.find((s) => s.name === options.section);
  if (found) return found;
  const names = SECTION_NAMES.join(", ");
  if (options.section === undefined) throw new InvalidArgumentError("invalid_option", "section", `a CSV holds one table: name a section (${names}), or write one file per section`);
  if (options.section === "terminal") throw new InvalidArgumentError("invalid_option", "section", "no terminal section: no policy used names a terminal stage");
  throw new InvalidArgumentError("invalid_option", "section", `section must be one of ${names} (got ${JSON.stringify(options.section)})`);
}

/** A cell in a text table: amounts grouped, rates as percentages, none as `-`. */
function tableCell(value: Cell, column: Column, digits: number): string {
  if (value === null) return "-";
  if (column.kind === "money" && typeof value === "number") return formatMinor(value, digits);
  if (column.kind === "rate" && typeof value === "number") return percentText(value);
  return String(value);
}

function sectionTable(report: Report, s: Section): string {
  const digits = report.currency.minorDigits;
  // table() escapes every cell; a skipped account's issues share one cell, separated by "; ".
  if (s.name === "skipped") return `${s.title}\n${table(s.columns.map((c) => c.label), report.skipped.map((k) => [k.accountId, accountIssuesText(k.accountId, k.issues).replace(/\n/g, "; ")]))}`;
  // The review's sentence is in the JSON and the CSV; the table shows its parts.
  const cols = s.name === "review" ? s.columns.slice(0, -1) : s.columns;
  const right = new Set(cols.flatMap((c, i) => (c.kind === "count" || c.kind === "money" || c.kind === "rate" ? [i] : [])));
  return `${s.title}\n${table(cols.map((c) => c.label), s.rows.map((r) => cols.map((c, i) => tableCell(r[i]!, c, digits))), right)}`;
}

/** The report as `table` (text), `json`, `csv` (one section: `options.section`) or `html` (one page). */
export function formatReport(report: Report, format: ReportFormat, options: FormatOptions = {}): string {
  const lang = options.lang ?? "en";
  const digits = report.currency.minorDigits;
  if (format === "json") return `${jsonText(report, 2)}\n`;
  if (format === "csv") return sectionCsv(sectionOf(report, options), digits, options.bom);
  if (format === "html") return renderReportHtml(report, { lang });
  if (format !== "table") throw new InvalidArgumentError("invalid_option", "format", `format must be table, json, csv or html (got ${JSON.stringify(format)})`);
  const a = report.accounts;
  const head = [
    say(lang, "head", { asOf: report.asOf, currency: report.currency.code, read: a.read, skipped: a.skipped, withOverdue: a.withOverdue, overdue: formatMinor(a.overdueMinor, digits) }),
    say(lang, "headRate", {
      from: report.period.from,
      to: report.period.to,
      rate: percentText(report.collection.basisPoints),
      paid: formatMinor(report.collection.paidMinor, digits),
      billed: formatMinor(report.collection.billedMinor, digits),
    }),
  ].join("\n");
  const blocks = reportSections(report, lang)
    .filter((s) => (options.section === undefined ? (s.name !== "skipped" && s.name !== "review") || s.rows.length > 0 : s.name === options.section))
    .map((s) => sectionTable(report, s));
  return `${[head, ...blocks].join("\n\n")}\n`;
}
