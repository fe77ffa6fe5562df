/**
 * The commands of docs/performance.md's "Checking and planning, split" run as printed: the
 * check-split smoke run prints its target row, and bench/same-output.ts prints, deterministically,
 * what the library plans and what `normalizeAccount` reports for damaged accounts. Nothing is
 * timed here: the targets live in `npm run bench`.
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { cliEnv } from "./helpers.js";

const root = new URL("../", import.meta.url);
const doc = () => readFileSync(new URL("docs/performance.md", root), "utf8");
const run = (command: string) => execFileSync("sh", ["-c", command], { cwd: root, encoding: "utf8", env: cliEnv(), stdio: ["ignore", "pipe", "pipe"], maxBuffer: 1 << 28 });

describe("checking and planning, split (docs/performance.md)", () => {
  it("the check-split smoke run prints the dueActions ≤ 2× dueActionsOn row with its figures", () => {
    const printed = "npm run bench -- --sizes 2k --mix idealised --measure check-split";
    expect(doc()).toContain(printed);
    const out = run(printed);
    expect(out).toMatch(/\| \(a\) checking and planning, split \| idealised: 90% paid up, no holds \| +2,000 \|/);
    expect(out).toMatch(/dueActions on a snapshot ≤ 2× dueActionsOn \(checking ≤ planning\), paired \| +\d+\.\d\d× \(checking \d+\.\d µs, planning \d+\.\d µs, both \d+\.\d µs per account\) \| — \(not a target mix\)/);
    expect(out).toMatch(/checking \/ its floor \(reading every field once\), paired, informational \| +\d+\.\d\d× \(floor \d+\.\d µs per account\)/);
  }, 180_000);

  it("bench/same-output.ts prints the same bytes twice, one line per account and per damaged account, with the issue each damage makes", () => {
    const printed = "npx tsx bench/same-output.ts --mix idealised --size 2k > /tmp/pd-same.txt";
    expect(doc()).toContain(printed);
    run(printed);
    const first = readFileSync("/tmp/pd-same.txt", "utf8");
    run(printed);
    expect(readFileSync("/tmp/pd-same.txt", "utf8")).toBe(first);
    const lines = first.trimEnd().split("\n");
    const damages = lines.filter((l) => / charge id repeated /.test(l));
    expect(lines.length).toBe(2_000 + 2_000 * 44); // 44 ways to damage an account
    expect(damages).toHaveLength(2_000);
    // The second charge given the first one's id is that id twice: reported at the repeat, the account refused.
    expect(damages[0]!.startsWith("A-0000000 charge id repeated {")).toBe(true);
    const r = JSON.parse(damages[0]!.slice(damages[0]!.indexOf("{")));
    expect(r).toMatchObject({ ok: false, issues: [{ code: "duplicate_id", path: "charges[1].id" }] });
    // Reversed charges are the same account: checking sorts them oldest due first.
    const reversed = JSON.parse(lines.find((l) => / charges reversed /.test(l))!.replace(/^\S+ charges reversed /, ""));
    expect(reversed.ok).toBe(true);
    const dues = reversed.charges.map((c: { due: number }) => c.due);
    expect(dues).toEqual([...dues].sort((a: number, b: number) => a - b));
  }, 180_000);
});
