/** What the jobs subpath throws on purpose: a {@link PropertyDunningError} with a code of its own. */
import { PropertyDunningError } from "../rules/errors.js";

/** What can go wrong with a run, a worker or a schedule, by `code`. */
export const JOBS_ERROR_CODES = {
  invalid_option: "an option out of its range (a queue URL, a number of shards, a concurrency, a schedule's name or zone)",
  run_mismatch: "a run of the ledger and day exists with other shards or another policy than asked: it stands, nothing is queued",
  unknown_run: "a run id that the queue database does not hold",
  unknown_shard: "a shard job whose run or shard the queue database does not hold",
  run_timeout: "waitForRun gave up after its timeoutMs with shards still to do: the run goes on; `progress` holds where it stood",
  lease_lost: "a worker's lease on a shard lapsed (the worker froze past expireInSeconds) and the job was handed to another attempt: the first stops work on the shard and leaves it to the other",
  shard_stalled: "another worker holds the shard, or actions it shares with another run of the ledger, and has made no progress for a whole lease (expireInSeconds): it is stuck",
  missing_peer: "the optional peer dependency pg-boss is not installed",
} as const;
export type JobsErrorCode = keyof typeof JOBS_ERROR_CODES;

export class JobsError extends PropertyDunningError {
  declare readonly code: JobsErrorCode;
  constructor(code: JobsErrorCode, message: string) {
    super(code, message);
    this.name = "JobsError";
  }
}

/** Whether `error` is a {@link JobsError} (any of {@link JOBS_ERROR_CODES}). */
export function isJobsError(error: unknown): error is JobsError {
  return error instanceof JobsError;
}
