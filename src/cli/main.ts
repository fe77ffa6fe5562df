/**
 * The `property-dunning` command: a thin shell over the public API. Anything it does, a vendor
 * can do in code with `parsePolicy`, `createScheduler`, `plan` and an adapter.
 *
 * Exit codes: 0 done; 1 invalid input (a policy that does not validate); 2 usage error;
 * 3 planned, but some accounts were skipped (reported on stderr).
 */
import { readFile, writeFile, mkdir } from "node:fs/promises";
import { dirname } from "node:path";
import { parseArgs } from "node:util";
import { DateTime } from "luxon";
import { openLedger } from "../adapters/open.js";
import { planInParallel } from "../parallel.js";
import { plan, schedulerPicker, toRecorded } from "../plan.js";
import { isBuiltinPolicyId, builtinPolicySource } from "../rules/builtins.js";
import { formatIssues, isPropertyDunningError } from "../rules/errors.js";
import { safeParsePolicy } from "../rules/parse.js";
import type { Policy } from "../rules/schema.js";
import { normalizeAccount, formatAccountIssues } from "../schedule/account.js";
import type { PlannedAction } from "../schedule/action.js";
import { civilDate, formatCivilDate } from "../schedule/civil-date.js";
import { computeLateFees } from "../schedule/money.js";
import { actionsTable, explainText, summaryTable } from "./format.js";
import { ensureDemoEstate } from "../demo/estate.js";

class UsageError extends Error {}

const HELP = `property-dunning — plan fee-collection (物业费催缴) actions from a policy and a ledger

Usage:
  property-dunning validate <policy.json>
  property-dunning plan --ledger <ledger> [--policy <file|residential|commercial>] [--as-of YYYY-MM-DD] [--format table|json] [--out actions.json] [--workers N]
  property-dunning explain --ledger <ledger> --account <id> [--policy …] [--as-of YYYY-MM-DD] [--to YYYY-MM-DD]
  property-dunning record --ledger <ledger> --actions <actions.json> [--on YYYY-MM-DD]
  property-dunning verify <policy.json|residential|commercial> [--runs N] [--seed S]
  property-dunning timeline [--policy …] [--ledger <ledger> --account <id>] [--as-of YYYY-MM-DD] --out timeline.html|timeline.svg
  property-dunning report --ledger <ledger> [--as-of YYYY-MM-DD] [--policy …] [--format table|json|csv]
  property-dunning demo [--db demo/estate.db] [--as-of YYYY-MM-DD] [--out out/demo-actions.json]

A ledger is a JSON file ({ "accounts": [...] }), a JSON Lines file (*.jsonl), sqlite:<path> or postgres://…
Without --policy each account follows the built-in of its segment. --as-of defaults to today in Asia/Shanghai.

Examples:
  property-dunning validate policies/residential.json
  property-dunning plan --ledger examples/ledger.json --as-of 2026-04-25 --format json
  property-dunning explain --ledger examples/ledger.json --account A-1201 --as-of 2026-04-25
  property-dunning verify my-estate.json --runs 1000
  property-dunning demo

Exit codes: 0 done, 1 invalid policy (or verify found an invariant broken), 2 usage error, 3 planned but some accounts were skipped.
`;

async function loadPolicy(spec: string | undefined): Promise<Policy | undefined> {
  if (spec === undefined) return undefined;
  const source = isBuiltinPolicyId(spec) ? builtinPolicySource(spec) : await readJson(spec);
  const result = safeParsePolicy(source);
  if (!result.ok) throw new InvalidPolicy(spec, formatIssues(result.issues, "  "));
  return result.value;
}

class InvalidPolicy extends Error {
  constructor(readonly file: string, readonly details: string) {
    super(`${file}: invalid policy\n${details}`);
  }
}

async function readJson(path: string): Promise<unknown> {
  const text = await readFile(path, "utf8").catch((error: NodeJS.ErrnoException) => {
    throw new UsageError(`cannot read ${path}: ${error.code ?? error.message}`);
  });
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new InvalidPolicy(path, `  not JSON: ${(error as Error).message}`);
  }
}

function today(zone = "Asia/Shanghai"): string {
  return DateTime.now().setZone(zone).toISODate()!;
}

function checkDate(flag: string, value: string | undefined): string | undefined {
  if (value !== undefined) {
    try {
      civilDate(value);
    } catch {
      throw new UsageError(`${flag}: must be a date YYYY-MM-DD (got ${JSON.stringify(value)})`);
    }
  }
  return value;
}

async function writeOut(path: string, text: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, text);
}

/** Plans the whole ledger; returns the actions and how many accounts were skipped. */
/**
 * A progress line on stderr, only when stderr is a terminal (never in a pipe, a log or CI), so
 * that JSON on stdout and logs stay clean.
 */
function progress(): { tick(accounts: number): void; done(): void } {
  const tty = process.stderr.isTTY === true;
  let last = 0;
  return {
    tick(accounts) {
      if (!tty || accounts - last < 5000) return;
      last = accounts;
      process.stderr.write(`\rplanned ${accounts.toLocaleString("en-US")} accounts…`);
    },
    done() {
      if (tty && last > 0) process.stderr.write("\r\x1b[K");
    },
  };
}

async function planLedger(ledgerSpec: string, policy: Policy | undefined, asOf: string, err: (line: string) => void) {
  const ledger = await openLedger(ledgerSpec);
  const actions: PlannedAction[] = [];
  let accounts = 0;
  let skipped = 0;
  const meter = progress();
  try {
    for await (const event of plan(ledger, { asOf, policy })) {
      accounts++;
      meter.tick(accounts);
      if (event.type === "planned") actions.push(...event.actions);
      else {
        skipped++;
        err(`skipped ${event.reason.includes(event.accountId) ? event.reason : `${event.accountId}: ${event.reason}`}`);
      }
    }
  } finally {
    meter.done();
    await ledger.close();
  }
  return { actions, accounts, skipped };
}

/** Plans on worker threads, one shard each; actions come out in account order as from one thread. */
async function planOnWorkers(ledgerSpec: string, policy: Policy | undefined, asOf: string, workers: number, err: (line: string) => void) {
  const byAccount: { accountId: string; actions: PlannedAction[] }[] = [];
  let skipped = 0;
  await planInParallel(ledgerSpec, { asOf, policy, workers }, (event) => {
    if (event.type === "planned") byAccount.push({ accountId: event.accountId, actions: event.actions });
    else {
      skipped++;
      err(`skipped ${event.reason.includes(event.accountId) ? event.reason : `${event.accountId}: ${event.reason}`}`);
    }
  });
  // Code-point order, as every adapter streams.
  byAccount.sort((a, b) => (a.accountId < b.accountId ? -1 : a.accountId > b.accountId ? 1 : 0));
  return { actions: byAccount.flatMap((a) => a.actions), accounts: byAccount.length + skipped, skipped };
}

export interface CliIo {
  out: (text: string) => unknown;
  err: (text: string) => unknown;
}

const STDIO: CliIo = { out: (s) => process.stdout.write(s), err: (s) => process.stderr.write(s) };

export async function main(argv: string[], io: CliIo = STDIO): Promise<number> {
  const [command, ...rest] = argv;
  const line = (s: string) => io.out(`${s}\n`);
  const errLine = (s: string) => io.err(`${s}\n`);
  try {
    const { values, positionals } = parseArgs({
      args: rest,
      allowPositionals: true,
      options: {
        policy: { type: "string" },
        ledger: { type: "string" },
        "as-of": { type: "string" },
        to: { type: "string" },
        on: { type: "string" },
        format: { type: "string" },
        out: { type: "string" },
        account: { type: "string" },
        actions: { type: "string" },
        db: { type: "string" },
        runs: { type: "string" },
        workers: { type: "string" },
        seed: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    });
    if (command === undefined || command === "help" || command === "--help" || command === "-h" || values.help) {
      line(HELP);
      return command === undefined ? 2 : 0;
    }
    const format = values.format ?? "table";
    const formats = command === "report" ? ["table", "json", "csv"] : ["table", "json"];
    if (!formats.includes(format)) throw new UsageError(`--format: must be ${formats.join(", ").replace(/, ([^,]*)$/, " or $1")} (got ${JSON.stringify(format)})`);
    switch (command) {
      case "validate": {
        const file = positionals[0];
        if (!file) throw new UsageError("validate: name a policy file");
        const result = safeParsePolicy(await readJson(file));
        if (!result.ok) {
          errLine(`${file}: invalid policy (${result.issues.length} problem${result.issues.length > 1 ? "s" : ""})`);
          errLine(formatIssues(result.issues, "  "));
          return 1;
        }
        const p = result.value;
        line(`${file}: valid — ${p.id} ${p.version}, ${p.stages.length} stages, ${p.timeZone}, ${p.currency.code}`);
        for (const s of p.stages) line(`  ${s.id.padEnd(28)} ${s.kind.padEnd(14)} ${s.channels.join("+")}`);
        return 0;
      }
      case "plan": {
        if (!values.ledger) throw new UsageError("plan: --ledger is required");
        const policy = await loadPolicy(values.policy);
        const asOf = checkDate("--as-of", values["as-of"]) ?? today(policy?.timeZone);
        const workers = values.workers === undefined ? 1 : Number(values.workers);
        if (!Number.isInteger(workers) || workers < 1) throw new UsageError(`--workers: must be a whole number ≥ 1 (got ${JSON.stringify(values.workers)})`);
        const { actions, skipped } = workers > 1 ? await planOnWorkers(values.ledger, policy, asOf, workers, errLine) : await planLedger(values.ledger, policy, asOf, errLine);
        const text = format === "json" ? `${JSON.stringify(actions, null, 2)}\n` : `${actionsTable(actions)}\n\n${summaryTable(actions)}\n`;
        if (values.out) await writeOut(values.out, format === "json" ? text : `${JSON.stringify(actions, null, 2)}\n`);
        if (!values.out || format === "table") io.out(text);
        return skipped > 0 ? 3 : 0;
      }
      case "explain": {
        if (!values.ledger || !values.account) throw new UsageError("explain: --ledger and --account are required");
        const policy = await loadPolicy(values.policy);
        const asOf = checkDate("--as-of", values["as-of"]) ?? today(policy?.timeZone);
        const to = checkDate("--to", values.to) ?? formatCivilDate(civilDate(asOf) + 400);
        const ledger = await openLedger(values.ledger);
        try {
          for await (const entry of ledger.accounts()) {
            if (!entry.ok) continue;
            if (entry.account.id !== values.account) continue;
            const normalized = normalizeAccount(entry.account);
            if (!normalized.ok) {
              errLine(formatAccountIssues(normalized.accountId, normalized.issues));
              return 1;
            }
            const scheduler = schedulerPicker(policy)(entry.account.segment);
            const due = scheduler.dueActions(normalized.account, asOf);
            const timeline = scheduler.forecast(normalized.account, asOf, to);
            const lateFees = computeLateFees(scheduler.policy, normalized.account, asOf);
            const result = { accountId: values.account, policy: scheduler.policy.id, asOf, due, forecast: timeline, lateFees };
            if (format === "json") line(JSON.stringify(result, null, 2));
            else line(explainText(result));
            return 0;
          }
        } finally {
          await ledger.close();
        }
        errLine(`account ${values.account} not found in ${values.ledger}`);
        return 1;
      }
      case "verify": {
        const file = positionals[0];
        if (!file) throw new UsageError("verify: name a policy file (or residential, commercial)");
        const int = (flag: string, v: string | undefined) => {
          if (v === undefined) return undefined;
          if (!/^-?\d+$/.test(v)) throw new UsageError(`${flag}: must be a whole number (got ${JSON.stringify(v)})`);
          return Number(v);
        };
        const { verifyCommand } = await import("./verify.js");
        return verifyCommand(file, { runs: int("--runs", values.runs), seed: int("--seed", values.seed) }, io);
      }
      case "report": {
        if (!values.ledger) throw new UsageError("report: --ledger is required");
        const policy = await loadPolicy(values.policy);
        const asOf = checkDate("--as-of", values["as-of"]) ?? today(policy?.timeZone);
        const { reportCommand } = await import("./report.js");
        return reportCommand({ ledger: values.ledger, asOf, format: format as "table" | "json" | "csv", ...(policy ? { policy } : {}) }, io);
      }
      case "timeline": {
        if (!values.out) throw new UsageError("timeline: --out file.html or file.svg is required");
        const policy = await loadPolicy(values.policy);
        const { timelineCommand } = await import("./timeline.js");
        return timelineCommand(
          { ...(policy ? { policy } : {}), policyName: values.policy ?? "residential", ledger: values.ledger, account: values.account, asOf: values["as-of"], out: values.out },
          io,
        );
      }
      case "record": {
        if (!values.ledger || !values.actions) throw new UsageError("record: --ledger and --actions are required");
        const on = checkDate("--on", values.on);
        const planned = (await readJson(values.actions)) as PlannedAction[];
        if (!Array.isArray(planned)) throw new UsageError(`${values.actions}: must be a JSON array of planned actions`);
        const ledger = await openLedger(values.ledger);
        try {
          const added = await ledger.record(planned.map((a) => toRecorded(a, on ?? a.plannedOn)));
          line(`recorded ${added} new action${added === 1 ? "" : "s"} (${planned.length - added} already recorded)`);
        } finally {
          await ledger.close();
        }
        return 0;
      }
      case "demo": {
        const db = values.db ?? "demo/estate.db";
        const asOf = checkDate("--as-of", values["as-of"]) ?? today();
        const out = values.out ?? "out/demo-actions.json";
        // The estate's history is recorded up to the end of last month: today's plan catches up on this month.
        const historyUntil = `${asOf.slice(0, 7)}-01`;
        const created = await ensureDemoEstate(db, { asOf, seed: 20260301, historyUntil });
        line(
          created
            ? `built the demo estate in ${db}: 2,000 residential units and 100 shops over 24 months, actions recorded up to ${formatCivilDate(civilDate(historyUntil) - 1)}`
            : `using the demo estate in ${db}`,
        );
        const started = performance.now();
        const { actions, accounts, skipped } = await planLedger(`sqlite:${db}`, undefined, asOf, errLine);
        const ms = performance.now() - started;
        line(`planned ${accounts} accounts for ${asOf} in ${ms.toFixed(0)} ms: ${actions.length} actions${skipped ? `, ${skipped} skipped` : ""}\n`);
        line(summaryTable(actions));
        await writeOut(out, `${JSON.stringify(actions, null, 2)}\n`);
        line(`\nactions written to ${out}`);
        return skipped > 0 ? 3 : 0;
      }
      default:
        throw new UsageError(`unknown command ${JSON.stringify(command)}`);
    }
  } catch (error) {
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith("ERR_PARSE_ARGS")) {
      errLine(`property-dunning: ${(error as Error).message}\nRun property-dunning --help for usage.`);
      return 2;
    }
    if (error instanceof InvalidPolicy) {
      errLine(error.message);
      return 1;
    }
    if (isPropertyDunningError(error)) {
      errLine(error.message);
      return 1;
    }
    throw error;
  }
}
