/**
 * docs/scale-out.md's measuring commands for the jobs (the profile of one worker, and two builds
 * paired) run as printed, at 2,000 accounts instead of 20,000 and one round instead of two, and
 * print the tables the docs quote. Against the real PostgreSQL; needs `npm run build` first.
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { PG_URL, root } from "./jobs-harness.js";
import { cliEnv } from "./helpers.js";

const doc = readFileSync(new URL("../docs/scale-out.md", import.meta.url), "utf8");
const sh = (script: string) => execFileSync("sh", ["-c", script], { cwd: root, encoding: "utf8", env: cliEnv(), stdio: ["ignore", "pipe", "pipe"], maxBuffer: 64 << 20 });

describe.skipIf(PG_URL === undefined)(PG_URL === undefined ? "jobs bench commands — SKIPPED: PD_POSTGRES_URL is not set" : "docs/scale-out.md's jobs bench commands", () => {
  const block = /<!-- jobs-ab -->\n```sh\n([\s\S]*?)```/.exec(doc)?.[1] ?? "";
  const [buildBefore = "", ...measure] = block.trim().split("\n");
  const before = /git archive ([0-9a-f]{7,40}) /.exec(buildBefore)?.[1] ?? "";
  // The "before" build needs the named commit in the clone's history (a shallow clone has none).
  const hasBefore = before !== "" && (() => { try { sh(`git cat-file -e ${before}^{commit}`); return true; } catch { return false; } })();

  it.skipIf(!hasBefore)(hasBefore ? "the paired before/after block builds the named commit as printed" : `the before build — SKIPPED: commit ${before || "(none named)"} is not in this clone's history`, () => {
    sh(buildBefore);
    expect(readFileSync("/tmp/pd-before/dist/cli.js", "utf8").length).toBeGreaterThan(0);
  }, 600_000);

  it("the paired before/after block measures as printed (smaller): A and B alternate, each with its queue transactions", () => {
    expect(measure.length).toBe(2);
    // A and B are both this build when the "before" build is not there: the script is what is tested.
    const other = hasBefore ? "/tmp/pd-before/dist/cli.js" : "dist/cli.js";
    const script = measure.join("\n").replaceAll(" 20000 ", " 2000 ").replace("bench/jobs-ab.mts 2000 2 /tmp/pd-before/dist/cli.js", `bench/jobs-ab.mts 2000 1 ${other}`);
    const out = sh(script);
    const rows = out.split("\n").filter((l) => /^\| [AB] \| 2,000 \| 2,000 \|/.test(l));
    expect(rows.map((r) => r.slice(2, 3)), out).toEqual(["A", "B"]);
    // Each row names the queue database's transactions: a number greater than zero.
    for (const row of rows) expect(Number(row.split("|")[9]!.trim().replace(/,/g, ""))).toBeGreaterThan(0);
  }, 600_000);

  it("the profile of one worker runs as printed (smaller) and sums the shards' window by where the time went", () => {
    expect(doc).toContain("`npx tsx bench/jobs-profile.mts 20000 2`");
    const out = sh("npx tsx bench/jobs-profile.mts 2000 2");
    expect(out).toMatch(/^2,000 accounts, 2 shards, one worker: run [\d.]+ s, 2,000 planned/m);
    expect(out).toMatch(/^\| planning \(src\/schedule, src\/rules, plan\) \| [\d.]+ \| [\d.]+ % \|$/m);
    expect(out).toMatch(/^reading through the adapter: the whole ledger \(2,000 entries\)/m);
  }, 300_000);
});
