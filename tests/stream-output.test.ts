/**
 * Issue 15, item 4: `plan` writes the actions as it plans them. JSON is the same array as always
 * (the layout `jsonText(actions, 2)` prints), JSON Lines exists, the table counts what it does not
 * show, and peak memory does not grow with the number of actions: checked with a heap limit that
 * a plan holding its actions cannot live in (the mutant below proves it cannot), never by a clock.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { jsonText } from "../src/text/safe-text.js";
import { spawnCli } from "./helpers.js";

const root = join(import.meta.dirname, "..");
const CLI = join(root, "dist/cli.js");
const dir = mkdtempSync(join(tmpdir(), "pd-stream-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * A catch-up day: every account owes January to March and nothing was ever sent, so on
 * 2026-04-25 each gets the residential ladder's first step, a dunning notice (one action each).
 */
const ACCOUNTS = 20_000;
const AS_OF = "2026-04-25";
const ledger = join(dir, "catch-up.jsonl");
/** A heap that holds the plan's machinery and one account's actions, not 20,000 actions (a plan holding them needs ~200 MB). */
const HEAP_MB = 64;

beforeAll(() => {
  const lines: string[] = [];
  for (let i = 0; i < ACCOUNTS; i++) {
    const charges = ["2026-01", "2026-02", "2026-03"].map((period, k) => ({ id: `c${k}`, period, dueOn: `${period}-01`, amountMinor: 30_000 }));
    lines.push(JSON.stringify({ id: `A-${String(i).padStart(6, "0")}`, owner: { name: "王芳" }, charges }));
  }
  writeFileSync(ledger, `${lines.join("\n")}\n`);
});

function run(args: string[], node: string[] = []) {
  const r = spawnCli(process.execPath, [...node, CLI, ...args], { cwd: root, maxBuffer: 1 << 30 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const plan = (...args: string[]) => ["plan", "--ledger", ledger, "--as-of", AS_OF, ...args];

describe("#15.4 plan streams its output", () => {
  it("#15.4 --format json --out and --format jsonl write the same actions; the JSON is the two-space array", () => {
    const out = join(dir, "actions.json");
    const json = run(plan("--format", "json", "--out", out));
    expect(json).toMatchObject({ code: 0, out: "" });
    const text = readFileSync(out, "utf8");
    const actions = JSON.parse(text) as { accountId: string; kind: string }[];
    expect(actions).toHaveLength(ACCOUNTS);
    expect(new Set(actions.map((a) => a.kind))).toEqual(new Set(["dunningNotice"]));
    // The layout of today's --format json: the whole array as jsonText prints it (escapes: cli-output-safety.test.ts).
    expect(text).toBe(`${jsonText(actions, 2)}\n`);

    const lines = run(plan("--format", "jsonl"));
    expect(lines.code).toBe(0);
    const rows = lines.out.split("\n");
    expect(rows.pop()).toBe("");
    expect(rows).toHaveLength(ACCOUNTS);
    expect(rows.map((r) => JSON.parse(r))).toEqual(actions);

  }, 180_000);

  it(`#15.4 a catch-up day of ${ACCOUNTS.toLocaleString("en-US")} accounts plans in a ${HEAP_MB} MB heap, as JSON and as JSON Lines`, () => {
    const out = join(dir, "bounded.json");
    expect(run(plan("--format", "json", "--out", out), [`--max-old-space-size=${HEAP_MB}`])).toMatchObject({ code: 0 });
    expect(readFileSync(out, "utf8").length).toBeGreaterThan(ACCOUNTS * 1000); // the file is larger than the heap it was written from
    expect(run(plan("--format", "jsonl"), [`--max-old-space-size=${HEAP_MB}`])).toMatchObject({ code: 0 });
  }, 180_000);

  it("#15.4 mutant: a plan that collects its actions before writing them dies in the same heap", () => {
    // What `plan --format json` did before: every account's actions kept, then printed at once.
    const collecting = `
      const { plan } = await import(${JSON.stringify(join(root, "dist/index.js"))});
      const { openLedger } = await import(${JSON.stringify(join(root, "dist/adapters/open.js"))});
      const ledger = await openLedger(${JSON.stringify(ledger)}, { readonly: true });
      const all = [];
      for await (const e of plan(ledger, { asOf: ${JSON.stringify(AS_OF)} })) if (e.type === "planned") all.push(...e.actions);
      process.stdout.write(JSON.stringify(all, null, 2).length + "\\n");`;
    const r = spawnSync(process.execPath, [`--max-old-space-size=${HEAP_MB}`, "--input-type=module", "-e", collecting], { cwd: root, encoding: "utf8" });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain("heap out of memory");
  }, 180_000);

  it("#15.4 the table shows the first 1,000 actions, says how many more, and counts all of them", () => {
    const r = run(plan());
    expect(r.code).toBe(0);
    expect(r.out.split("\n").filter((l) => /^A-\d{6} {2}/.test(l))).toHaveLength(1000);
    expect(r.out).toContain(`… and ${(ACCOUNTS - 1000).toLocaleString("en-US")} more actions (--format json or jsonl lists every one)`);
    expect(r.out).toMatch(new RegExp(`\\ntotal +${ACCOUNTS}  `));
  }, 180_000);
});
