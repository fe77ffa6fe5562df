/**
 * `property-dunning/jobs`: the nightly run as jobs on the estate's PostgreSQL (pg-boss 10, an
 * optional peer dependency loaded only here). A run fans a ledger out into shard jobs; workers on
 * any number of machines plan the shards, hand each action to your sender once, and record it;
 * a schedule starts the run every night and catches up one missed night. See docs/scale-out.md.
 */
export { startRun, startRunOn, runProgress, runProgressOn, waitForRun, waitForRunOn, skippedAccountsOn, runIdOf, MAX_SHARDS } from "./run.js";
export type { RunRequest, StartedRun, RunProgress, ShardFailure, RunTrigger, WaitOptions } from "./run.js";
export { startWorker } from "./worker.js";
export type { WorkerOptions, RunningWorker, Sender, SendAction, SendContext, SendItem } from "./worker.js";
export { scheduleNightly, unscheduleNightly, catchUp, lastNightOf, DEFAULT_CRON, DEFAULT_TIME_ZONE } from "./schedule.js";
export type { NightlySchedule } from "./schedule.js";
export { openJobs, SHARD_QUEUE, DEAD_LETTER_QUEUE, DEFAULT_SHARD_SETTINGS } from "./context.js";
export type { JobsConnectionOptions, JobsContext } from "./context.js";
export { pgBossEngine } from "./pg-boss-engine.js";
export type { PgBossEngineOptions } from "./pg-boss-engine.js";
export type { JobEngine, QueueSettings, NewJob, EngineJob, QueuedJob, JobState, ReleaseOutcome, SqlConnection } from "./engine.js";
export { outboxSender } from "./outbox.js";
export type { OutboxSender } from "./outbox.js";
export { deadLetters } from "./dead-letters.js";
export { JobsError, isJobsError, JOBS_ERROR_CODES } from "./errors.js";
export type { JobsErrorCode } from "./errors.js";
export type { DeadShard } from "./dead-letters.js";
