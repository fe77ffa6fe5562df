/**
 * The policy studio (issue 19, docs/studio.md) in headless Chromium (Debian's `chromium`, see
 * scripts/install-chromium.sh), driven over the DevTools protocol (tests/cdp.ts): the page that
 * `property-dunning studio` writes is opened from `file://`, with every request watched. A person
 * changes the final notice's deadline and the picture changes (to the SVG Node draws for the same
 * text); breaks a trigger and sees the problem at its path, in English and Chinese; runs `verify`
 * on the unfair example and sees the failure the CLI reports, with its counterexample drawn; saves.
 * Screenshots are checked, and go to docs/studio-*.png only with PD_WRITE_PICTURES=1. Needs `npm run build` first (the page's scripts come from
 * dist/studio/). Without chromium the browser part is skipped locally, and fails when CI is set.
 */
import { existsSync, readFileSync } from "node:fs";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { studioCommand } from "../src/cli/studio.js";
import { createScheduler, memoryLedger, parsePolicy, plan, policyJsonSchema, renderTimelineSvg, toRecorded, type AccountSnapshot, type RecordedAction } from "../src/index.js";
import { checkPolicy } from "../src/testing/index.js";
import { launch, type Browser, type Page } from "./cdp.js";
import { keepPicture } from "./chromium.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const CHROMIUM = process.env.PD_CHROMIUM ?? "/usr/bin/chromium";
const HAVE_CHROMIUM = existsSync(CHROMIUM);
const IN_CI = Boolean(process.env.CI);
const reason = `${CHROMIUM} not found; run scripts/install-chromium.sh`;

let dir = "";
let html = "";

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "pd-studio-"));
  html = join(dir, "studio.html");
  const lines: string[] = [];
  const code = await studioCommand({ out: html }, { out: (s) => lines.push(s), err: (s) => lines.push(s) });
  expect(code, `${lines.join("")} (run npm run build first)`).toBe(0);
});

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe("property-dunning studio --out", () => {
  it("writes one self-contained page: the scripts inline, nothing fetched from a network", async () => {
    const page = await readFile(html, "utf8");
    expect(page).toMatch(/^<!doctype html>/);
    expect(page).toContain('<script type="text/plain" id="pd-worker">');
    // No element loads anything: no src= or href= to another file or host, and the CSP refuses connections.
    expect(page).not.toMatch(/<(script|link|img|iframe)[^>]+(src|href)=/i);
    expect(page).toContain("connect-src 'none'");
  });

  it("runs as docs/cli.md and docs/studio.md print it", async () => {
    const { main } = await import("../src/cli/main.js");
    const out: string[] = [];
    const code = await main(["studio", "--out", join(dir, "out", "studio.html")], { out: (s) => out.push(s), err: (s) => out.push(s) });
    expect(code, out.join("")).toBe(0);
    expect(out.join("")).toContain(`studio written to ${join(dir, "out", "studio.html")}`);
    expect(await readFile(join(dir, "out", "studio.html"), "utf8")).toBe(await readFile(html, "utf8"));
  });

  it("refuses an --out that is not a page (a usage error, exit 2)", async () => {
    await expect(studioCommand({ out: join(dir, "studio.svg") }, { out: () => undefined, err: () => undefined })).rejects.toThrow(/--out must end in \.html/);
  });
});

describe.skipIf(!HAVE_CHROMIUM && !IN_CI)(`the studio in headless Chromium${HAVE_CHROMIUM ? "" : ` (skipped: ${reason})`}`, () => {
  let browser: Browser;
  let page: Page;
  const text = () => page.evaluate<string>("studio.view.state.doc.toString()");
  const generation = () => page.evaluate<number>("studio.state.generation");
  const picture = () => page.evaluate<string>("document.querySelector('#picture').innerHTML");
  /** Selects the text `find` (the `nth` match after `after`) in the editor and types `replacement` as a person would. */
  async function type(find: string, replacement: string, after = ""): Promise<void> {
    const before = await generation();
    const ok = await page.evaluate<boolean>(`(() => {
      const doc = studio.view.state.doc.toString();
      const from = doc.indexOf(${JSON.stringify(find)}, doc.indexOf(${JSON.stringify(after)}));
      if (from < 0) return false;
      studio.view.focus();
      studio.view.dispatch({ selection: { anchor: from, head: from + ${find.length} } });
      return true;
    })()`);
    expect(ok, `${find} after ${after}`).toBe(true);
    await page.send("Input.insertText", { text: replacement });
    await page.waitFor(`studio.state.generation > ${before}`);
  }
  /** The screenshot docs/studio.md shows, checked here; written to docs/ only with PD_WRITE_PICTURES=1. */
  async function shot(name: string, selector: string): Promise<void> {
    await keepPicture(await page.screenshot(selector), name);
  }

  beforeAll(async () => {
    if (!HAVE_CHROMIUM) throw new Error(`CI is set but ${reason}`);
    browser = launch(CHROMIUM, join(dir, "profile"));
    page = await browser.open(`file://${html}`, { width: 1400, height: 1000 });
    // Headless windows have no focus of their own: the editor's typing and completion need it.
    await page.send("Emulation.setFocusEmulationEnabled", { enabled: true });
    await page.waitFor("window.studio && studio.state.generation > 0");
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
  });

  it("opens from file:// with the editor, no problems, and the ladder drawn; nothing is requested from a network", async () => {
    expect(await page.evaluate("document.querySelectorAll('.cm-editor .cm-content').length")).toBe(1);
    expect(await page.evaluate("document.querySelector('#problems li.ok') !== null")).toBe(true);
    expect(await picture()).toMatch(/<svg[^>]*data-stage|data-stage="final_notice"/);
    expect(await picture()).toContain('data-stage="final_notice"');
    const urls = browser.events.filter((e) => e.method === "Network.requestWillBeSent").map((e) => (e.params.request as { url: string }).url);
    expect(urls.length).toBeGreaterThan(0);
    expect(urls.filter((u) => !/^(file|data|blob|about):/.test(u))).toEqual([]);
  });

  it("completes a field from the policy's JSON Schema, as a person types", async () => {
    const before = await text();
    // A new line at the top of the policy, then `"ext`: the one top-level field the built-in does not use is offered.
    await page.evaluate("studio.view.focus(); studio.view.dispatch({ selection: { anchor: 1 } })");
    await page.send("Input.dispatchKeyEvent", { type: "keyDown", key: "Enter", code: "Enter", windowsVirtualKeyCode: 13, text: "\r" });
    await page.send("Input.dispatchKeyEvent", { type: "keyUp", key: "Enter", code: "Enter", windowsVirtualKeyCode: 13 });
    for (const c of '"ext') await page.send("Input.insertText", { text: c });
    const offered = await page.waitFor<string[]>(`(() => { const o = [...document.querySelectorAll('.cm-tooltip-autocomplete li')].map((li) => li.textContent); return o.length ? o : null; })()`, 10_000);
    expect(offered.join(" ")).toContain("extends");
    expect(await page.evaluate<{ labels: string[] }>("studio.completions()")).toMatchObject({ labels: expect.arrayContaining(["extends"]) });
    // With its description from the schema beside it.
    const description = (policyJsonSchema() as { properties: { extends: { description: string } } }).properties.extends.description;
    const info = await page.waitFor<string>(`document.querySelector('.cm-completionInfo')?.textContent`, 10_000);
    expect(info).toContain(description.slice(0, 40));
    await page.send("Input.dispatchKeyEvent", { type: "rawKeyDown", key: "Escape", code: "Escape", windowsVirtualKeyCode: 27 });
    await page.evaluate(`studio.view.dispatch({ changes: { from: 0, to: studio.view.state.doc.length, insert: ${JSON.stringify(before)} } })`);
    await page.waitFor(`document.querySelector('#problems li.ok') !== null`);
  });

  it("describes a field when the pointer rests on it, from the schema", async () => {
    const at = await page.evaluate<{ x: number; y: number }>(
      `(() => { const c = studio.view.coordsAtPos(studio.view.state.doc.toString().indexOf('"timeZone"') + 3); return { x: (c.left + c.right) / 2, y: (c.top + c.bottom) / 2 }; })()`,
    );
    await page.send("Input.dispatchMouseEvent", { type: "mouseMoved", x: at.x, y: at.y });
    const hover = await page.waitFor<string>("document.querySelector('.cm-tooltip-hover')?.textContent", 10_000);
    expect(hover).toContain((policyJsonSchema() as { properties: { timeZone: { description: string } } }).properties.timeZone.description);
    await page.send("Input.dispatchMouseEvent", { type: "mouseMoved", x: 5, y: 5 });
  });

  it("redraws the ladder when the final notice's deadline changes, as Node draws the same text", async () => {
    const was = await picture();
    // S2's final notice (限期缴费通知书) gives 15 days; the estate gives 30.
    await type('"deadlineDays": 15', '"deadlineDays": 30', '"id": "final_notice"');
    const now = await picture();
    expect(now).not.toBe(was);
    const policy = parsePolicy(await text());
    expect(policy.stages.find((s) => s.id === "final_notice")!.deadlineDays).toBe(30);
    // The studio and the CLI draw with the same code: the page's picture is the one Node draws, character for character.
    expect(await page.evaluate("studio.state.svg")).toBe(renderTimelineSvg(policy));
    // The sample charge falls due on 2026-03-01; the final notice comes on the 25th of the next month (2026-04-25)
    // and the deadline 30 days on is 2026-05-25, a Monday and a working day.
    expect(now).toContain("2026-05-25");
    await shot("studio-ladder.png", "#top");
  });

  it("shows a problem at its path, live, in English and in Chinese", async () => {
    const good = await picture();
    await type('"day": 25', '"day": 32', '"id": "final_notice"');
    const problem = await page.waitFor<{ code: string; path: string; text: string }>(
      `(() => { const li = document.querySelector('#problems li[data-code]'); return li && { code: li.dataset.code, path: li.dataset.path, text: li.textContent }; })()`,
    );
    // The final notice is the built-in's third stage; a day of the month is at most 31.
    expect(problem).toMatchObject({ code: "too_big", path: "stages[2].trigger.day" });
    expect(problem.text).toMatch(/Too big/);
    // Marked in the editor on the value itself.
    expect(await page.waitFor<string>(`document.querySelector('.cm-lintRange-error')?.textContent`)).toBe("32");
    // The picture stays the last valid policy, shown as stale.
    expect(await picture()).toBe(good);
    expect(await page.evaluate("document.querySelector('#picture').classList.contains('stale')")).toBe(true);
    await page.evaluate("document.getElementById('lang-zh').click()");
    expect(await page.evaluate("document.querySelector('#problems li[data-code]').textContent")).toContain("数值过大");
    expect(await page.evaluate("document.querySelector('[data-t=problems]').textContent")).toBe("问题");
    await shot("studio-problems.png", "#top");
    await page.evaluate("document.getElementById('lang-en').click()");
    await type('"day": 32', '"day": 25', '"id": "final_notice"');
    await page.waitFor(`document.querySelector('#problems li.ok') !== null`);
  });

  it("forecasts the sample account day by day with amounts and late fees, as the scheduler does in Node", async () => {
    await page.evaluate("document.getElementById('run-forecast').click()");
    const rows = await page.waitFor<string[][]>(`(() => { const r = [...document.querySelectorAll('#forecast-table tbody tr')].map((tr) => [...tr.cells].map((c) => c.textContent)); return r.length ? r : null; })()`);
    const account = JSON.parse(await page.evaluate<string>("document.getElementById('account').value")) as AccountSnapshot;
    const expected = createScheduler(parsePolicy(await text())).forecast(account, "2026-03-01", "2027-04-05");
    expect(rows.map((r) => r[0])).toEqual(expected.map((a) => a.plannedOn));
    // 2026-03's charge of 300.00 is overdue from the dunning notice of 2026-03-25 on.
    const dunning = rows.find((r) => r[0] === "2026-03-25")!;
    expect(dunning[3]).toBe("300.00");

    // An account pasted from a ledger: A-1201 of examples/ledger.json, from 2026-04-25 (what `explain` forecasts).
    const ledger = JSON.parse(readFileSync(join(root, "examples/ledger.json"), "utf8")) as { accounts: AccountSnapshot[] };
    const a1201 = ledger.accounts.find((a) => a.id === "A-1201")!;
    await page.evaluate(`document.getElementById('account').value = ${JSON.stringify(JSON.stringify(a1201))}; document.getElementById('as-of').value = '2026-04-25'; document.getElementById('run-forecast').click()`);
    const pasted = await page.evaluate<string[][]>("[...document.querySelectorAll('#forecast-table tbody tr')].map((tr) => [tr.dataset.stage, ...[...tr.cells].map((c) => c.textContent)])");
    const inNode = createScheduler(parsePolicy(await text())).forecast(a1201, "2026-04-25", "2027-05-30");
    expect(pasted.map((r) => `${r[1]} ${r[0]}`)).toEqual(inNode.map((a) => `${a.plannedOn} ${a.stage}`));
    // Its dunning and billing notices are recorded; the final notice for 2026-03 is due on 2026-04-25, for 600.00 overdue (two months of 300.00).
    expect(pasted[0]!.slice(0, 2)).toEqual(["final_notice", "2026-04-25"]);
    expect(pasted[0]![4]).toBe("600.00");
    await page.evaluate("document.getElementById('as-of').value = '2026-03-01'");
  });

  it("forecasts a late fee left after the principal, and an owner's tags, as explain --account and plan() do", async () => {
    const rowsOf = () =>
      page.evaluate<{ stage: string; residual?: string; cells: string[] }[]>("[...document.querySelectorAll('#forecast-table tbody tr')].map((tr) => ({ stage: tr.dataset.stage, residual: tr.dataset.residual, cells: [...tr.cells].map((c) => c.textContent) }))");
    const chooseSample = async (sample: string) => {
      await page.evaluate(`(() => { const s = document.getElementById('sample'); s.value = ${JSON.stringify(sample)}; s.dispatchEvent(new Event('change')); })()`);
      await page.waitFor(`document.getElementById('account').value.includes(${JSON.stringify(sample === "residual" ? "SAMPLE-0402" : "SAMPLE-0301")})`);
    };
    // The sample: an elderly owner (owner id OWNER-0402) paid March's 300.00 on 2026-04-01, a month late.
    await chooseSample("residual");
    const account = JSON.parse(await page.evaluate<string>("document.getElementById('account').value")) as AccountSnapshot;
    expect(account.owner).toMatchObject({ id: "OWNER-0402", tags: ["elderly"] });

    // Under the built-in's copy, which has no residualLateFee: the fee left is shown, and that nothing chases or waives it.
    // Residential S2: 0.05% a day of 300.00 is 0.15; unpaid 2026-03-02 to 2026-03-31, 30 days: 4.50.
    await page.waitFor("document.getElementById('forecast-residual') !== null");
    expect(await page.evaluate("({ ...document.getElementById('forecast-residual').dataset })")).toEqual({ leftMinor: "450", planned: "false" });
    expect(await page.evaluate<string>("document.getElementById('forecast-residual').textContent")).toContain("this policy plans nothing for it");
    expect((await rowsOf()).filter((r) => r.residual)).toEqual([]);

    // The recipe's policy: reminders 7 days (SMS) and 30 days (phone) after the principal was paid, then a waiver at 60 days.
    const residualPolicy = readFileSync(join(root, "examples/recipes/residual-fee.json"), "utf8");
    await page.evaluate(`studio.view.dispatch({ changes: { from: 0, to: studio.view.state.doc.length, insert: ${JSON.stringify(residualPolicy)} } })`);
    await page.waitFor(`document.querySelector('#problems li.ok') !== null && document.querySelector('#forecast-table tbody tr[data-residual]') !== null`);
    const rows = await rowsOf();
    const byStage = (stage: string) => rows.find((r) => r.stage === stage)!;
    // The elderly protection (residential built-in): a home visit instead of the door posting, home collection and a plan offered with the first dunning.
    expect(byStage("billing_notice").cells[2]).toBe("homeVisit + sms");
    expect(byStage("dunning_notice").cells.slice(0, 6)).toEqual(["2026-03-25", expect.stringContaining("(dunningNotice)"), "homeVisit + sms", "300.00", "3.60", "303.60"]);
    expect(byStage("dunning_notice").cells[7]).toContain("homeCollection, installmentPlan");
    // Paid 2026-04-01: no final notice; the fee's own steps, each for the 4.50 left and no principal.
    expect(rows.filter((r) => r.residual).map((r) => [r.residual, r.cells[0], r.stage, r.cells[2], r.cells[3], r.cells[4]])).toEqual([
      ["reminder", "2026-04-08", "late_fee_reminder", "sms", "0.00", "4.50"],
      ["reminder", "2026-05-01", "late_fee_call", "phone", "0.00", "4.50"],
      ["waive", "2026-05-31", "late_fee_waiver", "staffQueue", "0.00", "4.50"],
    ]);
    expect(byStage("late_fee_waiver").cells[1]).toContain("a person reviews it first");
    expect(rows.map((r) => r.stage)).not.toContain("final_notice");
    expect(await page.evaluate("({ ...document.getElementById('forecast-residual').dataset })")).toEqual({ leftMinor: "450", planned: "true" });
    // The owner: tags, the protection they bring, and that coordinating several units needs the ledger.
    const owner = await page.evaluate<{ text: string; protections: string }>("(() => { const p = document.getElementById('forecast-owner'); return { text: p.textContent, protections: p.dataset.protections }; })()");
    expect(owner.protections).toBe("elderly");
    expect(owner.text).toContain("OWNER-0402");
    expect(owner.text).toContain("needs the ledger");

    // The same account in Node: explain --account's forecast, and plan() day by day over a one-account ledger (its owner pass included), recording each action.
    const policy = parsePolicy(residualPolicy);
    const from = "2026-03-01";
    const to = "2027-04-05"; // 400 days, the page's window
    const days = rows.map((r) => `${r.cells[0]} ${r.stage}`);
    expect(days).toEqual(createScheduler(policy).forecast(account, from, to).map((a) => `${a.plannedOn} ${a.stage}`));
    const log: RecordedAction[] = [];
    const daily: string[] = [];
    for (let d = Date.parse(`${from}T00:00:00Z`); d <= Date.parse(`${to}T00:00:00Z`); d += 86_400_000) {
      const day = new Date(d).toISOString().slice(0, 10);
      for await (const e of plan(memoryLedger([{ ...account, actions: [...log] }]), { policy, asOf: day }))
        if (e.type === "planned") for (const a of e.actions) (daily.push(`${day} ${a.stage}`), log.push(toRecorded(a, day)));
    }
    expect(daily).toEqual(days);
    await chooseSample("stopped");
  }, 300_000);

  it("runs verify on the unfair example in a web worker and draws the counterexample", async () => {
    const unfair = readFileSync(join(root, "examples/unfair-policy.json"), "utf8");
    await page.evaluate(`studio.view.dispatch({ changes: { from: 0, to: studio.view.state.doc.length, insert: ${JSON.stringify(unfair)} } })`);
    await page.waitFor(`document.querySelector('#problems li.ok') !== null`);
    await page.evaluate("document.getElementById('runs').value = '50'; document.getElementById('seed').value = '1'; document.getElementById('run-verify').click()");
    const status = await page.waitFor<string>(`(() => { const s = document.getElementById('verify').dataset.status; return s && s !== 'running' ? s : null; })()`, 240_000);
    expect(status, await page.evaluate("document.getElementById('verify').textContent")).toBe("fail");
    const failedInPage = await page.evaluate<string[]>("[...document.querySelectorAll('#verify-table tr.fail')].map((tr) => tr.dataset.invariant)");
    // The example's own description: escalation is the invariant that catches it; the CLI's kit says the same.
    expect(failedInPage).toContain("escalation");
    const inNode = checkPolicy(parsePolicy(unfair), { runs: 50, seed: 1 });
    expect(failedInPage).toEqual(inNode.results.filter((r) => !r.ok).map((r) => r.name));
    expect(await page.evaluate("document.querySelector('#counterexample svg') !== null")).toBe(true);
    await shot("studio-verify.png", "#verify-section");
  }, 300_000);

  it("saves the edited policy as a file", async () => {
    const downloads = join(dir, "downloads");
    await browser.send("Browser.setDownloadBehavior", { behavior: "allow", downloadPath: downloads });
    await page.evaluate("document.getElementById('save').click()");
    const until = Date.now() + 20_000;
    let files: string[] = [];
    while (Date.now() < until) {
      files = existsSync(downloads) ? (await readdir(downloads)).filter((f) => !f.endsWith(".crdownload")) : [];
      if (files.length > 0) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(files).toEqual(["harsh-heights.json"]);
    expect(await readFile(join(downloads, files[0]!), "utf8")).toBe(await text());
  });
});
