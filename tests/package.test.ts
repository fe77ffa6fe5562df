/**
 * The built package, as a user installs it: `npm test` builds first (pretest), then this imports
 * `dist/` from ESM and from CJS and runs a plan with each, and runs publint and
 * are-the-types-wrong on the packed package.
 */
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("..", import.meta.url));

const script = `
  const ledger = memoryLedger([{ id: "A-1201", segment: "residential",
    charges: [{ id: "c1", period: "2026-03", dueOn: "2026-03-01", amountMinor: 30000 }], payments: [], actions: [] }]);
  const out = [];
  for await (const e of plan(ledger, { asOf: "2026-03-25" })) out.push(...e.actions.map((a) => a.kind + " " + a.dueOn));
  const s = createScheduler(parsePolicy({ extends: "commercial", id: "x", version: "1" }));
  out.push(s.forecast({ id: "B", charges: [{ id: "c1", period: "2026-03", dueOn: "2026-03-01", amountMinor: 1 }] }, "2026-03-01", "2026-05-01").length);
  console.log(JSON.stringify(out));
`;

function run(file: string, source: string): string {
  return execFileSync(process.execPath, ["--input-type=" + file, "-e", source], { cwd: root, encoding: "utf8" }).trim();
}

describe("the built package", () => {
  it("was built by pretest", () => {
    expect(existsSync(`${root}/dist/index.js`) && existsSync(`${root}/dist/index.cjs`)).toBe(true);
  });

  it("plans from ESM", () => {
    const esm = `import { plan, createScheduler, parsePolicy } from "property-dunning"; import { memoryLedger } from "property-dunning/adapters/memory"; (async () => { ${script} })();`;
    expect(JSON.parse(run("module", esm))).toEqual(["dunningNotice 2026-03-25", 4]);
  });

  it("plans from CommonJS", () => {
    const cjs = `const { plan, createScheduler, parsePolicy } = require("property-dunning"); const { memoryLedger } = require("property-dunning/adapters/memory"); (async () => { ${script} })();`;
    expect(JSON.parse(run("commonjs", cjs))).toEqual(["dunningNotice 2026-03-25", 4]);
  });

  it("ships the licence package.json names (MIT)", () => {
    const [packed] = JSON.parse(execFileSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], { cwd: root, encoding: "utf8" }));
    expect(packed.files.map((f: { path: string }) => f.path)).toContain("LICENSE");
    expect(readFileSync(`${root}/LICENSE`, "utf8")).toMatch(/^MIT License/);
    expect(JSON.parse(readFileSync(`${root}/package.json`, "utf8")).license).toBe("MIT");
  });

  it("passes publint and are-the-types-wrong", () => {
    const publint = execFileSync("npx", ["--no-install", "publint", "--strict"], { cwd: root, encoding: "utf8" });
    expect(publint).not.toMatch(/error|warning/i);
    // attw exits non-zero on any problem
    execFileSync("npx", ["--no-install", "attw", "--pack", ".", "--profile", "node16", "--format", "table-flipped"], { cwd: root, encoding: "utf8" });
  }, 120_000);
});
