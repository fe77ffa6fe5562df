/**
 * `--policy` on a ledger of flats and shops (issue 14, defect 3): one policy covers the segment it
 * declares and says so when some accounts are left to their built-in; a policy per segment is
 * given as `--policy residential=a.json --policy commercial=b.json`; nothing is applied silently.
 * The shop C-015 of examples/ledger.json owes March's charge: on 2026-03-25 the commercial
 * built-in hands it a dunning notice (S2's commercial ladder), never a door posting.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { schedulerPicker } from "../src/ledger/plan.js";
import { builtinPolicySource } from "../src/rules/builtins.js";
import { parsePolicy } from "../src/rules/parse.js";
import type { PlannedAction } from "../src/schedule/ladder/action.js";
import { runCli } from "./helpers.js";

const dir = mkdtempSync(join(tmpdir(), "pd-segments-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const cli = runCli;

function file(name: string, value: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(value));
  return path;
}

// An estate's own residential policy (its segment inherited from the built-in), a shops' policy, and one that declares no segment.
const MY = file("my.json", { extends: "residential", id: "my-estate", version: "1" });
const SHOPS = file("shops.json", { extends: "commercial", id: "shop-street", version: "1" });
const NO_SEGMENT = (() => {
  const { segment: _, $schema: __, ...rest } = JSON.parse(readFileSync("policies/residential.json", "utf8")) as Record<string, unknown>;
  return file("any-unit.json", { ...rest, id: "any-unit" });
})();
const LEDGER = "examples/ledger.json";
const AS_OF = "2026-03-25";

const shopActions = (out: string) => (JSON.parse(out) as PlannedAction[]).filter((a) => a.accountId === "C-015");
const warnings = (err: string) => err.split("\n").filter((l) => l.includes("--policy"));

describe("plan --policy on a ledger of flats and shops", () => {
  it("#14.3 one residential policy: the shop gets the commercial built-in's hand delivery, not door postings, and stderr says so once", async () => {
    const r = await cli("plan", "--ledger", LEDGER, "--as-of", AS_OF, "--policy", MY, "--format", "json");
    expect(r.code, r.err).toBe(0);
    const shop = shopActions(r.out);
    expect(shop.map((a) => [a.policy.id, a.stage, a.channels])).toEqual([["commercial", "dunning_notice", ["handDelivery", "sms"]]]);
    expect(warnings(r.err)).toEqual([`property-dunning: --policy ${MY} is written for residential units; commercial accounts follow the built-in commercial policy (give theirs with --policy commercial=<file>)`]);
  });

  it("#14.3 a policy per segment: each account follows its own segment's, with nothing to warn about", async () => {
    const r = await cli("plan", "--ledger", LEDGER, "--as-of", AS_OF, "--policy", `residential=${MY}`, "--policy", `commercial=${SHOPS}`, "--format", "json");
    expect(r.code, r.err).toBe(0);
    expect(shopActions(r.out).map((a) => [a.policy.id, a.channels])).toEqual([["shop-street", ["handDelivery", "sms"]]]);
    expect(warnings(r.err)).toEqual([]);
    const only = await cli("plan", "--ledger", LEDGER, "--as-of", AS_OF, "--policy", `commercial=${SHOPS}`, "--format", "json");
    expect(only.code, only.err).toBe(0);
    expect(shopActions(only.out).map((a) => a.policy.id)).toEqual(["shop-street"]);
  });

  it("#14.3 a policy that declares no segment is refused on a ledger of both (exit 2, nothing planned), and used on a ledger of one", async () => {
    const r = await cli("plan", "--ledger", LEDGER, "--as-of", AS_OF, "--policy", NO_SEGMENT);
    expect(r.code).toBe(2);
    expect(r.out).toBe("");
    expect(r.err).toContain(`--policy ${NO_SEGMENT} declares no segment, and the ledger holds residential and commercial accounts`);
    const flats = file("flats.json", { accounts: (JSON.parse(readFileSync(LEDGER, "utf8")) as { accounts: { segment: string }[] }).accounts.filter((a) => a.segment === "residential") });
    const one = await cli("plan", "--ledger", flats, "--as-of", "2026-04-25", "--policy", NO_SEGMENT, "--format", "json");
    expect(one.code, one.err).toBe(0);
    expect(new Set((JSON.parse(one.out) as PlannedAction[]).map((a) => a.policy.id))).toEqual(new Set(["any-unit"]));
  });

  it("#14.3 a command line that says two things is a usage error", async () => {
    for (const [args, message] of [
      [[MY, SHOPS], "--policy: give one policy, or one per segment"],
      [[MY, `commercial=${SHOPS}`], "--policy: give one policy, or one per segment"],
      [[`commercial=${SHOPS}`, `commercial=commercial`], "--policy: commercial is given twice"],
      [[`commercial=${MY}`], `--policy commercial=${MY}: ${MY} is written for residential units (its "segment"), not commercial`],
      [[`residential=commercial`], `--policy residential=commercial: commercial is written for commercial units (its "segment"), not residential`],
    ] as const) {
      const r = await cli("plan", "--ledger", LEDGER, "--as-of", AS_OF, ...args.flatMap((a) => ["--policy", a]));
      expect(r.code, r.err).toBe(2);
      expect(r.err).toContain(message);
    }
  });
});

describe("explain, report and timeline take --policy the same way", () => {
  it("#14.3 explain: the shop under one residential policy follows the commercial built-in, and stderr says so", async () => {
    const r = await cli("explain", "--ledger", LEDGER, "--account", "C-015", "--as-of", AS_OF, "--policy", MY, "--format", "json");
    expect(r.code, r.err).toBe(0);
    const result = JSON.parse(r.out) as { policy: string; due: PlannedAction[] };
    expect(result.policy).toBe("commercial");
    expect(result.due.map((a) => a.channels)).toEqual([["handDelivery", "sms"]]);
    expect(warnings(r.err)).toHaveLength(1);
    const flat = await cli("explain", "--ledger", LEDGER, "--account", "A-1201", "--as-of", AS_OF, "--policy", MY, "--format", "json");
    expect([JSON.parse(flat.out).policy, warnings(flat.err)]).toEqual(["my-estate", []]);
  });

  it("#14.3 report: warns once for the shops, refuses a policy without a segment on both", async () => {
    const r = await cli("report", "--ledger", LEDGER, "--as-of", AS_OF, "--policy", MY);
    expect(r.code, r.err).toBe(0);
    expect(warnings(r.err)).toHaveLength(1);
    expect((await cli("report", "--ledger", LEDGER, "--as-of", AS_OF, "--policy", NO_SEGMENT)).code).toBe(2);
  });

  it("#14.3 timeline: the shop's forecast follows the commercial policy given for it; two policies and no account is a usage error", async () => {
    const out = join(dir, "shop.svg");
    const r = await cli("timeline", "--ledger", LEDGER, "--account", "C-015", "--as-of", AS_OF, "--policy", `residential=${MY}`, "--policy", `commercial=${SHOPS}`, "--out", out);
    expect(r.code, r.err).toBe(0);
    expect(readFileSync(out, "utf8")).toContain("shop-street");
    const two = await cli("timeline", "--policy", `residential=${MY}`, "--policy", `commercial=${SHOPS}`, "--out", join(dir, "two.svg"));
    expect(two.code).toBe(2);
  });
});

describe("the library: PlanOptions.policy and schedulerPicker", () => {
  const mine = parsePolicy({ extends: "residential", id: "my-estate", version: "1" });
  const anyUnit = parsePolicy({ ...(builtinPolicySource("residential") as object), segment: undefined, id: "any-unit" });

  it("#14.3 one policy covers the segment it declares; a map covers the segments it names; the rest follow their built-in", () => {
    expect(["residential", "commercial", undefined].map((s) => schedulerPicker(mine)(s).policy.id)).toEqual(["my-estate", "commercial", "my-estate"]);
    expect(["residential", "commercial"].map((s) => schedulerPicker({ commercial: mine })(s).policy.id)).toEqual(["residential", "my-estate"]);
    // One policy for every segment, said explicitly.
    expect(["residential", "commercial"].map((s) => schedulerPicker({ residential: anyUnit, commercial: anyUnit })(s).policy.id)).toEqual(["any-unit", "any-unit"]);
    expect(() => schedulerPicker(anyUnit)).toThrow(/any-unit declares no segment/);
  });

});
