/**
 * A policy's ladder on a time axis, as one self-contained SVG: no fonts, scripts, images or
 * links from anywhere (the only URL is the SVG namespace). Without a forecast it draws what the
 * real scheduler plans for a sample charge left unpaid for 14 months; with an account's forecast
 * it plots those actions with their amounts and shades the account's holds.
 */
import type { StageKind } from "../rules/kinds.js";
import type { Policy } from "../rules/schema.js";
import type { AccountSnapshot } from "../schedule/account.js";
import type { PlannedAction } from "../schedule/action.js";
import { addMonths, civilDate, civilOf, epochDayOf, formatCivilDate, type EpochDay } from "../schedule/civil-date.js";
import { createScheduler } from "../schedule/scheduler.js";

export interface TimelineOptions {
  /** An account's forecast to plot; without it, the policy's regular timeline for a sample charge. */
  forecast?: PlannedAction[];
  /** The account the forecast is for: its id, owner and holds are drawn. */
  account?: AccountSnapshot;
  /** Start of the axis. Without a forecast: the sample charge falls due on the 1st of this month (default 2026-03-01). */
  from?: string;
}

/** What the drawing shows, computed once and shared by the SVG and the HTML page. */
export interface TimelineModel {
  policy: Policy;
  mode: "policy" | "account";
  title: string;
  subtitle: string;
  from: EpochDay;
  to: EpochDay;
  actions: PlannedAction[];
  holds: HoldSpan[];
  /** Stages that never fall due in the window (e.g. a review years before limitation). */
  notReached: { stage: string; kind: StageKind; lane: LaneId; trigger: string }[];
}

export interface HoldSpan {
  id: string;
  type: string;
  from: EpochDay;
  to: EpochDay;
  label: string;
  /** True when the span runs past the window (open-ended or later end). */
  open: boolean;
}

export type LaneId = "charge" | "arrears" | "staff";
export const LANES: readonly { id: LaneId; label: string; sub: string }[] = [
  { id: "charge", label: "Charge ladder", sub: "per charge: bill, dunning, final" },
  { id: "arrears", label: "Arrears ladder", sub: "per account: months in arrears" },
  { id: "staff", label: "Limitation / staff", sub: "reviews, follow-ups, holds" },
];

/** Labels people read; the ids stay in the table. */
export const KIND_LABELS: Readonly<Record<StageKind, string>> = {
  staffFollowUp: "staff follow-up",
  billingNotice: "billing notice",
  reminder: "reminder",
  phoneCall: "phone call",
  dunningNotice: "dunning notice",
  homeVisit: "home visit",
  formalLetter: "formal letter",
  finalNotice: "final notice",
  legalReview: "legal review",
  lawyerLetter: "lawyer's letter",
};

/** Fill colours by kind: informational blue, pressing orange, demands red, legal purple. */
export const KIND_COLORS: Readonly<Record<StageKind, string>> = {
  staffFollowUp: "#6b7280",
  billingNotice: "#2563eb",
  reminder: "#0891b2",
  phoneCall: "#d97706",
  dunningNotice: "#ea580c",
  homeVisit: "#ca8a04",
  formalLetter: "#dc2626",
  finalNotice: "#b91c1c",
  legalReview: "#7c3aed",
  lawyerLetter: "#6d28d9",
};

/** XML text content: `&`, `<`, `>`. */
export function escapeText(text: string): string {
  return text.replace(/[&<>]/g, (c) => (c === "&" ? "&amp;" : c === "<" ? "&lt;" : "&gt;"));
}

/** XML attribute values (always double-quoted): also `"` and `'`. */
export function escapeAttr(text: string): string {
  return escapeText(text).replace(/"/g, "&quot;").replace(/'/g, "&#39;");
}

/** Minor units as a decimal, with integer arithmetic only: 3036000 → "30,360.00". */
export function formatAmount(minor: number, digits: number): string {
  const sign = minor < 0 ? "-" : "";
  let abs = Math.abs(Math.trunc(minor));
  let scale = 1;
  for (let i = 0; i < digits; i++) scale *= 10;
  const whole = Math.floor(abs / scale);
  const frac = abs - whole * scale;
  abs = whole;
  const groups: string[] = [];
  do {
    const g = abs % 1000;
    abs = Math.floor(abs / 1000);
    groups.unshift(abs > 0 ? String(g).padStart(3, "0") : String(g));
  } while (abs > 0);
  return `${sign}${groups.join(",")}${digits > 0 ? `.${String(frac).padStart(digits, "0")}` : ""}`;
}

/** Which lane a stage belongs to: its trigger, followed through `afterStage` chains. */
export function laneOf(policy: Policy, stageId: string, kind?: StageKind): LaneId {
  const byId = new Map(policy.stages.map((s) => [s.id, s]));
  let stage = byId.get(stageId);
  const seen = new Set<string>();
  while (stage && stage.trigger.type === "afterStage" && !seen.has(stage.id)) {
    seen.add(stage.id);
    stage = byId.get(stage.trigger.stage);
  }
  if (!stage) return "staff"; // the scheduler's own hold stages
  if (kind === "staffFollowUp" || kind === "legalReview" || stage.kind === "legalReview" || stage.kind === "staffFollowUp") return "staff";
  switch (stage.trigger.type) {
    case "billingMonthDay":
    case "dueDate":
      return "charge";
    case "arrearsMonths":
      return "arrears";
    default:
      return "staff";
  }
}

function triggerText(t: Policy["stages"][number]["trigger"]): string {
  switch (t.type) {
    case "billingMonthDay":
      return `day ${t.day} of billing month + ${t.monthOffset}`;
    case "dueDate":
      return `${t.offsetDays} days from due date`;
    case "afterStage":
      return `${t.days} days after ${t.stage}`;
    case "arrearsMonths":
      return `${t.months} months in arrears`;
    case "beforeLimitation":
      return `${t.days} days before limitation`;
  }
}

function firstOfMonth(day: EpochDay): EpochDay {
  const [y, m] = civilOf(day);
  return epochDayOf(y, m, 1);
}

function holdSpans(account: AccountSnapshot | undefined, from: EpochDay, to: EpochDay): HoldSpan[] {
  const spans: HoldSpan[] = [];
  for (const h of account?.holds ?? []) {
    let start: string;
    let end: string | undefined;
    let label: string;
    switch (h.type) {
      case "dispute":
        start = h.openedOn;
        end = h.resolvedOn;
        label = `dispute (${h.severity})${h.resolvedOn ? "" : ", open"}`;
        break;
      case "installmentPlan":
        start = h.agreedOn;
        end = h.cancelledOn ?? h.instalments.map((i) => i.dueOn).sort().at(-1);
        label = `installment plan, ${h.instalments.length} instalments${h.cancelledOn ? ", cancelled" : ""}`;
        break;
      case "promiseToPay":
        start = h.madeOn;
        end = h.promisedOn;
        label = `promise to pay by ${h.promisedOn}`;
        break;
      case "manual":
        start = h.from;
        end = h.until;
        label = `manual hold (${h.scope}): ${h.reason}`;
        break;
    }
    let a: EpochDay;
    let b: EpochDay;
    try {
      a = civilDate(start);
      b = end === undefined ? to : civilDate(end);
    } catch {
      continue;
    }
    if (b < from || a > to) continue;
    spans.push({ id: h.id, type: h.type, from: Math.max(a, from), to: Math.min(b, to), label, open: end === undefined || b > to });
  }
  return spans;
}

/** The sample account of the policy view: one charge, due on the 1st of `from`'s month, never paid. */
export function sampleAccount(policy: Policy, dueOn: string): AccountSnapshot {
  return {
    id: "sample",
    segment: policy.segment ?? "residential",
    owner: { name: "Sample owner" },
    charges: [{ id: "sample-charge", period: dueOn.slice(0, 7), dueOn, amountMinor: 30000 }],
  };
}

/** Computes what the timeline shows: the actions, the window and the holds. */
export function timelineModel(policy: Policy, options: TimelineOptions = {}): TimelineModel {
  const digits = policy.currency.minorDigits;
  if (options.forecast === undefined) {
    const due = firstOfMonth(civilDate(options.from ?? "2026-03-01"));
    const from = addMonths(due, -1);
    const to = addMonths(due, 14) - 1;
    const account = sampleAccount(policy, formatCivilDate(due));
    const actions = createScheduler(policy).forecast(account, formatCivilDate(from), formatCivilDate(to));
    const seen = new Set(actions.flatMap((a) => a.covers.map((c) => c.stage)));
    return {
      policy,
      mode: "policy",
      title: `${policy.name ?? policy.id} — policy ${policy.id} ${policy.version}`,
      subtitle: `Regular timeline: one charge of ${formatAmount(30000, digits)} ${policy.currency.code} due ${formatCivilDate(due)}, never paid; planned by the scheduler over 14 months.`,
      from,
      to,
      actions,
      holds: [],
      notReached: policy.stages.filter((s) => !seen.has(s.id)).map((s) => ({ stage: s.id, kind: s.kind, lane: laneOf(policy, s.id, s.kind), trigger: triggerText(s.trigger) })),
    };
  }
  const actions = [...options.forecast].sort((a, b) => (a.plannedOn < b.plannedOn ? -1 : a.plannedOn > b.plannedOn ? 1 : 0));
  const first = actions[0]?.plannedOn;
  const last = actions.at(-1)?.plannedOn;
  const fromDay = options.from !== undefined ? civilDate(options.from) : first !== undefined ? civilDate(first) : civilDate("2026-03-01");
  const from = firstOfMonth(Math.min(fromDay, first !== undefined ? civilDate(first) : fromDay));
  let to = Math.max(addMonths(from, 3), last !== undefined ? civilDate(last) : from);
  for (const a of actions) if (a.deadlineOn) to = Math.max(to, civilDate(a.deadlineOn));
  to = addMonths(firstOfMonth(to), 1) - 1;
  const account = options.account;
  const owner = account?.owner?.name;
  const id = account?.id ?? actions[0]?.accountId ?? "account";
  return {
    policy,
    mode: "account",
    title: `Account ${id}${owner ? ` — ${owner}` : ""}${account?.unit ? `, unit ${account.unit}` : ""}`,
    subtitle: `Forecast under ${policy.id} ${policy.version} from ${formatCivilDate(fromDay)} if nothing more is paid: ${actions.length} action${actions.length === 1 ? "" : "s"}; amounts in ${policy.currency.code}.`,
    from,
    to,
    actions,
    holds: holdSpans(account, from, to),
    notReached: [],
  };
}

// ---------------------------------------------------------------------------------------------
// Drawing.

const WIDTH = 1400;
const LEFT = 190;
const RIGHT = 40;
const FONT = "DejaVu Sans, Liberation Sans, Arial, Helvetica, Noto Sans CJK SC, WenQuanYi Micro Hei, sans-serif";
const CHAR_W = 6.4; // average advance at 11px, generous
const ROW_H_POLICY = 46;
const ROW_H_ACCOUNT = 58;
const GAP_ROW_H = 20;

interface Placed {
  action: PlannedAction;
  x: number;
  row: number;
  lines: string[];
  flip: boolean;
  deadline?: { x: number; text: string };
}

function textWidth(text: string, size = 11): number {
  let w = 0;
  for (const ch of text) w += /[\u2e80-\ua4cf\uac00-\ud7a3\uff00-\uff60]/.test(ch) ? size : (CHAR_W * size) / 11;
  return w;
}

/** Greedy rows: the first row whose last occupied x is left of `start`. */
function assignRow(rows: number[], start: number, end: number): number {
  for (let i = 0; i < rows.length; i++) {
    if (rows[i]! <= start) {
      rows[i] = end;
      return i;
    }
  }
  rows.push(end);
  return rows.length - 1;
}

export function renderTimelineSvg(policy: Policy, options: TimelineOptions = {}): string {
  return svgOfModel(timelineModel(policy, options));
}

/** The SVG for a computed model (the HTML page reuses the model for its table). */
export function svgOfModel(model: TimelineModel): string {
  const { policy } = model;
  const digits = policy.currency.minorDigits;
  const span = Math.max(1, model.to + 1 - model.from);
  const plotW = WIDTH - LEFT - RIGHT;
  const xOf = (day: EpochDay) => LEFT + ((day - model.from) / span) * plotW;
  const xOfText = (text: string) => xOf(civilDate(text));
  const rowH = model.mode === "account" ? ROW_H_ACCOUNT : ROW_H_POLICY;

  // Lay out each lane's actions in rows, and its gap arrows in rows below them.
  const lanes = LANES.map((lane) => ({ ...lane, placed: [] as Placed[], gaps: [] as { x1: number; x2: number; row: number; text: string }[], rows: 0, gapRows: 0 }));
  const laneById = new Map(lanes.map((l) => [l.id, l]));
  const laneRows = new Map<LaneId, number[]>();
  const gapRows = new Map<LaneId, number[]>();
  for (const action of model.actions) {
    const laneId = action.audience === "staff" ? "staff" : laneOf(policy, action.stage, action.kind);
    const lane = laneById.get(laneId)!;
    const x = xOfText(action.plannedOn);
    const lines = [KIND_LABELS[action.kind] ?? action.kind, `${action.plannedOn} · ${action.channels.join("+")}`];
    if (model.mode === "account")
      lines.push(`${formatAmount(action.overdueMinor, digits)} + fee ${formatAmount(action.lateFeeMinor, digits)} = ${formatAmount(action.totalMinor, digits)}`);
    const labelW = Math.max(...lines.map((l, i) => textWidth(l, i === 0 ? 12 : 10.5)));
    // Near the right edge the label goes to the left of its marker.
    const flip = x + 10 + labelW > WIDTH - 12;
    let start = flip ? x - 10 - labelW : x - 6;
    let end = flip ? x + 8 : x + 10 + labelW;
    let deadline: Placed["deadline"];
    if (action.deadlineOn) {
      const dx = xOfText(action.deadlineOn);
      const text = `deadline ${action.deadlineOn}`;
      deadline = { x: dx, text };
      end = Math.max(end, dx + 4 + textWidth(text, 10));
    }
    const rows = laneRows.get(laneId) ?? [];
    laneRows.set(laneId, rows);
    start = Math.max(LEFT - 20, start);
    const row = assignRow(rows, start, end + 8);
    lane.placed.push({ action, x, row, lines, flip, ...(deadline ? { deadline } : {}) });
    lane.rows = rows.length;
    const after = action.because.after;
    if (after) {
      const x1 = xOfText(after.on);
      const text = `${after.gapDays} d`;
      const g = gapRows.get(laneId) ?? [];
      gapRows.set(laneId, g);
      const mid = (x1 + x) / 2;
      const gRow = assignRow(g, Math.min(x1, mid - textWidth(text, 10) / 2) - 2, Math.max(x, mid + textWidth(text, 10) / 2) + 2);
      lane.gaps.push({ x1, x2: x, row: gRow, text });
      lane.gapRows = g.length;
    }
  }

  const out: string[] = [];
  const top = 96;
  const axisY = top;
  let y = axisY + 26;
  const laneTops: { lane: (typeof lanes)[number]; top: number; height: number }[] = [];
  for (const lane of lanes) {
    const notReached = model.notReached.filter((n) => n.lane === lane.id);
    const height = Math.max(54, 12 + Math.max(lane.rows, 1) * rowH + lane.gapRows * GAP_ROW_H + notReached.length * 16 + 8);
    laneTops.push({ lane, top: y, height });
    y += height + 6;
  }
  const holdsTop = y;
  const holdsH = model.holds.length > 0 ? 14 + model.holds.length * 18 : 0;
  if (holdsH > 0) y += holdsH + 6;
  const height = Math.ceil(y + 40);

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
  laneTops.forEach(({ lane, top: ly, height: lh }, i) => {
    out.push(`<rect x="10" y="${ly}" width="${WIDTH - 20}" height="${lh}" rx="4" fill="${i % 2 === 0 ? "#f8fafc" : "#f1f5f9"}" stroke="#e2e8f0"/>`);
    out.push(`<text x="20" y="${ly + 22}" font-size="13" font-weight="bold" fill="#0f172a">${escapeText(lane.label)}</text>`);
    out.push(`<text x="20" y="${ly + 38}" font-size="10" fill="#64748b">${escapeText(lane.sub)}</text>`);
  });

  // Month ticks and grid.
  const bottom = laneTops.length > 0 ? laneTops.at(-1)!.top + laneTops.at(-1)!.height : axisY;
  const gridBottom = holdsH > 0 ? holdsTop + holdsH : bottom;
  out.push(`<line x1="${LEFT}" y1="${axisY}" x2="${WIDTH - RIGHT}" y2="${axisY}" stroke="#334155" stroke-width="1.5"/>`);
  const months: EpochDay[] = [];
  for (let d = firstOfMonth(model.from); d <= model.to; d = addMonths(d, 1)) if (d >= model.from) months.push(d);
  const step = months.length > 30 ? 3 : months.length > 18 ? 2 : 1;
  months.forEach((d, i) => {
    const x = xOf(d).toFixed(1);
    const [yy, mm] = civilOf(d);
    const january = mm === 1;
    out.push(`<line x1="${x}" y1="${axisY - 6}" x2="${x}" y2="${axisY + 6}" stroke="#334155"/>`);
    out.push(`<line x1="${x}" y1="${axisY + 8}" x2="${x}" y2="${gridBottom}" stroke="${january ? "#94a3b8" : "#e2e8f0"}" stroke-dasharray="${january ? "" : "3 3"}"/>`);
    if (i % step === 0 || january)
      out.push(`<text x="${x}" y="${axisY - 10}" text-anchor="middle" font-size="11" fill="#334155"${january ? ' font-weight="bold"' : ""}>${escapeText(`${yy}-${String(mm).padStart(2, "0")}`)}</text>`);
  });

  // Holds: shaded spans over every lane, named in their own band.
  if (holdsH > 0) {
    out.push(`<text x="20" y="${holdsTop + 16}" font-size="13" font-weight="bold" fill="#92400e">Holds</text>`);
    model.holds.forEach((h, i) => {
      const x1 = xOf(h.from);
      const x2 = Math.max(x1 + 3, xOf(h.to + 1));
      out.push(`<g class="hold"><title>${escapeText(`${h.id}: ${h.label} (${formatCivilDate(h.from)} – ${h.open ? "open" : formatCivilDate(h.to)})`)}</title>`);
      out.push(`<rect x="${x1.toFixed(1)}" y="${axisY + 8}" width="${(x2 - x1).toFixed(1)}" height="${(holdsTop - axisY - 8).toFixed(1)}" fill="url(#tl-hatch)" stroke="#d97706" stroke-opacity="0.6"/>`);
      const by = holdsTop + 8 + i * 18;
      out.push(`<rect x="${x1.toFixed(1)}" y="${by}" width="${(x2 - x1).toFixed(1)}" height="14" fill="#fcd34d" stroke="#b45309"/>`);
      const label = `${h.label} · ${formatCivilDate(h.from)} – ${h.open ? "…" : formatCivilDate(h.to)}`;
      // The label sits right of the bar, or left of it near the right edge, never across its end.
      const right = x2 + 6 + textWidth(label, 10) <= WIDTH - 12;
      const lx = right ? x2 + 6 : x1 - 6;
      out.push(`<text x="${lx.toFixed(1)}" y="${by + 11}" font-size="10" fill="#78350f"${right ? "" : ' text-anchor="end"'}>${escapeText(label)}</text></g>`);
    });
  }

  // Actions.
  for (const { lane, top: ly } of laneTops) {
    const rowsTop = ly + 10;
    for (const p of lane.placed) {
      const a = p.action;
      const ry = rowsTop + p.row * rowH;
      const my = ry + 10;
      const color = KIND_COLORS[a.kind] ?? "#334155";
      const tip = [
        `${a.plannedOn} ${a.stage} (${a.kind})${a.title ? ` ${a.title}` : ""}`,
        `channels: ${a.channels.join(", ")}`,
        `overdue ${formatAmount(a.overdueMinor, digits)} + late fee ${formatAmount(a.lateFeeMinor, digits)} = ${formatAmount(a.totalMinor, digits)} ${a.currency}`,
        ...(a.deadlineOn ? [`pay by ${a.deadlineOn}`] : []),
        ...(a.requiresReview ? ["requires review"] : []),
        a.because.summary,
      ].join("\n");
      out.push(`<g class="action" data-stage="${escapeAttr(a.stage)}" data-kind="${escapeAttr(a.kind)}" data-on="${escapeAttr(a.plannedOn)}"><title>${escapeText(tip)}</title>`);
      out.push(`<line x1="${p.x.toFixed(1)}" y1="${axisY + 8}" x2="${p.x.toFixed(1)}" y2="${my}" stroke="${color}" stroke-opacity="0.18"/>`);
      if (a.audience === "staff") out.push(`<rect x="${(p.x - 6).toFixed(1)}" y="${my - 6}" width="12" height="12" fill="${color}" stroke="#0f172a" stroke-width="0.8"/>`);
      else out.push(`<circle cx="${p.x.toFixed(1)}" cy="${my}" r="6" fill="${color}" stroke="#0f172a" stroke-width="0.8"/>`);
      if (a.requiresReview) out.push(`<circle cx="${p.x.toFixed(1)}" cy="${my}" r="9.5" fill="none" stroke="${color}" stroke-width="1.5" stroke-dasharray="2 2"/>`);
      p.lines.forEach((line, i) => {
        const size = i === 0 ? 12 : 10.5;
        const weight = i === 0 ? ' font-weight="bold"' : "";
        const fill = i === 0 ? color : i === 2 ? "#0f172a" : "#475569";
        const tx = (p.flip ? p.x - 10 : p.x + 10).toFixed(1);
        out.push(`<text x="${tx}" y="${ry + 14 + i * 13}" font-size="${size}"${weight} fill="${fill}"${p.flip ? ' text-anchor="end"' : ""}>${escapeText(line)}</text>`);
      });
      if (p.deadline) {
        const by = ry + 14 + p.lines.length * 13 - 2;
        const x1 = p.x.toFixed(1);
        const x2 = p.deadline.x.toFixed(1);
        out.push(`<path d="M${x1},${by - 5} L${x1},${by} L${x2},${by} L${x2},${by - 5}" fill="none" stroke="#b91c1c" stroke-width="1.5"/>`);
        out.push(`<text x="${(p.deadline.x + 4).toFixed(1)}" y="${by + 3}" font-size="10" fill="#b91c1c">${escapeText(p.deadline.text)}</text>`);
      }
      out.push(`</g>`);
    }
    const gapsTop = rowsTop + Math.max(lane.rows, 1) * rowH;
    for (const g of lane.gaps) {
      const gy = gapsTop + g.row * GAP_ROW_H + 12;
      out.push(
        `<g class="gap"><line x1="${g.x1.toFixed(1)}" y1="${gy}" x2="${(g.x2 - 1).toFixed(1)}" y2="${gy}" stroke="#475569" stroke-width="1.2" marker-end="url(#tl-arrow)"/>` +
          `<line x1="${g.x1.toFixed(1)}" y1="${gy - 4}" x2="${g.x1.toFixed(1)}" y2="${gy + 4}" stroke="#475569"/>` +
          `<text x="${((g.x1 + g.x2) / 2).toFixed(1)}" y="${gy - 3}" text-anchor="middle" font-size="10" fill="#334155">${escapeText(g.text)}</text></g>`,
      );
    }
    const notReached = model.notReached.filter((n) => n.lane === lane.id);
    notReached.forEach((n, i) => {
      const ny = gapsTop + lane.gapRows * GAP_ROW_H + 12 + i * 16;
      out.push(`<text x="${LEFT}" y="${ny}" font-size="10.5" font-style="italic" fill="#64748b">${escapeText(`${KIND_LABELS[n.kind] ?? n.kind} (${n.stage}): ${n.trigger} — not reached in this window`)}</text>`);
    });
  }

  out.push(
    `<text x="20" y="${height - 14}" font-size="10" fill="#64748b">${escapeText(`● owner action  ■ staff action  ◌ needs review  ⟶ gap kept after the previous warning (days)  ⊔ deadline of a written demand  · drawn by property-dunning, no data leaves this file`)}</text>`,
  );
  out.push(`</svg>`);
  return `${out.join("\n")}\n`;
}
