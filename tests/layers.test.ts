/**
 * The folders are layers (docs/architecture.md, "Who may import whom"): the policy file knows
 * nothing of ours; the core knows the policy and the account as the ledger contract defines it;
 * the ledger contract knows the core; nothing under them reaches a driver, the CLI or the jobs.
 * Tests and test fixtures excepted. Type-only imports count too: a type names a dependency.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, posix, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("..", import.meta.url));

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
};

/** Layers that run on any platform (the root entry is made of them): no Node built-in, no driver. */
const PLATFORM_FREE = new Set(["rules", "schedule", "ledger", "text", "notices", "reports", "timeline"]);

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return e.name === "__fixtures__" ? [] : sources(path);
    return e.name.endsWith(".ts") && !e.name.endsWith(".test.ts") ? [path] : [];
  });
}

/** `src/`-relative paths of the files a source imports (relative specifiers only), and its bare ones. */
function importsOf(file: string, text: string): { local: string[]; bare: string[] } {
  const local: string[] = [];
  const bare: string[] = [];
  for (const m of text.matchAll(/(?:^|\n)\s*(?:import|export)\b[^"';]*?from\s*["']([^"']+)["']|\bimport\(\s*["']([^"']+)["']\s*\)|(?:^|\n)\s*import\s*["']([^"']+)["']/g)) {
    const spec = m[1] ?? m[2] ?? m[3]!;
    if (!spec.startsWith(".")) bare.push(spec);
    else local.push(posix.normalize(posix.join(posix.dirname(file), spec)).replace(/\.js$/, ".ts"));
  }
  return { local, bare };
}

/** Every import that breaks the table: `from → to`. */
function violations(graph: ReadonlyMap<string, { local: string[]; bare: string[] }>): string[] {
  const out: string[] = [];
  for (const [from, { local, bare }] of graph) {
    const layer = from.split("/")[0]!;
    const allowed = MAY_IMPORT[layer];
    if (!allowed) continue;
    for (const to of local) {
      const target = to.split("/")[0]!;
      if (to.startsWith("../") || target === layer || allowed.includes(target) || allowed.includes(to)) continue;
      out.push(`${from} → ${to}`);
    }
    if (PLATFORM_FREE.has(layer))
      for (const spec of bare) if (spec.startsWith("node:") || ["fs", "path", "worker_threads", "better-sqlite3", "pg", "pg-boss"].includes(spec)) out.push(`${from} → ${spec}`);
  }
  return out;
}

describe("the layers", () => {
  const src = join(root, "src");
  const graph = new Map(
    sources(src).map((f) => {
      const rel = relative(src, f).split("\\").join("/");
      return [rel, importsOf(rel, readFileSync(f, "utf8"))] as const;
    }),
  );

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
