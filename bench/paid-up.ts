/**
 * The paid-up fast path (issue 15.2), paired: `plan()` from one ledger with the fast path (B: as
 * plan() reads, `paidUpOn` passed) and without it (A: the same adapter with `paidUpOn` taken out,
 * every account gathered from its rows and checked), alternated chunk by chunk (`chunk` accounts, resumed with `after`) in one process, so
 * that both sides meet the same machine. Also checks that both sides plan the same actions.
 *
 *   npx tsx bench/paid-up.ts sqlite PATH ASOF [chunk=10000]
 *   npx tsx bench/paid-up.ts postgres SCHEMA ASOF [chunk=10000]      (PD_POSTGRES_URL set)
 *
 * The ledgers are written by `prepare` (the bench portfolio's mixes, see bench/portfolio.ts):
 *
 *   npx tsx bench/paid-up.ts prepare-sqlite PATH MIX N
 *   npx tsx bench/paid-up.ts prepare-postgres SCHEMA MIX N
 */
import { createHash } from "node:crypto";
import { loadavg } from "node:os";
import { performance } from "node:perf_hooks";
import { postgresLedger } from "../src/adapters/postgres.js";
import { sqliteLedger } from "../src/adapters/sqlite.js";
import type { LedgerAdapter, LedgerEntry, ReadOptions } from "../src/ledger/adapter.js";
import { plan } from "../src/ledger/plan.js";
import { batches, selectMix } from "./portfolio.js";

/** The same ledger, read without the fast path. */
function withoutFastPath(ledger: LedgerAdapter): LedgerAdapter {
  return {
    accounts: (options: ReadOptions = {}): AsyncIterable<LedgerEntry> => ledger.accounts({ ...options, paidUpOn: undefined }),
    record: (actions) => ledger.record(actions),
    close: () => ledger.close(),
  };
}

interface Run {
  wall: number;
  /** This process's CPU time (user + system): less swayed than wall time by the other processes on a shared machine; for SQLite it is all of the work. */
  cpu: number;
  accounts: number;
  paidUp: number;
  actions: number;
  last: string | undefined;
  digest: string;
}

/** Plans at most `limit` accounts after the cursor `after`. */
async function planChunk(ledger: LedgerAdapter, asOf: string, after: string | undefined, limit: number): Promise<Run> {
  const hash = createHash("sha256");
  let accounts = 0;
  let actions = 0;
  let paidUp = 0;
  let last: string | undefined;
  // Count the entries handed over without rows (the planner does not see the flag).
  const counting: LedgerAdapter = {
    ...ledger,
    accounts: (options?: ReadOptions) =>
      (async function* () {
        for await (const e of ledger.accounts(options)) {
          if (e.ok && e.paidUp) paidUp++;
          yield e;
        }
      })(),
  };
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  for await (const e of plan(counting, { asOf, after })) {
    accounts++;
    if (e.type === "planned") {
      actions += e.actions.length;
      for (const a of e.actions) hash.update(`${a.id}|${a.channels.join(",")}\n`);
    } else hash.update(`skipped ${e.accountId} ${e.reason}\n`);
    last = e.cursor;
    if (accounts === limit) break;
  }
  const cpu = process.cpuUsage(cpu0);
  return { wall: (performance.now() - t0) / 1000, cpu: (cpu.user + cpu.system) / 1e6, accounts, paidUp, actions, last, digest: hash.digest("hex") };
}

async function open(kind: string, where: string): Promise<LedgerAdapter> {
  if (kind === "sqlite") return sqliteLedger(where, { readonly: true });
  return postgresLedger(process.env.PD_POSTGRES_URL!, { readonly: true, schema: where });
}

async function prepare(kind: string, where: string, mix: string, n: number): Promise<void> {
  selectMix(mix, n);
  const ledger = kind === "prepare-sqlite" ? await sqliteLedger(where) : await postgresLedger(process.env.PD_POSTGRES_URL!, { schema: where });
  for (const batch of batches(n, 5_000)) await ledger.writeAccounts(batch);
  await ledger.close();
}

async function main(): Promise<void> {
  const [kind, where, third, fourth] = process.argv.slice(2);
  if (kind === undefined || where === undefined || third === undefined) throw new Error("usage: see the comment at the top of bench/paid-up.ts");
  if (kind.startsWith("prepare-")) return prepare(kind, where, third, Number(fourth));
  const asOf = third;
  const chunk = Number(fourth ?? 10_000);
  const ledger = await open(kind, where);
  const sides = { A: withoutFastPath(ledger), B: ledger };
  const load = () => loadavg().map((l) => l.toFixed(2)).join(" ");
  const total = { A: { wall: 0, cpu: 0 }, B: { wall: 0, cpu: 0 } };
  const ratios: number[] = [];
  let after: string | undefined;
  let accounts = 0;
  let paidUp = 0;
  let actions = 0;
  console.log(`${kind} ${where}, planned ${asOf}, chunks of ${chunk}; load at start ${load()}`);
  // Chunk by chunk, both sides plan the same accounts, in alternating order (A B, B A, …).
  for (let k = 0; ; k++) {
    const runs: Partial<Record<"A" | "B", Run>> = {};
    for (const side of (k % 2 === 0 ? ["A", "B"] : ["B", "A"]) as ("A" | "B")[]) runs[side] = await planChunk(sides[side], asOf, after, chunk);
    const [a, b] = [runs.A!, runs.B!];
    if (a.digest !== b.digest || a.accounts !== b.accounts || a.last !== b.last) throw new Error(`chunk ${k + 1}: the two sides planned differently`);
    if (a.accounts === 0) break;
    for (const side of ["A", "B"] as const) (total[side].wall += runs[side]!.wall), (total[side].cpu += runs[side]!.cpu);
    ratios.push(a.cpu / b.cpu);
    accounts += a.accounts;
    paidUp += b.paidUp;
    actions += a.actions;
    after = a.last;
    if (a.accounts < chunk) break;
  }
  await ledger.close();
  const rate = (t: number) => Math.round(accounts / t).toLocaleString("en-US");
  const sorted = [...ratios].sort((x, y) => x - y);
  console.log(`${accounts} accounts, ${paidUp} handed over without rows by B, ${actions} actions, the same on both sides`);
  console.log(`A (every account from its rows): CPU ${total.A.cpu.toFixed(2)} s (${rate(total.A.cpu)}/s), wall ${total.A.wall.toFixed(2)} s`);
  console.log(`B (paid-up fast path):           CPU ${total.B.cpu.toFixed(2)} s (${rate(total.B.cpu)}/s), wall ${total.B.wall.toFixed(2)} s`);
  const median = sorted[Math.floor(sorted.length / 2)]!;
  console.log(`A/B CPU ${(total.A.cpu / total.B.cpu).toFixed(3)} (>1: B faster); per chunk median ${median.toFixed(3)}, range ${sorted[0]!.toFixed(3)}–${sorted.at(-1)!.toFixed(3)}; A/B wall ${(total.A.wall / total.B.wall).toFixed(3)}; load at end ${load()}`);
  // One line for `npm run bench` (bench/run.ts --measure paid-up) to read.
  console.log(`RESULT ${JSON.stringify({ accounts, paidUp, actions, cpuA: total.A.cpu, cpuB: total.B.cpu, median })}`);
}

await main();
