/**
 * Opens the timeline page in headless Chromium (Debian's `chromium`, see scripts/install-chromium.sh)
 * and checks that it renders: a screenshot with real content, and the SVG in the DOM. Without
 * chromium the test is skipped locally, and fails when CI is set.
 */
import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { timelineCommand } from "../src/cli/timeline.js";
import { chromium, CHROMIUM, decodePng, HAVE_CHROMIUM, IN_CI } from "./chromium.js";
import type { AccountSnapshot } from "../src/ledger/account.js";
import { builtinPolicySource } from "../src/rules/builtins.js";
import { parsePolicy } from "../src/rules/parse.js";
import { createScheduler } from "../src/schedule/ladder/scheduler.js";
import { renderTimelineSvg } from "../src/timeline/index.js";

const reason = `${CHROMIUM} not found; run scripts/install-chromium.sh`;

describe.skipIf(!HAVE_CHROMIUM && !IN_CI)(`timeline in headless Chromium${HAVE_CHROMIUM ? "" : ` (skipped: ${reason})`}`, () => {
  let dir = "";
  let html = "";

  beforeAll(async () => {
    if (!HAVE_CHROMIUM) throw new Error(`CI is set but ${reason}`);
    dir = await mkdtemp(join(tmpdir(), "pd-timeline-"));
    const charges = Array.from({ length: 16 }, (_, i) => {
      const month = 6 + i;
      const y = 2025 + Math.floor((month - 1) / 12);
      const m = String(((month - 1) % 12) + 1).padStart(2, "0");
      return { id: `c-${y}-${m}`, period: `${y}-${m}`, dueOn: `${y}-${m}-01`, amountMinor: 32850 };
    });
    const account = {
      id: "B-0907",
      segment: "residential",
      owner: { name: "Wang <script>document.title='pwned'</script>" },
      charges,
      holds: [{ type: "promiseToPay", id: "p1", madeOn: "2026-12-03", promisedOn: "2026-12-31" }],
    };
    await writeFile(join(dir, "ledger.json"), JSON.stringify({ accounts: [account] }));
    html = join(dir, "timeline.html");
    const lines: string[] = [];
    const io = { out: (s: string) => lines.push(s), err: (s: string) => lines.push(s) };
    const code = await timelineCommand({ ledger: join(dir, "ledger.json"), account: "B-0907", asOf: "2026-11-23", out: html }, io);
    expect(code, lines.join("")).toBe(0);
  });

  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("renders a screenshot with the timeline's colours", async () => {
    const shot = join(dir, "shot.png");
    await chromium([`--screenshot=${shot}`, "--window-size=1400,900", `file://${html}`], join(dir, "profile-shot"));
    const size = (await stat(shot)).size;
    expect(size).toBeGreaterThan(10 * 1024);
    const png = await readFile(shot);
    expect(png.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).toBe(true);
    const { width, height, pixel } = decodePng(png);
    expect([width, height]).toEqual([1400, 900]);
    // A blank or error page is grey and white; the timeline has the final notice's red and the holds' amber.
    let red = 0;
    let amber = 0;
    for (let y = 0; y < height; y += 2)
      for (let x = 0; x < width; x += 2) {
        const [r, g, b] = pixel(x, y);
        if (r > 150 && g < 60 && b < 60) red++;
        if (r > 230 && g > 190 && g < 225 && b < 120) amber++;
      }
    expect(red, "red pixels (final notice markers)").toBeGreaterThan(20);
    expect(amber, "amber pixels (hold band)").toBeGreaterThan(20);
  });

  it("puts the SVG and the table into the DOM, with no script run", async () => {
    const { stdout } = await chromium(["--dump-dom", `file://${html}`], join(dir, "profile-dom"));
    expect(stdout).toMatch(/<svg[^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    expect(stdout).toContain('data-stage="arrears_12m_lawyer_letter"');
    expect(stdout).toContain("<td>final_notice</td>");
    expect(stdout).not.toContain("pwned</title>");
    expect(stdout).not.toMatch(/<script/i);
  });
});

/**
 * The labels' boxes as Chromium lays them out with a real font (getBBox), not as the layout
 * estimates them: each inside the picture, and no day count of a gap across the as-of line.
 * The pictures: the README's (docs/timeline.svg), the residential ladder, and a forecast whose
 * last deadline falls in the picture's last weeks (its label was cut off at the right edge).
 */
describe.skipIf(!HAVE_CHROMIUM && !IN_CI)(`timeline labels measured in headless Chromium${HAVE_CHROMIUM ? "" : ` (skipped: ${reason})`}`, () => {
  let dir = "";
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("every text box lies inside its picture, and no gap's count crosses the as-of line", async () => {
    if (!HAVE_CHROMIUM) throw new Error(`CI is set but ${reason}`);
    dir = await mkdtemp(join(tmpdir(), "pd-timeline-boxes-"));
    const residential = parsePolicy(builtinPolicySource("residential"));
    const charges = Array.from({ length: 16 }, (_, i) => {
      const month = 6 + i;
      const y = 2025 + Math.floor((month - 1) / 12);
      const m = String(((month - 1) % 12) + 1).padStart(2, "0");
      return { id: `c-${y}-${m}`, period: `${y}-${m}`, dueOn: `${y}-${m}-01`, amountMinor: 32850 };
    });
    const account: AccountSnapshot = { id: "B-0907", segment: "residential", charges, actions: [{ id: "x", stage: "final_notice", on: "2025-12-26", covers: ["final_notice@c-2025-11"] }] };
    const forecast = createScheduler(residential).forecast(account, "2026-11-23", "2027-04-05");
    const pictures = [
      await readFile(new URL("../docs/timeline.svg", import.meta.url), "utf8"),
      renderTimelineSvg(residential),
      renderTimelineSvg(residential, { forecast, account, from: "2026-11-23" }),
    ];
    const script = `
      const out = [...document.querySelectorAll("svg")].map((svg, i) => {
        const [, , width, height] = svg.getAttribute("viewBox").split(" ").map(Number);
        const asOf = svg.querySelector("g.as-of line");
        const line = asOf ? Number(asOf.getAttribute("x1")) : null;
        const texts = [...svg.querySelectorAll("text")].map((t) => { const b = t.getBBox(); return { text: t.textContent, x1: b.x, x2: b.x + b.width, y1: b.y, y2: b.y + b.height, gap: t.parentNode.getAttribute("class") === "gap" }; });
        return { i, width, height, line, texts };
      });
      document.getElementById("out").textContent = JSON.stringify(out);`;
    const page = join(dir, "boxes.html");
    await writeFile(page, `<!DOCTYPE html><html><head><meta charset="utf-8"></head><body>${pictures.join("\n")}<pre id="out"></pre><script>${script}</script></body></html>`);
    const { stdout } = await chromium(["--dump-dom", `file://${page}`], join(dir, "profile"));
    const json = /<pre id="out">([^<]*)<\/pre>/.exec(stdout)?.[1];
    expect(json, "the page's script wrote its measurements").toBeTruthy();
    const measured = JSON.parse(json!.replace(/&quot;/g, '"').replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&")) as { i: number; width: number; height: number; line: number | null; texts: { text: string; x1: number; x2: number; y1: number; y2: number; gap: boolean }[] }[];
    expect(measured).toHaveLength(pictures.length);
    for (const svg of measured) {
      expect(svg.texts.length).toBeGreaterThan(20);
      const outside = svg.texts.filter((t) => t.x1 < 0 || t.x2 > svg.width || t.y1 < 0 || t.y2 > svg.height);
      expect(outside.map((t) => `picture ${svg.i}: ${t.text} [${t.x1.toFixed(0)}, ${t.x2.toFixed(0)}] of ${svg.width}`)).toEqual([]);
      if (svg.line !== null) {
        const crossing = svg.texts.filter((t) => t.gap && t.x1 < svg.line! && svg.line! < t.x2);
        expect(crossing.map((t) => `picture ${svg.i}: ${t.text}`)).toEqual([]);
      }
    }
    // The third picture's last deadline is the one that ran off the right edge.
    expect(measured[2]!.texts.some((t) => t.text === "deadline 2027-03-09")).toBe(true);
  }, 120_000);
});
