/**
 * src/rules, src/schedule, src/ledger and src/text are a pure core: no I/O, no clock, no randomness, no host time zone.
 * Planning the same inputs must give the same outputs on every machine; this test keeps anyone
 * from reaching for the environment there (tests and test fixtures excepted).
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("..", import.meta.url));
const FORBIDDEN: Array<[RegExp, string]> = [
  [/\bDate\.now\b|\bnew Date\(|\bperformance\.now\b/, "reads the clock"],
  [/\bMath\.random\b|\bcrypto\.(getRandomValues|randomUUID)\b/, "is random"],
  [/\bDateTime\.(now|local)\b|\bgetTimezoneOffset\b|\bresolvedOptions\(\)\.timeZone\b/, "depends on the host time zone or clock"],
  [/from "node:|\brequire\(|\bprocess\./, "reaches the environment (node:, require, process)"],
  [/\bset(Timeout|Interval|Immediate)\(/, "schedules work on a timer"],
];

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return e.name === "__fixtures__" ? [] : sources(path);
    return e.name.endsWith(".ts") && !e.name.endsWith(".test.ts") ? [path] : [];
  });
}

describe("the pure core", () => {
  const files = ["src/rules", "src/schedule", "src/ledger", "src/text"].flatMap((d) => sources(join(root, d)));

  it("has its sources where this test looks", () => {
    expect(files.map((f) => relative(root, f))).toEqual(expect.arrayContaining(["src/schedule/ladder/scheduler.ts", "src/schedule/ladder/plan-day.ts", "src/rules/schema.ts"]));
  });

  it("never reads the clock, the host time zone, a random source or the environment", () => {
    const found: string[] = [];
    for (const file of files)
      readFileSync(file, "utf8")
        .split("\n")
        .forEach((line, i) => {
          if (/^\s*(\*|\/\/)/.test(line)) return; // comments may name what the code avoids
          for (const [pattern, what] of FORBIDDEN) if (pattern.test(line)) found.push(`${relative(root, file)}:${i + 1} ${what}: ${line.trim()}`);
        });
    expect(found).toEqual([]);
  });

  it("catches what it forbids", () => {
    const hits = ["const t = Date.now();", 'import { readFile } from "node:fs";', "Math.random()", "DateTime.local()", "setTimeout(f, 1)"].map((line) => FORBIDDEN.some(([p]) => p.test(line)));
    expect(hits).toEqual([true, true, true, true, true]);
  });
});
