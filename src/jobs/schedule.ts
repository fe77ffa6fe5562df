/**
 * The nightly schedule: a cron in the policy's time zone (02:00 Asia/Shanghai by default) that
 * starts a run for the day it comes round on.
 *
 * Missed nights: pg-boss 10 sends a cron job only when one of its processes is running within a
 * minute after the cron comes round (timgit/pg-boss#557); a night when none was is simply not sent.
 * So every worker also catches up, when it starts and once a minute: for each schedule, the last
 * time its cron came round — one day, the latest — gets a run if it has none. Workers down for three
 * nights come back to one run, for the latest night, never three: planning is cumulative (a day's
 * plan includes what fell due on the days before and was not done, docs/concepts.md), so the
 * latest night's run is the one that matters. A run is one per ledger and day, so the cron job and
 * a catch-up on the same night are one run.
 */
import { DateTime } from "luxon";
import { policiesBySegment, type EstatePolicies, type PolicyChoice } from "../ledger/plan.js";
import { openJobs, type JobsConnectionOptions, type JobsContext } from "./context.js";
import { cronParserOfPgBoss } from "./pg-boss-engine.js";
import { startRunOn, type StartedRun } from "./run.js";
import { JOBS_SCHEMA, ledgerKeyOf, withLock } from "./store.js";
import { JobsError } from "./errors.js";

export const DEFAULT_CRON = "0 2 * * *";
export const DEFAULT_TIME_ZONE = "Asia/Shanghai";

export interface NightlySchedule {
  /** Names the schedule (letters, digits, `_`, `-`); scheduling a name again replaces it. */
  name: string;
  ledger: string;
  shards?: number;
  policy?: PolicyChoice;
  /** A policy per estate and segment, as for a run (`RunRequest.estates`). */
  estates?: EstatePolicies;
  /** Default `0 2 * * *`: 02:00. */
  cron?: string;
  /** Default: the policy's time zone, else Asia/Shanghai. */
  timeZone?: string;
}

interface ScheduleRow {
  name: string;
  queue: string;
  ledger: string;
  shards: number;
  policy: PolicyChoice | null;
  estates: EstatePolicies | null;
  cron: string;
  time_zone: string;
}

const queueOf = (name: string) => `pd-nightly-${name}`;

/** The time zone a policy choice plans in (all its policies share one in practice; the first named wins, the segments' before the estates'). */
function zoneOf(policy: PolicyChoice | undefined, estates: EstatePolicies | undefined): string | undefined {
  for (const choice of [policy, ...Object.values(estates ?? {})]) {
    const chosen = policiesBySegment(choice);
    const zone = chosen.residential?.timeZone ?? chosen.commercial?.timeZone;
    if (zone) return zone;
  }
  return undefined;
}

/**
 * Schedules a ledger's nightly run: at `cron` in `timeZone`, the workers start a run as of that
 * day (`shards` shard jobs). Idempotent: scheduling the same name again replaces the schedule.
 *
 * @example
 * await scheduleNightly({ queue: url }, { name: "green-garden", ledger: "postgres://…/green_garden", shards: 8 });
 */
export async function scheduleNightly(options: JobsConnectionOptions, schedule: NightlySchedule): Promise<void> {
  if (!/^[A-Za-z0-9_-]{1,100}$/.test(schedule.name)) throw new JobsError("invalid_option", `schedule name: letters, digits, _ and - only (got ${JSON.stringify(schedule.name)})`);
  const cron = schedule.cron ?? DEFAULT_CRON;
  const timeZone = schedule.timeZone ?? zoneOf(schedule.policy, schedule.estates) ?? DEFAULT_TIME_ZONE;
  if (!DateTime.local().setZone(timeZone).isValid) throw new JobsError("invalid_option", `timeZone: unknown zone ${JSON.stringify(timeZone)}`);
  cronParserOfPgBoss().parseExpression(cron, { tz: timeZone });
  const context = await openJobs({ ...options, engine: { ...options.engine, schedule: false, supervise: false } });
  try {
    const queue = queueOf(schedule.name);
    await context.pool.query(
      `INSERT INTO ${JOBS_SCHEMA}.schedule (name, queue, ledger, shards, policy, estates, cron, time_zone) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (name) DO UPDATE SET ledger = EXCLUDED.ledger, shards = EXCLUDED.shards, policy = EXCLUDED.policy, estates = EXCLUDED.estates, cron = EXCLUDED.cron, time_zone = EXCLUDED.time_zone`,
      [schedule.name, queue, schedule.ledger, schedule.shards ?? 1, schedule.policy === undefined ? null : JSON.stringify(schedule.policy), schedule.estates === undefined ? null : JSON.stringify(schedule.estates), cron, timeZone],
    );
    await withLock(context.pool, "property-dunning jobs queues", () => context.engine.schedule(queue, cron, timeZone, { name: schedule.name }));
  } finally {
    await context.close();
  }
}

/** Removes a schedule (runs already started go on). */
export async function unscheduleNightly(options: JobsConnectionOptions, name: string): Promise<void> {
  const context = await openJobs({ ...options, engine: { ...options.engine, schedule: false, supervise: false } });
  try {
    const row = (await context.pool.query<{ queue: string }>(`DELETE FROM ${JOBS_SCHEMA}.schedule WHERE name = $1 RETURNING queue`, [name])).rows[0];
    if (row) await context.engine.unschedule(row.queue);
  } finally {
    await context.close();
  }
}

/**
 * The day of the last time `cron` came round in `timeZone`, at or before `now` (a civil date in
 * that zone): the night a run is owed for.
 *
 * @example lastNightOf("0 2 * * *", "Asia/Shanghai", new Date("2026-12-06T17:59:00Z")) // "2026-12-06" (01:59 on the 7th in Shanghai)
 */
export function lastNightOf(cron: string, timeZone: string, now: Date): string {
  // prev() is strictly before currentDate: a millisecond later counts the very minute it comes round.
  const previous = cronParserOfPgBoss().parseExpression(cron, { tz: timeZone, currentDate: new Date(now.getTime() + 1) }).prev();
  return DateTime.fromMillis(previous.getTime(), { zone: timeZone }).toISODate()!;
}

/** Starts the run owed by a schedule at `now`, unless it exists (see the header). */
export async function catchUpOn(context: JobsContext, name: string, now: Date, trigger: "schedule" | "catch-up"): Promise<StartedRun | undefined> {
  const row = (await context.pool.query<ScheduleRow>(`SELECT * FROM ${JOBS_SCHEMA}.schedule WHERE name = $1`, [name])).rows[0];
  if (!row) return undefined;
  const asOf = lastNightOf(row.cron, row.time_zone, now);
  // The night's run exists (a schedule changed since keeps it; the change counts from the next night).
  const existing = (await context.pool.query<{ id: string; shards: number }>(`SELECT id, shards FROM ${JOBS_SCHEMA}.run WHERE ledger_key = $1 AND as_of = $2`, [ledgerKeyOf(row.ledger), asOf])).rows[0];
  if (existing) return { runId: existing.id, created: false, shards: existing.shards };
  return await startRunOn(context, { ledger: row.ledger, asOf, shards: row.shards, trigger, ...(row.policy ? { policy: row.policy } : {}), ...(row.estates ? { estates: row.estates } : {}) });
}

/** Catches up every schedule once (what a worker does at start and each minute); returns the runs it started. */
export async function catchUp(options: JobsConnectionOptions, now = new Date()): Promise<StartedRun[]> {
  const context = await openJobs({ ...options, engine: { ...options.engine, schedule: false, supervise: false } });
  try {
    return await catchUpAll(context, now, () => undefined);
  } finally {
    await context.close();
  }
}

async function catchUpAll(context: JobsContext, now: Date, log: (line: string) => void): Promise<StartedRun[]> {
  const names = (await context.pool.query<{ name: string }>(`SELECT name FROM ${JOBS_SCHEMA}.schedule ORDER BY name`)).rows.map((r) => r.name);
  const started: StartedRun[] = [];
  for (const name of names) {
    const run = await catchUpOn(context, name, now, "catch-up");
    if (run?.created) {
      log(`schedule ${name}: caught up a missed night, run ${run.runId}`);
      started.push(run);
    }
  }
  return started;
}

/**
 * A worker's part in the schedules: work each schedule's cron queue (its job starts that night's
 * run), and catch up now and every `everyMs`. Returns how to stop.
 */
export async function watchSchedules(context: JobsContext, log: (line: string) => void, everyMs = 60_000): Promise<() => Promise<void>> {
  const worked = new Set<string>();
  const tick = async () => {
    const rows = (await context.pool.query<{ name: string; queue: string }>(`SELECT name, queue FROM ${JOBS_SCHEMA}.schedule`)).rows;
    for (const { name, queue } of rows) {
      if (worked.has(queue)) continue;
      worked.add(queue);
      await context.engine.work(queue, 1, async () => {
        const run = await catchUpOn(context, name, new Date(), "schedule");
        if (run?.created) log(`schedule ${name}: started run ${run.runId}`);
      });
    }
    await catchUpAll(context, new Date(), log);
  };
  let running: Promise<void> = tick().catch((error: unknown) => log(`schedules: ${error instanceof Error ? error.message : String(error)}`));
  const timer = setInterval(() => {
    running = running.then(tick).catch((error: unknown) => log(`schedules: ${error instanceof Error ? error.message : String(error)}`));
  }, everyMs);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
  };
}
