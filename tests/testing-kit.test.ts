/**
 * property-dunning/testing: the arbitraries stay valid, the built-ins keep every invariant, the
 * unfair example is caught (also through `verify`), and planning is the same under other host time zones (child processes, TZ set first). Every
 * invariant failing on a mutant (so none is vacuous): testing-kit-mutants.test.ts.
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { verifyCommand } from "../src/cli/verify.js";
import { main } from "../src/cli/main.js";
import { BUILTIN_POLICY_IDS, builtinPolicySource, type BuiltinPolicyId } from "../src/rules/builtins.js";
import { parsePolicy, safeParsePolicy } from "../src/rules/parse.js";
import type { Policy } from "../src/rules/schema.js";
import { normalizeAccount } from "../src/ledger/check-account.js";
import { civilDate, formatCivilDate } from "../src/schedule/time/civil-date.js";
import { createScheduler } from "../src/schedule/ladder/scheduler.js";
import {
  INVARIANTS,
  accountArb,
  checkPolicy,
  createModelInvariant,
  historyArb,
  ledgerArb,
  ledgerAsOf,
  policyArb,
  scenarioArb,
  type InvariantResult,
} from "../src/testing/index.js";

/** Runs per invariant for the built-ins: 100 here, 1000 in CI (`PD_VERIFY_RUNS=1000`); 24 invariants take about 0.6 s a run per built-in on a quiet 2-core machine, so the limit leaves room for a loaded one. */
const RUNS = Number(process.env.PD_VERIFY_RUNS ?? 100);
/**
 * A fixed seed, so that CI is reproducible; explore others with `PD_VERIFY_SEED=random` or
 * `property-dunning verify residential --runs 10000`.
 */
const SEED = process.env.PD_VERIFY_SEED === "random" ? undefined : Number(process.env.PD_VERIFY_SEED ?? 20261123);
const SLOW = { timeout: 120_000 + RUNS * 1_500 };
const builtin = (id: BuiltinPolicyId): Policy => parsePolicy(builtinPolicySource(id));
const residential = builtin("residential");
const unfair = parsePolicy(readFileSync(fileURLToPath(new URL("../examples/unfair-policy.json", import.meta.url)), "utf8"));

function failures(results: readonly InvariantResult[]): string {
  return results
    .filter((r) => !r.ok)
    .map((r) => (r.ok ? "" : `${r.name}: ${r.error}\n${r.timeline}\n${JSON.stringify(r.counterexample)}`))
    .join("\n\n");
}

describe("arbitraries", () => {
  it("accounts are valid ledgers: 1–24 monthly charges, real dates, integer minor units", () => {
    fc.assert(
      fc.property(accountArb({ stages: ["dunning_notice"] }), (account) => {
        expect(normalizeAccount(account).ok).toBe(true);
        expect(account.charges.length).toBeGreaterThanOrEqual(1);
        expect(account.charges.length).toBeLessThanOrEqual(24);
        for (const p of account.payments ?? []) expect(Number.isSafeInteger(p.amountMinor) && p.amountMinor > 0).toBe(true);
        for (const c of account.charges) expect(c.dueOn.startsWith(c.period)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it("ledgers have distinct ids; a history replayed to its end is the account", () => {
    fc.assert(
      fc.property(ledgerArb({ maxAccounts: 8 }), historyArb(), (ledger, history) => {
        expect(new Set(ledger.map((a) => a.id)).size).toBe(ledger.length);
        const all = ledgerAsOf(history, "2099-12-31");
        const charges = history.events.filter((e) => e.type === "charge").length;
        expect(all.charges.length).toBe(charges);
        const first = history.events[0]!.on;
        expect(ledgerAsOf(history, formatCivilDate(civilDate(first) - 1)).charges).toEqual([]);
      }),
      { numRuns: 100 },
    );
  });

  it("policies built from the built-ins always validate", () => {
    fc.assert(
      fc.property(policyArb(), (policy) => {
        const again = safeParsePolicy(JSON.parse(JSON.stringify(policy)));
        expect(again.ok, again.ok ? "" : JSON.stringify(again.issues)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});

describe("the built-in policies keep every invariant", () => {
  // Every built-in the registry names: a new one is verified the day it is added.
  for (const id of BUILTIN_POLICY_IDS)
    it(`${id}, ${RUNS} runs per invariant`, SLOW, () => {
      const report = checkPolicy(builtin(id), { runs: RUNS, ...(SEED !== undefined ? { seed: SEED } : {}) });
      expect(failures(report.results), `seed ${report.seed}`).toBe("");
      expect(report.results.map((r) => r.name)).toEqual(INVARIANTS.map((i) => i.name));
    });

  // Seed 127634716 once found a protected owner's delayed home visit counting for a younger debt,
  // so the elderly owner reached the lawyer's letter first; kept as a regression.
  it("residential, protections: the once-found counterexample (seed 127634716) passes", SLOW, () => {
    const report = checkPolicy(residential, { runs: 1000, seed: 127634716, only: ["protections"] });
    expect(failures(report.results)).toBe("");
  });

  it("policies mutated within the schema keep every engine invariant", SLOW, () => {
    const engine = [...INVARIANTS.filter((i) => i.scope === "engine"), createModelInvariant({ policyChecks: false })];
    for (const policy of fc.sample(policyArb(), { numRuns: 6, seed: 2026 })) {
      const report = checkPolicy(policy, { runs: 15, seed: 11, invariants: engine });
      expect(failures(report.results), JSON.stringify(policy.stages)).toBe("");
    }
  });
});

describe("the unfair example", () => {
  it("validates, and is caught: a demand before any lighter warning", () => {
    const report = checkPolicy(unfair, { runs: 50, seed: 1 });
    const failed = Object.fromEntries(report.results.filter((r) => !r.ok).map((r) => [r.name, r]));
    expect(Object.keys(failed)).toEqual(expect.arrayContaining(["escalation", "model"]));
    expect(failed.escalation!.ok === false && failed.escalation!.error).toMatch(/without any lighter warning|went backwards/);
    // Its lawyer's letter on the door as well would not validate: privacy is decided from the file (#14.16).
    const posted = safeParsePolicy({ ...unfair, stages: unfair.stages.map((s) => (s.kind === "lawyerLetter" ? { ...s, channels: ["doorPosting"] } : s)) });
    expect(posted.ok ? [] : posted.issues.map((i) => i.code)).toEqual(["public_legal_step"]);
    // What the engine guarantees for any policy still holds for this one. (`order` is left out:
    // with this policy a final notice can be folded into a lawyer's letter, stating no deadline,
    // and the engine still counts it as a demand; the kit reports that.)
    for (const name of ["deterministic", "equal-treatment", "paid-means-quiet", "idempotent", "one-action-a-day", "forecast-agrees"])
      expect(failed[name], name).toBeUndefined();
  });

  it("verify prints the table and the shrunk timelines, and exits 1", async () => {
    let out = "";
    const code = await verifyCommand(fileURLToPath(new URL("../examples/unfair-policy.json", import.meta.url)), { runs: 30, seed: 3 }, { out: (s) => (out += s), err: (s) => (out += s) });
    expect(code).toBe(1);
    expect(out).toMatch(/escalation\s+FAIL/);
    expect(out).toMatch(/paid-means-quiet\s+pass/);
    expect(out).toMatch(/privacy\s+pass/);
    expect(out).toMatch(/reproduce: --seed 3/);
  });

  it("verify passes a built-in, rejects an invalid policy (1) and a missing file (1, file not found)", async () => {
    const io = () => {
      const io = { text: "", out: (s: string) => (io.text += s), err: (s: string) => (io.text += s) };
      return io;
    };
    const ok = io();
    expect(await verifyCommand("commercial", { runs: 5, seed: 1 }, ok)).toBe(0);
    expect(ok.text).toMatch(/all \d+ invariants hold/);
    const dir = mkdtempSync(join(tmpdir(), "pd-verify-"));
    writeFileSync(join(dir, "bad.json"), JSON.stringify({ extends: "residential", id: "x", version: "1", stages: [{ id: "final_notice", deadlineDays: 0 }] }));
    const bad = io();
    expect(await verifyCommand(join(dir, "bad.json"), { runs: 5 }, bad)).toBe(1);
    expect(bad.text).toMatch(/deadlineDays/);
    // A missing file is invalid input like every command's (docs/cli.md, exit codes): main says so.
    const missing = io();
    expect(await main(["verify", join(dir, "missing.json"), "--runs", "5"], missing)).toBe(1);
    expect(missing.text).toContain(`file not found: ${join(dir, "missing.json")}`);
  });
});

describe("host time zone", () => {
  const kit = new URL("../src/testing/index.ts", import.meta.url).href;
  const core = new URL("../src/index.ts", import.meta.url).href;
  const probe = `
    const kit = await import(${JSON.stringify(kit)});
    const core = await import(${JSON.stringify(core)});
    const { createHash } = await import("node:crypto");
    const fc = (await import("fast-check")).default;
    const hashes = [];
    for (const id of ["residential", "commercial"]) {
      const policy = core.parsePolicy(core.builtinPolicySource(id));
      const scheduler = core.createScheduler(policy);
      for (const s of fc.sample(kit.scenarioArb(policy, { history: true }), { seed: 7, numRuns: 20 }))
        hashes.push(createHash("sha256").update(JSON.stringify(scheduler.forecast(s.account, s.from, s.to))).digest("hex").slice(0, 16));
    }
    const report = kit.checkPolicy(core.parsePolicy(core.builtinPolicySource("residential")), { runs: 10, seed: 5, only: ["deterministic", "forecast-agrees"] });
    process.stdout.write(JSON.stringify({ zone: Intl.DateTimeFormat().resolvedOptions().timeZone, hashes, ok: report.ok }));
  `;
  const run = (zone: string) => {
    const child = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", probe], { env: { ...process.env, TZ: zone }, encoding: "utf8", cwd: fileURLToPath(new URL("..", import.meta.url)) });
    expect(child.status, child.stderr).toBe(0);
    return JSON.parse(child.stdout) as { zone: string; hashes: string[]; ok: boolean };
  };

  it("forecasts are byte-identical under TZ=America/New_York and TZ=Asia/Shanghai, and match this process", SLOW, () => {
    const ny = run("America/New_York");
    const sh = run("Asia/Shanghai");
    expect([ny.zone, sh.zone]).toEqual(["America/New_York", "Asia/Shanghai"]);
    expect(ny.ok && sh.ok).toBe(true);
    expect(ny.hashes).toEqual(sh.hashes);
    const here: string[] = [];
    for (const id of ["residential", "commercial"] as const) {
      const policy = builtin(id);
      const scheduler = createScheduler(policy);
      for (const s of fc.sample(scenarioArb(policy, { history: true }), { seed: 7, numRuns: 20 }))
        here.push(createHash("sha256").update(JSON.stringify(scheduler.forecast(s.account, s.from, s.to))).digest("hex").slice(0, 16));
    }
    expect(here).toEqual(ny.hashes);
  });
});
