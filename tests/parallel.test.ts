/** Planning on worker threads equals planning on one thread. */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { sqliteLedger } from "../src/adapters/sqlite.js";
import { generateEstate } from "../src/demo/estate.js";
import { planInParallel } from "../src/parallel.js";
import { plan, type PlanEvent } from "../src/plan.js";

const dir = mkdtempSync(join(tmpdir(), "pd-parallel-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("planInParallel", () => {
  it("#15.4 three worker threads over shards give exactly the one-thread plan, in its order", async () => {
    const path = join(dir, "estate.db");
    const ledger = await sqliteLedger(path);
    await ledger.writeAccounts(generateEstate({ seed: 7, asOf: "2026-04-25", residentialUnits: 120, shops: 8, months: 12 }));
    const single: PlanEvent[] = [];
    for await (const e of plan(ledger, { asOf: "2026-04-25" })) single.push(e);
    await ledger.close();

    const parallel: PlanEvent[] = [];
    await planInParallel(`sqlite:${path}`, { asOf: "2026-04-25", workers: 3 }, (e) => parallel.push(e));
    // #15.4: the shards are merged by account id, so the events come in the one-thread order (not sorted here).
    const strip = (events: PlanEvent[]) => events.map(({ cursor: _c, ...rest }) => rest);
    expect(strip(parallel)).toEqual(strip(single));
    expect(single.filter((e) => e.type === "planned" && e.actions.length > 0).length).toBeGreaterThan(10);
  }, 60_000);
});
