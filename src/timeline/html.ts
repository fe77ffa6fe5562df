/** A standalone HTML page: the timeline SVG inline, a legend and a table of the actions. No network. */
import type { Policy } from "../rules/schema.js";
import { STAGE_KINDS } from "../rules/kinds.js";
import { timelineModel, type TimelineOptions } from "./model.js";
import { svgOfModel } from "./svg.js";
import { escapeAttr, escapeText, KIND_COLORS, KIND_LABELS } from "./text.js";
import { selfContainedPage } from "../text/index.js";
import { formatMinor } from "../schedule/fees/money-text.js";

const CSS = `
body { font-family: "DejaVu Sans", "Liberation Sans", Arial, Helvetica, "Noto Sans CJK SC", "WenQuanYi Micro Hei", sans-serif; margin: 16px; color: #0f172a; background: #fff; }
h1 { font-size: 20px; margin: 0 0 4px; }
p.sub { margin: 0 0 12px; color: #334155; }
.chart svg { max-width: 100%; height: auto; border: 1px solid #e2e8f0; }
.legend { display: flex; flex-wrap: wrap; gap: 6px 18px; margin: 10px 0 16px; font-size: 13px; }
.legend span.sw { display: inline-block; width: 12px; height: 12px; border-radius: 6px; vertical-align: -1px; margin-right: 5px; border: 1px solid #0f172a; }
.legend span.hold { border-radius: 0; background: #fcd34d; border-color: #b45309; }
table { border-collapse: collapse; font-size: 12.5px; width: 100%; }
th, td { border: 1px solid #cbd5e1; padding: 4px 6px; text-align: left; vertical-align: top; }
th { background: #f1f5f9; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.date { white-space: nowrap; }
`;

export function renderTimelineHtml(policy: Policy, options: TimelineOptions = {}): string {
  const model = timelineModel(policy, options);
  const digits = policy.currency.minorDigits;
  const kinds = STAGE_KINDS.filter((k) => policy.stages.some((s) => s.kind === k) || model.actions.some((a) => a.kind === k));
  const legend = [
    ...kinds.map((k) => `<span><span class="sw" style="background:${escapeAttr(KIND_COLORS[k])}"></span>${escapeText(KIND_LABELS[k])}</span>`),
    `<span>● owner action, ■ staff action, dashed ring: needs review</span>`,
    `<span>red bracket: deadline of a written demand</span>`,
    `<span>arrow: days kept after the previous warning</span>`,
    ...(model.done.length > 0 ? [`<span>○✓ hollow, ticked: carried out (recorded on the ledger); dashed line: as of</span>`] : []),
    ...(model.holds.length > 0 ? [`<span><span class="sw hold"></span>hold (dispute, plan, promise, manual)</span>`] : []),
  ].join("\n");
  const rows = model.actions
    .map((a) =>
      [
        `<tr>`,
        `<td class="date">${escapeText(a.plannedOn)}</td>`,
        `<td>${escapeText(a.stage)}</td>`,
        `<td>${escapeText(KIND_LABELS[a.kind] ?? a.kind)}</td>`,
        `<td>${escapeText(a.title ?? "")}</td>`,
        `<td>${escapeText(a.channels.join(", "))}</td>`,
        `<td>${escapeText(a.audience)}${a.requiresReview ? ", review" : ""}</td>`,
        `<td class="date">${escapeText(a.deadlineOn ?? "")}</td>`,
        `<td class="num">${escapeText(formatMinor(a.overdueMinor, digits))}</td>`,
        `<td class="num">${escapeText(formatMinor(a.lateFeeMinor, digits))}</td>`,
        `<td class="num">${escapeText(formatMinor(a.totalMinor, digits))}</td>`,
        `<td>${escapeText(a.because.summary)}</td>`,
        `</tr>`,
      ].join(""),
    )
    .join("\n");
  const done = model.done
    .map((d) =>
      [
        `<tr>`,
        `<td class="date">${escapeText(d.on)}</td>`,
        `<td>${escapeText(d.recordedAs !== undefined ? `${d.stage} (recorded as ${d.recordedAs})` : d.stage)}</td>`,
        `<td>${escapeText(d.kind ? KIND_LABELS[d.kind] : "")}</td>`,
        `<td>${escapeText(d.channels.join(", "))}</td>`,
        `<td>${escapeText(d.covers.join(", "))}</td>`,
        `<td>${d.conversation ? "yes" : ""}</td>`,
        `</tr>`,
      ].join(""),
    )
    .join("\n");
  const doneTable =
    model.mode === "account"
      ? `<h2>Carried out</h2>\n${
          done
            ? `<table>\n<thead><tr><th>On</th><th>Stage</th><th>Kind</th><th>Channels</th><th>Covers</th><th>Reached the owner</th></tr></thead>\n<tbody>\n${done}\n</tbody>\n</table>\n`
            : "<p>Nothing recorded yet.</p>\n"
        }${model.doneBefore > 0 ? `<p>${model.doneBefore} older recorded action${model.doneBefore === 1 ? "" : "s"} not shown.</p>\n` : ""}`
      : "";
  const holds = model.holds.map((h) => `<li>${escapeText(`${h.id}: ${h.label}`)}</li>`).join("\n");
  return selfContainedPage({
    lang: "en",
    title: model.title,
    css: CSS,
    body: `<div class="chart">
${svgOfModel(model, { legend: false })}</div>
<div class="legend">
${legend}
</div>
${holds ? `<h2>Holds</h2>\n<ul>\n${holds}\n</ul>\n` : ""}${doneTable}<h2>${model.mode === "account" ? "Forecast" : "Actions"}</h2>
<table>
<thead><tr><th>Planned</th><th>Stage</th><th>Kind</th><th>Title</th><th>Channels</th><th>For</th><th>Deadline</th><th>Overdue (${escapeText(policy.currency.code)})</th><th>Late fee</th><th>Total</th><th>Why</th></tr></thead>
<tbody>
${rows}
</tbody>
</table>`,
  });
}
