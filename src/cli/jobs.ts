/**
 * `property-dunning worker` and `property-dunning run`: the nightly run as pg-boss jobs on the
 * estate's PostgreSQL (property-dunning/jobs, docs/scale-out.md). Their specs are in jobs-help.ts;
 * pg-boss is loaded only when one of them runs.
 */
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { RunProgress } from "../jobs/run.js";
import type { Sender } from "../jobs/worker.js";
import { terminalText } from "../safe-text.js";
import { lines, str, strs, type Values } from "./commands.js";
import { checkDate, openLedgerArg, stylesOf, today, UsageError, type CliIo } from "./common.js";
import { loadPolicyArg } from "./policy-arg.js";

function wholeNumber(flag: string, value: string | undefined, fallback: number, max = Number.MAX_SAFE_INTEGER): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1 || n > max) throw new UsageError(`${flag}: must be a whole number in 1…${max} (got ${JSON.stringify(value)})`);
  return n;
}

function checkQueue(url: string): string {
  if (!/^postgres(ql)?:\/\//i.test(url)) throw new UsageError(`--queue: must be a postgres://… URL (got ${JSON.stringify(url)})`);
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
  // Listen for SIGTERM/SIGINT first: a stop that comes while the worker is still connecting is
  // kept, and honoured once it has started, rather than killing the process half-way.
  let stopSignal: string | undefined;
  let wake: (() => void) | undefined;
  const onTerm = () => ((stopSignal = "SIGTERM"), wake?.());
  const onInt = () => ((stopSignal = "SIGINT"), wake?.());
  process.on("SIGTERM", onTerm);
  process.on("SIGINT", onInt);
  try {
    const queue = checkQueue(str(values, "queue")!);
    const concurrency = wholeNumber("--concurrency", str(values, "concurrency"), 1, 64);
    const senderPath = str(values, "sender");
    const sender = senderPath ? await loadSender(senderPath) : undefined;
    const { startWorker } = await import("../jobs/worker.js");
    const { outboxSender } = await import("../jobs/outbox.js");
    const { errLine } = lines(io);
    const outbox = sender ? undefined : await outboxSender(queue);
    const worker = await connecting(() => startWorker({ queue, concurrency, sender: sender ?? outbox!, log: (l) => errLine(terminalText(l)) })).catch(async (error: unknown) => {
      await outbox?.close();
      throw error;
    });
    errLine(`worker ${process.pid}: taking shard jobs from the queue (${concurrency} at a time)${outbox ? "; actions go to pd_jobs.outbox" : ""}`);
    if (stopSignal === undefined) await new Promise<void>((resolve) => (wake = resolve));
    errLine(`worker ${process.pid}: ${stopSignal}, finishing the shards in hand`);
    await worker.stop();
    await outbox?.close();
    return 0;
  } finally {
    process.off("SIGTERM", onTerm);
    process.off("SIGINT", onInt);
  }
}

export async function runCommand(values: Values, format: string, io: CliIo): Promise<number> {
  const queue = checkQueue(str(values, "queue")!);
  const ledger = str(values, "ledger")!;
  const policy = await loadPolicyArg(strs(values, "policy"));
  const asOf = checkDate("--as-of", str(values, "as-of")) ?? today(policy?.first.timeZone);
  const { MAX_SHARDS, startRunOn, waitForRunOn, skippedAccountsOn } = await import("../jobs/run.js");
  const shards = wholeNumber("--shards", str(values, "shards"), 1, MAX_SHARDS);
  // A ledger the workers could not open would fail every shard: refuse it here, before anything is queued.
  await (await openLedgerArg(ledger, { readonly: true })).close();
  const { openJobs } = await import("../jobs/context.js");
  const { line, errLine } = lines(io);
  const s = stylesOf(io);
  const context = await connecting(() => openJobs({ queue, engine: { schedule: false, supervise: false } }));
  try {
    const started = await startRunOn(context, { ledger, asOf, shards, ...(policy ? { policy: policy.choice } : {}) });
    errLine(
      started.created
        ? `run ${started.runId}: ${shards} shard job${shards > 1 ? "s" : ""} queued for ${asOf}`
        : `run ${started.runId}: this ledger's run for ${asOf} exists (${started.shards} shards); nothing queued`,
    );
    if (values.detach) {
      line(started.runId);
      return 0;
    }
    let last = "";
    const outcome = await waitForRunOn(context, started.runId, {
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

function outcomeTable(p: RunProgress): string {
  const rows: [string, string][] = [
    ["run", p.runId],
    ["ledger", terminalText(p.ledger)],
    ["as of", p.asOf],
    ["started by", p.trigger],
    ["shards", `${p.shards.done} done, ${p.shards.failed} failed, of ${p.shards.total}`],
    ["retries", p.retries === 0 ? "none" : `${p.retries} (${p.retriedShards} shard${p.retriedShards > 1 ? "s" : ""})`],
    ["accounts", `${p.accounts.planned.toLocaleString("en")} planned, ${p.accounts.skipped.toLocaleString("en")} skipped`],
    ["actions sent", `${p.actions.sent.toLocaleString("en")}${p.actions.handedOverAgain ? ` (${p.actions.handedOverAgain} handed over twice after a worker died)` : ""}`],
  ];
  const w = Math.max(...rows.map(([k]) => k.length));
  return rows.map(([k, v]) => `${k.padEnd(w)}  ${v}`).join("\n");
}
