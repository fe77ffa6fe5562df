/**
 * No import cycles in src (issue 16: "No import cycles"). A cycle, even through `import type`,
 * means two files are one concept split in two, or one that cannot be read without the other;
 * the late-fee files had one. The import graph is tests/import-graph.ts's (TypeScript's own
 * pre-processor); each cycle is reported as its files.
 */
import { describe, expect, it } from "vitest";
import { importGraph, readSources } from "./import-graph.js";

/** The import cycles of `graph`: its strongly connected components of more than one file, or a file importing itself (Tarjan). */
function importCycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const cycles: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, index.size);
    low.set(v, index.get(v)!);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) !== index.get(v)) return;
    const component: string[] = [];
    let w: string;
    do {
      w = stack.pop()!;
      onStack.delete(w);
      component.push(w);
    } while (w !== v);
    if (component.length > 1 || graph.get(v)!.includes(v)) cycles.push(component.sort());
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return cycles;
}

describe("import cycles", () => {
  it("the check finds a cycle closed by `import type`, through a re-export and an index.ts, and passes a chain", () => {
    const sources = new Map([
      ["fees/late-fees.ts", `import { chargeFee } from "./accrual.js";\nexport type { Row } from "./accrual.js";`],
      ["fees/accrual.ts", `import type { Notice } from "./late-fees.js";\nexport const chargeFee = 1;`],
      ["time/index.ts", `export * from "./calendar.js";`],
      ["time/calendar.ts", `import { x } from "../time";\nimport { z } from "zod";`],
      ["chain/a.ts", `import { b } from "./b.js";`],
      ["chain/b.ts", `const c = await import("./c.js");`],
      ["chain/c.ts", `export const c = 1;`],
    ]);
    expect(importCycles(importGraph(sources))).toEqual([["fees/accrual.ts", "fees/late-fees.ts"], ["time/calendar.ts", "time/index.ts"]]);
    sources.set("fees/accrual.ts", "export const chargeFee = 1;");
    sources.set("time/calendar.ts", `import { z } from "zod";`);
    expect(importCycles(importGraph(sources))).toEqual([]);
  });

  it("src has none", () => {
    const sources = readSources();
    expect(sources.size).toBeGreaterThan(100);
    const graph = importGraph(sources);
    // The graph is real: plan-day.ts reads the allocation, and every file is in it.
    expect(graph.get("schedule/ladder/plan-day.ts")).toContain("schedule/fees/allocation.ts");
    expect(graph.size).toBe(sources.size);
    // Each cycle as its files (a strongly connected component: every one reaches every other).
    expect(importCycles(graph).map((c) => c.join(", ")), "import cycles in src").toEqual([]);
  });
});
