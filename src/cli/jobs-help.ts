/**
 * What `worker` and `run` accept and how --help explains them (registered in help.ts; the commands are in jobs.ts).
 * Plain constants: help.ts checks them as `CommandSpec`s where it registers them (COMMANDS), since
 * importing that type from help.ts, which imports this file, would be an import cycle.
 */

const HELP = { name: "help", short: "h", description: "print this help and exit" } as const;
const QUEUE = { name: "queue", value: "postgres://…", required: true, description: "the queue database (pg-boss's tables in schema pgboss, the runs' in pd_jobs): the estate's PostgreSQL" } as const;

export const WORKER_SPEC = {
  name: "worker",
  summary: "take shard jobs from the queue: plan each shard, hand its actions over once, record them",
  usage: "property-dunning worker --queue postgres://… [--concurrency N] [--sender module.js]",
  options: [
    QUEUE,
    { name: "concurrency", value: "N", description: "shards this process plans at once (default 1: one core plans one shard; run one worker per core)" },
    {
      name: "sender",
      value: "<module.js>",
      description: "a module whose send(action, { key }) carries an action out (its default export, or named send, delivered and sendMany: a batch, all or none); without it, each action becomes a row of pd_jobs.outbox in the queue database, a checkpoint's actions in one statement",
    },
    HELP,
  ],
  examples: [
    { command: "property-dunning worker --queue postgres://postgres@127.0.0.1:54329/property_dunning_jobs_demo", note: "one worker; actions go to pd_jobs.outbox" },
    { command: "property-dunning worker --queue postgres://postgres@127.0.0.1:54329/property_dunning_jobs_demo --concurrency 2", note: "two shards at once (on a machine with two cores to give)" },
  ],
  exitCodes: [
    [0, "stopped by SIGTERM or SIGINT after the shards in hand were finished (or handed back); also when the signal came while it was still starting (nothing taken)"],
    [2, "usage error: a missing or malformed option, a --sender module that cannot be loaded or has no send"],
  ],
  notes: [
    "Runs until stopped. It also keeps the nightly schedules: their cron jobs start the night's run, and a night missed while no worker ran is caught up once (the latest night only).",
    "Needs the optional peer dependencies pg and pg-boss 10 (npm install pg pg-boss@^10.4).",
  ],
} as const;

export const RUN_SPEC = {
  name: "run",
  summary: "queue a ledger's plan for a day as shard jobs, wait for the workers, print the outcome",
  usage: "property-dunning run --queue postgres://… --ledger <ledger> [--as-of YYYY-MM-DD] [--shards N] [--policy …] [--detach] [--format table|json]",
  options: [
    QUEUE,
    { name: "ledger", value: "<ledger>", required: true, description: "sqlite:<path> or postgres://… (a JSON or JSON Lines file too): every worker must be able to open it by this name" },
    { name: "as-of", value: "YYYY-MM-DD", description: "the day to plan for (default: today in the policy's time zone, Asia/Shanghai for the built-ins)" },
    { name: "shards", value: "N", description: "shard jobs, by a stable hash of the account id (default 1; a few per worker core)" },
    {
      name: "policy",
      value: "<[estate/][segment=]file|residential|commercial|relative>",
      multiple: true,
      description: "as for plan: a policy file or a built-in for the segment it declares, or one per segment; in a ledger of several estates, one per estate and segment: --policy <estate>/<segment>=<file>, repeated (the segment's own --policy is then the fallback, and an account of an estate with neither is skipped, no_policy). Stored with the run: every shard plans with them",
    },
    { name: "detach", description: "queue the run, print its id and exit; do not wait" },
    { name: "format", value: "table|json", description: "the outcome for people (default) or as JSON" },
    HELP,
  ],
  examples: [
    { command: "property-dunning run --queue postgres://postgres@127.0.0.1:54329/property_dunning_jobs_demo --ledger sqlite:demo/jobs-estate.db --shards 4", note: "today's plan of the demo estate as four shard jobs" },
    {
      command: "property-dunning run --queue postgres://postgres@127.0.0.1:54329/property_dunning_jobs_demo --ledger sqlite:demo/jobs-estate.db --shards 4 --format json",
      note: "the same run again: nothing is queued twice, its outcome is printed as JSON",
    },
    {
      command:
        "property-dunning run --queue postgres://postgres@127.0.0.1:54329/property_dunning_jobs_demo --ledger out/estate-group.json --as-of 2026-03-25 --policy north-park/residential=examples/recipes/north-park.json --policy south-bay/residential=examples/recipes/south-bay.json --policy residential=residential",
      note: "a ledger of several estates (a copy of examples/recipes/estate-group.json: the workers record into it), each estate's flats by its own policy, the others' by the residential built-in",
    },
  ],
  exitCodes: [
    [0, "every shard done, no account skipped (also when the run existed already: nothing is queued twice)"],
    [1, "a --policy file is invalid, or the run of the ledger and day exists with other --shards or another --policy (run_mismatch: it stands as it is)"],
    [2, "usage error: a missing or malformed option, a ledger that cannot be opened"],
    [3, "finished, but some accounts were skipped (named on stderr) or some shards failed after their retries (in the dead-letter queue, with the reason)"],
  ],
  notes: [
    "A run is one per ledger and day: queueing it again (a retried cron, a second operator) queues nothing and reports the first run; asking for it with other --shards or another --policy is refused (exit 1, run_mismatch).",
    "With --policy <estate>/<segment>=<file>, every shard plans each account by its estate's policy for its segment, as plan does with the same --policy values: the same actions, the same ids.",
  ],
} as const;
