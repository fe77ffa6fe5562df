/** The examples run as a user runs them, against the built package (npm test builds first). */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { ensureDemoEstate } from "../src/demo/estate.js";
import { main } from "../src/cli/main.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "pd-examples-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const tsx = (...args: string[]) => execFileSync(process.execPath, ["--import", "tsx", ...args], { cwd: root, encoding: "utf8" });

describe("examples", () => {
  it("vendor integration: plan, send, record; planning again the same day yields nothing", () => {
    const out = tsx("examples/vendor-integration.ts");
    expect(out).toContain("A-0302 dunningNotice via homeVisit+sms");
    expect(out).toMatch(/recorded [1-9]\d*; planned again the same day: 0/);
  });

  it("nightly job over SQLite: records what it planned; the next run the same day finds nothing", () => {
    const db = join(dir, "estate.db");
    return ensureDemoEstate(db, { seed: 1, asOf: "2026-11-23", residentialUnits: 80, shops: 5, historyUntil: "2026-11-01" }).then(() => {
      const first = tsx("examples/nightly-job.ts", db, "2026-11-23");
      const [, planned, recorded] = /planned (\d+), recorded (\d+)/.exec(first)!;
      expect(Number(planned)).toBeGreaterThan(0);
      expect(Number(recorded)).toBeGreaterThan(0);
      expect(tsx("examples/nightly-job.ts", db, "2026-11-23")).toMatch(/^planned \d+, recorded 0/);
    });
  }, 120_000);

  it("the estate customisation validates and plans its reminder and call", async () => {
    let out = "";
    const io = { out: (s: string) => void (out += s), err: (s: string) => void (out += s) };
    expect(await main(["validate", "examples/green-garden.json"], io)).toBe(0);
    expect(out).toMatch(/pre_due_reminder\s+reminder\s+wechat/);
    out = "";
    expect(await main(["explain", "--policy", "examples/green-garden.json", "--ledger", "examples/ledger.json", "--account", "A-1201", "--as-of", "2026-02-01", "--to", "2026-04-30"], io)).toBe(0);
    expect(out).toMatch(/2026-03-07\s+first_call\s+phoneCall\s+phone/);
  });
});
