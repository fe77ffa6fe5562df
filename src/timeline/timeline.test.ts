import { describe, expect, it } from "vitest";
import { builtinPolicySource } from "../rules/builtins.js";
import { parsePolicy } from "../rules/parse.js";
import type { AccountSnapshot } from "../ledger/account.js";
import { createScheduler } from "../schedule/ladder/scheduler.js";
import { formatMinor } from "../schedule/fees/money-text.js";
import { laneOf, renderTimelineHtml, renderTimelineSvg } from "./index.js";

const residential = parsePolicy(builtinPolicySource("residential"));
const commercial = parsePolicy(builtinPolicySource("commercial"));

/** Tags open and close in order (a small XML well-formedness check: no parser in the dependencies). */
function checkBalanced(xml: string): void {
  const body = xml.replace(/<!DOCTYPE[^>]*>/i, "");
  const stack: string[] = [];
  const voids = new Set(["meta", "br", "hr", "img", "link", "input"]);
  for (const m of body.matchAll(/<(\/?)([A-Za-z][\w:-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>/g)) {
    const [, close, name, , self] = m;
    if (self || voids.has(name!.toLowerCase())) continue;
    if (close) expect(stack.pop(), `closing </${name}>`).toBe(name);
    else stack.push(name!);
  }
  expect(stack).toEqual([]);
  // Every `<` opens a tag; every `&` starts an entity.
  expect(body.replace(/<\/?[A-Za-z][^<>]*>/g, "")).not.toMatch(/[<>]/);
  expect(body).not.toMatch(/&(?!(amp|lt|gt|quot|#39);)/);
}

function longArrears(): AccountSnapshot {
  const charges = Array.from({ length: 14 }, (_, i) => {
    const month = 3 + i;
    const y = 2025 + Math.floor((month - 1) / 12);
    const m = String(((month - 1) % 12) + 1).padStart(2, "0");
    return { id: `c-${y}-${m}`, period: `${y}-${m}`, dueOn: `${y}-${m}-01`, amountMinor: 32850 };
  });
  return {
    id: "B-0907",
    segment: "residential",
    owner: { name: `Mallory <script>alert("x")</script> & Co` },
    charges,
    holds: [
      { type: "dispute", id: "d1", openedOn: "2026-05-02", severity: "minor", resolvedOn: "2026-06-10" },
      { type: "promiseToPay", id: "p1", madeOn: "2026-07-03", promisedOn: "2026-07-31" },
    ],
  };
}

describe("renderTimelineSvg: the policy's ladder", () => {
  const svg = renderTimelineSvg(residential);

  it("is one balanced, self-contained SVG", () => {
    expect(svg.startsWith("<svg xmlns=\"http://www.w3.org/2000/svg\"")).toBe(true);
    expect(svg.trim().endsWith("</svg>")).toBe(true);
    checkBalanced(svg);
    expect(svg.replaceAll("http://www.w3.org/2000/svg", "")).not.toMatch(/https?:|<script|<image|<foreignObject|@import|url\((?!#)/i);
  });

  it("shows the residential built-in's stages on their regular dates", () => {
    expect(svg).toMatch(/dunning notice<\/text>\s*<text[^>]*>2026-03-25 · doorPosting\+sms/);
    expect(svg).toContain('data-stage="final_notice" data-kind="finalNotice" data-on="2026-04-25"');
    expect(svg).toContain("deadline 2026-05-11");
    expect(svg).toContain("lawyer's letter");
    expect(svg).toContain('data-on="2027-03-01"');
    expect(svg).toContain(">31 d<"); // dunning → final
    expect(svg).toContain(">181 d<"); // 6 months → 12 months
    for (const month of ["2026-03", "2026-12", "2027-01", "2027-04"]) expect(svg).toContain(`>${month}<`);
    expect(svg).toContain("not reached in this window"); // the review 180 days before limitation
  });

  it("puts stages in their lanes", () => {
    expect(laneOf(residential, "final_notice")).toBe("charge");
    expect(laneOf(residential, "arrears_12m_lawyer_letter")).toBe("arrears");
    expect(laneOf(residential, "limitation_legal_review")).toBe("staff");
    expect(laneOf(residential, "dispute_follow_up")).toBe("staff");
  });

  it("draws any valid policy (commercial) and is deterministic", () => {
    const a = renderTimelineSvg(commercial);
    checkBalanced(a);
    expect(renderTimelineSvg(commercial)).toBe(a);
  });
});

describe("renderTimelineSvg: one account's forecast", () => {
  const account = longArrears();
  const forecast = createScheduler(residential).forecast(account, "2026-04-20", "2027-05-20");
  const svg = renderTimelineSvg(residential, { forecast, account, from: "2026-04-20" });

  it("escapes the owner's name and stays balanced", () => {
    checkBalanced(svg);
    expect(svg).not.toContain("<script");
    expect(svg).toContain("Mallory &lt;script&gt;alert(\"x\")&lt;/script&gt; &amp; Co");
  });

  it("plots every action with its amounts and shades the holds", () => {
    expect(forecast.length).toBeGreaterThan(3);
    for (const a of forecast) {
      expect(svg).toContain(`data-on="${a.plannedOn}"`);
      expect(svg).toContain(`${formatMinor(a.overdueMinor, 2)} + fee ${formatMinor(a.lateFeeMinor, 2)} = ${formatMinor(a.totalMinor, 2)}`);
    }
    expect(svg.match(/<g class="hold">/g)).toHaveLength(2);
    expect(svg).toContain("promise to pay by 2026-07-31");
  });
});

describe("renderTimelineHtml", () => {
  it("is a standalone page with the SVG, a legend and an escaped table", () => {
    const account = longArrears();
    const forecast = createScheduler(residential).forecast(account, "2026-04-20", "2027-05-20");
    const html = renderTimelineHtml(residential, { forecast, account });
    expect(html).toMatch(/^<!DOCTYPE html>/);
    expect(html).toContain('<meta charset="utf-8">');
    expect(html).toContain("<svg xmlns=");
    expect(html).toContain('class="legend"');
    expect(html).toContain("<td>arrears_12m_lawyer_letter</td>");
    expect(html).not.toMatch(/<script|<link|src=/i);
    expect(html.replaceAll("http://www.w3.org/2000/svg", "")).not.toMatch(/https?:/);
    checkBalanced(html);
  });
});

describe("one account: what was carried out, then the forecast", () => {
  const account: AccountSnapshot = {
    id: "A-1201",
    segment: "residential",
    charges: [
      { id: "c-2026-03", period: "2026-03", dueOn: "2026-03-01", amountMinor: 30000 },
      { id: "c-2026-04", period: "2026-04", dueOn: "2026-04-01", amountMinor: 30000 },
    ],
    actions: [
      { id: "A-1201:billing_notice@c-2025-01", stage: "billing_notice", on: "2025-01-01" }, // older than a year: counted, not drawn
      { id: "A-1201:billing_notice@c-2026-03", stage: "billing_notice", on: "2026-03-01", covers: ["billing_notice@c-2026-03"] },
      { id: "A-1201:dunning_notice@c-2026-03", stage: "dunning_notice", on: "2026-03-26", covers: ["dunning_notice@c-2026-03"], channels: ["homeVisit"], conversation: true },
      { id: "A-1201:promise_follow_up@p1", stage: "promise_follow_up", on: "2026-04-10" },
      { id: "A-1201:old_stage@x", stage: "old_stage", on: "2026-04-02" },
    ],
    holds: [{ type: "promiseToPay", id: "p1", madeOn: "2026-04-03", promisedOn: "2026-04-10" }],
  };
  // The scheduler refuses to plan on a recorded stage no version names (unknown_stage, continues.ts):
  // the forecast is of the account without it; the picture still draws it as carried out.
  const forecast = createScheduler(residential).forecast({ ...account, actions: account.actions!.filter((a) => a.stage !== "old_stage") }, "2026-04-20", "2027-05-20");
  const svg = renderTimelineSvg(residential, { forecast, account, from: "2026-04-20" });
  const xOfGroup = (cls: string, stage: string, on: string) => Number(new RegExp(`<g class="${cls}" data-stage="${stage}" data-kind="[^"]*" data-on="${on}">[\\s\\S]*?<line x1="([\\d.]+)"`).exec(svg)?.[1]);

  it("draws each recorded action of the last 12 months as carried out, with its kind, the channels used and the conversation", () => {
    checkBalanced(svg);
    expect(svg.match(/<g class="done"/g)).toHaveLength(4);
    expect(svg).toContain('<g class="done" data-stage="billing_notice" data-kind="billingNotice" data-on="2026-03-01">');
    expect(svg).toMatch(/<g class="done" data-stage="dunning_notice" data-kind="dunningNotice" data-on="2026-03-26">[\s\S]*?✓ dunning notice<\/text>\s*<text[^>]*>2026-03-26 · homeVisit · talked</);
    expect(svg).toContain('<g class="done" data-stage="promise_follow_up" data-kind="phoneCall" data-on="2026-04-10">'); // the scheduler's own stage
    expect(svg).toMatch(/<g class="done" data-stage="old_stage" data-kind="" data-on="2026-04-02">[\s\S]*?✓ old_stage</);
    expect(svg).not.toContain('data-on="2025-01-01"');
    expect(svg).toContain("Already carried out: 4 recorded actions (1 older not shown).");
    expect(svg).toContain(">2026-03<"); // the axis reaches back to the first recorded action
  });

  it("keeps the forecast apart: filled markers right of the as-of line, the recorded ones left of it", () => {
    expect(svg.match(/<g class="action"/g)).toHaveLength(forecast.length);
    const asOf = Number(/<g class="as-of"><line x1="([\d.]+)"/.exec(svg)?.[1]);
    expect(svg).toContain(">as of 2026-04-20<");
    expect(xOfGroup("done", "dunning_notice", "2026-03-26")).toBeLessThan(asOf);
    for (const a of forecast) expect(xOfGroup("action", a.stage, a.plannedOn)).toBeGreaterThanOrEqual(asOf);
    // The final notice keeps its gap after the dunning notice that was actually delivered, and the arrow starts there.
    const final = forecast.find((a) => a.stage === "final_notice" && a.because.after?.on === "2026-03-26");
    expect(final).toBeDefined();
    expect(svg).toMatch(new RegExp(`<g class="gap"><line x1="${xOfGroup("done", "dunning_notice", "2026-03-26").toFixed(1)}"`));
    expect(svg.match(/<g class="hold">/g)).toHaveLength(1);
  });

  it("lists the carried-out actions in the page, apart from the forecast", () => {
    const html = renderTimelineHtml(residential, { forecast, account, from: "2026-04-20" });
    checkBalanced(html);
    const carried = html.slice(html.indexOf("<h2>Carried out</h2>"), html.indexOf("<h2>Forecast</h2>"));
    expect(carried).toContain("<td>dunning_notice</td><td>dunning notice</td><td>homeVisit</td><td>dunning_notice@c-2026-03</td><td>yes</td>");
    expect(carried.match(/<tr><td class="date">/g)).toHaveLength(4);
    expect(carried).toContain("1 older recorded action not shown.");
    const fresh = renderTimelineHtml(residential, { forecast, account: { ...account, actions: [] }, from: "2026-04-20" });
    expect(fresh).toContain("<h2>Carried out</h2>\n<p>Nothing recorded yet.</p>");
    expect(renderTimelineHtml(residential)).not.toContain("Carried out");
  });
});

describe("an instalment plan's band ends where planning's hold ends (holds.ts holdSpan)", () => {
  // 500.00 for March, a plan agreed 03-10 in two instalments (04-10, 05-10); the owner pays 250.00
  // on 04-10 and the rest on 04-20. The plan is paid in full on 04-20 and holds nothing from that day.
  const account: AccountSnapshot = {
    id: "A-9",
    segment: "residential",
    charges: [{ id: "c1", period: "2026-03", dueOn: "2026-03-01", amountMinor: 50000 }],
    payments: [
      { id: "p1", on: "2026-04-10", amountMinor: 25000 },
      { id: "p2", on: "2026-04-20", amountMinor: 25000 },
    ],
    holds: [{ type: "installmentPlan", id: "ip-9", agreedOn: "2026-03-10", charges: ["c1"], instalments: [{ dueOn: "2026-04-10", amountMinor: 25000 }, { dueOn: "2026-05-10", amountMinor: 25000 }] }],
  };

  it("a plan paid in full early: the band stops the day before 04-20 and says so, not at its last instalment (05-10)", () => {
    const svg = renderTimelineSvg(residential, { account, forecast: [], from: "2026-03-01" });
    expect(svg).toContain("ip-9: installment plan, 2 instalments, paid in full 2026-04-20 (2026-03-10 – 2026-04-19)");
  });

  it("if nothing more is paid, the plan breaks after the 05-10 instalment's 5 days of grace (S3, the built-in's installmentGraceDays): the band ends 05-15", () => {
    const unpaid = { ...account, payments: account.payments!.slice(0, 1) };
    const svg = renderTimelineSvg(residential, { account: unpaid, forecast: [], from: "2026-03-01" });
    expect(svg).toContain("ip-9: installment plan, 2 instalments, broken 2026-05-16 (2026-03-10 – 2026-05-15)");
  });

  it("nothing paid: the plan breaks after the first instalment (04-10) and its grace, on 04-16, not at its last instalment", () => {
    const none = { ...account, payments: [] };
    const svg = renderTimelineSvg(residential, { account: none, forecast: [], from: "2026-03-01" });
    expect(svg).toContain("ip-9: installment plan, 2 instalments, broken 2026-04-16 (2026-03-10 – 2026-04-15)");
  });
});
