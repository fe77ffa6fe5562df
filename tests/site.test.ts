/**
 * The docs site (issue 19: the studio "published with the docs"; docs/studio.md, "Published with
 * the docs"): the command docs/studio.md prints runs as printed and writes site/ with a page for
 * the README, the changelog and every docs/*.md, the studio and the API reference; every relative
 * link and picture of every page lands on a file inside site/ (and on a heading, where it names
 * one); no ledger is published; studio.html is the file `property-dunning studio --out` writes,
 * loads nothing from a network, and plans in headless Chromium as the scheduler does in Node.
 * Needs `npm run build` first (pretest), as the printed command does.
 */
import { execFileSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { studioCommand } from "../src/cli/studio.js";
import { createScheduler, parsePolicy, type AccountSnapshot } from "../src/index.js";
import { launch, type Browser, type Page } from "./cdp.js";
import { CHROMIUM, HAVE_CHROMIUM, IN_CI } from "./chromium.js";
import { cliEnv } from "./helpers.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const site = join(root, "site");

/** The `sh` block of docs/studio.md that builds the site: its one line, as printed. */
function printedCommand(): string {
  const doc = readFileSync(join(root, "docs/studio.md"), "utf8");
  const blocks = [...doc.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]!.trim());
  const block = blocks.find((b) => b.includes("npm run site"));
  expect(block, "docs/studio.md prints the site's command").toBeDefined();
  return block!;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name));
}

let output = "";
beforeAll(() => {
  output = execFileSync("sh", ["-c", printedCommand()], { cwd: root, encoding: "utf8", env: cliEnv() });
}, 600_000);

describe("npm run site", () => {
  it("runs as docs/studio.md prints it and says what it wrote", () => {
    expect(printedCommand()).toBe("npm run site");
    expect(output).toMatch(/site written to site: \d+ pages/);
  });

  it("writes a page for the README, the changelog and every docs/*.md, the studio and the API reference", () => {
    const docs = readdirSync(join(root, "docs")).filter((f) => f.endsWith(".md"));
    expect(docs.length).toBeGreaterThan(10);
    for (const page of ["index.html", "CHANGELOG.html", ...docs.map((f) => `docs/${f.replace(/\.md$/, ".html")}`), "studio.html", "api/index.html", "api/modules/index.html", "api/functions/index.plan.html"])
      expect(existsSync(join(site, page)), page).toBe(true);
    // The README's own words, as HTML, on the front page; its picture beside it.
    const index = readFileSync(join(site, "index.html"), "utf8");
    expect(index).toContain("<h1 id=\"property-dunning\">property-dunning</h1>");
    expect(index).toMatch(/<img src="docs\/timeline\.svg"/);
    // Links between pages point at pages, not at Markdown files.
    expect(index).toContain('href="docs/getting-started.html"');
  });

  it("every relative link and picture of every page lands inside site/, on a heading where it names one", () => {
    const pages = filesUnder(site).filter((f) => f.endsWith(".html"));
    expect(pages.length).toBeGreaterThan(100); // the API reference's pages included
    const ids = new Map<string, Set<string>>();
    const idsOf = (file: string) => {
      if (!ids.has(file)) ids.set(file, new Set([...readFileSync(file, "utf8").matchAll(/\sid="([^"]*)"/g)].map((m) => decodeEntities(m[1]!))));
      return ids.get(file)!;
    };
    const broken: string[] = [];
    let checked = 0;
    for (const page of pages) {
      // The studio's own script text holds markup in strings; its links are checked below, by the browser.
      if (page.endsWith("studio.html")) continue;
      const html = readFileSync(page, "utf8");
      for (const m of html.matchAll(/\s(href|src)="([^"]*)"/g)) {
        const value = decodeEntities(m[2]!);
        if (/^[a-z][a-z0-9+.-]*:/i.test(value) || value.startsWith("//")) continue;
        checked++;
        const [path, fragment] = value.split("#") as [string, string | undefined];
        const target = path === "" ? page : resolve(dirname(page), decodeURIComponent(path));
        const where = `${relative(site, page)}: ${m[1]}="${value}"`;
        if (relative(site, target).startsWith("..")) broken.push(`${where} leaves site/`);
        else if (!existsSync(target)) broken.push(`${where}: no such file`);
        else if (statSync(target).isDirectory()) broken.push(`${where}: a folder`);
        else if (fragment && target.endsWith(".html") && !idsOf(target).has(decodeURIComponent(fragment))) broken.push(`${where}: no heading #${fragment}`);
      }
    }
    expect(broken).toEqual([]);
    expect(checked).toBeGreaterThan(1000);
  });

  it("publishes no ledger, not even the made-up ones the recipes link: their paths are named instead", () => {
    const files = filesUnder(site).filter((f) => !f.includes(`${join(site, "api")}/`));
    const ledgers = files.filter((f) => /\.(db|sqlite3?)$/.test(f) || (f.endsWith(".json") && "accounts" in (JSON.parse(readFileSync(f, "utf8")) as object)));
    expect(ledgers).toEqual([]);
    // docs/recipes.md links examples/recipes/residual-fee-ledger.json: named, not linked.
    const recipes = readFileSync(join(site, "docs/recipes.html"), "utf8");
    expect(readFileSync(join(root, "docs/recipes.md"), "utf8")).toContain("(../examples/recipes/residual-fee-ledger.json)");
    expect(recipes).toContain('title="examples/recipes/residual-fee-ledger.json, in the repository"');
    expect(recipes).not.toContain('href="../examples/recipes/residual-fee-ledger.json"');
    // A policy it links is published.
    expect(existsSync(join(site, "examples/recipes/residual-fee.json"))).toBe(true);
  });

  it("refuses to empty the checkout, a folder that holds it, or a folder it did not write (exit 2), and deletes nothing", async () => {
    // On a stand-in checkout (the script and node_modules), so that a broken guard could only empty that.
    const fake = await mkdtemp(join(tmpdir(), "pd-site-guard-"));
    try {
      mkdirSync(join(fake, "checkout/scripts"), { recursive: true });
      mkdirSync(join(fake, "checkout/docs"));
      writeFileSync(join(fake, "checkout/docs/cli.md"), "# CLI\n");
      copyFileSync(join(root, "scripts/build-site.mjs"), join(fake, "checkout/scripts/build-site.mjs"));
      symlinkSync(join(root, "node_modules"), join(fake, "checkout/node_modules"));
      for (const at of [".", "..", "docs"]) {
        let status = 0;
        let stderr = "";
        try {
          execFileSync(process.execPath, ["scripts/build-site.mjs", "--out", at], { cwd: join(fake, "checkout"), encoding: "utf8", env: cliEnv(), stdio: ["ignore", "pipe", "pipe"] });
        } catch (error) {
          ({ status, stderr } = error as { status: number; stderr: string });
        }
        expect([at, status]).toEqual([at, 2]);
        expect(stderr).toMatch(at === "docs" ? /neither empty nor a folder an earlier site build wrote/ : /holds the checkout/);
      }
      expect(readFileSync(join(fake, "checkout/docs/cli.md"), "utf8")).toBe("# CLI\n");
      expect(existsSync(join(fake, "checkout/scripts/build-site.mjs"))).toBe(true);
    } finally {
      await rm(fake, { recursive: true, force: true });
    }
  });

  it("studio.html is the file `property-dunning studio --out` writes, and names nothing on a network", async () => {
    const dir = await mkdtemp(join(tmpdir(), "pd-site-"));
    try {
      const code = await studioCommand({ out: join(dir, "studio.html") }, { out: () => undefined, err: () => undefined });
      expect(code).toBe(0);
      const page = readFileSync(join(site, "studio.html"), "utf8");
      expect(page).toBe(readFileSync(join(dir, "studio.html"), "utf8"));
      // Nothing to fetch: no element loads a URL, no stylesheet imports one, and the page's policy refuses connections.
      expect(page).not.toMatch(/\s(src|href|action|poster|srcset|data)\s*=\s*["']?\s*(https?:|\/\/|ftp:|ws:)/i);
      expect(page).not.toMatch(/url\(\s*["']?\s*(https?:|\/\/)/i);
      expect(page).not.toMatch(/@import/i);
      expect(page).toMatch(/<meta http-equiv="Content-Security-Policy" content="[^"]*default-src 'none'[^"]*connect-src 'none'/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe.skipIf(!HAVE_CHROMIUM && !IN_CI)(`site/studio.html in headless Chromium${HAVE_CHROMIUM ? "" : " (skipped: no chromium)"}`, () => {
  let browser: Browser;
  let page: Page;
  let profile = "";

  beforeAll(async () => {
    if (!HAVE_CHROMIUM) throw new Error(`CI is set but ${CHROMIUM} is missing; run scripts/install-chromium.sh`);
    profile = await mkdtemp(join(tmpdir(), "pd-site-chromium-"));
    browser = launch(CHROMIUM, profile);
    page = await browser.open(`file://${join(site, "studio.html")}`, { width: 1200, height: 900 });
    await page.waitFor("window.studio && studio.state.generation > 0", 60_000);
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    if (profile) await rm(profile, { recursive: true, force: true });
  });

  it("opens from the file and forecasts its sample account as the scheduler does in Node, fetching nothing", async () => {
    await page.evaluate("document.getElementById('run-forecast').click()");
    const days = await page.waitFor<string[]>(`(() => { const r = [...document.querySelectorAll('#forecast-table tbody tr')].map((tr) => tr.cells[0].textContent); return r.length ? r : null; })()`);
    const account = JSON.parse(await page.evaluate<string>("document.getElementById('account').value")) as AccountSnapshot;
    const policy = parsePolicy(await page.evaluate<string>("studio.view.state.doc.toString()"));
    const from = await page.evaluate<string>("document.getElementById('as-of').value");
    const window = Number(await page.evaluate<string>("document.getElementById('days').value"));
    const to = new Date(Date.parse(`${from}T00:00:00Z`) + window * 86_400_000).toISOString().slice(0, 10);
    expect(days).toEqual(createScheduler(policy).forecast(account, from, to).map((a) => a.plannedOn));
    expect(days.length).toBeGreaterThan(2);
    const urls = browser.events.filter((e) => e.method === "Network.requestWillBeSent").map((e) => (e.params.request as { url: string }).url);
    expect(urls.filter((u) => !/^(file|data|blob|about):/.test(u))).toEqual([]);
  }, 60_000);
});

/** The few entities markdown-it and TypeDoc write inside attributes. */
function decodeEntities(text: string): string {
  return text.replace(/&amp;/g, "&").replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, "<").replace(/&gt;/g, ">");
}
