/**
 * The ledger for measuring `plan --workers` through the built CLI (docs/performance.md, "Workers"):
 *
 *   npx tsx bench/workers.ts <accounts> <file.db> [mix]
 *
 * Writes the benchmark portfolio (bench/portfolio.ts; the idealised mix unless told, as the
 * Workers table was measured) of that many accounts into a SQLite ledger,
 * rows only, in batches of 10,000; does nothing when the file already holds them. The timing is
 * left to `/usr/bin/time -v node dist/cli.js plan …`, so that the numbers are the CLI's, peak RSS
 * included.
 */
import { existsSync, rmSync, writeFileSync } from "node:fs";
import { sqliteLedger } from "../src/adapters/sqlite.js";
import { batches, mixAsOf, selectMix } from "./portfolio.js";

const [count, path, mix = "idealised"] = [Number(process.argv[2]), process.argv[3], process.argv[4]];
if (!Number.isInteger(count) || count < 1 || !path) {
  console.error("usage: npx tsx bench/workers.ts <accounts> <file.db> [realistic|billing-day|idealised]");
  process.exit(2);
}
selectMix(mix, count);
const AS_OF = mixAsOf();
if (existsSync(`${path}.ok`)) {
  console.log(`${path}: ${count} accounts already written; plan it --as-of ${AS_OF}`);
} else {
  for (const suffix of ["", "-wal", "-shm"]) rmSync(`${path}${suffix}`, { force: true });
  const started = performance.now();
  const ledger = await sqliteLedger(path);
  for (const batch of batches(count, 10_000)) await ledger.writeAccounts(batch);
  await ledger.close();
  writeFileSync(`${path}.ok`, `${count}\n`);
  console.log(`${path}: ${count} accounts written in ${((performance.now() - started) / 1000).toFixed(0)} s; plan it --as-of ${AS_OF}`);
}
