/**
 * The report as named sections of rows (collection, monthly, aging, stages, holds, terminal,
 * limitation, review, skipped), in a language: what the table, each CSV file and the HTML page
 * show. The cells are raw values and each column says what it holds, so that every output writes
 * a rate, an amount or ledger text its own way.
 */
import type { CollectionRate, Report } from "./report.js";
import { REVIEW_HEADER, reviewRow } from "./review.js";
import { kindLabel, say, type MessageKey, type ReportLang } from "./locale.js";

/** What a column holds: ledger or report text, a count, an amount in minor units, a rate in basis points, a day. */
export type ColumnKind = "text" | "count" | "money" | "rate" | "date";

export interface Column {
  /** Stable, English, snake_case: the CSV header in English, the key a program reads. */
  id: string;
  /** The heading people read, in the report's language. */
  label: string;
  kind: ColumnKind;
}

export type Cell = string | number | null;

export interface Section {
  /** The section's name (`--section`, the CSV file name): `collection`, `monthly`, `aging`, … */
  name: SectionName;
  title: string;
  columns: Column[];
  rows: Cell[][];
}

export const SECTION_NAMES = ["collection", "monthly", "aging", "stages", "holds", "terminal", "limitation", "review", "skipped"] as const;
export type SectionName = (typeof SECTION_NAMES)[number];

function columns(lang: ReportLang, spec: readonly (readonly [string, ColumnKind])[]): Column[] {
  return spec.map(([id, kind]) => ({ id, label: say(lang, `col_${id}` as MessageKey), kind }));
}

/** An aging bucket's name: `0-30 days`, `365天以上`. */
export function bucketLabel(lang: ReportLang, bucket: Report["aging"][number]): string {
  return bucket.maxDays === null ? say(lang, "bucketOver365") : say(lang, "days", { range: `${bucket.minDays}-${bucket.maxDays}` });
}

/** A segment's name (`residential` → 住宅); any other text as it is. */
export function segmentLabel(lang: ReportLang, segment: string): string {
  return segment === "residential" || segment === "commercial" ? say(lang, segment) : segment;
}

/**
 * Whose ladder a stage row is in: its segment (`residential`, 住宅), or an estate's own policy for
 * the segment (`estate north-park, residential`, `项目 north-park 住宅`). The first column of the
 * stages section in every output (table, CSV, the HTML page's group headings); JSON has `segment`
 * and `estate` as fields.
 */
export function stageGroupLabel(lang: ReportLang, row: Pick<Report["stages"][number], "segment" | "estate">): string {
  const segment = segmentLabel(lang, row.segment);
  return row.estate === undefined ? segment : say(lang, "estateSegment", { estate: row.estate, segment });
}

/**
 * Every section of `report`, in order, in `lang`. The terminal section only when a policy used
 * names a terminal stage (src/reports/terminal.ts): the built-ins' reports are unchanged.
 */
export function reportSections(report: Report, lang: ReportLang = "en"): Section[] {
  const rate = (label: string, r: CollectionRate | Report["monthly"]["months"][number]): Cell[] => [label, r.charges, r.billedMinor, r.paidMinor, r.unpaidMinor, r.basisPoints];
  const rateColumns = [
    ["charges", "count"],
    ["billed", "money"],
    ["paid", "money"],
    ["unpaid", "money"],
    ["rate", "rate"],
  ] as const;
  const h = report.holds;
  const sections: Section[] = [
    {
      name: "collection",
      title: say(lang, "collection", { from: report.period.from, to: report.period.to, asOf: report.asOf }),
      columns: columns(lang, [["segment", "text"], ...rateColumns]),
      rows: [...report.collection.bySegment.map((s) => rate(segmentLabel(lang, s.segment), s)), rate(say(lang, "total"), report.collection)],
    },
    {
      name: "monthly",
      title: say(lang, "monthly", { asOf: report.asOf }),
      columns: columns(lang, [["month", "text"], ...rateColumns]),
      rows: report.monthly.months.map((m) => rate(m.month, m)),
    },
    {
      name: "aging",
      title: say(lang, "aging", { asOf: report.asOf }),
      columns: columns(lang, [["bucket", "text"], ["charges", "count"], ["accounts", "count"], ["amount", "money"]]),
      rows: report.aging.map((b) => [bucketLabel(lang, b), b.charges, b.accounts, b.amountMinor]),
    },
    {
      name: "stages",
      title: say(lang, "stages"),
      columns: columns(lang, [["ladder", "text"], ["stage", "text"], ["kind", "text"], ["accounts", "count"], ["overdue", "money"]]),
      rows: [
        ...report.stages.map((s) => [`${stageGroupLabel(lang, s)} · ${say(lang, s.ladder ? `ladder_${s.ladder}` : "ladder_unknown")}`, s.stage, s.kind ? kindLabel(lang, s.kind) : "", s.accounts, s.overdueMinor]),
        [say(lang, "noAction"), say(lang, "neverActioned"), "", report.neverActioned.accounts, report.neverActioned.overdueMinor],
      ],
    },
    {
      name: "holds",
      title: say(lang, "holds", { asOf: report.asOf }),
      columns: columns(lang, [["hold", "text"], ["count", "count"]]),
      rows: [
        [say(lang, "hold_accounts"), h.accounts],
        [say(lang, "hold_dispute_major"), h.disputes.major],
        [say(lang, "hold_dispute_important"), h.disputes.important],
        [say(lang, "hold_dispute_minor"), h.disputes.minor],
        [say(lang, "hold_plan"), h.installmentPlans],
        [say(lang, "hold_promise"), h.promises],
        [say(lang, "hold_manual"), h.manual],
      ],
    },
    ...(report.terminal.length === 0
      ? []
      : [
          {
            name: "terminal" as const,
            title: say(lang, "terminal", { asOf: report.asOf }),
            columns: columns(lang, [["state", "text"], ["accounts", "count"], ["overdue", "money"]]),
            rows: report.terminal.map((t) => [say(lang, `state_${t.state}`), t.accounts, t.overdueMinor]),
          },
        ]),
    {
      name: "limitation",
      title: say(lang, "limitation", { days: report.limitation.withinDays, expired: report.limitation.expired.charges }),
      columns: columns(lang, [["account", "text"], ["unit", "text"], ["owner", "text"], ["charge", "text"], ["due", "date"], ["ends", "date"], ["days_left", "count"], ["unpaid", "money"]]),
      rows: report.limitation.debts.map((d) => [d.accountId, d.unit ?? "", d.ownerName ?? "", d.chargeId, d.dueOn, d.endsOn, d.daysLeft, d.unpaidMinor]),
    },
    {
      name: "review",
      title: say(lang, "review", { count: report.review.length }),
      columns: columns(lang, REVIEW_HEADER.map((id) => [id, id === "on" || (id.startsWith("hold_") && id !== "hold_type") ? "date" : "text"] as const)),
      rows: report.review.map(reviewRow),
    },
    {
      name: "skipped",
      title: say(lang, "skipped"),
      columns: columns(lang, [["account", "text"], ["reason", "text"]]),
      rows: report.skipped.map((s) => [s.accountId, s.reason]),
    },
  ];
  return sections;
}

/** `bp` basis points as the percentage a person reads: 6667 → `66.67%`; none → `-`. */
export function percentText(bp: number | null): string {
  // Whole numbers only: 2848 → 28.48%, exactly, with no float in between.
  if (bp === null) return "-";
  const sign = bp < 0 ? "-" : "";
  const abs = Math.abs(bp);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, "0")}%`;
}
