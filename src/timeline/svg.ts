/**
 * The timeline as one self-contained SVG: no fonts, scripts, images or links from anywhere (the
 * only URL is the SVG namespace). model.ts decides what is shown, layout.ts where; this file
 * draws it. Planned actions are filled markers; actions already carried out are hollow, ticked
 * and grey-labelled, left of the dashed "as of" line.
 */
import type { Policy } from "../rules/schema.js";
import { addMonths, civilOf, formatCivilDate, type EpochDay } from "../schedule/time/civil-date.js";
import { AXIS_Y, GAP_ROW_H, LEFT, layoutModel, RIGHT, textWidth, WIDTH, type Layout, type Placed } from "./layout.js";
import { firstOfMonth, timelineModel, type TimelineModel, type TimelineOptions } from "./model.js";
import { escapeAttr, escapeText, KIND_COLORS, KIND_LABELS } from "./text.js";
import { formatMinor } from "../schedule/fees/money-text.js";

const FONT = "DejaVu Sans, Liberation Sans, Arial, Helvetica, Noto Sans CJK SC, WenQuanYi Micro Hei, sans-serif";
const DONE_LABEL = "#475569";

export function renderTimelineSvg(policy: Policy, options: TimelineOptions = {}): string {
  return svgOfModel(timelineModel(policy, options));
}

/** The SVG for a computed model (the HTML page reuses the model for its tables, and draws its own legend: `legend: false`). */
export function svgOfModel(model: TimelineModel, { legend = true }: { legend?: boolean } = {}): string {
  const layout = layoutModel(model);
  const { xOf, lanes, holdsTop, holdsH } = layout;
  // The last 28 pixels hold the one-line legend; the page's legend is its own.
  const height = legend ? layout.height : layout.height - 28;
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="${escapeAttr(FONT)}" font-size="11" role="img" aria-labelledby="tl-title">`,
  );
  out.push(`<title id="tl-title">${escapeText(`${model.title}. ${model.subtitle}`)}</title>`);
  out.push(
    `<defs><marker id="tl-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#475569"/></marker>` +
      `<pattern id="tl-hatch" patternUnits="userSpaceOnUse" width="8" height="8" patternTransform="rotate(45)"><rect width="8" height="8" fill="#fde68a" fill-opacity="0.35"/><line x1="0" y1="0" x2="0" y2="8" stroke="#d97706" stroke-opacity="0.35" stroke-width="3"/></pattern></defs>`,
  );
  out.push(`<rect x="0" y="0" width="${WIDTH}" height="${height}" fill="#ffffff"/>`);
  out.push(`<text x="20" y="34" font-size="20" font-weight="bold" fill="#0f172a">${escapeText(model.title)}</text>`);
  out.push(`<text x="20" y="58" font-size="13" fill="#334155">${escapeText(model.subtitle)}</text>`);

  // Lane backgrounds and names.
  lanes.forEach((lane, i) => {
    out.push(`<rect x="10" y="${lane.top}" width="${WIDTH - 20}" height="${lane.height}" rx="4" fill="${i % 2 === 0 ? "#f8fafc" : "#f1f5f9"}" stroke="#e2e8f0"/>`);
    out.push(`<text x="20" y="${lane.top + 22}" font-size="13" font-weight="bold" fill="#0f172a">${escapeText(lane.label)}</text>`);
    out.push(`<text x="20" y="${lane.top + 38}" font-size="10" fill="#64748b">${escapeText(lane.sub)}</text>`);
  });

  const bottom = lanes.length > 0 ? lanes.at(-1)!.top + lanes.at(-1)!.height : AXIS_Y;
  const gridBottom = holdsH > 0 ? holdsTop + holdsH : bottom;
  drawAxis(out, model, xOf, gridBottom);
  if (model.asOf !== undefined && model.asOf >= model.from && model.asOf <= model.to) {
    // The line between what was done and what is planned.
    const x = xOf(model.asOf).toFixed(1);
    out.push(`<g class="as-of"><line x1="${x}" y1="${AXIS_Y + 8}" x2="${x}" y2="${gridBottom}" stroke="#0f172a" stroke-width="1.2" stroke-dasharray="6 4"/>`);
    out.push(`<text x="${x}" y="${AXIS_Y + 20}" text-anchor="middle" font-size="10" font-weight="bold" fill="#0f172a">${escapeText(`as of ${formatCivilDate(model.asOf)}`)}</text></g>`);
  }
  if (holdsH > 0) drawHolds(out, model, layout);

  for (const lane of lanes) {
    const rowsTop = lane.top + 10;
    for (const p of lane.placed) {
      if (p.done) drawDone(out, p, rowsTop + p.row * layout.rowH);
      else drawPlanned(out, model, p, rowsTop + p.row * layout.rowH);
    }
    const gapsTop = rowsTop + Math.max(lane.rows, 1) * layout.rowH;
    for (const g of lane.gaps) {
      const gy = gapsTop + g.row * GAP_ROW_H + 12;
      out.push(
        `<g class="gap"><line x1="${g.x1.toFixed(1)}" y1="${gy}" x2="${(g.x2 - 1).toFixed(1)}" y2="${gy}" stroke="#475569" stroke-width="1.2" marker-end="url(#tl-arrow)"/>` +
          `<line x1="${g.x1.toFixed(1)}" y1="${gy - 4}" x2="${g.x1.toFixed(1)}" y2="${gy + 4}" stroke="#475569"/>` +
          `<text x="${g.tx.toFixed(1)}" y="${gy - 3}" text-anchor="${g.anchor}" font-size="10" fill="#334155">${escapeText(g.text)}</text></g>`,
      );
    }
    model.notReached
      .filter((n) => n.lane === lane.id)
      .forEach((n, i) => {
        const ny = gapsTop + lane.gapRows * GAP_ROW_H + 12 + i * 16;
        out.push(`<text x="${LEFT}" y="${ny}" font-size="10.5" font-style="italic" fill="#64748b">${escapeText(`${KIND_LABELS[n.kind] ?? n.kind} (${n.stage}): ${n.trigger} — not reached in this window`)}</text>`);
      });
  }

  if (legend) {
    const text = `● owner action  ■ staff action  ◌ needs review${model.done.length > 0 ? "  ○✓ carried out (recorded)" : ""}  ⟶ gap kept after the previous warning (days)  ⊔ deadline of a written demand  · drawn by property-dunning, no data leaves this file`;
    out.push(`<text class="legend" x="20" y="${height - 14}" font-size="10" fill="#64748b">${escapeText(text)}</text>`);
  }
  out.push(`</svg>`);
  return `${out.join("\n")}\n`;
}

/** Month ticks, labels and the grid. */
function drawAxis(out: string[], model: TimelineModel, xOf: Layout["xOf"], gridBottom: number): void {
  out.push(`<line x1="${LEFT}" y1="${AXIS_Y}" x2="${WIDTH - RIGHT}" y2="${AXIS_Y}" stroke="#334155" stroke-width="1.5"/>`);
  const months: EpochDay[] = [];
  for (let d = firstOfMonth(model.from); d <= model.to; d = addMonths(d, 1)) if (d >= model.from) months.push(d);
  const step = months.length > 30 ? 3 : months.length > 18 ? 2 : 1;
  months.forEach((d, i) => {
    const x = xOf(d).toFixed(1);
    const [yy, mm] = civilOf(d);
    const january = mm === 1;
    out.push(`<line x1="${x}" y1="${AXIS_Y - 6}" x2="${x}" y2="${AXIS_Y + 6}" stroke="#334155"/>`);
    out.push(`<line x1="${x}" y1="${AXIS_Y + 8}" x2="${x}" y2="${gridBottom}" stroke="${january ? "#94a3b8" : "#e2e8f0"}" stroke-dasharray="${january ? "" : "3 3"}"/>`);
    if (i % step === 0 || january)
      out.push(`<text x="${x}" y="${AXIS_Y - 10}" text-anchor="middle" font-size="11" fill="#334155"${january ? ' font-weight="bold"' : ""}>${escapeText(`${yy}-${String(mm).padStart(2, "0")}`)}</text>`);
  });
}

/** Holds: shaded spans over every lane, named in their own band. */
function drawHolds(out: string[], model: TimelineModel, { xOf, holdsTop }: Layout): void {
  out.push(`<text x="20" y="${holdsTop + 16}" font-size="13" font-weight="bold" fill="#92400e">Holds</text>`);
  model.holds.forEach((h, i) => {
    const x1 = xOf(h.from);
    const x2 = Math.max(x1 + 3, xOf(h.to + 1));
    out.push(`<g class="hold"><title>${escapeText(`${h.id}: ${h.label} (${formatCivilDate(h.from)} – ${h.open ? "open" : formatCivilDate(h.to)})`)}</title>`);
    out.push(`<rect x="${x1.toFixed(1)}" y="${AXIS_Y + 8}" width="${(x2 - x1).toFixed(1)}" height="${(holdsTop - AXIS_Y - 8).toFixed(1)}" fill="url(#tl-hatch)" stroke="#d97706" stroke-opacity="0.6"/>`);
    const by = holdsTop + 8 + i * 18;
    out.push(`<rect x="${x1.toFixed(1)}" y="${by}" width="${(x2 - x1).toFixed(1)}" height="14" fill="#fcd34d" stroke="#b45309"/>`);
    const label = `${h.label} · ${formatCivilDate(h.from)} – ${h.open ? "…" : formatCivilDate(h.to)}`;
    // The label sits right of the bar, or left of it near the right edge, never across its end.
    const right = x2 + 6 + textWidth(label, 10) <= WIDTH - 12;
    const lx = right ? x2 + 6 : x1 - 6;
    out.push(`<text x="${lx.toFixed(1)}" y="${by + 11}" font-size="10" fill="#78350f"${right ? "" : ' text-anchor="end"'}>${escapeText(label)}</text></g>`);
  });
}

function drawLabel(out: string[], p: Placed, ry: number, fill: (line: number) => string): void {
  p.lines.forEach((line, i) => {
    const size = i === 0 ? 12 : 10.5;
    const weight = i === 0 ? ' font-weight="bold"' : "";
    const tx = (p.flip ? p.x - 10 : p.x + 10).toFixed(1);
    out.push(`<text x="${tx}" y="${ry + 14 + i * 13}" font-size="${size}"${weight} fill="${fill(i)}"${p.flip ? ' text-anchor="end"' : ""}>${escapeText(line)}</text>`);
  });
}

/** An action already carried out: a hollow ring in its kind's colour with a tick, a grey label. */
function drawDone(out: string[], p: Placed, ry: number): void {
  const d = p.done!;
  const my = ry + 10;
  const color = d.kind ? KIND_COLORS[d.kind] : "#64748b";
  const tip = [`carried out ${d.on}: ${d.stage}${d.kind ? ` (${d.kind})` : ""}${d.recordedAs !== undefined ? `, recorded as ${d.recordedAs}` : ""}`, `channels: ${d.channels.join(", ") || "as recorded"}`, ...(d.covers.length > 0 ? [`covers ${d.covers.join(", ")}`] : []), ...(d.conversation ? ["reached the owner"] : []), d.id].join("\n");
  out.push(`<g class="done" data-stage="${escapeAttr(d.stage)}" data-kind="${escapeAttr(d.kind ?? "")}" data-on="${escapeAttr(d.on)}"><title>${escapeText(tip)}</title>`);
  out.push(`<line x1="${p.x.toFixed(1)}" y1="${AXIS_Y + 8}" x2="${p.x.toFixed(1)}" y2="${my}" stroke="${color}" stroke-opacity="0.18"/>`);
  out.push(`<circle cx="${p.x.toFixed(1)}" cy="${my}" r="6" fill="#ffffff" stroke="${color}" stroke-width="2.2"/>`);
  out.push(`<path d="M${(p.x - 3).toFixed(1)},${my} L${(p.x - 0.8).toFixed(1)},${my + 2.5} L${(p.x + 3.2).toFixed(1)},${my - 2.8}" fill="none" stroke="${color}" stroke-width="1.6"/>`);
  drawLabel(out, p, ry, () => DONE_LABEL);
  out.push(`</g>`);
}

/** A planned action: a filled marker (circle for the owner, square for staff), its label, amounts and deadline. */
function drawPlanned(out: string[], model: TimelineModel, p: Placed, ry: number): void {
  const a = p.action!;
  const digits = model.policy.currency.minorDigits;
  const my = ry + 10;
  const color = KIND_COLORS[a.kind] ?? "#334155";
  const tip = [
    `${a.plannedOn} ${a.stage} (${a.kind})${a.title ? ` ${a.title}` : ""}`,
    `channels: ${a.channels.join(", ")}`,
    `overdue ${formatMinor(a.overdueMinor, digits)} + late fee ${formatMinor(a.lateFeeMinor, digits)} = ${formatMinor(a.totalMinor, digits)} ${a.currency}`,
    ...(a.deadlineOn ? [`pay by ${a.deadlineOn}`] : []),
    ...(a.requiresReview ? ["requires review"] : []),
    a.because.summary,
  ].join("\n");
  out.push(`<g class="action" data-stage="${escapeAttr(a.stage)}" data-kind="${escapeAttr(a.kind)}" data-on="${escapeAttr(a.plannedOn)}"><title>${escapeText(tip)}</title>`);
  out.push(`<line x1="${p.x.toFixed(1)}" y1="${AXIS_Y + 8}" x2="${p.x.toFixed(1)}" y2="${my}" stroke="${color}" stroke-opacity="0.18"/>`);
  if (a.audience === "staff") out.push(`<rect x="${(p.x - 6).toFixed(1)}" y="${my - 6}" width="12" height="12" fill="${color}" stroke="#0f172a" stroke-width="0.8"/>`);
  else out.push(`<circle cx="${p.x.toFixed(1)}" cy="${my}" r="6" fill="${color}" stroke="#0f172a" stroke-width="0.8"/>`);
  if (a.requiresReview) out.push(`<circle cx="${p.x.toFixed(1)}" cy="${my}" r="9.5" fill="none" stroke="${color}" stroke-width="1.5" stroke-dasharray="2 2"/>`);
  drawLabel(out, p, ry, (i) => (i === 0 ? color : i === 2 ? "#0f172a" : "#475569"));
  if (p.deadline) {
    const by = ry + 14 + p.lines.length * 13 - 2;
    const x1 = p.x.toFixed(1);
    const x2 = p.deadline.x.toFixed(1);
    out.push(`<path d="M${x1},${by - 5} L${x1},${by} L${x2},${by} L${x2},${by - 5}" fill="none" stroke="#b91c1c" stroke-width="1.5"/>`);
    out.push(`<text x="${p.deadline.tx.toFixed(1)}" y="${by + 3}" font-size="10" fill="#b91c1c"${p.deadline.anchor === "end" ? ' text-anchor="end"' : ""}>${escapeText(p.deadline.text)}</text>`);
  }
  out.push(`</g>`);
}
