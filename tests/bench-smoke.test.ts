/**
 * The benchmark runs as docs/performance.md prints it: its smoke run (a few seconds) plans the
 * named mix, checks (a) against (c) on the same accounts and prints targets with a result column.
 * It measures nothing here: performance targets live in `npm run bench`, never in a timed test.
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { cliEnv } from "./helpers.js";

const root = new URL("..", import.meta.url);

describe("npm run bench", () => {
  it("the smoke run printed in docs/performance.md runs and prints its targets", () => {
    const printed = "npm run bench -- --sizes 2k --mix idealised";
    expect(readFileSync(new URL("docs/performance.md", root), "utf8")).toContain(printed);
    const out = execFileSync("sh", ["-c", printed], { cwd: root, encoding: "utf8", env: cliEnv(), stdio: ["ignore", "pipe", "pipe"] });
    expect(out).toMatch(/\(a\) dueActions incl\. checking, paired with \(c\) \| idealised: 90% paid up, no holds \| +2,000 \|/);
    // (a) and (c) planned the same actions on every account of the idealised mix.
    expect(out).toContain("same actions as (c) on 2000/2000");
    expect(out).toMatch(/target +\| +measured +\| result/);
    // The (a) target row shows its floor from the same process: (c) plus reading every field once.
    expect(out).toMatch(/\| 2,000 \| +idealised: 90% paid up, no holds \| +\(a\) dueActions incl\. checking ≥ 100,000 accounts\/s \| +[\d,]+\/s; floor in this run: \(c\) \+ reading every field once [\d,]+\/s \(\(c\) alone [\d,]+\/s\), the library at \d+% of it \|/);
    // Beside the ratio, from the same batches: planning alone, and what (a)/(c) would be were checking as cheap as its floor.
    expect(out).toMatch(/\(a\)\/\(c\) ≥ 0\.50, paired \| +\d+\.\d\d \(\(c\) is [\d.]+× faster\); planning alone \/ \(c\) \d+\.\d\d; with checking at its floor \(reading every field once\) it would be \d+\.\d\d \|/);
  }, 120_000);

  it("the planning-only rows run on an estate mix, shops and holds included: each plans with its segment's built-in, as plan() does", () => {
    const out = execFileSync("sh", ["-c", "npm run bench -- --sizes 2k --mix realistic --measure a,a-snap,a-c"], { cwd: root, encoding: "utf8", env: cliEnv(), stdio: ["ignore", "pipe", "pipe"] });
    // The residential policy alone refused the shops' recorded commercial stages (unknown_stage) and the run stopped.
    expect(out).toMatch(/\| \(a\) and \(c\) paired, one process, alternated +\| realistic \(demo estate's mix\) \| +2,000 \|/);
    expect(out).toMatch(/\| \(a′\) dueActions on snapshots \(checks each\), in memory +\| realistic/);
    // (c) knows neither holds nor shops: it agrees with (a) on most accounts, not all, and the row says on how many.
    const [, same] = /same actions as \(c\) on (\d+)\/2000 +\|/.exec(out)!;
    expect(Number(same)).toBeGreaterThan(1_500);
    expect(Number(same)).toBeLessThan(2_000);
    expect(out).toMatch(/\(a\) planning only \/ \(c\), paired, informational \| +\d+\.\d\d/);
  }, 180_000);

  it("#15.2 the paid-up fast path's row printed in docs/performance.md runs: both sides plan the same, and it prints its two targets", () => {
    const printed = "npm run bench -- --measure paid-up --sizes 2k";
    expect(readFileSync(new URL("docs/performance.md", root), "utf8")).toContain(printed);
    const out = execFileSync("sh", ["-c", printed], { cwd: root, encoding: "utf8", env: cliEnv(), stdio: ["ignore", "pipe", "pipe"] });
    // bench/paid-up.ts stops with an error when the two sides plan differently, so a row means they agreed.
    expect(out).toMatch(/\| 2,000 \| +realistic \(demo estate's mix\) \| +paid-up fast path pays: without\/with ≥ 1\.2 \| +without\/with \d+\.\d\d \(CPU; chunk median \d+\.\d\d\); [\d,]+ of 2,000 accounts without rows \| (PASS|MISS) +\|/);
    expect(out).toMatch(/\| 2,000 \| +billing day \(new charge due today\) \| +paid-up fast path costs ≤ 5% where it does not apply: without\/with ≥ 0\.95 \| +without\/with \d+\.\d\d/);
    // Most of the realistic mix is paid up without holds, so most of it comes without rows.
    const [, taken] = /without\/with [\d.]+ \(CPU; chunk median [\d.]+\); ([\d,]+) of 2,000/.exec(out)!;
    expect(Number(taken!.replace(/,/g, ""))).toBeGreaterThan(1_000);
  }, 300_000);

  it.skipIf(!process.env.PD_POSTGRES_URL)("#17 the pg-boss run's row in docs/scale-out.md runs (at 2,000 accounts): 1 and 2 worker processes plan every account, and the target is printed", () => {
    const doc = readFileSync(new URL("docs/scale-out.md", root), "utf8");
    expect(doc).toContain("`npm run bench -- --measure jobs --sizes 100k`");
    const out = execFileSync("sh", ["-c", "npm run bench -- --measure jobs --sizes 2k"], { cwd: root, encoding: "utf8", env: cliEnv(), stdio: ["ignore", "pipe", "pipe"] });
    // Every run planned all 2,000 accounts, with 1 and with 2 worker processes, over two rounds.
    const runs = out.split("\n").filter((l) => /^\| 2,000 \| 2 \| [12] \| 2,000 \|/.test(l));
    expect(runs.map((l) => l.split("|")[3]!.trim()).sort()).toEqual(["1", "1", "2", "2"]);
    // Beside it, in the same run: the floor (plan() alone in 1 and 2 processes) and where the CPU went.
    // Its totals are the sums of the runs printed, each run counted once.
    const total = (workers: string) => runs.filter((l) => l.split("|")[3]!.trim() === workers).reduce((sum, l) => sum + Number(l.split("|")[6]), 0);
    const [, one, two] = /\(1: ([\d.]+) s, 2: ([\d.]+) s over the rounds\)/.exec(out)!;
    expect(Number(one)).toBeCloseTo(total("1"), 1);
    expect(Number(two)).toBeCloseTo(total("2"), 1);
    expect(out).toMatch(/\| 2,000 \| +a pg-boss run: 2 worker processes ≥ 1\.6× one \| +\d+\.\d\d× \(1: [\d.]+ s, 2: [\d.]+ s over the rounds\); queued → last shard done: \d+\.\d\d×; the floor, plan\(\) alone in 1 and 2 processes on the same shards: \d+\.\d\d×; CPU s workers\/PostgreSQL with 1: [\d.]+\/[\d.]+, with 2: [\d.]+\/[\d.]+; load [^|]*\| (PASS|MISS) +\|/);
  }, 300_000);

  it("#15.7 the end-to-end commands in docs/performance.md run (at 2,000 accounts): every CLI row with its floors, and the targets", () => {
    const doc = readFileSync(new URL("docs/performance.md", root), "utf8");
    const section = doc.slice(doc.indexOf("## End to end through the CLI (issue 15)"));
    const block = /```sh\n([\s\S]*?)```/.exec(section)![1]!;
    const commands = block.split("\n").map((l) => l.replace(/\s+#.*$/, "").trim()).filter((l) => l.startsWith("npm run bench"));
    const smoke = "npm run bench -- --e2e --sizes 2k";
    expect(commands).toContain(smoke);
    const run = (cmd: string) => execFileSync("sh", ["-c", cmd], { cwd: root, encoding: "utf8", env: cliEnv(), stdio: ["ignore", "pipe", "pipe"] });
    const out = run(smoke);
    const row = (label: string) => {
      const line = out.split("\n").find((l) => l.startsWith(`| ${label} `));
      expect(line, label).toBeDefined();
      const cells = line!.split("|").map((c) => c.trim());
      return { accounts: cells[2], actions: Number(cells[3]!.replace(/,/g, "")), floors: cells[12]! };
    };
    // The same accounts on the same day plan the same actions, whatever the ledger.
    const sqlite = row("SQLite (rows only)");
    expect(sqlite.accounts).toBe("2,000");
    expect(sqlite.actions).toBeGreaterThan(1_000);
    expect(row("JSON Lines").actions).toBe(sqlite.actions);
    // A catch-up day: eight weeks without a run, so at least as many actions as the billing day.
    expect(row("SQLite, catch-up day").actions).toBeGreaterThanOrEqual(sqlite.actions);
    // The floors read every account's rows and serialise exactly the actions the CLI wrote.
    expect(sqlite.floors).toMatch(/^read: 2,0\d\d rows, \d+ statement\(s\) the adapter runs/);
    expect(sqlite.floors).not.toContain("CLI counted");
    expect(out).toMatch(/\| 2,000 \| +SQLite ≥ 50,000 accounts\/s \| +[\d,]+\/s \([\d,]+ per CPU second\) \| read [\d,]+\/s \([\d,]+ per CPU s\);.*\| (PASS|MISS)/);
    expect(out).toMatch(/SQLite file no larger than its rows need \(no copy\) \| file\/payload \d\.\d\d, no doc column, no pd_meta/);
    if (process.env.PD_POSTGRES_URL) {
      expect(row("PostgreSQL, plain tables").actions).toBe(sqlite.actions);
      // The vendor's schema: the same accounts through its views as in plain tables, so the same actions.
      const plain = row("vendor's accounts, plain tables (1)");
      expect(plain.actions).toBeGreaterThan(1_000);
      expect(row("vendor's accounts, MicroCommunity views (1)").actions).toBe(plain.actions);
      expect(out).toMatch(/vendor views within 1\.5× of plain tables \(same accounts\) \| +\d+\.\d\d× \(runs/);
    } else expect(out).toContain("skipped, PD_POSTGRES_URL is not set");
    // The other printed commands, at the same tiny size and one row each: they parse and run.
    for (const cmd of commands.filter((c) => c !== smoke)) expect(run(`${cmd} --sizes 2k --measure cli-sqlite`)).toMatch(/\| SQLite \(rows only\) +\| +2,000 \|/);
  }, 600_000);

});
