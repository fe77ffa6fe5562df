/**
 * Where everything goes: the time scale, each lane's rows of labelled markers (carried out and
 * planned alike), the gap arrows below them, the lanes' heights and the holds band. Pure
 * geometry; svg.ts draws it.
 */
import type { PlannedAction } from "../schedule/ladder/action.js";
import { civilDate, type EpochDay } from "../schedule/time/civil-date.js";
import { LANES, laneOf, type DoneAction, type LaneId, type TimelineModel } from "./model.js";
import { KIND_LABELS } from "./text.js";
import { formatMinor } from "../schedule/fees/money-text.js";

export const WIDTH = 1400;
export const LEFT = 190;
export const RIGHT = 40;
/** No text comes closer than this to the picture's left or right edge. */
export const EDGE = 12;
/** The time axis' y; lanes start below it. */
export const AXIS_Y = 96;
export const GAP_ROW_H = 20;
const CHAR_W = 6.4; // average advance at 11px, generous
const ROW_H_POLICY = 46;
const ROW_H_ACCOUNT = 58;

/** One marker and its label: a planned action, or one already carried out. */
export interface Placed {
  action?: PlannedAction;
  done?: DoneAction;
  x: number;
  row: number;
  lines: string[];
  flip: boolean;
  /** The deadline's bracket ends at `x`; its text starts at `tx` (`anchor` start) or ends there (`end`: near the right edge, left of the bracket). */
  deadline?: { x: number; text: string; tx: number; anchor: "start" | "end" };
}

export interface Gap {
  x1: number;
  x2: number;
  row: number;
  text: string;
  /** Where the text is anchored (`anchor` middle: centred on the arrow; start/end: beside the as-of line, never across it). */
  tx: number;
  anchor: "middle" | "start" | "end";
}

export interface LaneLayout {
  id: LaneId;
  label: string;
  sub: string;
  top: number;
  height: number;
  placed: Placed[];
  gaps: Gap[];
  rows: number;
  gapRows: number;
}

export interface Layout {
  xOf(day: EpochDay): number;
  rowH: number;
  lanes: LaneLayout[];
  holdsTop: number;
  holdsH: number;
  height: number;
}

export function textWidth(text: string, size = 11): number {
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

/** The label lines of a marker: what, when and how, and (for an account's forecast) how much. */
function labelLines(model: TimelineModel, item: { action?: PlannedAction; done?: DoneAction }): string[] {
  const digits = model.policy.currency.minorDigits;
  if (item.done) {
    const d = item.done;
    return [`✓ ${d.kind ? KIND_LABELS[d.kind] : d.stage}`, `${d.on} · ${d.channels.join("+") || "recorded"}${d.conversation ? " · talked" : ""}`];
  }
  const a = item.action!;
  const lines = [KIND_LABELS[a.kind] ?? a.kind, `${a.plannedOn} · ${a.channels.join("+")}`];
  if (model.mode === "account") lines.push(`${formatMinor(a.overdueMinor, digits)} + fee ${formatMinor(a.lateFeeMinor, digits)} = ${formatMinor(a.totalMinor, digits)}`);
  return lines;
}

/** Clear space kept between a gap's text and the as-of line. */
export const AS_OF_CLEARANCE = 4;

/**
 * A gap's text: centred on its arrow, unless the dashed as-of line runs through it; then beside
 * the line, on the side where more of the arrow lies.
 */
function gapText(x1: number, x2: number, w: number, asOfX: number | undefined): { tx: number; anchor: Gap["anchor"]; left: number; right: number } {
  const mid = (x1 + x2) / 2;
  if (asOfX === undefined || asOfX < mid - w / 2 - AS_OF_CLEARANCE || asOfX > mid + w / 2 + AS_OF_CLEARANCE) return { tx: mid, anchor: "middle", left: mid - w / 2, right: mid + w / 2 };
  if (x2 - asOfX >= asOfX - x1) return { tx: asOfX + AS_OF_CLEARANCE, anchor: "start", left: asOfX + AS_OF_CLEARANCE, right: asOfX + AS_OF_CLEARANCE + w };
  return { tx: asOfX - AS_OF_CLEARANCE, anchor: "end", left: asOfX - AS_OF_CLEARANCE - w, right: asOfX - AS_OF_CLEARANCE };
}

export function layoutModel(model: TimelineModel): Layout {
  const span = Math.max(1, model.to + 1 - model.from);
  const plotW = WIDTH - LEFT - RIGHT;
  const xOf = (day: EpochDay) => LEFT + ((day - model.from) / span) * plotW;
  const xOfText = (text: string) => xOf(civilDate(text));
  const rowH = model.mode === "account" ? ROW_H_ACCOUNT : ROW_H_POLICY;
  const asOfX = model.asOf !== undefined && model.asOf >= model.from && model.asOf <= model.to ? xOf(model.asOf) : undefined;

  const lanes: LaneLayout[] = LANES.map((lane) => ({ ...lane, top: 0, height: 0, placed: [], gaps: [], rows: 0, gapRows: 0 }));
  const laneById = new Map(lanes.map((l) => [l.id, l]));
  const laneRows = new Map<LaneId, number[]>();
  const gapRows = new Map<LaneId, number[]>();
  // What was carried out comes first on the axis; rows fill left to right.
  const items: { action?: PlannedAction; done?: DoneAction; laneId: LaneId; on: string }[] = [
    ...model.done.map((done) => ({ done, laneId: done.lane, on: done.on })),
    ...model.actions.map((action) => ({ action, laneId: laneOf(model.policy, action.stage, action.kind), on: action.plannedOn })),
  ];
  for (const item of items) {
    const lane = laneById.get(item.laneId)!;
    const x = xOfText(item.on);
    const lines = labelLines(model, item);
    const labelW = Math.max(...lines.map((l, i) => textWidth(l, i === 0 ? 12 : 10.5)));
    // Near the right edge the label goes to the left of its marker.
    const flip = x + 10 + labelW > WIDTH - EDGE;
    let start = flip ? x - 10 - labelW : x - 6;
    let end = flip ? x + 8 : x + 10 + labelW;
    let deadline: Placed["deadline"];
    const deadlineOn = item.action?.deadlineOn;
    if (deadlineOn) {
      const dx = xOfText(deadlineOn);
      const text = `deadline ${deadlineOn}`;
      const w = textWidth(text, 10);
      // Right of the bracket's end, or (where that would cross the right edge) left of its start.
      if (dx + 4 + w <= WIDTH - EDGE) {
        deadline = { x: dx, text, tx: dx + 4, anchor: "start" };
        end = Math.max(end, dx + 4 + w);
      } else {
        deadline = { x: dx, text, tx: x - 4, anchor: "end" };
        start = Math.min(start, x - 4 - w);
        end = Math.max(end, dx + 2);
      }
    }
    const rows = laneRows.get(item.laneId) ?? [];
    laneRows.set(item.laneId, rows);
    start = Math.max(LEFT - 20, start);
    const row = assignRow(rows, start, end + 8);
    lane.placed.push({ ...(item.action ? { action: item.action } : {}), ...(item.done ? { done: item.done } : {}), x, row, lines, flip, ...(deadline ? { deadline } : {}) });
    lane.rows = rows.length;
    const after = item.action?.because.after;
    if (after) {
      const x1 = xOfText(after.on);
      const text = `${after.gapDays} d`;
      const g = gapRows.get(item.laneId) ?? [];
      gapRows.set(item.laneId, g);
      const w = textWidth(text, 10);
      const { tx, anchor, left, right } = gapText(x1, x, w, asOfX);
      const gRow = assignRow(g, Math.min(x1, left) - 2, Math.max(x, right) + 2);
      lane.gaps.push({ x1, x2: x, row: gRow, text, tx, anchor });
      lane.gapRows = g.length;
    }
  }

  let y = AXIS_Y + 26;
  for (const lane of lanes) {
    const notReached = model.notReached.filter((n) => n.lane === lane.id).length;
    lane.top = y;
    lane.height = Math.max(54, 12 + Math.max(lane.rows, 1) * rowH + lane.gapRows * GAP_ROW_H + notReached * 16 + 8);
    y += lane.height + 6;
  }
  const holdsTop = y;
  const holdsH = model.holds.length > 0 ? 14 + model.holds.length * 18 : 0;
  if (holdsH > 0) y += holdsH + 6;
  return { xOf, rowH, lanes, holdsTop, holdsH, height: Math.ceil(y + 40) };
}
