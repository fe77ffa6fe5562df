/**
 * docs/getting-started.md, run as a new user runs it, in a project of their own: the package is
 * packed from this checkout (`npm pack`, of the built dist/: `npm test` builds first) and every
 * ```sh block of the page runs as printed, in order, in an empty folder, with the real `npm` and
 * `npx`. One line cannot reach the registry from a test, the install, so exactly that line is
 * answered by installing the packed tarball offline (the peers from this checkout's
 * node_modules); `npm_config_offline` makes any other registry request fail, so `npx` must find
 * the installed command. A block must exit as its fence says (exit=N, default 0), and each line
 * of the ```text block after it must appear in its output, spaces collapsed, `…` matching anything.
 * Then the README's command-line block runs in the same folder, as printed.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { consumerEnv, npmPrelude, packCheckout } from "./consumer-project.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const page = readFileSync(join(root, "docs/getting-started.md"), "utf8");
const readme = readFileSync(join(root, "README.md"), "utf8");

/** The install line the page prints: the package and the optional peers its commands need. */
const INSTALL = "npm install property-dunning better-sqlite3 fast-check";

interface Step {
  script: string;
  exit: number;
  expected: string[];
}

/** The ```sh blocks of a markdown text, each with the ```text block right after it, if any. */
function steps(markdown: string): Step[] {
  const blocks = [...markdown.matchAll(/^```(\w*)([^\n]*)\n([\s\S]*?)^```[ \t]*$/gm)].map((m) => ({
    lang: m[1]!,
    info: m[2]!,
    body: m[3]!,
    start: m.index!,
    end: m.index! + m[0].length,
  }));
  const out: Step[] = [];
  blocks.forEach((b, i) => {
    if (b.lang !== "sh") return;
    const next = blocks[i + 1];
    const follows = next && next.lang === "text" && markdown.slice(b.end, next.start).trim() === "";
    out.push({
      script: b.body,
      exit: Number(/\bexit=(\d+)/.exec(b.info)?.[1] ?? 0),
      expected: follows ? next.body.split("\n").map(collapse).filter(Boolean) : [],
    });
  });
  return out;
}

const collapse = (text: string) => text.replace(/\s+/g, " ").trim();
const pattern = (line: string) => new RegExp(line.split("…").map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join(".*"));

const base = mkdtempSync(join(tmpdir(), "pd-walkthrough-"));
/** The reader's empty project folder (a fixed, valid package name for `npm init -y`). */
const project = join(base, "my-estate-app");
mkdirSync(project);
afterAll(() => rmSync(base, { recursive: true, force: true }));

let tarball = "";
beforeAll(() => {
  // The package as it would be published: what `files` ships of this checkout, dist/ built.
  tarball = packCheckout(base);
}, 120_000);

/** `npm` is npm, except for the install line, which installs the packed tarball (offline). */
const prelude = () => `set -e\n${npmPrelude(INSTALL, tarball)}`;

// The page shows the English output: a neutral locale.
const env = consumerEnv();

function runStep(step: Step, label: string) {
  const r = spawnSync("bash", ["-c", prelude() + step.script], { cwd: project, encoding: "utf8", maxBuffer: 64 * 1024 * 1024, env });
  const output = collapse(`${r.stdout}\n${r.stderr}`);
  expect(r.status, `${label}\n${step.script}\n${r.stdout}\n${r.stderr}`).toBe(step.exit);
  for (const line of step.expected) expect(output, line).toMatch(pattern(line));
}

const firstLine = (script: string) => script.split("\n").find((l) => l.trim())!.trim();

describe("docs/getting-started.md, in a fresh project", () => {
  const all = steps(page);

  it("walks through install, the demo, a policy of one's own, validate, verify, timeline, plan and report", () => {
    const commands = all.map((s) => s.script).join("\n");
    for (const needed of ["npm init -y", INSTALL, "npx property-dunning demo", "cat > my-estate.json", "validate my-estate.json", "verify my-estate.json", "timeline --policy my-estate.json", "plan --policy my-estate.json", "report"])
      expect(commands).toContain(needed);
    // Every command of the page is the installed one: no clone's dist/, no npm scripts.
    expect(commands).not.toMatch(/dist\/cli\.js|npm run|examples\//);
    expect(commands.split("\n").filter((l) => l.trim() === INSTALL)).toHaveLength(1);
    expect(all.filter((s) => s.expected.length > 0).length).toBeGreaterThan(8);
    expect(readme).toContain("(docs/getting-started.md)");
  });

  all.forEach((step, i) => {
    it(`step ${i + 1}: ${firstLine(step.script)}${step.exit ? ` (exits ${step.exit})` : ""}`, () => runStep(step, `step ${i + 1}`), 300_000);
  });

  it("installed the package, and npx ran the installed command", () => {
    const installed = JSON.parse(readFileSync(join(project, "node_modules/property-dunning/package.json"), "utf8")) as { version: string };
    expect(installed.version).toBe(JSON.parse(readFileSync(join(root, "package.json"), "utf8")).version);
    expect(realpathSync(join(project, "node_modules/.bin/property-dunning"))).toBe(realpathSync(join(project, "node_modules/property-dunning/dist/cli.js")));
  });

  it("left what the page says it makes", () => {
    for (const file of ["demo/estate.db", "out/demo-actions.json", "my-estate.json", "ledger.json", "out/my-estate.html", "out/A-1201.html", "out/today.json"]) expect(existsSync(join(project, file)), file).toBe(true);
    expect(readFileSync(join(project, "out/A-1201.html"), "utf8")).toContain("<h2>Carried out</h2>");
  });
});

describe("README", () => {
  const blocks = steps(readme);

  it("keeps its two set-up commands for a clone, and they build quietly, once", () => {
    const setup = blocks.find((b) => b.script.includes("npm run demo"));
    expect(setup?.script.split("\n").filter((l) => l.trim()).map((l) => l.replace(/\s+#.*$/, "").trim())).toEqual(["npm install && npm run demo", "npm test"]);
    const scripts = JSON.parse(readFileSync(join(root, "package.json"), "utf8")).scripts as Record<string, string>;
    // tsup --silent: the build says nothing unless it fails (npm run … --silent only quiets npm).
    expect(scripts.demo).toBe("npm run build --silent -- --silent && node dist/cli.js demo");
    expect(scripts.pretest).toBe("npm run build --silent -- --silent");
    expect(scripts.test).not.toMatch(/tsup|build/);
  });

  // After the page's steps: the files the README's commands name are those the page made.
  const cli = blocks.filter((b) => b.script.split("\n").some((l) => l.startsWith("npx property-dunning")));
  it("prints its command-line examples as commands that run", () => {
    expect(cli.length).toBeGreaterThan(0);
    for (const b of cli) for (const l of b.script.split("\n").filter((x) => x.trim())) expect(l).toMatch(/^npx property-dunning /);
  });
  cli.forEach((step, i) => {
    it(`README block ${i + 1} runs as printed in the project of getting started`, () => runStep(step, `README block ${i + 1}`), 600_000);
  });
});
