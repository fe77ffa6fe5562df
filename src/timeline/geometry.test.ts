/**
 * Where the timeline's words land: every label inside the picture, a gap's day count clear of the
 * dashed as-of line and of its label, one legend. Boxes are estimated with the layout's own text
 * measure (textWidth: a generous average advance, CJK one em); tests/timeline-browser.test.ts
 * measures the same boxes with a real font in Chromium.
 */
import { describe, expect, it } from "vitest";
import type { AccountSnapshot } from "../ledger/account.js";
import { builtinPolicySource } from "../rules/builtins.js";
import { parsePolicy } from "../rules/parse.js";
import type { Policy } from "../rules/schema.js";
import { createScheduler } from "../schedule/ladder/scheduler.js";
import { AS_OF_CLEARANCE, textWidth } from "./layout.js";
import { formatCivilDate, type EpochDay } from "../schedule/time/civil-date.js";
import { renderTimelineHtml, renderTimelineSvg, svgOfModel, timelineModel, type TimelineModel } from "./index.js";

const residential = parsePolicy(builtinPolicySource("residential"));

interface Box {
  text: string;
  x1: number;
  x2: number;
  y1: number;
  y2: number;
}

function unescape(text: string): string {
  return text.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, "&");
}

/** Each `<text>` of the SVG with its box: width by the layout's measure, height from the font size (ascent 0.8, descent 0.25 em). */
function textBoxes(svg: string): Box[] {
  const boxes: Box[] = [];
  for (const m of svg.matchAll(/<text ([^>]*)>([^<]*)<\/text>/g)) {
    const attrs = Object.fromEntries([...m[1]!.matchAll(/([\w-]+)="([^"]*)"/g)].map((a) => [a[1]!, a[2]!]));
    const text = unescape(m[2]!);
    const size = Number(attrs["font-size"] ?? 11);
    const w = textWidth(text, size);
    const x = Number(attrs.x);
    const y = Number(attrs.y);
    const anchor = attrs["text-anchor"] ?? "start";
    const x1 = anchor === "end" ? x - w : anchor === "middle" ? x - w / 2 : x;
    boxes.push({ text, x1, x2: x1 + w, y1: y - 0.8 * size, y2: y + 0.25 * size });
  }
  return boxes;
}

function viewBox(svg: string): { width: number; height: number } {
  const [, , width, height] = /viewBox="([\d.]+) ([\d.]+) ([\d.]+) ([\d.]+)"/.exec(svg)!.slice(1).map(Number);
  return { width: width!, height: height! };
}

function overlap(a: Box, b: Box): boolean {
  return a.x1 < b.x2 && b.x1 < a.x2 && a.y1 < b.y2 && b.y1 < a.y2;
}

/** Monthly charges of 328.50 from `first` (YYYY-MM), `count` of them, none paid. */
function unpaid(id: string, first: string, count: number, extra: Partial<AccountSnapshot> = {}): AccountSnapshot {
  const [y0, m0] = first.split("-").map(Number) as [number, number];
  const charges = Array.from({ length: count }, (_, i) => {
    const y = y0 + Math.floor((m0 - 1 + i) / 12);
    const m = String(((m0 - 1 + i) % 12) + 1).padStart(2, "0");
    return { id: `c-${y}-${m}`, period: `${y}-${m}`, dueOn: `${y}-${m}-01`, amountMinor: 32850 };
  });
  return { id, segment: "residential", charges, ...extra };
}

function accountSvg(policy: Policy, account: AccountSnapshot, asOf: string, to: string): string {
  const forecast = createScheduler(policy).forecast(account, asOf, to);
  return renderTimelineSvg(policy, { forecast, account, from: asOf });
}

/** Pictures whose words have been seen misplaced, and the plain ones. */
const SCENARIOS: { name: string; svg: () => string }[] = [
  ...(["residential", "commercial", "relative"] as const).map((name) => ({ name: `the ${name} built-in's ladder`, svg: () => renderTimelineSvg(parsePolicy(builtinPolicySource(name))) })),
  {
    // A year of history before the forecast, which ends with the arrears ladder's final notice:
    // its deadline falls in the last weeks drawn, so its text ran past the right edge.
    name: "a final notice whose deadline is among the last days drawn",
    svg: () => accountSvg(residential, unpaid("B-0907", "2025-06", 16, { actions: [{ id: "x", stage: "final_notice", on: "2025-12-26", covers: ["final_notice@c-2025-11"] }] }), "2026-11-23", "2027-04-05"),
  },
  {
    name: "long arrears with a promise to pay, as of 2026-11-23",
    svg: () => accountSvg(residential, unpaid("B-0907", "2025-06", 16, { holds: [{ type: "promiseToPay", id: "p1", madeOn: "2026-12-03", promisedOn: "2026-12-31" }] }), "2026-11-23", "2027-12-28"),
  },
];

describe("the timeline's labels", () => {
  for (const { name, svg: draw } of SCENARIOS)
    it(`stay inside the picture: ${name}`, () => {
      const svg = draw();
      const { width, height } = viewBox(svg);
      const outside = textBoxes(svg).filter((b) => b.x1 < 0 || b.x2 > width || b.y1 < 0 || b.y2 > height);
      expect(outside.map((b) => `${b.text} [${b.x1.toFixed(0)}, ${b.x2.toFixed(0)}]`)).toEqual([]);
    });

  it("write a deadline near the right edge left of its bracket (the last one was cut off)", () => {
    const svg = SCENARIOS[3]!.svg();
    const deadlines = textBoxes(svg).filter((b) => b.text.startsWith("deadline "));
    expect(deadlines.length).toBeGreaterThan(0);
    expect(svg).toMatch(/<text [^>]*text-anchor="end">deadline 2027-03-09</);
  });
});

describe("a gap's day count and the as-of line", () => {
  /** The day counts' boxes that the dashed line runs through or that overlap its label, with the as-of day drawn at `day`. */
  function collisions(model: TimelineModel, day: EpochDay): string[] {
    const svg = svgOfModel({ ...model, asOf: day });
    const line = Number(/<g class="as-of"><line x1="([\d.]+)"/.exec(svg)![1]);
    const boxes = textBoxes(svg);
    const label = boxes.find((b) => b.text.startsWith("as of "))!;
    return boxes
      .filter((b) => /^\d+ d$/.test(b.text))
      .filter((b) => (b.x1 - AS_OF_CLEARANCE < line && line < b.x2 + AS_OF_CLEARANCE) || overlap(b, label))
      .map((b) => `${formatCivilDate(day)}: ${b.text}`);
  }

  // On the demo estate (2026-11-23) the count of 63 accounts' gaps sat on the line, among them
  // R-0377's "30 d" (a final notice 30 days after a dunning notice carried out in September).
  // Here the line is drawn on every day of a picture, with the arrows where the scheduler puts them.
  it("never share a place, on whichever day the line is drawn: the residential ladder", () => {
    const model = timelineModel(residential);
    const days = Array.from({ length: model.to - model.from + 1 }, (_, i) => model.from + i);
    expect(model.actions.some((a) => a.because.after)).toBe(true);
    expect(days.flatMap((d) => collisions(model, d))).toEqual([]);
  });

  it("never share a place, on whichever day the line is drawn: an account with history and a forecast", () => {
    const account = unpaid("B-0907", "2025-06", 16, { actions: [{ id: "x", stage: "final_notice", on: "2025-12-26", covers: ["final_notice@c-2025-11"] }] });
    const forecast = createScheduler(residential).forecast(account, "2026-11-23", "2027-12-28");
    const model = timelineModel(residential, { forecast, account, from: "2026-11-23" });
    const days = Array.from({ length: Math.floor((model.to - model.from + 1) / 3) }, (_, i) => model.from + 3 * i);
    expect(days.flatMap((d) => collisions(model, d))).toEqual([]);
  });
});

describe("the legend", () => {
  const account = unpaid("B-0907", "2025-06", 16);
  const forecast = createScheduler(residential).forecast(account, "2026-11-23", "2027-12-28");

  it("appears once in the SVG alone", () => {
    const svg = renderTimelineSvg(residential, { forecast, account, from: "2026-11-23" });
    expect(svg.match(/class="legend"/g)).toHaveLength(1);
    expect(svg.match(/owner action/g)).toHaveLength(1);
  });

  it("appears once in the page: the page's own, not the picture's as well", () => {
    for (const html of [renderTimelineHtml(residential, { forecast, account, from: "2026-11-23" }), renderTimelineHtml(residential)]) {
      expect(html.match(/class="legend"/g)).toHaveLength(1);
      expect(html.match(/owner action/g)).toHaveLength(1);
      expect(html.match(/deadline of a written demand/g)).toHaveLength(1);
    }
  });
});
