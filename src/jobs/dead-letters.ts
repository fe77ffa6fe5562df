/** The dead-letter queue, read: the shards whose retries are spent, with the run's reason for each. */
import { DEAD_LETTER_QUEUE, type JobsContext } from "./context.js";
import { JOBS_SCHEMA } from "./store.js";

export interface DeadShard {
  runId: string;
  shard: number;
  /** What the last attempt failed with. */
  reason: string;
}

/** The shards waiting in the dead-letter queue (for an operator to look at, fix and start again). */
export async function deadLetters(context: JobsContext): Promise<DeadShard[]> {
  const jobs = await context.engine.waiting<{ runId: string; shard: number }>(DEAD_LETTER_QUEUE);
  const out: DeadShard[] = [];
  for (const job of jobs) {
    const row = (await context.pool.query<{ error: string | null }>(`SELECT error FROM ${JOBS_SCHEMA}.shard WHERE run_id = $1 AND shard = $2`, [job.data.runId, job.data.shard])).rows[0];
    out.push({ runId: job.data.runId, shard: job.data.shard, reason: row?.error ?? "failed by timeout: its worker died on the last attempt" });
  }
  return out;
}
