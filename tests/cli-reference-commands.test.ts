/**
 * Every command docs/cli.md prints in its `sh` blocks runs exactly as printed (issue 19: "every
 * printed command as printed, and the test suite proves it"), with `property-dunning` on PATH as
 * npm links a package's bin, in a scratch folder holding the repository's `examples/` and
 * `policies/`. What a command needs that the page makes elsewhere is made first (the demo estate,
 * an actions file to record). The `worker`/`run` examples need a queue server and run in
 * tests/jobs-cli.test.ts, as printed there.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { cliOnPath } from "./helpers.js";

const root = fileURLToPath(new URL("..", import.meta.url));

/** The commands of docs/cli.md's `sh` blocks, comments taken off, in page order. */
function printedCommands(): string[] {
  const page = readFileSync(join(root, "docs/cli.md"), "utf8");
  return [...page.matchAll(/```sh\n([\s\S]*?)```/g)].flatMap((m) =>
    m[1]!
      .split("\n")
      .map((l) => l.replace(/\s+#\s.*$/, "").trim())
      .filter((l) => l.startsWith("property-dunning ")),
  );
}

/** Exit codes the page documents for the examples that do not end in 0. */
const EXPECTED_EXIT: Record<string, number> = {
  // The unfair example is there to fail: verify exits 1 with its counterexamples.
  "property-dunning verify examples/unfair-policy.json --runs 50 --seed 1": 1,
};

describe("docs/cli.md: every printed command runs as printed", () => {
  const dir = mkdtempSync(join(tmpdir(), "pd-cli-reference-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const { work, env } = cliOnPath(dir, ["examples", "policies"]);
  const run = (line: string) => spawnSync("sh", ["-c", line], { cwd: work, env, encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });

  const commands = printedCommands().filter((c) => !/^property-dunning (worker|run) /.test(c));
  // The demo first: record and report read the estate it builds.
  const ordered = [...commands.filter((c) => c.startsWith("property-dunning demo")), ...commands.filter((c) => !c.startsWith("property-dunning demo"))];

  it("the page prints the commands this test runs (and every command has an example)", () => {
    expect(commands.length).toBeGreaterThan(25);
    for (const name of ["validate", "plan", "explain", "record", "verify", "timeline", "report", "demo", "impact", "studio"]) expect(commands.some((c) => c.startsWith(`property-dunning ${name} `) || c === `property-dunning ${name}`), name).toBe(true);
  });

  it.each(ordered.map((c) => [c]))("%s", (line) => {
    if (line.startsWith("property-dunning record")) {
      // The actions a plan wrote for the day (what `plan --out` makes), to be recorded.
      if (!existsSync(join(work, "out/actions.json"))) {
        mkdirSync(join(work, "out"), { recursive: true });
        const made = run("property-dunning plan --ledger sqlite:demo/estate.db --as-of 2026-11-23 --format json --out out/actions.json");
        expect(made.status, made.stderr).toBe(0);
      }
    }
    const result = run(line);
    expect(result.status, `${line}\n${result.stderr}`).toBe(EXPECTED_EXIT[line] ?? 0);
    if (/--out(-dir)? (\S+)/.test(line) && !line.includes("--format json --out")) {
      const target = /--out(?:-dir)? (\S+)/.exec(line)![1]!;
      expect(existsSync(join(work, target)), target).toBe(true);
    }
  }, 900_000);
});
