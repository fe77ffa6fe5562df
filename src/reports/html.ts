/**
 * The report as one self-contained HTML page for an estate manager: the collection rate month by
 * month against a target, arrears aging, accounts by stage in ladder order, holds, the end of the
 * road, debts near their limitation date, items for review and skipped accounts, each picture
 * with its numbers beside it. Inline CSS and SVG only: no script, no font, no image, no link (a
 * Content-Security-Policy says so to the browser), so it opens from a file, offline, and can be
 * mailed. Every text from the ledger or a policy is escaped (text/xml.ts). Each number shown
 * carries its exact value in `data-v` (minor units, basis points, counts), as in the JSON report.
 */
import { STAGE_KIND_TABLE } from "../rules/kinds.js";
import { formatMinor } from "../schedule/fees/money-text.js";
import { escapeAttr, escapeText, selfContainedPage } from "../text/index.js";
import { barCell, COLORS, monthlyChart } from "./html-charts.js";
import { say, type ReportLang } from "./locale.js";
import type { Report } from "./report.js";
import { percentText, reportSections, type Cell, type Column, type Section } from "./sections.js";

const CSS = `
body { font-family: "DejaVu Sans", "Liberation Sans", Arial, Helvetica, "Noto Sans CJK SC", "WenQuanYi Micro Hei", "Microsoft YaHei", sans-serif; margin: 20px; color: #0f172a; background: #fff; max-width: 1280px; }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 16px; margin: 26px 0 8px; border-bottom: 1px solid #e2e8f0; padding-bottom: 4px; }
p.sub, footer { color: #475569; margin: 0 0 12px; font-size: 13px; }
.cards { display: flex; flex-wrap: wrap; gap: 12px; margin: 12px 0; }
.card { border: 1px solid #cbd5e1; border-radius: 6px; padding: 10px 14px; min-width: 170px; }
.card .v { font-size: 24px; font-weight: bold; font-variant-numeric: tabular-nums; }
.card .k { font-size: 12px; color: #475569; }
.card.met .v { color: ${COLORS.met}; } .card.below .v { color: ${COLORS.below}; }
.pair { display: flex; flex-wrap: wrap; gap: 18px; align-items: flex-start; }
table { border-collapse: collapse; font-size: 12.5px; }
th, td { border: 1px solid #cbd5e1; padding: 3px 7px; text-align: left; vertical-align: middle; }
th { background: #f1f5f9; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.date { white-space: nowrap; }
td.bar { padding: 2px 4px; }
tr.ladder th { background: #e2e8f0; text-align: left; }
span.sw { display: inline-block; width: 10px; height: 10px; border-radius: 5px; margin-right: 5px; vertical-align: 0; border: 1px solid #0f172a; }
`;

interface Ctx {
  report: Report;
  lang: ReportLang;
  digits: number;
}

/** A number cell: the text people read, the exact value in `data-v`. */
function num(v: number | null, text: string): string {
  return `<td class="num" data-v="${v ?? ""}">${escapeText(text)}</td>`;
}

function cell(ctx: Ctx, v: Cell, c: Column): string {
  if (c.kind === "money" && typeof v === "number") return num(v, formatMinor(v, ctx.digits));
  if (c.kind === "rate") return num(typeof v === "number" ? v : null, percentText(typeof v === "number" ? v : null));
  if (c.kind === "count" && typeof v === "number") return num(v, String(v));
  return `<td${c.kind === "date" ? ' class="date"' : ""}>${escapeText(v === null ? "" : String(v))}</td>`;
}

function head(columns: readonly string[]): string {
  return `<thead><tr>${columns.map((c) => `<th>${escapeText(c)}</th>`).join("")}</tr></thead>`;
}

/** A section as a plain table (limitation, review, skipped, collection by segment). */
function plainTable(ctx: Ctx, s: Section): string {
  if (s.rows.length === 0) return `<p>${escapeText(say(ctx.lang, "nothing"))}</p>`;
  const rows = s.rows.map((r) => `<tr>${r.map((v, i) => cell(ctx, v, s.columns[i]!)).join("")}</tr>`).join("\n");
  return `<table>${head(s.columns.map((c) => c.label))}\n<tbody>\n${rows}\n</tbody></table>`;
}

/**
 * A section as bars: the row's name, a bar of column `barAt` (scaled to the largest), then every
 * number. `colorOf` picks each row's colour; `groupAt` starts a heading row when that column changes.
 */
function barTable(ctx: Ctx, s: Section, barAt: number, colorOf: (row: number) => string, groupAt?: number): string {
  const max = Math.max(0, ...s.rows.map((r) => (typeof r[barAt] === "number" ? (r[barAt] as number) : 0)));
  const named = s.columns.map((_, i) => i).filter((i) => s.columns[i]!.kind === "text" && i !== groupAt);
  const numbers = s.columns.map((_, i) => i).filter((i) => s.columns[i]!.kind !== "text");
  let group: Cell | undefined;
  const rows: string[] = [];
  s.rows.forEach((r, ri) => {
    if (groupAt !== undefined && r[groupAt] !== group && r[groupAt] !== "") {
      group = r[groupAt];
      rows.push(`<tr class="ladder"><th colspan="${named.length + 1 + numbers.length}">${escapeText(String(group))}</th></tr>`);
    }
    const names = named.map((i) => `<td>${i === named[0] ? `<span class="sw" style="background:${escapeAttr(colorOf(ri))}"></span>` : ""}${escapeText(String(r[i] ?? ""))}</td>`);
    rows.push(`<tr data-row="${ri}">${names.join("")}${barCell(typeof r[barAt] === "number" ? (r[barAt] as number) : 0, max, colorOf(ri))}${numbers.map((i) => cell(ctx, r[i]!, s.columns[i]!)).join("")}</tr>`);
  });
  // The bar's column has no heading of its own: its number is beside it, under its name.
  const header = [...named.map((i) => s.columns[i]!.label), "", ...numbers.map((i) => s.columns[i]!.label)];
  return `<table class="bars">${head(header)}\n<tbody>\n${rows.join("\n")}\n</tbody></table>`;
}

const AGING_COLORS = ["#facc15", "#f59e0b", "#ea580c", "#dc2626", "#7f1d1d"];

function card(value: string, label: string, cls = "", v?: number | null): string {
  return `<div class="card ${cls}"><div class="v"${v !== undefined ? ` data-v="${v ?? ""}"` : ""}>${escapeText(value)}</div><div class="k">${escapeText(label)}</div></div>`;
}

/** The report as one HTML page in `lang` (default English). */
export function renderReportHtml(report: Report, options: { lang?: ReportLang } = {}): string {
  const lang = options.lang ?? "en";
  const ctx: Ctx = { report, lang, digits: report.currency.minorDigits };
  const sections = new Map(reportSections(report, lang).map((s) => [s.name, s]));
  const target = report.monthly.targetBasisPoints;
  const rate = report.collection.basisPoints;
  const t = (key: Parameters<typeof say>[1], vars?: Parameters<typeof say>[2]) => say(lang, key, vars);
  const a = report.accounts;
  const cards = [
    card(percentText(rate), `${t("col_rate")} ${report.period.from} – ${report.period.to}${target === null ? "" : ` · ${t("target", { rate: percentText(target) })}`}`, target === null || rate === null ? "" : rate >= target ? "met" : "below", rate),
    card(formatMinor(a.overdueMinor, ctx.digits), `${t("col_overdue")} (${report.currency.code})`, "", a.overdueMinor),
    card(String(a.withOverdue), t("inArrears"), "", a.withOverdue),
    card(String(report.holds.accounts), t("hold_accounts"), "", report.holds.accounts),
  ].join("\n");

  const part = (id: string, title: string, body: string) => `<section id="${id}">\n<h2>${escapeText(title)}</h2>\n${body}\n</section>`;
  const monthly = sections.get("monthly")!;
  const stages = sections.get("stages")!;
  const stageColor = (row: number) => {
    const kind = report.stages[row]?.kind;
    return kind ? STAGE_KIND_TABLE[kind].color : COLORS.muted;
  };
  const body = [
    part(
      "monthly",
      monthly.title,
      `<div class="pair"><div class="chart">${monthlyChart(report.monthly.months, target, { target: t("target", { rate: percentText(target) }), title: monthly.title })}</div>\n${plainTable(ctx, monthly)}</div>${target === null ? `\n<p class="sub">${escapeText(t("noTarget"))}</p>` : ""}`,
    ),
    part("collection", sections.get("collection")!.title, plainTable(ctx, sections.get("collection")!)),
    part("aging", sections.get("aging")!.title, barTable(ctx, sections.get("aging")!, 3, (i) => AGING_COLORS[i] ?? COLORS.muted)),
    part("stages", stages.title, barTable(ctx, stages, 3, stageColor, 0)),
    part("holds", sections.get("holds")!.title, barTable(ctx, sections.get("holds")!, 1, () => "#f59e0b")),
    ...(sections.has("terminal") ? [part("terminal", sections.get("terminal")!.title, barTable(ctx, sections.get("terminal")!, 1, () => "#7c3aed"))] : []),
    part("limitation", sections.get("limitation")!.title, plainTable(ctx, sections.get("limitation")!)),
    part("review", sections.get("review")!.title, plainTable(ctx, sections.get("review")!)),
    part("skipped", sections.get("skipped")!.title, plainTable(ctx, sections.get("skipped")!)),
  ].join("\n");
  const title = `${t("reportTitle")} ${report.asOf}`;
  const headline = t("head", { asOf: report.asOf, currency: report.currency.code, read: a.read, skipped: a.skipped, withOverdue: a.withOverdue, overdue: formatMinor(a.overdueMinor, ctx.digits) });
  return selfContainedPage({
    lang,
    title,
    css: CSS,
    body: `<h1>${escapeText(title)}</h1>\n<p class="sub">${escapeText(headline)}</p>\n<div class="cards">\n${cards}\n</div>\n${body}\n<footer>${escapeText(t("generated"))}</footer>`,
  });
}
