/**
 * Every command printed in a ```sh block of README.md, docs/*.md or examples/**\/*.md runs as
 * printed, and a test proves it (issue 19). This file keeps the list:
 *
 * - a page whose every block another test runs as printed is named in PAGES_RUN_ELSEWHERE, with
 *   that test (which must read the page);
 * - a line (or a whole block, by its first line) that another test runs is named in LINES with
 *   that test, which must read the page or hold the line itself;
 * - a line that cannot run in CI is named in LINES with why, and nowhere else;
 * - every other line runs here, block by block, in page order, exactly as printed: with
 *   `property-dunning` on PATH as npm links a package's bin, in a scratch folder holding the
 *   repository's `examples/`, `policies/` and `scripts/` (a clone, seen from its root), and a
 *   neutral locale (tests/helpers.ts, cliEnv).
 *
 * examples/verify-ci.md is a consumer's page: its commands run in a project of its own made from
 * `npm pack` of this checkout, as tests/walkthrough.test.ts does for getting started.
 *
 * A new block on any page runs here by default, so it fails here unless it runs as printed, or is
 * named with the test that runs it, or is skipped with a reason; a name left in the lists after
 * its page changed fails "names no line or block that no page prints any more".
 */
import { execFileSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { consumerEnv, npmPrelude, packCheckout } from "./consumer-project.js";
import { cliOnPath, pgAdmin, spawnCli } from "./helpers.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const read = (page: string) => readFileSync(join(root, page), "utf8");
const PG_URL = process.env.PD_POSTGRES_URL || undefined;
const IN_CI = !!process.env.CI && process.env.CI !== "false" && process.env.CI !== "0";

/** The pages a reader follows: README.md, docs/*.md, examples/**\/*.md. */
function pages(): string[] {
  const under = (dir: string): string[] =>
    readdirSync(join(root, dir), { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? under(join(dir, e.name)) : e.name.endsWith(".md") ? [join(dir, e.name)] : []));
  return ["README.md", ...readdirSync(join(root, "docs")).filter((f) => f.endsWith(".md")).map((f) => `docs/${f}`), ...under("examples")];
}

interface Block {
  page: string;
  /** The block's command lines, comments taken off (a block indented in a list loses its indent). */
  lines: string[];
}

/** The ```sh blocks of a page, indented ones too. */
function blocks(page: string): Block[] {
  return [...read(page).matchAll(/^( *)```sh[^\n]*\n([\s\S]*?)^\1```[ \t]*$/gm)].map((m) => ({
    page,
    lines: m[2]!
      .split("\n")
      .map((l) => l.slice(m[1]!.length).replace(/\s+#\s.*$/, "").trimEnd())
      .filter((l) => l.trim() !== ""),
  }));
}

/** Pages whose every ```sh block the named test runs as printed, in order. */
const PAGES_RUN_ELSEWHERE: Record<string, string> = {
  // Every line with `property-dunning` on PATH; its worker/run lines against a queue server in tests/jobs-cli.test.ts.
  "docs/cli.md": "tests/cli-reference-commands.test.ts",
  // In a project made from `npm pack`, with the real npm and npx; each block's output checked against the page.
  "docs/getting-started.md": "tests/walkthrough.test.ts",
  "docs/concepts.md": "tests/builtin-relative.test.ts",
  // Against the PostgreSQL server (PD_POSTGRES_URL).
  "examples/vendor-schemas/microcommunity/README.md": "tests/vendor-microcommunity.test.ts",
};

type Proof = { by: string } | { skip: string };
/** "block: <first line>" names a whole block; any other key is one line. */
const LINES: Record<string, Record<string, Proof>> = {
  "README.md": {
    // .ci/run runs these three itself (npm ci for the install); run from a test, npm test would run the suite inside itself.
    "npm install && npm run demo": { skip: "CI's own steps: .ci/run installs (npm ci), runs npm test and then npm run demo" },
    "npm test": { skip: "the test suite itself: .ci/run runs it" },
    "block: npx property-dunning validate my-estate.json": { by: "tests/walkthrough.test.ts" },
    "block: property-dunning demo --db .tmp/pictures/estate.db --as-of 2026-11-23 --out .tmp/pictures/actions.json": { by: "tests/timeline-pictures.test.ts" },
  },
  "docs/adapters.md": {
    // "Testing against PostgreSQL": its first line (the same as the example's above) runs here.
    "npx vitest run src/adapters tests/adapters-equivalence.test.ts tests/adapters-read-order.test.ts tests/read-order-keys.test.ts": { skip: "the adapter tests, which CI runs already (npm test): a test suite inside a test" },
    "scripts/start-postgres.sh --stop": { skip: "would stop the server the other test files are using at that moment" },
  },
  "docs/ledger-format.md": {
    // Sorting a JSON Lines ledger into the read order: tests/owners.test.ts runs it as printed on an unsorted file.
    "block: node -e '": { by: "tests/owners.test.ts" },
  },
  "docs/holidays.md": {
    "block: curl -s https://raw.githubusercontent.com/NateScarlet/holiday-cn/master/2027.json | node -e '": { skip: "fetches the year's file from GitHub: CI has no network but the registry; the table it helped write is checked by tests/calendar-2027.test.ts" },
  },
  "docs/performance.md": {
    "export PD_POSTGRES_URL=$(scripts/start-postgres.sh)": { skip: ".ci/run starts the server with this line before the tests; the PostgreSQL tests need it done first" },
    "npm run bench": { skip: "the measurement itself, 100k accounts in three mixes (minutes); its 2k smoke form below runs" },
    "npm run bench -- --sizes 2k --mix idealised": { by: "tests/bench-smoke.test.ts" },
    "npm run bench -- --full": { skip: "1M accounts (most of an hour on two cores): a measurement for a quiet machine" },
    "npm run build": { skip: "npm test builds first (pretest); a rebuild in a test would take dist/ from under the test files running beside it" },
    "npx tsx bench/run.ts --sizes 10k,100k --repeat 3 --mix idealised --measure a,a-snap,b,b-norm,c,a-c,sqlite,sqlite-dist,pg": { skip: "a measurement at 100k, three times (minutes); the 2k smoke run above runs the same code" },
    "npx tsx bench/run.ts --sizes 1m --mix idealised --measure a,c,a-c,sqlite,sqlite-dist": { skip: "1M accounts: a measurement for a quiet machine" },
    "npm run bench -- --sizes 2k --mix idealised --measure check-split": { by: "tests/check-split.test.ts" },
    "npx tsx bench/run.ts --sizes 100k --measure check-split": { skip: "a measurement at 100k in three mixes (minutes); its 2k smoke form above runs" },
    "npx tsx bench/same-output.ts --mix idealised --size 2k > /tmp/pd-same.txt": { by: "tests/check-split.test.ts" },
    "npm run bench -- --measure paid-up --sizes 2k": { by: "tests/bench-smoke.test.ts" },
    "npm run bench -- --e2e": { skip: "every end-to-end row at 100k (many minutes); tests/bench-smoke.test.ts runs it with --sizes 2k --measure cli-sqlite added, so its options parse and it runs" },
    "npm run bench -- --e2e --full": { skip: "writes and plans 1M-account ledgers (hours); tests/bench-smoke.test.ts runs it with --sizes 2k --measure cli-sqlite added" },
    "npm run bench -- --e2e --sizes 2k": { by: "tests/bench-smoke.test.ts" },
  },
  "docs/recipes.md": {
    // The same lines as docs/cli.md's, which tests/cli-reference-commands.test.ts runs.
    "property-dunning validate examples/green-garden.json": { by: "tests/cli-reference-commands.test.ts" },
    "property-dunning verify examples/green-garden.json": { by: "tests/cli-reference-commands.test.ts" },
    "npm run verify:nightly": { skip: "20,000 runs per invariant and built-in (hours); CI runs the same verify at 1,000 runs under a fixed seed (tests/testing-kit.test.ts, PD_VERIFY_RUNS)" },
    "PD_NIGHTLY_RUNS=2000 bash scripts/nightly-verify.sh": { skip: "2,000 runs per invariant and built-in (about an hour), and the script rebuilds dist/ under the other test files" },
    "PD_NIGHTLY_SEED=1234567 bash scripts/nightly-verify.sh": { skip: "20,000 runs per invariant and built-in (hours), and the script rebuilds dist/ under the other test files" },
    "block: property-dunning plan --ledger examples/recipes/backdated-dispute.json --as-of 2026-04-08": { by: "tests/backdated-holds.test.ts" },
    "block: property-dunning validate examples/recipes/end-of-the-road.json": { by: "tests/recipes.test.ts" },
    "block: property-dunning validate examples/recipes/residual-fee.json": { by: "tests/residual-fee.test.ts" },
    "block: property-dunning impact --from examples/green-garden.json --to examples/recipes/green-garden-2026.2.json --ledger examples/recipes/green-garden-ledger.json --as-of 2026-04-10": { by: "tests/policy-versions.test.ts" },
    "block: property-dunning plan --ledger examples/recipes/estate-group.json --as-of 2026-03-25 --policy north-park/residential=examples/recipes/north-park.json --policy south-bay/residential=examples/recipes/south-bay.json": { by: "tests/owners.test.ts" },
  },
  "docs/scale-out.md": {
    // jobs-cli runs what the script runs after its build (node scripts/demo-jobs.mjs), so that it builds nothing under the other test files.
    "npm run demo:jobs": { by: "tests/jobs-cli.test.ts" },
    "block: export PD_QUEUE=\"$(PD_PG_DB=property_dunning_jobs_walk scripts/start-postgres.sh)\"": { by: "tests/jobs-cli.test.ts" },
    // At 2,000 accounts instead of 20,000 (the test says so); the before-build only where the clone holds the commit.
    // Two estates, one worker, against the queue server (the jobs tests create and drop its database).
    "block: export PD_QUEUE=\"$(PD_PG_DB=property_dunning_jobs_estates scripts/start-postgres.sh)\"": { by: "tests/jobs-estates.test.ts" },
    "block: rm -rf /tmp/pd-before && mkdir -p /tmp/pd-before && git archive a21c7eb | tar -x -C /tmp/pd-before && ln -s \"$PWD/node_modules\" /tmp/pd-before/node_modules && (cd /tmp/pd-before && npx tsup >/dev/null)": { by: "tests/jobs-bench.test.ts" },
  },
  "docs/studio.md": {
    // Builds the whole site (TypeDoc, every page, the studio checked in Chromium): tests/site.test.ts runs it as printed.
    "npm run site": { by: "tests/site.test.ts" },
    "npm run build": { skip: "npm test builds first (pretest); a rebuild in a test would take dist/ from under the test files running beside it" },
  },
  "examples/verify-ci.md": {
    // The whole page runs in a consumer project: see the describe at the end of this file.
    "npm install --save-dev property-dunning fast-check": { by: "tests/docs-commands.test.ts" },
    "npx property-dunning verify policies/green-garden.json --runs 50": { by: "tests/docs-commands.test.ts" },
    "npx property-dunning verify examples/unfair-policy.json --runs 50 --seed 1": { by: "tests/docs-commands.test.ts" },
  },
};

/** How one block is proven: its lines, each run here, run by a test, or skipped (and why). */
function proofs(block: Block): { line: string; proof: Proof | "here" }[] {
  const page = PAGES_RUN_ELSEWHERE[block.page];
  if (page) return block.lines.map((line) => ({ line, proof: { by: page } }));
  const table = LINES[block.page] ?? {};
  const whole = table[`block: ${block.lines[0]}`];
  return block.lines.map((line) => ({ line, proof: whole ?? table[line] ?? "here" }));
}

/** Whether a test's text names the page: its path, or (a page in a folder of its own) its folder and file name. */
const reads = (test: string, page: string) => test.includes(page) || (test.includes(basename(dirname(page))) && test.includes(`"${basename(page)}"`));

const all = pages().flatMap(blocks);
/** The blocks with lines run here (docs/adapters.md's PostgreSQL block needs a server). */
const here = all
  .map((b) => ({ ...b, run: proofs(b).filter((p) => p.proof === "here").map((p) => p.line) }))
  .filter((b) => b.run.length > 0);
const needsServer = (b: { run: string[] }) => b.run.some((l) => l.includes("PD_POSTGRES_URL"));

describe("every printed command is accounted for", () => {
  it("finds the pages and their blocks (README, docs, examples)", () => {
    for (const page of ["README.md", "docs/cli.md", "docs/adapters.md", "docs/performance.md", "docs/studio.md", "examples/verify-ci.md", "examples/vendor-schemas/microcommunity/README.md"])
      expect(all.some((b) => b.page === page), page).toBe(true);
    expect(all.length).toBeGreaterThan(50);
  });

  it("every line is run here, run by a test that reads its page or holds the line, or skipped with a reason", () => {
    const unproven: string[] = [];
    for (const block of all)
      for (const { line, proof } of proofs(block)) {
        if (proof === "here") continue;
        if ("skip" in proof) {
          if (proof.skip.length < 20) unproven.push(`${block.page}: ${line}: a skip needs its reason`);
          continue;
        }
        const test = read(proof.by);
        if (!reads(test, block.page) && !test.includes(line) && !(proof.by.endsWith("/cli-reference-commands.test.ts") && read("docs/cli.md").includes(line)))
          unproven.push(`${block.page}: ${line}: ${proof.by} neither reads the page nor holds the line`);
      }
    expect(unproven).toEqual([]);
  });

  it("names no line or block that no page prints any more (the list stays true)", () => {
    const printed = new Set(all.flatMap((b) => [...b.lines.map((l) => `${b.page}\n${l}`), `${b.page}\nblock: ${b.lines[0]}`]));
    const stale = Object.entries(LINES).flatMap(([page, lines]) => Object.keys(lines).filter((key) => !printed.has(`${page}\n${key}`)).map((key) => `${page}: ${key}`));
    expect(stale).toEqual([]);
    for (const [page, test] of Object.entries(PAGES_RUN_ELSEWHERE)) expect(reads(read(test), page), `${test} reads ${page}`).toBe(true);
  });

  it("runs here what no other test runs: docs/adapters.md, docs/studio.md and docs/recipes.md's explain at least", () => {
    const runHere = here.flatMap((b) => b.run.map((l) => `${b.page}: ${l}`));
    for (const expected of [
      "docs/adapters.md: property-dunning plan --ledger sqlite:demo/estate.db --as-of 2026-03-25 --out out/actions.json",
      "docs/studio.md: property-dunning studio --out out/studio.html",
      'docs/adapters.md: property-dunning plan --ledger "$PD_POSTGRES_URL?sslmode=disable&options=-c%20search_path%3Ddunning" --as-of 2026-03-25',
      "docs/recipes.md: property-dunning explain --policy examples/green-garden.json --ledger examples/ledger.json --account A-1201 --as-of 2026-02-01",
    ])
      expect(runHere).toContain(expected);
  });
});

describe("the printed commands, run here as printed (a clone, `property-dunning` on PATH)", () => {
  const dir = mkdtempSync(join(tmpdir(), "pd-docs-commands-"));
  const { work, env } = cliOnPath(dir, ["examples", "policies", "scripts"]);
  // docs/adapters.md's schema, made afresh and removed afterwards.
  const dropSchema = () => (PG_URL ? pgAdmin(PG_URL, "DROP SCHEMA IF EXISTS dunning CASCADE") : Promise.resolve());
  beforeAll(dropSchema);
  afterAll(async () => {
    await dropSchema();
    rmSync(dir, { recursive: true, force: true });
  });

  for (const block of here) {
    const server = needsServer(block);
    const name = `${block.page}: ${block.run.length > 1 ? `${block.run[0]} … ${block.run.at(-1)}` : block.run[0]}`;
    it.skipIf(server && !PG_URL && !IN_CI)(`${name}${server && !PG_URL ? " — SKIPPED: PD_POSTGRES_URL is not set" : ""}`, () => {
      if (server && !PG_URL) throw new Error("CI is set but PD_POSTGRES_URL is not: start the server with scripts/start-postgres.sh and export its URL");
      const r = spawnCli("bash", ["-c", `set -e\n${block.run.join("\n")}`], { cwd: work, env });
      expect(r.status, `${block.run.join("\n")}\n${r.stdout}\n${r.stderr}`).toBe(0);
      for (const line of block.run) {
        const out = /--out(?:-dir)? (\S+)/.exec(line)?.[1];
        if (out) expect(existsSync(join(work, out)), out).toBe(true);
      }
    }, 600_000);
  }

  it("left what the pages say their commands make", () => {
    expect(readFileSync(join(work, "out/studio.html"), "utf8")).toMatch(/^<!doctype html>/);
    // adapters.md: the plan of 2026-03-25 recorded in the demo ledger; a second record finds every action there already.
    const planned = JSON.parse(readFileSync(join(work, "out/actions.json"), "utf8")) as unknown[];
    expect(planned.length).toBeGreaterThan(100);
    const again = spawnCli("property-dunning", ["record", "--ledger", "sqlite:demo/estate.db", "--actions", "out/actions.json", "--on", "2026-03-25"], { cwd: work, env });
    expect(again.stdout).toContain(`recorded 0 new actions (${planned.length} already recorded)`);
  });
});

/** The install line examples/verify-ci.md prints; in a test it installs the packed tarball offline. */
const INSTALL = "npm install --save-dev property-dunning fast-check";

describe("examples/verify-ci.md, in a consumer's project made from npm pack", () => {
  const page = "examples/verify-ci.md";
  const base = mkdtempSync(join(tmpdir(), "pd-verify-ci-"));
  const project = join(base, "estate-policies");
  mkdirSync(project);
  afterAll(() => rmSync(base, { recursive: true, force: true }));
  let tarball = "";
  // The registry's stand-ins are folders of this checkout, whose own development scripts (luxon's
  // `prepare: husky install`) the pipeline's plain `npm install` would run; a registry tarball runs none.
  const env = consumerEnv({ npm_config_ignore_scripts: "true" });
  const prelude = () => npmPrelude(INSTALL, tarball);
  const sh = (line: string) => spawnCli("bash", ["-c", prelude() + line], { cwd: project, env });

  beforeAll(() => {
    tarball = packCheckout(base);
    // What the page says the project holds: its policy, and the unfair example copied from this repository.
    execFileSync("npm", ["init", "-y"], { cwd: project, stdio: "ignore", env });
    mkdirSync(join(project, "policies"));
    mkdirSync(join(project, "examples"));
    copyFileSync(join(root, "examples/green-garden.json"), join(project, "policies/green-garden.json"));
    copyFileSync(join(root, "examples/unfair-policy.json"), join(project, "examples/unfair-policy.json"));
  }, 180_000);

  const [block] = blocks(page);
  const lines = block?.lines ?? [];
  it("prints the install and two verify commands, the unfair one expected to fail", () => {
    expect(lines).toEqual([INSTALL, "npx property-dunning verify policies/green-garden.json --runs 50", "npx property-dunning verify examples/unfair-policy.json --runs 50 --seed 1"]);
    expect(read(page)).toContain("# fails (exit 1)");
  });

  it(`${INSTALL}: installs the packed package`, () => {
    const r = sh(INSTALL);
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(readFileSync(join(project, "node_modules/property-dunning/package.json"), "utf8")).version).toBe(JSON.parse(read("package.json")).version);
  }, 300_000);

  it("npx property-dunning verify policies/green-garden.json --runs 50: every invariant holds, exit 0", () => {
    const r = sh(lines[1]!);
    expect(r.status, `${r.stdout}\n${r.stderr}`).toBe(0);
    expect(r.stdout).toMatch(/^all \d+ invariants hold$/m);
  }, 600_000);

  it("npx property-dunning verify examples/unfair-policy.json --runs 50 --seed 1: escalation fails, exit 1, as the page says", () => {
    const r = sh(lines[2]!);
    expect(r.status, `${r.stdout}\n${r.stderr}`).toBe(1);
    // The page's own account of the example: escalation and limitation-review catch it.
    const failed = `${r.stdout}\n${r.stderr}`;
    expect(failed).toMatch(/escalation/);
    expect(failed).toMatch(/limitation-review/);
  }, 600_000);

  it("the pipeline's steps run in the project: npm install, validate, and verify (at 10 runs, not 1,000)", () => {
    const yaml = /```yaml\n([\s\S]*?)```/.exec(read(page))![1]!;
    const steps = [...yaml.matchAll(/^\s+- run: (.*)$/gm)].map((m) => m[1]!);
    expect(steps).toEqual(["npm install", "npx property-dunning validate policies/green-garden.json", "npx property-dunning verify policies/green-garden.json --runs 1000 --seed ${{ github.run_number }}"]);
    for (const step of steps.slice(0, 2)) {
      const r = sh(step);
      expect(r.status, `${step}\n${r.stdout}\n${r.stderr}`).toBe(0);
    }
    // Skipped as printed: 1,000 runs take about ten minutes (the page says so). The same step at
    // 10 runs, with the seed GitHub would put there, proves its file, options and seed.
    const r = sh(steps[2]!.replace("--runs 1000", "--runs 10").replace("${{ github.run_number }}", "42"));
    expect(r.status, `${r.stdout}\n${r.stderr}`).toBe(0);
    expect(r.stdout).toContain("up to 10 runs each, seed 42");
  }, 600_000);

  it("npx ran the installed command, nothing from a registry", () => {
    expect(realpathSync(join(project, "node_modules/.bin/property-dunning"))).toBe(realpathSync(join(project, "node_modules/property-dunning/dist/cli.js")));
    expect(relative(project, realpathSync(join(project, "node_modules/property-dunning")))).toBe("node_modules/property-dunning");
  });
});
