/**
 * `property-dunning worker` and `property-dunning run`: the nightly run as pg-boss jobs on the
 * estate's PostgreSQL (property-dunning/jobs, docs/scale-out.md). Their specs are in jobs-help.ts;
 * pg-boss is loaded only when one of them runs.
 */
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { RunProgress } from "../jobs/run.js";
import type { Sender } from "../jobs/worker.js";
import { terminalText } from "../text/index.js";
import { lines, str, strs, type Values } from "./commands.js";
import { checkDate, openLedgerArg, stylesOf, today, UsageError, type CliIo } from "./common.js";
import { loadPolicyArgs } from "./policy-arg.js";
import { holdStopSignals, nextStop, releaseStopSignals, stopSignal } from "./jobs-signals.js";

function wholeNumber(flag: string, value: string | undefined, fallback: number, max = Number.MAX_SAFE_INTEGER): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1 || n > max) throw new UsageError(`${flag}: must be a whole number in 1…${max} (got ${JSON.stringify(value)})`);
  return n;
}

async function checkQueue(url: string): Promise<string> {
  // context.ts is pg-free until a context opens: the form is checked by the library's own rule.
  const { isQueueUrl } = await import("../jobs/context.js");
  if (!isQueueUrl(url)) throw new UsageError(`--queue: must be a postgres://… URL (got ${JSON.stringify(url)})`);
  return url;
}

/** A queue database that cannot be reached is the operator's to fix (exit 2), not a crash. */
async function connecting<T>(open: () => Promise<T>): Promise<T> {
  try {
    return await open();
  } catch (error) {
    const code = (error as { code?: string }).code;
    // Refused, unknown host, no such database, bad password, no such role.
    if (code && ["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "ETIMEDOUT", "3D000", "28P01", "28000"].includes(code)) throw new UsageError(`--queue: cannot connect to the queue database: ${(error as Error).message || code}`);
    throw error;
  }
}

async function loadSender(path: string): Promise<Sender> {
  let mod: Record<string, unknown>;
  try {
    mod = (await import(pathToFileURL(resolve(path)).href)) as Record<string, unknown>;
  } catch (error) {
    throw new UsageError(`--sender: cannot load ${path}: ${(error as Error).message}`);
  }
  const candidate = (typeof mod.send === "function" ? mod : mod.default) as Partial<Sender> | ((...args: unknown[]) => unknown) | undefined;
  if (typeof candidate === "function") return { send: candidate };
  if (candidate && typeof candidate.send === "function") return candidate as Sender;
  throw new UsageError(`--sender: ${path} exports no send function (export send, or a default { send, delivered? } or function)`);
}

export async function workerCommand(values: Values, io: CliIo): Promise<number> {
  // SIGTERM/SIGINT are held from the process's first line (bin.ts; here too, when called as a
  // function): a stop that comes while the worker is loading or connecting is kept, and honoured
  // as a clean stop (exit 0) rather than killing the process half-way.
  holdStopSignals();
  const { errLine } = lines(io);
  try {
    const queue = await checkQueue(str(values, "queue")!);
    const concurrency = wholeNumber("--concurrency", str(values, "concurrency"), 1, 64);
    const senderPath = str(values, "sender");
    const sender = senderPath ? await loadSender(senderPath) : undefined;
    const { startWorker } = await import("../jobs/worker.js");
    const { outboxSender } = await import("../jobs/outbox.js");
    if (stopSignal()) {
      errLine(`worker ${process.pid}: ${stopSignal()} before it started; nothing taken`);
      return 0;
    }
    const outbox = sender ? undefined : await outboxSender(queue);
    const worker = await connecting(() => startWorker({ queue, concurrency, sender: sender ?? outbox!, log: (l) => errLine(terminalText(l)) })).catch(async (error: unknown) => {
      await outbox?.close();
      throw error;
    });
    errLine(`worker ${process.pid}: taking shard jobs from the queue (${concurrency} at a time)${outbox ? "; actions go to pd_jobs.outbox" : ""}`);
    const signal = await nextStop();
    errLine(`worker ${process.pid}: ${signal}, finishing the shards in hand`);
    await worker.stop();
    await outbox?.close();
    return 0;
  } finally {
    releaseStopSignals();
  }
}

export async function runCommand(values: Values, format: string, io: CliIo): Promise<number> {
  const queue = await checkQueue(str(values, "queue")!);
  const ledger = str(values, "ledger")!;
  // As plan reads it: one policy, one per segment, and one per estate and segment; all stored with the run for its shards.
  const policy = await loadPolicyArgs(strs(values, "policy"));
  const asOf = checkDate("--as-of", str(values, "as-of")) ?? today(policy?.first.timeZone);
  const { MAX_SHARDS, startRunOn, waitForRunOn, skippedAccountsOn } = await import("../jobs/run.js");
  // Not given: 1 for a new run; an existing run keeps its own (given and different, it is refused: run_mismatch).
  const shards = str(values, "shards") === undefined ? undefined : wholeNumber("--shards", str(values, "shards"), 1, MAX_SHARDS);
  // A ledger the workers could not open would fail every shard: refuse it here, before anything is queued.
  await (await openLedgerArg(ledger, { readonly: true })).close();
  const { openJobs } = await import("../jobs/context.js");
  const { line, errLine } = lines(io);
  const s = stylesOf(io);
  const context = await connecting(() => openJobs({ queue, engine: { schedule: false, supervise: false } }));
  try {
    const { JobsError } = await import("../jobs/errors.js");
    let started;
    try {
      started = await startRunOn(context, { ledger, asOf, ...(shards === undefined ? {} : { shards }), ...(policy ? { policy: policy.choice } : {}), ...(policy?.estates ? { estates: policy.estates } : {}) });
    } catch (error) {
      // Options the existing run does not do: invalid input (exit 1), named with its code.
      if (error instanceof JobsError && error.code === "run_mismatch") {
        errLine(s.err.red(`${error.code}: ${terminalText(error.message)}`));
        return 1;
      }
      throw error;
    }
    errLine(
      started.created
        ? `run ${started.runId}: ${started.shards} shard job${started.shards > 1 ? "s" : ""} queued for ${asOf}`
        : `run ${started.runId}: this ledger's run for ${asOf} exists (${started.shards} shards); nothing queued`,
    );
    if (values.detach) {
      line(started.runId);
      return 0;
    }
    let last = "";
    const outcome = await waitForRunOn(context, started.runId, {
      // A quarter second: the outcome follows the last shard closely (one cheap query per look).
      pollMs: 250,
      onProgress: (p) => {
        const now = `${p.shards.done + p.shards.failed}/${p.shards.total}`;
        if (now !== last && !p.finished) errLine(`run ${started.runId}: ${p.shards.done} of ${p.shards.total} shards done${p.shards.failed ? `, ${p.shards.failed} failed` : ""}`);
        last = now;
      },
    });
    for (const skipped of await skippedAccountsOn(context, started.runId)) errLine(s.err.yellow(terminalText(skipped.reason)));
    if (outcome.accounts.skipped > 100) errLine(s.err.yellow(`… and ${outcome.accounts.skipped - 100} more skipped accounts (pd_jobs.skipped)`));
    for (const f of outcome.failures) errLine(s.err.red(terminalText(`shard ${f.shard} failed after its retries (in the dead-letter queue): ${f.reason}`)));
    if (format === "json") line(JSON.stringify(outcome, null, 2));
    else line(outcomeTable(outcome));
    return outcome.failures.length > 0 || outcome.accounts.skipped > 0 ? 3 : 0;
  } finally {
    await context.close();
  }
}

/** " (2 …, 1 …)" for the counts that are not 0; nothing when all are. */
const notes = (counts: [number, string][]) => {
  const said = counts.filter(([n]) => n > 0).map(([n, what]) => `${n.toLocaleString("en")} ${what}`);
  return said.length ? ` (${said.join("; ")})` : "";
};

function outcomeTable(p: RunProgress): string {
  const rows: [string, string][] = [
    ["run", p.runId],
    ["ledger", terminalText(p.ledger)],
    ["as of", p.asOf],
    ["started by", p.trigger],
    ["shards", `${p.shards.done} done, ${p.shards.failed} failed, of ${p.shards.total}`],
    ["retries", p.retries === 0 ? "none" : `${p.retries} (${p.retriedShards} shard${p.retriedShards > 1 ? "s" : ""})`],
    ["accounts", `${p.accounts.planned.toLocaleString("en")} planned, ${p.accounts.skipped.toLocaleString("en")} skipped`],
    ["actions sent", `${p.actions.sent.toLocaleString("en")}${notes([
      [p.actions.handedOverAgain, "handed over again after a worker died"],
      [p.actions.sentAfterRefusal, "accepted after the sender had refused them"],
    ])}`],
    ...(p.actions.refused ? [["actions refused", `${p.actions.refused.toLocaleString("en")} (the sender threw on their last hand-over; not sent)`] as [string, string]] : []),
  ];
  const w = Math.max(...rows.map(([k]) => k.length));
  return rows.map(([k, v]) => `${k.padEnd(w)}  ${v}`).join("\n");
}
