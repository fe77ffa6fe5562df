/**
 * A nightly job over the embedded SQLite ledger: plan the day, carry the actions out, record
 * them. Run it every night; a night missed is caught up, in order, the next. (To spread a large
 * ledger over several processes or machines, run it as pg-boss jobs: docs/scale-out.md.)
 *
 *   npx tsx examples/nightly-job.ts estate.db [YYYY-MM-DD]
 */
import { plan, toRecorded, type PlannedAction } from "property-dunning";
import { openLedger } from "property-dunning/adapters/open";

export async function nightly(db: string, asOf: string): Promise<{ planned: number; recorded: number; skipped: string[] }> {
  const actions: PlannedAction[] = [];
  const skipped: string[] = [];
  const ledger = await openLedger(`sqlite:${db}`);
  try {
    for await (const event of plan(ledger, { asOf })) {
      if (event.type === "planned") actions.push(...event.actions);
      else skipped.push(`${event.accountId}: ${event.reason}`);
    }
    // Here a vendor sends notices, queues calls and visits; actions needing review wait for a person.
    const carriedOut = actions.filter((a) => !a.requiresReview).map((a) => toRecorded(a, asOf));
    const recorded = await ledger.record(carriedOut);
    return { planned: actions.length, recorded, skipped };
  } finally {
    await ledger.close();
  }
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split("/").pop()!)) {
  const [db = "demo/estate.db", asOf = new Date().toISOString().slice(0, 10)] = process.argv.slice(2);
  const result = await nightly(db, asOf);
  console.log(`planned ${result.planned}, recorded ${result.recorded}, skipped ${result.skipped.length}`);
  for (const s of result.skipped) console.error(`skipped ${s}`);
}
