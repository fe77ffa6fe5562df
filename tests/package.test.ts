/**
 * The built package, as a user installs it: `npm test` builds first (pretest), then this imports
 * `dist/` from ESM and from CJS and runs a plan with each, checks what `npm pack` puts in the
 * tarball (and what it leaves out), runs publint and are-the-types-wrong under every resolution
 * profile (node10, node16 from CJS and from ESM, bundler), and builds the API reference.
 */
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("..", import.meta.url));
const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));

let packedFiles: string[] | undefined;
/** The paths `npm pack` puts in the tarball (scripts not run: pretest has built dist/). */
function packed(): string[] {
  packedFiles ??= (JSON.parse(execFileSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], { cwd: root, encoding: "utf8" }))[0].files as { path: string }[]).map((f) => f.path);
  return packedFiles;
}

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
    expect(packed()).toContain("LICENSE");
    expect(readFileSync(`${root}/LICENSE`, "utf8")).toMatch(/^MIT License/);
    expect(pkg.license).toBe("MIT");
  });

  it("ships what a user runs and reads: every export and bin target, the typesVersions targets, schema, policies, README, CHANGELOG, the docs' text", () => {
    const files = packed();
    const targets = (value: unknown): string[] => (typeof value === "string" ? [value] : Object.values(value as object).flatMap(targets));
    const wanted = [...targets(pkg.exports), ...Object.values(pkg.bin as Record<string, string>), ...Object.values(pkg.typesVersions["*"] as Record<string, string[]>).flat(), pkg.main, pkg.types, pkg.module];
    expect(wanted.length).toBeGreaterThan(40);
    for (const target of wanted) expect(files, target).toContain(target.replace(/^\.\//, ""));
    for (const file of ["README.md", "CHANGELOG.md", "LICENSE", "package.json", "docs/cli.md", "docs/getting-started.md", "docs/policy-reference.md"]) expect(files).toContain(file);
    // `property-dunning studio` inlines these two into its page at run time (src/cli/studio.ts).
    for (const file of ["dist/studio/app.js", "dist/studio/worker.js"]) expect(files).toContain(file);
    // README links these; a user reads them offline in node_modules.
    for (const doc of readdirSync(join(root, "docs")).filter((f) => f.endsWith(".md"))) expect(files).toContain(`docs/${doc}`);
  });

  it("leaves out the sources, fixtures and tests, the pictures, the generated API pages and a CommonJS CLI nothing runs", () => {
    const files = packed();
    expect(files.filter((f) => f.startsWith("src/") || f.startsWith("tests/") || f.startsWith("docs/api/") || f.startsWith(".tmp/"))).toEqual([]);
    expect(files.filter((f) => /__fixtures__|\.test\.|\.(png|svg|jpe?g|db)$/.test(f))).toEqual([]);
    // The bin is dist/cli.js (ESM); no require() of a CLI exists, so tsup builds none, and none has declarations.
    expect(pkg.bin["property-dunning"]).toBe("./dist/cli.js");
    expect(files.filter((f) => /^dist\/cli\./.test(f))).toEqual(["dist/cli.js", "dist/cli.js.map"]);
    expect(readFileSync(join(root, "dist/cli.js"), "utf8")).toMatch(/^#!\/usr\/bin\/env node\n/);
  });

  it("needs no src/: every source map carries the text of every src/ file it names", () => {
    const maps = packed().filter((f) => f.endsWith(".map"));
    expect(maps.length).toBeGreaterThan(20);
    let sources = 0;
    for (const file of maps) {
      const map = JSON.parse(readFileSync(join(root, file), "utf8")) as { sources: string[]; sourcesContent?: (string | null)[] };
      // (tsup's CommonJS maps also name the intermediate .cjs file itself, without content: not a src/ file.)
      const missing = map.sources.filter((source, i) => /(^|\/)src\//.test(source) && !source.startsWith("/") && !map.sourcesContent?.[i]);
      expect(missing, file).toEqual([]);
      sources += map.sources.filter((source) => source.includes("src/")).length;
    }
    expect(sources).toBeGreaterThan(100);
  });

  it("ships source maps that name no path of the machine that built them: sources relative, no sourceRoot, no checkout path in any map", () => {
    const maps = packed().filter((f) => f.endsWith(".map"));
    expect(maps.filter((f) => f.endsWith(".cjs.map")).length).toBeGreaterThan(5);
    // An absolute path in any form: POSIX, a Windows drive, a UNC share, a file: URL.
    const absolute = (path: string) => /^(\/|[A-Za-z]:[\\/]|\\\\|file:)/.test(path);
    const bad: string[] = [];
    for (const file of maps) {
      const text = readFileSync(join(root, file), "utf8");
      const map = JSON.parse(text) as { sources: string[]; sourceRoot?: string };
      for (const source of map.sources) if (absolute(source)) bad.push(`${file}: ${source}`);
      if (map.sourceRoot) bad.push(`${file}: sourceRoot ${map.sourceRoot}`);
      // The checkout's own path (say /work/wt-site/ or /home/ci/property-dunning/), anywhere in the map, its sources' text included.
      if (text.includes(root) || text.includes(JSON.stringify(root).slice(1, -1))) bad.push(`${file}: names ${root}`);
    }
    expect(bad).toEqual([]);
  });

  it("passes publint and are-the-types-wrong under every resolution profile, subpaths under node10 too", () => {
    const publint = execFileSync("npx", ["--no-install", "publint", "--strict"], { cwd: root, encoding: "utf8" });
    expect(publint).not.toMatch(/error|warning/i);
    // What `npm run lint` runs: attw with no --profile checks them all, and exits non-zero on any problem.
    expect(pkg.scripts.lint).toBe("publint --strict && attw --pack .");
    const attw = JSON.parse(execFileSync("npx", ["--no-install", "attw", "--pack", ".", "--format", "json"], { cwd: root, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 }));
    expect(attw.analysis.problems).toEqual([]);
    const entrypoints = attw.analysis.entrypoints as Record<string, { resolutions: Record<string, { resolution?: { fileName: string } }> }>;
    for (const subpath of ["./adapters/memory", "./adapters/sqlite", "./adapters/postgres", "./jobs", "./testing"]) {
      const resolutions = entrypoints[subpath]!.resolutions;
      expect(Object.keys(resolutions).sort(), subpath).toEqual(["bundler", "node10", "node16-cjs", "node16-esm"]);
      // node10 reads no exports map: the typesVersions fallback finds the declarations.
      expect(resolutions.node10!.resolution?.fileName, subpath).toMatch(/\/dist\/.+\.d\.cts$/);
    }
  }, 180_000);
});

describe("the API reference (npm run docs:api)", () => {
  it("is generated from the types by TypeDoc, one module per package entry, with no warning", () => {
    // As the README prints it; docs/api/ is generated and ignored by git.
    const out = join(root, "docs/api");
    // typedoc.json treats warnings (a broken {@link}, a bad tag) as errors: the command fails on them.
    execFileSync("npm", ["run", "docs:api"], { cwd: root, encoding: "utf8", stdio: "pipe" });
    expect(readFileSync(join(root, "README.md"), "utf8")).toContain("`npm run docs:api` writes `docs/api/index.html`");
    const modules = readdirSync(join(out, "modules")).sort();
    expect(modules).toEqual(expect.arrayContaining(["index.html", "adapters_memory.html", "adapters_open.html", "adapters_file.html", "adapters_sqlite.html", "adapters_postgres.html", "jobs.html", "testing.html"]));
    for (const page of ["functions/index.plan.html", "functions/index.parsePolicy.html", "functions/index.createScheduler.html", "interfaces/index.PlannedAction.html", "functions/adapters_sqlite.sqliteLedger.html", "functions/testing.planDaily.html"]) expect(existsSync(join(out, page)), page).toBe(true);
    // The doc comment of the public API is what the page says.
    const parsePolicyPage = readFileSync(join(out, "functions/index.parsePolicy.html"), "utf8");
    expect(parsePolicyPage).toContain("Parses and validates a policy document");
    expect(parsePolicyPage).toContain("forbidden_measure"); // its @example
    // Reproducible: no source links to a commit, no generator stamp.
    const index = readFileSync(join(out, "index.html"), "utf8");
    expect(index).not.toMatch(/github\.com|Generated using/i);
    expect(execFileSync("git", ["check-ignore", "docs/api/index.html"], { cwd: root, encoding: "utf8" }).trim()).toBe("docs/api/index.html");
  }, 600_000);
});
