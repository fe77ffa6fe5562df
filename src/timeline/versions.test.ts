/**
 * The timeline of one account under a new policy version (issue 18, item 1): what was carried out
 * under the older text is drawn as what it counts as now. The estate renames S2's door-posted
 * dunning notice (day 25 of the billing month) to a dunning letter in its 2026.3 and drops the
 * arrears dunning notice at four months (its actions count as no warning).
 */
import { describe, expect, it } from "vitest";
import { builtinPolicySource } from "../rules/builtins.js";
import { parsePolicy } from "../rules/parse.js";
import type { AccountSnapshot } from "../ledger/account.js";
import { createScheduler } from "../schedule/ladder/scheduler.js";
import { renderTimelineHtml, renderTimelineSvg, timelineModel } from "./index.js";

const residential = builtinPolicySource("residential") as { version: string; stages: Array<{ id: string }> };
const next = parsePolicy({
  ...residential,
  id: "sunny-court",
  version: "2026.3",
  stages: residential.stages.filter((s) => s.id !== "arrears_4m_dunning_notice").map((s) => (s.id === "dunning_notice" ? { ...s, id: "dunning_letter" } : s)),
  continues: { version: residential.version, stages: { dunning_notice: "dunning_letter", arrears_4m_dunning_notice: null } },
});

/** December's charge, due 2025-12-01, unpaid: its billing notice, dunning notice (12-25) and the four-month arrears notice (2026-04-01), all recorded under the built-in. */
const account: AccountSnapshot = {
  id: "A-1201",
  segment: "residential",
  charges: [{ id: "c-12", period: "2025-12", dueOn: "2025-12-01", amountMinor: 32000 }],
  actions: [
    { id: "A-1201:billing_notice@c-12", stage: "billing_notice", on: "2025-12-01", covers: ["billing_notice@c-12"] },
    { id: "A-1201:dunning_notice@c-12", stage: "dunning_notice", on: "2025-12-25", covers: ["dunning_notice@c-12"] },
    { id: "A-1201:arrears_4m_dunning_notice@c-12", stage: "arrears_4m_dunning_notice", on: "2026-04-01", covers: ["arrears_4m_dunning_notice@c-12"] },
  ],
};
const forecast = createScheduler(next).forecast(account, "2026-04-10", "2026-12-31");
const options = { forecast, account, from: "2026-04-10" };

describe("recorded actions drawn under the stage they count as now", () => {
  it("the dunning notice is drawn as the dunning letter, with its kind and in the charge's lane; the removed stage stays as recorded, with no kind", () => {
    const done = timelineModel(next, options).done;
    expect(done.map((d) => [d.stage, d.recordedAs, d.kind, d.lane])).toEqual([
      ["billing_notice", undefined, "billingNotice", "charge"],
      ["dunning_letter", "dunning_notice", "dunningNotice", "charge"],
      // Counts as no warning under 2026.3: no stage of it to draw it as.
      ["arrears_4m_dunning_notice", undefined, undefined, "staff"],
    ]);
  });

  it("the picture's marker carries the dunning letter's kind, its tooltip says what the ledger recorded", () => {
    const svg = renderTimelineSvg(next, options);
    const group = /<g class="done" data-stage="dunning_letter" data-kind="dunningNotice" data-on="2025-12-25"><title>([^<]*)<\/title>/.exec(svg);
    expect(group?.[1]).toMatch(/^carried out 2025-12-25: dunning_letter \(dunningNotice\), recorded as dunning_notice\n/);
    expect(svg).not.toContain('data-stage="dunning_notice"');
  });

  it("the page's table of carried-out actions names the stage now and the recorded one", () => {
    const html = renderTimelineHtml(next, options);
    const carried = html.slice(html.indexOf("<h2>Carried out</h2>"), html.indexOf("<h2>Forecast</h2>"));
    expect(carried).toContain("<td>dunning_letter (recorded as dunning_notice)</td><td>dunning notice</td>");
    expect(carried).toContain("<td>billing_notice</td>");
    expect(carried).not.toContain("recorded as billing_notice");
  });
});
