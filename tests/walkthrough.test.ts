/**
 * docs/getting-started.md, run as a new user runs it: every ```sh block in order, in a fresh
 * directory holding a copy of examples/ and schema/, against the built CLI (`npm test` builds
 * first). `npx property-dunning` is `node dist/cli.js`; `npm run demo` is the script's own
 * `node dist/cli.js demo` (checked below); `npm install` has already been done for this checkout.
 * A block must exit as its fence says (exit=N, default 0), and each line of the ```text block
 * after it must appear in its output, spaces collapsed, `…` matching anything.
 */
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("..", import.meta.url));
const CLI = join(root, "dist/cli.js");
const page = readFileSync(join(root, "docs/getting-started.md"), "utf8");

interface Step {
  script: string;
  exit: number;
  expected: string[];
}

/** The page's ```sh blocks, each with the ```text block right after it, if any. */
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

/** Stand-ins for npx and npm; anything else they are asked to do fails the step. */
const PRELUDE = `set -e
npx() { if [ "$1" = property-dunning ]; then shift; node ${JSON.stringify(CLI)} "$@"; else echo "walkthrough: unexpected npx $*" >&2; return 127; fi; }
npm() { case "$*" in install) ;; "run demo") node ${JSON.stringify(CLI)} demo ;; *) echo "walkthrough: unexpected npm $*" >&2; return 127 ;; esac; }
`;

const withoutForceColor = Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== "FORCE_COLOR"));

const dir = mkdtempSync(join(tmpdir(), "pd-walkthrough-"));
cpSync(join(root, "examples"), join(dir, "examples"), { recursive: true });
cpSync(join(root, "schema"), join(dir, "schema"), { recursive: true });
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("docs/getting-started.md", () => {
  const all = steps(page);

  it("walks through the demo, a policy of one's own, validate, verify, timeline, plan and report", () => {
    const commands = all.map((s) => s.script).join("\n");
    for (const needed of ["npm install", "npm run demo", "cat > my-estate.json", "validate my-estate.json", "verify my-estate.json", "timeline --policy my-estate.json", "plan --policy my-estate.json", "report"])
      expect(commands).toContain(needed);
    expect(all.filter((s) => s.expected.length > 0).length).toBeGreaterThan(8);
    expect(readFileSync(join(root, "README.md"), "utf8")).toContain("(docs/getting-started.md)");
  });

  it("stands in for npm run demo honestly: the script builds, then runs the same command", () => {
    const scripts = JSON.parse(readFileSync(join(root, "package.json"), "utf8")).scripts as Record<string, string>;
    expect(scripts.demo).toMatch(/&& node dist\/cli\.js demo$/);
    expect(existsSync(CLI)).toBe(true);
  });

  all.forEach((step, i) => {
    const first = step.script.split("\n").find((l) => l.trim())!.trim();
    it(`step ${i + 1}: ${first}${step.exit ? ` (exits ${step.exit})` : ""}`, () => {
      const r = spawnSync("bash", ["-c", PRELUDE + step.script], { cwd: dir, encoding: "utf8", maxBuffer: 64 * 1024 * 1024, env: { ...withoutForceColor, NO_COLOR: "1" } });
      const output = collapse(`${r.stdout}\n${r.stderr}`);
      expect(r.status, `${step.script}\n${r.stdout}\n${r.stderr}`).toBe(step.exit);
      for (const line of step.expected) expect(output, line).toMatch(pattern(line));
    }, 120_000);
  });

  it("left what the page says it makes", () => {
    for (const file of ["demo/estate.db", "out/demo-actions.json", "my-estate.json", "out/my-estate.html", "out/A-1201.html", "out/today.json"]) expect(existsSync(join(dir, file)), file).toBe(true);
    expect(readFileSync(join(dir, "out/A-1201.html"), "utf8")).toContain("<h2>Carried out</h2>");
  });
});
