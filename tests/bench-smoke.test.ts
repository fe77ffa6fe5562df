/**
 * The benchmark runs as docs/performance.md prints it: its smoke run (a few seconds) plans the
 * named mix, checks (a) against (c) on the same accounts and prints targets with a result column.
 * It measures nothing here: performance targets live in `npm run bench`, never in a timed test.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const root = new URL("..", import.meta.url);

describe("npm run bench", () => {
  it("the smoke run printed in docs/performance.md runs and prints its targets", () => {
    const printed = "npm run bench -- --sizes 2k --mix idealised";
    expect(readFileSync(new URL("docs/performance.md", root), "utf8")).toContain(printed);
    const out = execFileSync("sh", ["-c", printed], { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
    expect(out).toMatch(/\(a\) dueActions incl\. checking, paired with \(c\) \| idealised: 90% paid up, no holds \| +2,000 \|/);
    // (a) and (c) planned the same actions on every account of the idealised mix.
    expect(out).toContain("same actions as (c) on 2000/2000");
    expect(out).toMatch(/target +\| +measured +\| result/);
  }, 120_000);

  it("the Workers recipe in docs/performance.md runs (at 2,000 accounts): two workers write the bytes one writes", () => {
    const doc = readFileSync(new URL("docs/performance.md", root), "utf8");
    expect(doc).toContain("npx tsx bench/workers.ts 100000 /tmp/pd-workers-100000.db");
    const dir = mkdtempSync(join(tmpdir(), "pd-workers-"));
    try {
      const db = join(dir, "w.db");
      const run = (cmd: string) => execFileSync("sh", ["-c", cmd], { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
      expect(run(`npx tsx bench/workers.ts 2000 ${db}`)).toContain("2000 accounts written");
      for (const w of [1, 2]) run(`node dist/cli.js plan --ledger sqlite:${db} --as-of 2026-11-26 --format json --out ${join(dir, `w${w}.json`)} --workers ${w}`);
      const one = readFileSync(join(dir, "w1.json"), "utf8");
      expect(JSON.parse(one).length).toBeGreaterThan(0);
      expect(readFileSync(join(dir, "w2.json"), "utf8")).toBe(one);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
