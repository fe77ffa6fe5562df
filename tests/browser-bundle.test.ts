/**
 * The root entry runs in a browser (issue 16 item 6): esbuild bundles src/index.ts for the
 * browser platform, with no Node built-in left in it, and headless Chromium (Debian's
 * `chromium`, see scripts/install-chromium.sh) runs policy validation and a plan of a small
 * memory ledger with it. The plan's action ids must equal those Node plans from the same code.
 * Without chromium the Chromium part is skipped locally, and fails when CI is set.
 */
import { execFile } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build, type Metafile } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as api from "../src/index.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const CHROMIUM = process.env.PD_CHROMIUM ?? "/usr/bin/chromium";
const HAVE_CHROMIUM = existsSync(CHROMIUM);
const IN_CI = Boolean(process.env.CI);

/** Node's built-in modules, as a browser bundle must not name them (with or without `node:`). */
const NODE_BUILTIN = /^(node:|(fs|fs\/promises|path|os|url|util|stream|events|crypto|child_process|worker_threads|readline|zlib|net|tls|http|https|module|process|buffer)$)/;

/** Bundles `entry` (a file, or source text resolved from the repository) for the browser, as an IIFE exposing `PD`. */
async function bundle(entry: { file: string } | { contents: string }): Promise<{ code: string; errors: string[]; nodeImports: string[] }> {
  const result = await build({
    ...("file" in entry ? { entryPoints: [entry.file] } : { stdin: { contents: entry.contents, resolveDir: root, loader: "ts" } }),
    bundle: true,
    platform: "browser",
    format: "iife",
    globalName: "PD",
    target: "es2022",
    write: false,
    metafile: true,
    logLevel: "silent",
  }).catch((error: { errors?: { text: string }[]; metafile?: Metafile }) => ({ errors: error.errors ?? [{ text: String(error) }], outputFiles: [], metafile: undefined }));
  const nodeImports: string[] = [];
  // What a source file names, and what the bundle still imports (a type-only import, dropped, is not in it).
  for (const input of Object.values(result.metafile?.inputs ?? {})) for (const i of input.imports) if (NODE_BUILTIN.test(i.path)) nodeImports.push(i.path);
  for (const output of Object.values(result.metafile?.outputs ?? {})) for (const i of output.imports) nodeImports.push(i.path);
  const errors = result.errors.map((e) => e.text);
  // esbuild refuses a Node built-in for the browser platform: its error names it.
  for (const text of errors) {
    const named = /Could not resolve "([^"]+)"/.exec(text)?.[1];
    if (named !== undefined && NODE_BUILTIN.test(named)) nodeImports.push(named);
  }
  return { code: result.outputFiles[0]?.text ?? "", errors, nodeImports };
}

/**
 * What runs in both places, given the library: validate a bad policy and a good one, then plan a
 * small memory ledger under the good one. Self-contained (it is sent to the browser as text).
 */
async function scenario(pd: typeof api, input: { estate: unknown; accounts: unknown[]; asOf: string }) {
  const bad = pd.safeParsePolicy({ extends: "residential", id: "bad", version: "1", stages: [{ id: "dunning_notice", trigger: { type: "billingMonthDay", monthOffset: 0, day: 32 } }] });
  const policy = pd.parsePolicy(input.estate);
  const ids: string[] = [];
  const skipped: string[] = [];
  for await (const event of pd.plan(pd.memoryLedger(input.accounts as never), { asOf: input.asOf, policy: { residential: policy } })) {
    if (event.type === "planned") ids.push(...event.actions.map((a) => a.id));
    else skipped.push(event.accountId);
  }
  return { badIssues: bad.ok ? [] : bad.issues.map((i) => `${i.path} ${i.code}`), policyId: policy.id, ids, skipped, deadline: pd.deadlineAfter("2026-09-16", 15, { holidays: "CN" }) };
}

const input = {
  estate: JSON.parse(readFileSync(join(root, "examples/green-garden.json"), "utf8")) as unknown,
  accounts: (JSON.parse(readFileSync(join(root, "examples/ledger.json"), "utf8")) as { accounts: unknown[] }).accounts,
  asOf: "2026-04-25",
};

function chromium(args: string[], userDataDir: string): Promise<string> {
  const flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync", `--user-data-dir=${userDataDir}`];
  return new Promise((resolve, reject) => {
    execFile(CHROMIUM, [...flags, ...args], { timeout: 90_000, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) =>
      error ? reject(new Error(`chromium failed: ${error.message}\n${stderr}`)) : resolve(stdout),
    );
  });
}

describe("the root entry bundled for the browser", () => {
  let bundled: Awaited<ReturnType<typeof bundle>>;
  beforeAll(async () => {
    bundled = await bundle({ file: join(root, "src/index.ts") });
  });

  it("bundles with no Node built-in and nothing left external", () => {
    expect(bundled.errors).toEqual([]);
    expect(bundled.nodeImports).toEqual([]);
    expect(bundled.code.length).toBeGreaterThan(10_000);
  });

  it("the check catches a Node built-in that creeps in (here worker_threads, through openLedger's files too)", async () => {
    const creep = await bundle({ contents: `export * from "./src/index.ts"; export { openLedger } from "./src/adapters/open.ts"; export { Worker } from "node:worker_threads";` });
    expect(creep.nodeImports).toEqual(expect.arrayContaining(["node:worker_threads", "node:fs"]));
  });

  describe.skipIf(!HAVE_CHROMIUM && !IN_CI)(`in headless Chromium${HAVE_CHROMIUM ? "" : ` (skipped: ${CHROMIUM} not found; run scripts/install-chromium.sh)`}`, () => {
    let dir = "";
    beforeAll(async () => {
      if (!HAVE_CHROMIUM) throw new Error(`CI is set but ${CHROMIUM} is missing; run scripts/install-chromium.sh`);
      dir = await mkdtemp(join(tmpdir(), "pd-browser-"));
    });
    afterAll(async () => {
      if (dir) await rm(dir, { recursive: true, force: true });
    });

    it("validates a policy and plans a memory ledger, with the same action ids as Node", async () => {
      const inNode = await scenario(api, input);
      // The scenario is not empty: the demo ledger has actions due on 2026-04-25, and the bad policy an issue.
      expect(inNode.ids.length).toBeGreaterThan(0);
      expect(inNode.badIssues).toEqual(["stages[0].trigger.day too_big"]);
      expect(inNode.deadline).toBe("2026-10-08"); // 2026-10-01 is National Day

      // JSON inside a <script>: "<" escaped so that no "</script>" in the data can end it.
      const data = JSON.stringify(input).replace(/</g, "\\u003c");
      const page = `<!doctype html><meta charset="utf-8"><title>pd</title><pre id="out">pending</pre>
<script>${bundled.code.replace(/<\/script/gi, "<\\/script")}</script>
<script>
const out = document.getElementById("out");
(${scenario.toString()})(PD, ${data})
  .then((r) => { out.textContent = JSON.stringify({ ok: true, ...r, node: typeof process !== "undefined" }); })
  .catch((e) => { out.textContent = JSON.stringify({ ok: false, error: String(e && e.stack || e) }); });
</script>`;
      const file = join(dir, "index.html");
      await writeFile(file, page);
      const dom = await chromium(["--virtual-time-budget=20000", "--dump-dom", `file://${file}`], join(dir, "profile"));
      const text = /<pre id="out">([\s\S]*?)<\/pre>/.exec(dom)?.[1];
      expect(text, dom.slice(0, 2000)).toBeDefined();
      const decoded = text!.replace(/&quot;/g, '"').replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
      const inBrowser = JSON.parse(decoded) as { ok: boolean; error?: string; node: boolean } & Awaited<ReturnType<typeof scenario>>;
      expect(inBrowser.ok, inBrowser.error).toBe(true);
      expect(inBrowser.node, "no Node `process` in the page").toBe(false);
      expect(inBrowser.ids).toEqual(inNode.ids);
      expect(inBrowser.skipped).toEqual(inNode.skipped);
      expect(inBrowser.badIssues).toEqual(inNode.badIssues);
      expect(inBrowser.policyId).toBe("green-garden");
      expect(inBrowser.deadline).toBe("2026-10-08");
    }, 120_000);
  });
});
