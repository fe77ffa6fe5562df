/**
 * The report page's pictures, as inline SVG: the collection rate month by month against a
 * target, and one bar per row beside its numbers. Numbers are drawn as text next to each bar, so
 * that the page reads without hovering and prints as it shows. Text from a ledger or a policy is
 * escaped (text/xml.ts).
 */
import { escapeAttr, escapeText } from "../text/index.js";
import type { MonthRate } from "./monthly.js";
import { percentText } from "./sections.js";

export const COLORS = { met: "#15803d", below: "#d97706", neutral: "#2563eb", target: "#b91c1c", axis: "#334155", grid: "#e2e8f0", muted: "#64748b" } as const;

const W = 680;
const H = 280;
const LEFT = 48;
const RIGHT = 16;
const TOP = 28;
const BOTTOM = 40;

/**
 * The months as columns from 0 to 100 %, each labelled with its rate; a dashed line at the
 * target, columns at or above it green, below it amber (blue when no target is set). A month with
 * nothing billed has no column and says so with a dash.
 */
export function monthlyChart(months: readonly MonthRate[], targetBp: number | null, labels: { target: string; title: string }): string {
  const plotW = W - LEFT - RIGHT;
  const plotH = H - TOP - BOTTOM;
  const slot = plotW / Math.max(months.length, 1);
  const barW = Math.min(44, slot * 0.7);
  const yOf = (bp: number) => TOP + plotH - (Math.max(0, Math.min(bp, 10000)) / 10000) * plotH;
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" class="monthly" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" role="img" aria-label="${escapeAttr(labels.title)}">`);
  for (const bp of [0, 2500, 5000, 7500, 10000]) {
    const y = yOf(bp).toFixed(1);
    out.push(`<line x1="${LEFT}" y1="${y}" x2="${W - RIGHT}" y2="${y}" stroke="${bp === 0 ? COLORS.axis : COLORS.grid}"/>`);
    out.push(`<text x="${LEFT - 6}" y="${(yOf(bp) + 4).toFixed(1)}" text-anchor="end" font-size="11" fill="${COLORS.muted}">${bp / 100}%</text>`);
  }
  months.forEach((m, i) => {
    const cx = LEFT + slot * i + slot / 2;
    const color = targetBp === null ? COLORS.neutral : m.basisPoints !== null && m.basisPoints >= targetBp ? COLORS.met : COLORS.below;
    out.push(`<g class="month" data-month="${escapeAttr(m.month)}" data-bp="${m.basisPoints ?? ""}">`);
    out.push(`<title>${escapeText(`${m.month}: ${percentText(m.basisPoints)}`)}</title>`);
    if (m.basisPoints !== null) {
      const y = yOf(m.basisPoints);
      out.push(`<rect x="${(cx - barW / 2).toFixed(1)}" y="${y.toFixed(1)}" width="${barW.toFixed(1)}" height="${(TOP + plotH - y).toFixed(1)}" fill="${color}"/>`);
    }
    const label = m.basisPoints === null ? "–" : percentText(m.basisPoints);
    const ly = m.basisPoints === null ? TOP + plotH - 6 : yOf(m.basisPoints) - 5;
    out.push(`<text class="rate" x="${cx.toFixed(1)}" y="${ly.toFixed(1)}" text-anchor="middle" font-size="${slot < 60 ? 9.5 : 11}" font-weight="bold" fill="#0f172a">${escapeText(label)}</text>`);
    out.push(`<text x="${cx.toFixed(1)}" y="${H - BOTTOM + 16}" text-anchor="middle" font-size="10.5" fill="${COLORS.axis}">${escapeText(m.month)}</text>`);
    out.push(`</g>`);
  });
  if (targetBp !== null) {
    const y = yOf(targetBp).toFixed(1);
    out.push(`<g class="target" data-bp="${targetBp}"><line x1="${LEFT}" y1="${y}" x2="${W - RIGHT}" y2="${y}" stroke="${COLORS.target}" stroke-width="1.5" stroke-dasharray="6 4"/>`);
    out.push(`<text x="${W - RIGHT}" y="${(yOf(targetBp) - 5).toFixed(1)}" text-anchor="end" font-size="11" font-weight="bold" fill="${COLORS.target}">${escapeText(labels.target)}</text></g>`);
  }
  out.push(`</svg>`);
  return out.join("\n");
}

/** One bar, `value` of `max`, for a table cell; the number itself is in the next cell. */
export function barCell(value: number, max: number, color: string): string {
  const width = 220;
  const w = max > 0 ? Math.max(value > 0 ? 2 : 0, Math.round((value / max) * width)) : 0;
  return `<td class="bar"><svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="14" viewBox="0 0 ${width} 14" aria-hidden="true"><rect x="0" y="1" width="${width}" height="12" fill="#f1f5f9"/><rect x="0" y="1" width="${w}" height="12" fill="${escapeAttr(color)}"/></svg></td>`;
}
