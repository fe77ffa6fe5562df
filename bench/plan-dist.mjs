// One measurement for bench/run.ts: plan() from an SQLite ledger through the built package
// (dist/), under plain node, without the tsx loader, so that peak RSS is the library's own.
//
//   node bench/plan-dist.mjs <ledger.db> <asOf> [dist directory, default ../dist]
// Prints one JSON line: { accounts, actions, seconds, maxRssKB }.
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";

const [file, asOf, distArg] = process.argv.slice(2);
const dist = pathToFileURL(`${resolve(distArg ?? new URL("../dist", import.meta.url).pathname)}/`);
const { plan } = await import(new URL("index.js", dist).href);
const { sqliteLedger } = await import(new URL("adapters/sqlite.js", dist).href);

const ledger = await sqliteLedger(file, { readonly: true });
let accounts = 0;
let actions = 0;
let skipped = 0;
const t0 = process.hrtime.bigint();
for await (const e of plan(ledger, { asOf })) {
  accounts++;
  if (e.type === "planned") actions += e.actions.length;
  else skipped++;
}
const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
await ledger.close();
if (skipped > 0) throw new Error(`${skipped} accounts skipped`);
process.stdout.write(`${JSON.stringify({ accounts, actions, seconds, maxRssKB: process.resourceUsage().maxRSS })}\n`);
