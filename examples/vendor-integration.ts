/**
 * A vendor's integration, end to end: plan today's actions, hand each to a (stand-in) message
 * gateway, and record what was carried out so that it is not planned again.
 *
 *   npx tsx examples/vendor-integration.ts [ledger.json] [YYYY-MM-DD]
 */
import { copyFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { plan, toRecorded, type PlannedAction } from "property-dunning";
import { jsonLedger } from "property-dunning/adapters/file";

/** Stands in for the SMS / print / staff-queue gateways a PMS already has. */
const gateway = {
  sent: [] as string[],
  async send(action: PlannedAction): Promise<boolean> {
    this.sent.push(`${action.accountId} ${action.kind} via ${action.channels.join("+")}`);
    return true;
  },
};

export async function run(source = new URL("./ledger.json", import.meta.url).pathname, asOf = "2026-04-27"): Promise<{ sent: string[]; replanned: number }> {
  // Work on a copy: recording writes back into the ledger file.
  const path = join(mkdtempSync(join(tmpdir(), "pd-vendor-")), "ledger.json");
  copyFileSync(source, path);
  const ledger = jsonLedger(path);
  const done = [];
  for await (const event of plan(ledger, { asOf })) {
    if (event.type === "skipped") {
      console.error(`skipped ${event.accountId}: ${event.reason}`);
      continue;
    }
    for (const action of event.actions) {
      if (action.requiresReview) continue; // a person approves these first
      if (await gateway.send(action)) done.push(toRecorded(action, asOf));
    }
  }
  await ledger.record(done);
  // The same day again: everything carried out is recorded, so nothing is due.
  let replanned = 0;
  for await (const event of plan(ledger, { asOf })) if (event.type === "planned") replanned += event.actions.length;
  await ledger.close();
  return { sent: gateway.sent, replanned };
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split("/").pop()!)) {
  const { sent, replanned } = await run(process.argv[2], process.argv[3]);
  console.log(sent.join("\n"));
  console.log(`recorded ${sent.length}; planned again the same day: ${replanned}`);
}
