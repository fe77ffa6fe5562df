/**
 * The nightly schedule, end to end against the real PostgreSQL and pg-boss 10: a cron written in
 * the schedule's time zone (Asia/Shanghai) actually comes round during the test, pg-boss sends
 * its job, a worker process starts that night's run — once, though two workers keep the
 * schedules — and workers that start after missed nights catch up one run, for the latest night.
 */
import { DateTime } from "luxon";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { scheduleNightly } from "../src/jobs/index.js";
import { harness, PG_URL, type Harness } from "./jobs-harness.js";

const ZONE = "Asia/Shanghai";

async function runsOf(queue: string): Promise<{ as_of: string; trigger: string; created: Date }[]> {
  const c = new pg.Client({ connectionString: queue });
  await c.connect();
  try {
    return (await c.query("SELECT as_of, trigger, created_on AS created FROM pd_jobs.run ORDER BY created_on, as_of")).rows;
  } finally {
    await c.end();
  }
}

describe.skipIf(PG_URL === undefined)(PG_URL === undefined ? "cron schedules — SKIPPED: PD_POSTGRES_URL is not set" : "the nightly cron, as it fires", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await harness();
  }, 60_000);
  afterAll(async () => h?.close(), 60_000);

  it("a daily cron in Shanghai time fires during the test: one run for that night, started by the schedule; before it, the missed nights gave one catch-up run, for the latest night only", async () => {
    const s = await h.scenario("cron");
    // A daily time 30 s from now, written in Shanghai's wall-clock time (a second-granular cron).
    const fire = DateTime.now().setZone(ZONE).plus({ seconds: 30 }).startOf("second");
    const cron = `${fire.second} ${fire.minute} ${fire.hour} * * *`;
    // Every earlier day at that time is a night no worker ran: the latest of them is the day before the firing.
    const latestMissed = fire.minus({ days: 1 }).toISODate()!;
    await scheduleNightly({ queue: s.queue }, { name: "estate", ledger: s.ledger, shards: 2, cron, timeZone: ZONE });
    const procs = await h.startWorkers(2, s.queue, s.sentFile);
    try {
      // Both workers catch up as they start: one run, for the latest missed night, not one per missed day.
      for (let waited = 0; (await runsOf(s.queue)).length === 0; waited += 200) {
        if (waited > 15_000) throw new Error(`no catch-up run:\n${h.logs()}`);
        await new Promise((r) => setTimeout(r, 200));
      }
      const beforeFiring = await runsOf(s.queue);
      expect(DateTime.now() < fire, "the catch-up must come before the firing for this case to tell them apart").toBe(true);
      expect(beforeFiring.map((r) => [r.as_of, r.trigger])).toEqual([[latestMissed, "catch-up"]]);
      // The cron comes round: the run for the firing night, by the schedule.
      for (let waited = 0; (await runsOf(s.queue)).length < 2; waited += 250) {
        if (waited > 60_000) throw new Error(`the cron did not fire:\n${h.logs()}`);
        await new Promise((r) => setTimeout(r, 250));
      }
      // pg-boss sends a cron job if the cron came round within the last minute; let a few of its checks pass.
      await new Promise((r) => setTimeout(r, 4000));
      const runs = await runsOf(s.queue);
      expect(runs.map((r) => [r.as_of, r.trigger]), h.logs()).toEqual([
        [latestMissed, "catch-up"],
        [fire.toISODate()!, "schedule"],
      ]);
      // Started when the cron came round in Shanghai, not hours off (as a cron read in UTC would be).
      expect(runs[1]!.created.getTime()).toBeGreaterThanOrEqual(fire.toMillis() - 1000);
      expect(runs[1]!.created.getTime() - fire.toMillis()).toBeLessThan(30_000);
    } finally {
      await h.stopWorkers(procs);
    }
  }, 150_000);
});
