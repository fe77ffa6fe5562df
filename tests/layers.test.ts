/**
 * The folders are layers (docs/architecture.md, "Who may import whom"): the policy file knows
 * nothing of ours; the core knows the policy and the account as the ledger contract defines it;
 * the ledger contract knows the core; nothing under them reaches a driver, the CLI or the jobs.
 * Tests and test fixtures excepted. Type-only imports count too: a type names a dependency.
 */
import { builtinModules } from "node:module";
import { describe, expect, it } from "vitest";
import { importsBy, readSources, type Imports } from "./import-graph.js";

/** What each layer may import, besides itself. A file of `src/` is named by its folder, or by its path where one file is allowed alone. */
const MAY_IMPORT: Record<string, readonly string[]> = {
  rules: [],
  schedule: ["rules", "ledger/account.ts", "ledger/check-account.ts"],
  ledger: ["rules", "schedule"],
  text: ["rules", "ledger"],
  notices: ["rules", "schedule", "ledger", "text"],
  reports: ["rules", "schedule", "ledger", "text"],
  timeline: ["rules", "schedule", "ledger", "text"],
  adapters: ["rules", "schedule", "ledger", "text"],
  testing: ["rules", "schedule", "ledger", "text", "adapters"],
  // The policy studio's page: only what the package offers (the root entry, the proof kit), so that studio and CLI agree.
  studio: ["index.ts", "testing"],
};

/** Layers that run on any platform (the root entry is made of them): no Node built-in, no driver. */
const PLATFORM_FREE = new Set(["rules", "schedule", "ledger", "text", "notices", "reports", "timeline", "studio"]);
const DRIVERS = new Set(["better-sqlite3", "pg", "pg-boss"]);

/** Every import that breaks the table: `from → to`. */
function violations(graph: ReadonlyMap<string, Imports>): string[] {
  const out: string[] = [];
  for (const [from, { local, bare }] of graph) {
    const layer = from.split("/")[0]!;
    const allowed = MAY_IMPORT[layer];
    if (!allowed) continue;
    for (const to of local) {
      const target = to.split("/")[0]!;
      if (target === layer || allowed.includes(target) || allowed.includes(to)) continue;
      out.push(`${from} → ${to}`);
    }
    if (PLATFORM_FREE.has(layer))
      for (const spec of bare) if (spec.startsWith("node:") || builtinModules.includes(spec) || DRIVERS.has(spec)) out.push(`${from} → ${spec}`);
  }
  return out;
}

describe("the layers", () => {
  // Tests and test fixtures are not part of any layer.
  const sources = new Map([...readSources()].filter(([file]) => !file.endsWith(".test.ts") && !file.includes("__fixtures__/")));
  const graph = importsBy(sources);

  it("finds the sources and their imports where it looks", () => {
    expect([...graph.keys()]).toEqual(expect.arrayContaining(["rules/schema.ts", "schedule/ladder/plan-day.ts", "ledger/plan.ts"]));
    expect(graph.get("ledger/plan.ts")!.local).toContain("schedule/ladder/scheduler.ts");
  });

  it("keeps every folder to what it may import", () => {
    expect(violations(graph)).toEqual([]);
  });

  it("catches an import that breaks the table (mutants)", () => {
    const broken = new Map(graph);
    const plus = (file: string, add: string) => ({ local: [...graph.get(file)!.local, add], bare: graph.get(file)!.bare });
    broken.set("schedule/ladder/plan-day.ts", plus("schedule/ladder/plan-day.ts", "adapters/sqlite.ts"));
    broken.set("rules/schema.ts", plus("rules/schema.ts", "schedule/time/civil-date.ts"));
    broken.set("ledger/plan.ts", plus("ledger/plan.ts", "cli/main.ts"));
    broken.set("schedule/time/calendar.ts", { local: graph.get("schedule/time/calendar.ts")!.local, bare: ["node:fs"] });
    expect(violations(broken).sort()).toEqual(
      ["schedule/ladder/plan-day.ts → adapters/sqlite.ts", "rules/schema.ts → schedule/time/civil-date.ts", "ledger/plan.ts → cli/main.ts", "schedule/time/calendar.ts → node:fs"].sort(),
    );
  });
});
