/**
 * The report's HTML page in headless Chromium (Debian's `chromium`, scripts/install-chromium.sh):
 * opened from file://, it renders with no script; a ledger's hostile text (`<script>`, quotes,
 * `&`) shows as text; the numbers in the page are the JSON report's; and the demo estate's page,
 * made by the commands docs/cli.md prints, is the screenshot docs/report.png (rewritten only with
 * PD_WRITE_PICTURES=1; otherwise made and checked in a temporary folder). Without chromium the
 * test is skipped locally, and fails when CI is set.
 */
import { readFileSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "./helpers.js";
import { chromium, CHROMIUM, HAVE_CHROMIUM, IN_CI, keepPicture } from "./chromium.js";
import type { Report } from "../src/reports/report.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const reason = `${CHROMIUM} not found; run scripts/install-chromium.sh`;
const SCRIPT_NAME = "<script>document.title='pwned'</script>";
const QUOTED_ID = `A&1"' onmouseover="x`;
const SKIPPED_ID = "<img src=x onerror=alert(1)>";

/** The ledger's hostile text: an owner name with a script, an id with quotes and an ampersand, a skipped id that is an image tag. */
const ledger = {
  accounts: [
    {
      id: QUOTED_ID,
      unit: `1-101 & "B"`,
      owner: { name: SCRIPT_NAME },
      charges: [
        { id: "old<1>", period: "2023-06", dueOn: "2023-06-01", amountMinor: 10000 },
        { id: "c-2026-02", period: "2026-02", dueOn: "2026-02-01", amountMinor: 30000 },
        { id: "c-2026-03", period: "2026-03", dueOn: "2026-03-01", amountMinor: 30000 },
      ],
      actions: [{ id: "x1", stage: "dunning_notice", on: "2026-02-25" }],
    },
    {
      id: "B-2",
      charges: [
        { id: "b-2026-02", period: "2026-02", dueOn: "2026-02-01", amountMinor: 30000 },
        { id: "b-2026-03", period: "2026-03", dueOn: "2026-03-01", amountMinor: 30000 },
      ],
      payments: [{ id: "pb", on: "2026-03-02", amountMinor: 60000 }],
    },
    { id: SKIPPED_ID, charges: [{ id: "c1", period: "2026-03", dueOn: "2026-02-30", amountMinor: 100 }] },
  ],
};

/** The cells of the table in the page's section `id`, row by row: [text, data-v]. */
function numbersOf(dom: string, id: string): [string, string][][] {
  const start = dom.indexOf(`<section id="${id}">`);
  expect(start, id).toBeGreaterThan(0);
  const section = dom.slice(start, dom.indexOf("</section>", start));
  return [...section.matchAll(/<tr[^>]*>([\s\S]*?)<\/tr>/g)]
    .map((row) => [...row[1]!.matchAll(/<td class="num" data-v="([^"]*)">([^<]*)<\/td>/g)].map((m) => [m[2]!, m[1]!] as [string, string]))
    .filter((cells) => cells.length > 0);
}

describe.skipIf(!HAVE_CHROMIUM && !IN_CI)(`report --format html in headless Chromium${HAVE_CHROMIUM ? "" : ` (skipped: ${reason})`}`, () => {
  let dir = "";
  let html = "";
  let page = "";
  let report: Report;

  beforeAll(async () => {
    if (!HAVE_CHROMIUM) throw new Error(`CI is set but ${reason}`);
    dir = await mkdtemp(join(tmpdir(), "pd-report-"));
    const file = join(dir, "ledger.json");
    await writeFile(file, JSON.stringify(ledger));
    const args = ["report", "--ledger", file, "--as-of", "2026-03-25", "--target", "95"];
    const r = await runCli(...args, "--format", "html");
    expect(r.code, r.err).toBe(3); // the skipped account
    page = r.out;
    html = join(dir, "report.html");
    await writeFile(html, page);
    report = JSON.parse((await runCli(...args, "--format", "json")).out) as Report;
  });

  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("is one file: no script, no link, nothing loaded (the SVG namespace is its only URL)", () => {
    expect(page).not.toMatch(/<script|<link|<img|<iframe|@import|url\(/i);
    for (const m of page.matchAll(/https?:\/\/[^"\s<]*/g)) expect(m[0]).toBe("http://www.w3.org/2000/svg");
    expect(page).toContain(`content="default-src 'none'; style-src 'unsafe-inline'; img-src data:"`);
  });

  it("opens from file://, with the ledger's hostile text shown as text and no element made from it", async () => {
    const { stdout: dom } = await chromium(["--dump-dom", `file://${html}`], join(dir, "profile-dom"));
    expect(dom).toMatch(/<svg[^>]*class="monthly"/);
    expect(dom).not.toMatch(/<script/i);
    expect(dom).not.toMatch(/<img/i);
    expect(dom).not.toMatch(/<[^>]*\sonmouseover=/i);
    expect(dom).not.toContain("<title>pwned");
    // Serialised text: < > & escaped, quotes as they are.
    expect(dom).toContain("&lt;script&gt;document.title='pwned'&lt;/script&gt;");
    expect(dom).toContain(`A&amp;1"' onmouseover="x`);
    expect(dom).toContain("1-101 &amp; \"B\"");
    expect(dom).toContain("&lt;img src=x onerror=alert(1)&gt;");
  });

  it("shows the JSON report's numbers: the rate against the target, the months, aging, stages in ladder order", async () => {
    const { stdout: dom } = await chromium(["--dump-dom", `file://${html}`], join(dir, "profile-numbers"));
    const pct = (bp: number | null) => (bp === null ? "-" : `${(bp / 100).toFixed(2)}%`);
    // The headline card: March, 1 of 2 charges of 300.00 paid = 50.00%, below the 95% target.
    expect(report.collection.basisPoints).toBe(5000);
    expect(dom).toMatch(new RegExp(`<div class="card below"><div class="v" data-v="5000">50\\.00%</div>`));
    expect(report.monthly.targetBasisPoints).toBe(9500);
    expect(dom).toContain('<g class="target" data-bp="9500">');
    // The chart's columns and the table beside it, month by month.
    for (const m of report.monthly.months) expect(dom).toContain(`<g class="month" data-month="${m.month}" data-bp="${m.basisPoints ?? ""}">`);
    expect(numbersOf(dom, "monthly")).toEqual(
      report.monthly.months.map((m) => [
        [String(m.charges), String(m.charges)],
        [(m.billedMinor / 100).toFixed(2), String(m.billedMinor)],
        [(m.paidMinor / 100).toFixed(2), String(m.paidMinor)],
        [(m.unpaidMinor / 100).toFixed(2), String(m.unpaidMinor)],
        [pct(m.basisPoints), String(m.basisPoints ?? "")],
      ]),
    );
    expect(numbersOf(dom, "aging").map((row) => row.map(([, v]) => Number(v)))).toEqual(report.aging.map((b) => [b.charges, b.accounts, b.amountMinor]));
    expect(numbersOf(dom, "stages").map((row) => row.map(([, v]) => Number(v)))).toEqual([...report.stages.map((s) => [s.accounts, s.overdueMinor]), [report.neverActioned.accounts, report.neverActioned.overdueMinor]]);
    const stageIds = [...dom.slice(dom.indexOf('<section id="stages">')).matchAll(/<tr data-row="\d+"><td><span[^>]*><\/span>([^<]*)<\/td>/g)].map((m) => m[1]);
    expect(stageIds.slice(0, 4)).toEqual(["billing_notice", "dunning_notice", "final_notice", "arrears_3m_billing_notice"]);
    expect(numbersOf(dom, "limitation")).toEqual(report.limitation.debts.map((d) => [[String(d.daysLeft), String(d.daysLeft)], [(d.unpaidMinor / 100).toFixed(2), String(d.unpaidMinor)]]));
  });

  it(
    "draws the demo estate's page, made by the commands docs/cli.md prints, as docs/report.png",
    async () => {
      // docs/cli.md, "report", as printed there (the shell's > is the writeFile): the demo estate
      // on 2026-03-25, made afresh, and its page with a 95% target.
      const printed = readFileSync(join(root, "docs/cli.md"), "utf8");
      const demoLine = "property-dunning demo --db out/report-demo/estate.db --as-of 2026-03-25 --out out/report-demo/actions.json";
      const reportLine = "property-dunning report --ledger sqlite:out/report-demo/estate.db --as-of 2026-03-25 --format html --target 95 > out/report-demo/report.html";
      expect(printed).toContain(`${demoLine}\n${reportLine}\n`);
      await rm(join(root, "out/report-demo"), { recursive: true, force: true });
      expect((await runCli(...demoLine.split(" ").slice(1))).code).toBe(0);
      const r = await runCli(...reportLine.split(" > ")[0]!.split(" ").slice(1));
      expect(r.code, r.err).toBe(0);
      const demo = join(root, "out/report-demo/report.html");
      await writeFile(demo, r.out);
      // Made in the test's own folder; docs/report.png is rewritten only with PD_WRITE_PICTURES=1.
      const shot = join(dir, "report.png");
      await chromium([`--screenshot=${shot}`, "--window-size=1280,1100", "--hide-scrollbars", `file://${demo}`], join(dir, "profile-shot"));
      const { width, height, pixel } = await keepPicture(await readFile(shot), "report.png", { width: 1280, height: 1100 });
      // A blank or error page has none: the month at or above the target is green, those below amber.
      let green = 0;
      let amber = 0;
      for (let y = 0; y < height; y += 2)
        for (let x = 0; x < width; x += 2) {
          const [red, g, b] = pixel(x, y);
          if (Math.abs(red - 0x15) < 12 && Math.abs(g - 0x80) < 12 && Math.abs(b - 0x3d) < 12) green++;
          if (Math.abs(red - 0xd9) < 12 && Math.abs(g - 0x77) < 12 && b < 24) amber++;
        }
      expect(green, "green pixels (a month at or above the target)").toBeGreaterThan(200);
      expect(amber, "amber pixels (months below the target)").toBeGreaterThan(200);
    },
    300_000,
  );
});
