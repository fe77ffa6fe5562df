/**
 * A report as text: plain tables for people, JSON for programs, CSV for spreadsheets (one
 * section per block, each with its own header line, sections separated by an empty line,
 * RFC 4180 quoting and CRLF line ends).
 */
import { accountIssuesText, jsonText, table, xmlChars } from "../text/index.js";
import { formatMinor } from "../schedule/fees/money-text.js";
import type { CollectionRate, Report } from "./report.js";
import { REVIEW_HEADER, reviewRow, reviewTable } from "./review.js";
import { InvalidArgumentError } from "../rules/errors.js";

export type ReportFormat = "table" | "json" | "csv";

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

/** A row of cells: strings are text, numbers are numbers; an amount formatted from a number says so. */
function csvRow(cells: readonly (string | number | null | undefined | { number: string })[]): string {
  return cells.map((c) => (typeof c === "object" && c !== null ? csvField(c.number, "number") : csvField(c))).join(",");
}

function percent(bp: number | null): string {
  return bp === null ? "-" : `${(bp / 100).toFixed(2)}%`;
}

interface Section {
  name: string;
  title: string;
  header: string[];
  /** Cells as raw values; money columns listed in `money`. */
  rows: (string | number | null)[][];
  money: ReadonlySet<number>;
  right: ReadonlySet<number>;
}

function sections(report: Report): Section[] {
  const rateRow = (label: string, r: CollectionRate) => [label, r.charges, r.billedMinor, r.paidMinor, r.unpaidMinor, r.basisPoints];
  return [
    {
      name: "collection",
      title: `Collection rate (收缴率), charges due ${report.period.from} to ${report.period.to}, paid by ${report.asOf}`,
      header: ["segment", "charges", "billed", "paid", "unpaid", "basis_points"],
      rows: [...report.collection.bySegment.map((s) => rateRow(s.segment, s)), rateRow("total", report.collection)],
      money: new Set([2, 3, 4]),
      right: new Set([1, 2, 3, 4, 5]),
    },
    {
      name: "aging",
      title: `Arrears aging on ${report.asOf} (days overdue)`,
      header: ["bucket", "charges", "accounts", "amount"],
      rows: report.aging.map((b) => [b.label, b.charges, b.accounts, b.amountMinor]),
      money: new Set([3]),
      right: new Set([1, 2, 3]),
    },
    {
      name: "stages",
      title: "Accounts in arrears by last recorded stage",
      header: ["stage", "accounts", "overdue"],
      rows: [...report.stages.map((s) => [s.stage, s.accounts, s.overdueMinor]), ["(never actioned)", report.neverActioned.accounts, report.neverActioned.overdueMinor]],
      money: new Set([2]),
      right: new Set([1, 2]),
    },
    {
      name: "holds",
      title: `Holds in force on ${report.asOf}`,
      header: ["hold", "count"],
      rows: [
        ["accounts on hold", report.holds.accounts],
        ["dispute major", report.holds.disputes.major],
        ["dispute important", report.holds.disputes.important],
        ["dispute minor", report.holds.disputes.minor],
        ["installment plan kept", report.holds.installmentPlans],
        ["promise pending", report.holds.promises],
        ["manual", report.holds.manual],
      ],
      money: new Set(),
      right: new Set([1]),
    },
    // Only when a policy names terminal stages (src/reports/terminal.ts): the built-ins' reports are unchanged.
    ...(report.terminal.length === 0
      ? []
      : [
          {
            name: "terminal",
            title: `Accounts at the end of the road on ${report.asOf} (a terminal stage carried out, not reopened)`,
            header: ["state", "accounts", "overdue"],
            rows: report.terminal.map((t) => [t.state, t.accounts, t.overdueMinor]),
            money: new Set([2]),
            right: new Set([1, 2]),
          },
        ]),
    {
      name: "limitation",
      title: `Debts reaching their limitation date within ${report.limitation.withinDays} days (${report.limitation.expired.charges} unpaid charge(s) already expired)`,
      header: ["account", "unit", "owner", "charge", "due", "ends", "days_left", "unpaid"],
      rows: report.limitation.debts.map((d) => [d.accountId, d.unit ?? "", d.ownerName ?? "", d.chargeId, d.dueOn, d.endsOn, d.daysLeft, d.unpaidMinor]),
      money: new Set([7]),
      right: new Set([6, 7]),
    },
    {
      name: "review",
      title: `For a person's review: ${report.review.length} recorded action(s) inside a hold that pauses them`,
      header: [...REVIEW_HEADER],
      rows: report.review.map(reviewRow),
      money: new Set(),
      right: new Set(),
    },
    {
      name: "skipped",
      title: "Skipped accounts",
      header: ["account", "reason"],
      rows: report.skipped.map((s) => [s.accountId, s.reason]),
      money: new Set(),
      right: new Set(),
    },
  ];
}

/** The report as `table` (text), `json` or `csv`. */
export function formatReport(report: Report, format: ReportFormat): string {
  const digits = report.currency.minorDigits;
  if (format === "json") return `${jsonText(report, 2)}\n`;
  if (format === "csv") {
    const blocks = sections(report).map((s) =>
      [csvRow(["section", ...s.header]), ...s.rows.map((r) => csvRow([s.name, ...r.map((v, i) => (s.money.has(i) && typeof v === "number" ? { number: formatMinor(v, digits, false) } : v))]))].join("\r\n"),
    );
    return `${blocks.join("\r\n\r\n")}\r\n`;
  }
  if (format !== "table") throw new InvalidArgumentError("invalid_option", "format", `format must be table, json or csv (got ${JSON.stringify(format)})`);
  const a = report.accounts;
  const head = [
    `Report on ${report.asOf} (${report.currency.code}): ${a.read} accounts read, ${a.skipped} skipped, ${a.withOverdue} in arrears, ${formatMinor(a.overdueMinor, digits)} overdue`,
    `Collection rate ${report.period.from} to ${report.period.to}: ${percent(report.collection.basisPoints)} (${formatMinor(report.collection.paidMinor, digits)} of ${formatMinor(report.collection.billedMinor, digits)})`,
  ].join("\n");
  const blocks = sections(report)
    .filter((s) => (s.name !== "skipped" && s.name !== "review") || s.rows.length > 0)
    .map((s) => {
      // table() escapes every cell; a skipped account's issues share one cell, separated by "; ".
      if (s.name === "review") return `${s.title}\n${reviewTable(report.review)}`;
      if (s.name === "skipped") return `${s.title}\n${table(s.header, report.skipped.map((k) => [k.accountId, accountIssuesText(k.accountId, k.issues).replace(/\n/g, "; ")]))}`;
      const rows = s.rows.map((r) =>
        r.map((v, i) => {
          if (v === null) return "-";
          if (s.money.has(i) && typeof v === "number") return formatMinor(v, digits);
          if (s.name === "collection" && i === 5 && typeof v === "number") return `${v} (${percent(v)})`;
          return String(v);
        }),
      );
      return `${s.title}\n${table(s.header, rows, s.right)}`;
    });
  return `${[head, ...blocks].join("\n\n")}\n`;
}
