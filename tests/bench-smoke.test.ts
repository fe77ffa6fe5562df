/**
 * The benchmark runs as docs/performance.md prints it: its smoke run (a few seconds) plans the
 * named mix, checks (a) against (c) on the same accounts and prints targets with a result column.
 * It measures nothing here: performance targets live in `npm run bench`, never in a timed test.
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
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
});
