/**
 * docs/scale-out.md's measuring commands for the jobs (the profile of one worker, and two builds
 * paired) run as printed, at 2,000 accounts instead of 20,000 and one round instead of two, and
 * print the tables the docs quote. Against the real PostgreSQL; needs `npm run build` first.
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { PG_URL, root } from "./jobs-harness.js";

const doc = readFileSync(new URL("../docs/scale-out.md", import.meta.url), "utf8");
const sh = (script: string) => execFileSync("sh", ["-c", script], { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], maxBuffer: 64 << 20 });

describe.skipIf(PG_URL === undefined)(PG_URL === undefined ? "jobs bench commands — SKIPPED: PD_POSTGRES_URL is not set" : "docs/scale-out.md's jobs bench commands", () => {
  it("the paired before/after block runs as printed (smaller): A and B alternate, each with its queue transactions", () => {
    const block = /<!-- jobs-ab -->\n```sh\n([\s\S]*?)```/.exec(doc)?.[1];
    expect(block).toBeDefined();
    const out = sh(block!.replaceAll(" 20000 ", " 2000 ").replace("bench/jobs-ab.mts 2000 2 ", "bench/jobs-ab.mts 2000 1 "));
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
