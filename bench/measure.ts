/**
 * The benchmark's measurements, one per child process of bench/run.ts (`--only <kind>`): each
 * prints one JSON line { accounts, actions, seconds, maxRssKB, note }.
 */
import { existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Account, AccountSnapshot } from "../src/ledger/account.js";
import { baseSize, batches, MIXES, mixAsOf, portfolio, prepareEstate, selectMix } from "./portfolio.js";

const BATCH = 10_000;
const SAMPLE_B = 2_000;
const DIR = join(tmpdir(), "pd-bench");

export interface Result {
  accounts: number;
  actions: number;
  seconds: number;
  maxRssKB: number;
  note?: string;
  /** (a)/(c) measured paired, in one process (kind `a-c`). */
  ratio?: number;
  /** Kind `check-split`: seconds checking alone, planning alone and reading every field alone (the floor), on the same accounts as `seconds` (both). */
  split?: { checking: number; planning: number; reading: number };
  /**
   * Kind `ac-check`: seconds of (c) alone and of reading every field of the snapshot alone, on the
   * same accounts in the same batches: together, what a planner as cheap as the hand-written one
   * would cost on snapshots it read once and did not check (the floor the target is read against);
   * and of (a)'s planning alone (`dueActionsOn` on checked copies): with reading, what (a) would
   * cost if checking cost no more than its floor.
   */
  floor?: { hand: number; reading: number; planning: number };
}

const now = () => process.hrtime.bigint();
const secondsSince = (t0: bigint) => Number(now() - t0) / 1e9;

/** The built-in policy of an account's segment, as `plan()` picks it (the estate mixes hold shops). */
async function builtinPlanner() {
  const { schedulerPicker } = await import("../src/ledger/plan.js");
  const pick = schedulerPicker();
  return {
    dueActionsOn: (a: Account, asOf: number) => pick(a.snapshot.segment).dueActionsOn(a, asOf),
    dueActions: (s: AccountSnapshot, asOf: string) => pick(s.segment).dueActions(s, asOf),
  };
}

async function normalized(batch: ReturnType<typeof batches> extends Generator<infer T> ? T : never) {
  const { normalizeAccount } = await import("../src/ledger/check-account.js");
  return batch.map((s) => {
    const r = normalizeAccount(s);
    if (!r.ok) throw new Error(`synthetic account ${r.accountId} invalid`);
    return r.account;
  });
}

/** One side of a timed comparison: how a batch of snapshots becomes its input (untimed), and planning one input. */
interface Side<T> {
  prepare: (batch: AccountSnapshot[]) => Promise<T[]>;
  planOne: (input: T) => number;
}

/**
 * Times each of `sides` over `n` accounts, in batches of 10,000 turned by the side's `prepare`
 * into its input untimed, after warming each up on 2,000 accounts past the measured ones. With
 * several sides, each plans its own copy of every batch (generated and prepared apart), and the
 * side that goes first alternates by batch. Returns each side's planning time and actions.
 */
async function timeInBatches(n: number, ...sides: Array<Side<any>>): Promise<{ seconds: number[]; actions: number[] }> {
  for (const warm of batches(Math.min(n, 2_000), 2_000, n)) for (const side of sides) for (const x of await side.prepare(warm)) side.planOne(x);
  const seconds = sides.map(() => 0);
  const actions = sides.map(() => 0);
  const streams = sides.map(() => batches(n, BATCH));
  for (let k = 0; ; k++) {
    const inputs: unknown[][] = [];
    for (let j = 0; j < sides.length; j++) {
      const next = streams[j]!.next();
      if (next.done) return { seconds, actions };
      inputs.push(await sides[j]!.prepare(next.value));
    }
    for (let j = 0; j < sides.length; j++) {
      const side = (j + k) % sides.length;
      const planOne = sides[side]!.planOne;
      const t0 = now();
      for (const x of inputs[side]!) actions[side]! += planOne(x);
      seconds[side]! += secondsSince(t0);
    }
  }
}

/** `timeInBatches` of one side. */
async function timeOne<T>(n: number, prepare: (batch: AccountSnapshot[]) => Promise<T[]>, planOne: (input: T) => number): Promise<{ seconds: number; actions: number }> {
  const { seconds, actions } = await timeInBatches(n, { prepare, planOne });
  return { seconds: seconds[0]!, actions: actions[0]! };
}

/**
 * On how many of the first 5,000 accounts (a) and (c) plan the same action ids and channels,
 * counted after the timing: on the estate mixes (c), which knows neither holds nor shops, plans
 * otherwise for some.
 */
async function agreementWithC(n: number, scheduler: Awaited<ReturnType<typeof builtinPlanner>>, asOf: number): Promise<string> {
  const { handWrittenDue } = await import("./hand-written.js");
  let same = 0;
  let checked = 0;
  for (const batch of batches(Math.min(n, 5_000), 5_000))
    for (const a of await normalized(batch)) {
      checked++;
      if (planKey(scheduler.dueActionsOn(a, asOf)) === planKey(handWrittenDue(a, asOf))) same++;
    }
  return `${same}/${checked}`;
}

/** What is compared between two plans of one account: action ids and channels. */
function planKey(actions: readonly { id: string; channels: readonly string[] }[]): string {
  return actions.map((p) => `${p.id} ${p.channels.join("+")}`).join();
}

async function measureA(n: number): Promise<Result> {
  const { civilDate } = await import("../src/schedule/time/civil-date.js");
  const scheduler = await builtinPlanner();
  const asOf = civilDate(mixAsOf());
  const { seconds, actions } = await timeOne(n, normalized, (a) => scheduler.dueActionsOn(a, asOf).length);
  const maxRssKB = process.resourceUsage().maxRSS;
  return { accounts: n, actions, seconds, maxRssKB, note: `batches of ${BATCH.toLocaleString("en-US")} normalised untimed; same action ids and channels as (c) on ${await agreementWithC(n, scheduler, asOf)}` };
}

/** Does a naive wiring plan what the library plans? Same action ids and channels, account by account. */
async function sameAsA(pairs: Array<[import("../src/ledger/account.js").Account, () => Promise<Array<{ id: string; channels: string[] }>>]>): Promise<number> {
  const { civilDate } = await import("../src/schedule/time/civil-date.js");
  const scheduler = await builtinPlanner();
  const asOf = civilDate(mixAsOf());
  let same = 0;
  for (const [account, naive] of pairs) {
    if (planKey(scheduler.dueActionsOn(account, asOf)) === planKey(await naive())) same++;
  }
  return same;
}

function sampled(n: number, sample: number, actions: number, seconds: number, same: number): Result {
  const extrapolated = sample < n ? `timed on the first ${sample.toLocaleString("en-US")} accounts, extrapolated (time, actions); ` : "";
  return {
    accounts: n,
    actions: Math.round((actions * n) / sample),
    seconds: (seconds * n) / sample,
    maxRssKB: process.resourceUsage().maxRSS,
    note: `${extrapolated}same action ids and channels as (a) on ${same}/${sample}`,
  };
}

/** (b): the vendor wiring, from raw snapshots (generated untimed); parsing them is part of its work. */
async function measureB(n: number): Promise<Result> {
  const { vendorEngine, vendorDue, vendorToday } = await import("./naive-vendor.js");
  const engine = vendorEngine();
  const today = vendorToday(mixAsOf());
  const sample = Math.min(n, SAMPLE_B);
  for (const warm of batches(Math.min(200, sample), 200, n)) for (const s of warm) await vendorDue(engine, s, today);
  const snapshots = [...portfolio(sample)];
  let actions = 0;
  const t0 = now();
  for (const s of snapshots) actions += (await vendorDue(engine, s, today)).length;
  const seconds = secondsSince(t0);
  // Checked after the timing, on the timed sample.
  const accounts = await normalized(snapshots);
  const same = await sameAsA(accounts.map((a, i) => [a, () => vendorDue(engine, snapshots[i]!, today)]));
  return sampled(n, sample, actions, seconds, same);
}

/** (b′): the same rules over accounts this library normalised (untimed), with its civil-date arithmetic. */
async function measureBNorm(n: number): Promise<Result> {
  const { civilDate } = await import("../src/schedule/time/civil-date.js");
  const { naiveEngine, naiveDue } = await import("./naive-jre.js");
  const asOf = civilDate(mixAsOf());
  const engine = naiveEngine();
  const sample = Math.min(n, SAMPLE_B);
  for (const warm of batches(Math.min(200, sample), 200, n)) for (const a of await normalized(warm)) await naiveDue(engine, a, asOf);
  const accounts = await normalized([...portfolio(sample)]);
  let actions = 0;
  const t0 = now();
  for (const a of accounts) actions += (await naiveDue(engine, a, asOf)).length;
  const seconds = secondsSince(t0);
  const same = await sameAsA(accounts.map((a) => [a, () => naiveDue(engine, a, asOf)]));
  return sampled(n, sample, actions, seconds, same);
}

async function measureC(n: number): Promise<Result> {
  const { civilDate } = await import("../src/schedule/time/civil-date.js");
  const { handWrittenDue } = await import("./hand-written.js");
  const asOf = civilDate(mixAsOf());
  const { seconds, actions } = await timeOne(n, normalized, (a) => handWrittenDue(a, asOf).length);
  return { accounts: n, actions, seconds, maxRssKB: process.resourceUsage().maxRSS, note: "same normalised input as (a)" };
}

/**
 * (a) and (c) paired: in one process, on the same accounts, batch by batch, each side on its own
 * copy (generated and checked apart, untimed), the side that goes first alternating by batch.
 * Two measurements taken in separate processes minutes apart differ as much as the machine does
 * (±25% here); these share its state, so their ratio is the one to read.
 */
async function measureAC(n: number): Promise<Result> {
  const { civilDate } = await import("../src/schedule/time/civil-date.js");
  const { handWrittenDue } = await import("./hand-written.js");
  const scheduler = await builtinPlanner();
  const asOf = civilDate(mixAsOf());
  const { seconds, actions } = await timeInBatches(
    n,
    { prepare: normalized, planOne: (a: Account) => scheduler.dueActionsOn(a, asOf).length },
    { prepare: normalized, planOne: (a: Account) => handWrittenDue(a, asOf).length },
  );
  const maxRssKB = process.resourceUsage().maxRSS;
  const ratio = seconds[1]! / seconds[0]!;
  return {
    accounts: n,
    actions: actions[0]!,
    seconds: seconds[0]!,
    maxRssKB,
    ratio,
    note: `time is (a)'s; (c) ${seconds[1]!.toFixed(3)} s on the same batches (${Math.round(n / seconds[1]!).toLocaleString("en-US")}/s, ${actions[1]} actions), alternately; (a)/(c) ${ratio.toFixed(2)}; same actions as (c) on ${await agreementWithC(n, scheduler, asOf)}`,
  };
}

/**
 * (a) with checking and (c), paired as in {@link measureAC}: (a) is `dueActions` on the snapshot
 * as a ledger hands it over (checking it with `normalizeAccount`, then planning it, with the
 * segment's built-in policy as `plan()` picks it), timed whole; (c) plans its own copy, checked
 * untimed (it has no checking of its own). (c) knows neither holds nor the commercial policy, so
 * on the estate mixes it plans less than (a) for some accounts: the ratio flatters (c), not (a).
 * Whether they agree is counted after the timing on the first 5,000 accounts.
 */
async function measureACChecked(n: number): Promise<Result> {
  const { civilDate } = await import("../src/schedule/time/civil-date.js");
  const { handWrittenDue } = await import("./hand-written.js");
  const scheduler = await builtinPlanner();
  const asOfText = mixAsOf();
  const asOf = civilDate(asOfText);
  const { seconds, actions } = await timeInBatches(
    n,
    { prepare: async (batch: AccountSnapshot[]) => batch, planOne: (s: AccountSnapshot) => scheduler.dueActions(s, asOfText).length },
    { prepare: normalized, planOne: (a: Account) => handWrittenDue(a, asOf).length },
    { prepare: async (batch: AccountSnapshot[]) => batch, planOne: (s: AccountSnapshot) => (readEveryField(s) > 0 ? 0 : 1) },
    { prepare: normalized, planOne: (a: Account) => scheduler.dueActionsOn(a, asOf).length },
  );
  if (actions[2] !== 0) throw new Error("an account without an id");
  if (actions[3] !== actions[0]) throw new Error(`dueActions planned ${actions[0]} actions, dueActionsOn ${actions[3]}`);
  const maxRssKB = process.resourceUsage().maxRSS;
  const ratio = seconds[1]! / seconds[0]!;
  return {
    accounts: n,
    actions: actions[0]!,
    seconds: seconds[0]!,
    maxRssKB,
    ratio,
    floor: { hand: seconds[1]!, reading: seconds[2]!, planning: seconds[3]! },
    note: `time is (a)'s, checking included; (c) ${seconds[1]!.toFixed(3)} s (${Math.round(n / seconds[1]!).toLocaleString("en-US")}/s, ${actions[1]} actions); reading every field alone ${seconds[2]!.toFixed(3)} s; planning alone (dueActionsOn on checked copies) ${seconds[3]!.toFixed(3)} s; (a)/(c) ${ratio.toFixed(2)}; same actions as (c) on ${await agreementWithC(n, scheduler, asOf)}`,
  };
}

/**
 * The floor under any checking: every field of the snapshot read once, its type looked at (and a
 * string's length, a list's items), nothing checked, parsed or built. What a check that reads the
 * whole account cannot go below, on the same accounts, in the same run.
 */
function readEveryField(s: AccountSnapshot): number {
  const str = (x: unknown) => (typeof x === "string" ? x.length : 0);
  const num = (x: unknown) => (typeof x === "number" ? 1 : 0);
  let n = str(s.id) + str(s.segment) + str(s.unit) + (s.owner ? str(s.owner.name) + (s.owner.tags?.length ?? 0) : 0);
  for (const c of s.charges) n += str(c.id) + str(c.period) + str(c.dueOn) + num(c.amountMinor);
  for (const p of s.payments ?? []) n += str(p.id) + str(p.on) + num(p.amountMinor);
  for (const a of s.actions ?? []) {
    n += str(a.id) + str(a.stage) + str(a.on) + (a.conversation === true ? 1 : 0);
    for (const k of a.covers ?? []) n += str(k);
    for (const c of a.channels ?? []) n += str(c);
  }
  for (const h of s.holds ?? []) n += str(h.id) + str(h.type);
  for (const c of s.optOuts ?? []) n += str(c);
  return n;
}

/**
 * Checking and planning, split (issue 15 item 3): in one process, on the same accounts, batch by
 * batch, each side on its own copy, the side that goes first alternating by batch (as
 * {@link measureAC}): `dueActions` on the snapshot as a ledger hands it over (checking, then
 * planning; the segment's built-in policy as `plan()` picks it), `dueActionsOn` on the account
 * checked untimed (planning only), and `normalizeAccount` alone (checking only). The target reads
 * the first over the second: `dueActions` on a snapshot costs no more than ~2× planning it. A
 * fourth side reads every field once and does nothing else ({@link readEveryField}): the floor.
 */
async function measureCheckSplit(n: number): Promise<Result> {
  const { civilDate } = await import("../src/schedule/time/civil-date.js");
  const { normalizeAccount } = await import("../src/ledger/check-account.js");
  const { schedulerPicker } = await import("../src/ledger/plan.js");
  const pick = schedulerPicker();
  const asOfText = mixAsOf();
  const asOf = civilDate(asOfText);
  const snapshots = async (batch: AccountSnapshot[]) => batch;
  const { seconds, actions } = await timeInBatches(
    n,
    { prepare: snapshots, planOne: (s: AccountSnapshot) => pick(s.segment).dueActions(s, asOfText).length },
    { prepare: normalized, planOne: (a: Account) => pick(a.snapshot.segment).dueActionsOn(a, asOf).length },
    { prepare: snapshots, planOne: (s: AccountSnapshot) => (normalizeAccount(s).ok ? 0 : 1) },
    { prepare: snapshots, planOne: (s: AccountSnapshot) => (readEveryField(s) > 0 ? 0 : 1) },
  );
  if (actions[0] !== actions[1]) throw new Error(`dueActions planned ${actions[0]} actions, dueActionsOn ${actions[1]}`);
  if (actions[2] !== 0) throw new Error(`${actions[2]} synthetic accounts failed their check`);
  if (actions[3] !== 0) throw new Error("an account without an id");
  const [whole, planning, checking, reading] = seconds as [number, number, number, number];
  const us = (s: number) => ((s / n) * 1e6).toFixed(2);
  return {
    accounts: n,
    actions: actions[0]!,
    seconds: whole,
    maxRssKB: process.resourceUsage().maxRSS,
    split: { checking, planning, reading },
    note: `time is dueActions on snapshots (${us(whole)} µs/account); planning alone (dueActionsOn) ${us(planning)} µs, checking alone (normalizeAccount) ${us(checking)} µs, reading every field alone (the floor) ${us(reading)} µs; dueActions / dueActionsOn ${(whole / planning).toFixed(2)}`,
  };
}

/** The mix's SQLite ledger of `n` accounts (the idealised mix keeps its old name, so old files are reused). */
export function sqlitePath(n: number, mix: string): string {
  return join(DIR, mix === "idealised" ? `portfolio-${n}.db` : `portfolio-${mix}-${n}.db`);
}

async function prepareSqlite(n: number): Promise<void> {
  const path = sqlitePath(n, mixName);
  if (existsSync(`${path}.ok`)) {
    // A ledger written while the adapter kept checked copies loses them now (once; a no-op
    // after), so that every measurement reads a file no larger than its rows need.
    const { sqliteLedger } = await import("../src/adapters/sqlite.js");
    await (await sqliteLedger(path)).close();
    return;
  }
  mkdirSync(DIR, { recursive: true });
  for (const suffix of ["", "-wal", "-shm"]) rmSync(`${path}${suffix}`, { force: true });
  const { sqliteLedger } = await import("../src/adapters/sqlite.js");
  const ledger = await sqliteLedger(path);
  for (const batch of batches(n, BATCH)) await ledger.writeAccounts(batch);
  await ledger.close();
  writeFileSync(`${path}.ok`, `${n}\n`);
}

async function planAll(ledger: import("../src/ledger/adapter.js").LedgerAdapter): Promise<Omit<Result, "maxRssKB" | "note">> {
  const { plan } = await import("../src/ledger/plan.js");
  let accounts = 0;
  let actions = 0;
  let skipped = 0;
  const t0 = now();
  for await (const e of plan(ledger, { asOf: mixAsOf() })) {
    accounts++;
    if (e.type === "planned") actions += e.actions.length;
    else skipped++;
  }
  const seconds = secondsSince(t0);
  if (skipped > 0) throw new Error(`${skipped} accounts skipped`);
  return { accounts, actions, seconds };
}

/** (d) from SQLite: every account gathered from its rows and checked. */
async function measureSqlite(n: number): Promise<Result> {
  const { sqliteLedger } = await import("../src/adapters/sqlite.js");
  const ledger = await sqliteLedger(sqlitePath(n, mixName), { readonly: true });
  const r = await planAll(ledger);
  await ledger.close();
  return { ...r, maxRssKB: process.resourceUsage().maxRSS, note: "streaming, one process: every account gathered from its rows and checked" };
}

/** (a) as a caller holding snapshots would run it: `dueActions`, which checks each account first. */
async function measureASnapshots(n: number): Promise<Result> {
  const scheduler = await builtinPlanner();
  const { seconds, actions } = await timeOne(n, async (batch) => batch, (s) => scheduler.dueActions(s, mixAsOf()).length);
  return { accounts: n, actions, seconds, maxRssKB: process.resourceUsage().maxRSS, note: `batches of ${BATCH.toLocaleString("en-US")} snapshots generated untimed; checking them (normalizeAccount) timed` };
}

const pgSchema = (n: number) => (mixName === "idealised" ? `pd_bench_${n}` : `pd_bench_${mixName.replace("-", "_")}_${n}`);

async function prepareP(n: number): Promise<void> {
  const url = process.env.PD_POSTGRES_URL!;
  const pg = (await import("pg")).default;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const schema = pgSchema(n);
  const have = await client.query(`SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = $1 AND table_name = 'bench_ok'`, [schema]);
  if (have.rows[0].n === 1) return void (await client.end());
  await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await client.end();
  const { postgresLedger } = await import("../src/adapters/postgres.js");
  const ledger = await postgresLedger(url, { schema });
  for (const batch of batches(n, 5_000)) await ledger.writeAccounts(batch);
  await ledger.close();
  const c2 = new pg.Client({ connectionString: url });
  await c2.connect();
  await c2.query(`CREATE TABLE ${schema}.bench_ok (n int)`);
  await c2.query(`VACUUM ANALYZE`);
  await c2.end();
}

async function measurePg(n: number): Promise<Result> {
  const { postgresLedger } = await import("../src/adapters/postgres.js");
  const ledger = await postgresLedger(process.env.PD_POSTGRES_URL!, { readonly: true, schema: pgSchema(n) });
  const r = await planAll(ledger);
  await ledger.close();
  return { ...r, maxRssKB: process.resourceUsage().maxRSS, note: "streaming, local server on the same 2 cores" };
}

let mixName = "realistic";

export async function child(only: string, n: number, mix: string): Promise<void> {
  mixName = mix;
  if (only === "prepare-mix") {
    if (mix !== "idealised") prepareEstate(MIXES[mix as keyof typeof MIXES].asOf, baseSize(n));
    return void process.stdout.write("{}\n");
  }
  selectMix(mix, n);
  const run: Record<string, () => Promise<Result | void>> = {
    a: () => measureA(n),
    b: () => measureB(n),
    "b-norm": () => measureBNorm(n),
    c: () => measureC(n),
    "a-c": () => measureAC(n),
    "ac-check": () => measureACChecked(n),
    "check-split": () => measureCheckSplit(n),
    "a-snap": () => measureASnapshots(n),
    sqlite: () => measureSqlite(n),
    pg: () => measurePg(n),
    "prepare-sqlite": () => prepareSqlite(n),
    "prepare-pg": () => prepareP(n),
  };
  const f = run[only];
  if (!f) throw new Error(`unknown --only ${only}`);
  const result = await f();
  process.stdout.write(`${JSON.stringify(result ?? {})}\n`);
}

