/** The commands that fit in a few lines each: validate, plan, explain, record, demo. */
import type { ExecutedAction } from "../ledger/adapter.js";
import type { PlannedAction } from "../schedule/ladder/action.js";
import { estateSchedulerPicker, executedFrom, segmentOf } from "../ledger/plan.js";
import { formatIssues } from "../rules/errors.js";
import { safeParsePolicy } from "../rules/parse.js";
import { civilDate, formatCivilDate } from "../schedule/time/civil-date.js";
import { computeLateFees } from "../schedule/fees/money.js";
import { accountIssuesText, jsonText, terminalIssues, terminalText } from "../text/index.js";
import { ensureDemoEstate } from "../demo/estate.js";
import { checkDate, findAccount, forecastEnd, InvalidInput, openLedgerArg, readJson, readText, stylesOf, today, type CliIo } from "./common.js";
import { actionsTable, explainText, summaryTable } from "./format.js";
import { allOf, buffered, firstActions, jsonArraySink, jsonLinesSink, outFile, tallyActions } from "./action-output.js";
import { planLedger } from "./plan-ledger.js";
import { reviewLine, reviewTable } from "../reports/review.js";
import type { HoldReview } from "../schedule/ladder/hold-review.js";
import { loadPolicyArgs, segmentsSeen } from "./policy-arg.js";

/** The parsed options of any command (each command reads its own; main has checked the required ones). */
export type Values = Readonly<Record<string, string | boolean | string[] | undefined>>;

/** A string option's value (parseArgs types every option by the spec, not statically). */
export const str = (values: Values, name: string) => values[name] as string | undefined;
/** A repeatable option's values (`multiple` in its spec). */
export const strs = (values: Values, name: string) => values[name] as string[] | undefined;

export function lines(io: CliIo) {
  return { line: (s: string) => io.out(`${s}\n`), errLine: (s: string) => io.err(`${s}\n`) };
}

export async function validateCommand(file: string, io: CliIo): Promise<number> {
  const { line, errLine } = lines(io);
  const s = stylesOf(io);
  const result = safeParsePolicy(await readText(file));
  if (!result.ok) {
    errLine(s.err.red(`${file}: invalid policy (${result.issues.length} problem${result.issues.length > 1 ? "s" : ""})`));
    errLine(formatIssues(terminalIssues(result.issues), "  "));
    return 1;
  }
  const p = result.value;
  line(`${file}: ${s.out.green("valid")} — ${terminalText(`${p.id} ${p.version}`)}, ${p.stages.length} stages, ${p.timeZone}, ${p.currency.code}`);
  for (const stage of p.stages) line(terminalText(`  ${stage.id.padEnd(28)} ${stage.kind.padEnd(14)} ${stage.channels.join("+")}`));
  return 0;
}

export async function planCommand(values: Values, format: string, io: CliIo): Promise<number> {
  const ledger = str(values, "ledger")!;
  const policy = await loadPolicyArgs(strs(values, "policy"));
  const asOf = checkDate("--as-of", str(values, "as-of")) ?? today(policy?.first.timeZone);
  const { errLine } = lines(io);
  const warn = (l: string) => errLine(stylesOf(io).err.yellow(l));
  const out = str(values, "out");
  // The actions go out as they are planned (docs/cli.md, "Streaming"): to --out in its format
  // (JSON with the table), else to stdout; the table keeps its first rows and the counts only.
  const file = out ? outFile(out) : undefined;
  const stdout = buffered(io.out);
  const streamed = (write: (text: string) => void) => (format === "jsonl" ? jsonLinesSink(write) : jsonArraySink(write));
  const tally = tallyActions();
  const shown = firstActions(TABLE_ROWS);
  const sink = allOf(...(file ? [streamed(file.write)] : []), ...(format === "table" ? [tally, shown] : out ? [] : [streamed(stdout.write)]));
  // Actions recorded inside a hold (one recorded after the fact): under the table, or one line
  // each on stderr beside JSON, which stays the actions alone (docs/cli.md, "For review").
  const review: HoldReview[] = [];
  let reviewCount = 0;
  const onReview = (items: readonly HoldReview[]) => {
    for (const r of items) {
      reviewCount++;
      if (format !== "table") errLine(reviewLine(r));
      else if (review.length < TABLE_ROWS) review.push(r);
    }
  };
  try {
    const onActions = (actions: PlannedAction[]) => {
      sink.add(actions);
      if (!stdout.blocked || !io.outDrained) return;
      stdout.blocked = false;
      return io.outDrained();
    };
    const { skipped, segments } = await planLedger(ledger, { policy: policy?.choice, ...(policy?.estates ? { estates: policy.estates } : {}), asOf, err: warn, onReview, ...(io.progress ? { progress: io.progress } : {}) }, onActions);
    sink.end();
    file?.commit();
    stdout.flush();
    const uncovered = segmentsSeen(policy, segments);
    if (uncovered) warn(uncovered);
    if (format === "table") io.out(`${actionsTable(shown.actions)}\n${moreRows(tally.count - shown.actions.length)}\n${summaryTable(tally)}\n${reviewText(review, reviewCount)}`);
    return skipped > 0 ? 3 : 0;
  } finally {
    file?.abort();
  }
}

/** Rows of the plan's table at most: a person reads a screenful, a program reads JSON. */
export const TABLE_ROWS = 1000;

/** The review list under the plan's table: the first rows, and how many more. */
function reviewText(shown: readonly HoldReview[], count: number): string {
  if (count === 0) return "";
  const more = count > shown.length ? `… and ${(count - shown.length).toLocaleString("en-US")} more (--format json or jsonl lists every one on stderr)\n` : "";
  return `\nFor a person's review: ${count} recorded action${count === 1 ? "" : "s"} inside a hold that pauses them\n${reviewTable(shown)}\n${more}`;
}

function moreRows(hidden: number): string {
  return hidden > 0 ? `… and ${hidden.toLocaleString("en-US")} more actions (--format json or jsonl lists every one)\n` : "";
}

export async function explainCommand(values: Values, format: string, io: CliIo): Promise<number> {
  const [ledgerSpec, accountId] = [str(values, "ledger")!, str(values, "account")!];
  const { line, errLine } = lines(io);
  const policy = await loadPolicyArgs(strs(values, "policy"));
  const asOf = checkDate("--as-of", str(values, "as-of")) ?? today(policy?.first.timeZone);
  const to = checkDate("--to", str(values, "to")) ?? forecastEnd(asOf);
  const found = await findAccount(ledgerSpec, accountId);
  if ("error" in found) {
    errLine(found.error);
    return 1;
  }
  const segment = segmentOf(found.snapshot.segment);
  const uncovered = segmentsSeen(policy, [segment]);
  if (uncovered) errLine(stylesOf(io).err.yellow(uncovered));
  // The account's estate and segment choose its policy, as in `plan` (--policy <estate>/<segment>=<file>).
  const scheduler = estateSchedulerPicker(policy?.choice, policy?.estates)(segment, found.snapshot.estate);
  if (!("dueActions" in scheduler)) {
    errLine(accountIssuesText(accountId, [scheduler]));
    return 1;
  }
  const due = scheduler.dueActions(found.account, asOf);
  const forecast = scheduler.forecast(found.account, asOf, to);
  const lateFees = computeLateFees(scheduler.policy, found.snapshot, asOf);
  const result = { accountId, policy: scheduler.policy.id, asOf, due, forecast, lateFees };
  line(format === "json" ? jsonText(result, 2) : explainText(result, scheduler.policy.currency.minorDigits));
  return 0;
}

export async function recordCommand(values: Values, io: CliIo): Promise<number> {
  const [ledgerSpec, file] = [str(values, "ledger")!, str(values, "actions")!];
  const on = checkDate("--on", str(values, "on"));
  const planned = (await readJson(file, "actions file")) as unknown[];
  if (!Array.isArray(planned)) throw new InvalidInput(file, "  must be a JSON array of planned actions", "actions file");
  const ledger = await openLedgerArg(ledgerSpec);
  try {
    // record() checks every action before storing any: a bad one is a RecordError (exit 1) naming its place.
    const added = await ledger.record(planned.map((a) => executedFrom(a, on)) as ExecutedAction[]);
    lines(io).line(`recorded ${added} new action${added === 1 ? "" : "s"} (${planned.length - added} already recorded)`);
  } finally {
    await ledger.close();
  }
  return 0;
}

export async function demoCommand(values: Values, io: CliIo): Promise<number> {
  const { line, errLine } = lines(io);
  const db = str(values, "db") ?? "demo/estate.db";
  const asOf = checkDate("--as-of", str(values, "as-of")) ?? today();
  const out = str(values, "out") ?? "out/demo-actions.json";
  // The estate's history is recorded up to the end of last month: today's plan catches up on this month.
  const historyUntil = `${asOf.slice(0, 7)}-01`;
  const created = await ensureDemoEstate(db, { asOf, seed: 20260301, historyUntil });
  line(
    created
      ? `built the demo estate in ${db}: 2,000 residential units and 100 shops over 24 months, actions recorded up to ${formatCivilDate(civilDate(historyUntil) - 1)}`
      : `using the demo estate in ${db}`,
  );
  const started = performance.now();
  const file = outFile(out);
  const tally = tallyActions();
  try {
    const json = jsonArraySink(file.write);
    const { accounts, skipped } = await planLedger(`sqlite:${db}`, { policy: undefined, asOf, err: errLine, ...(io.progress ? { progress: io.progress } : {}) }, allOf(tally, json).add);
    json.end();
    file.commit();
    const ms = performance.now() - started;
    line(`planned ${accounts} accounts for ${asOf} in ${ms.toFixed(0)} ms: ${tally.count} actions${skipped ? `, ${skipped} skipped` : ""}\n`);
    line(summaryTable(tally));
    line(`\nactions written to ${out}`);
    return skipped > 0 ? 3 : 0;
  } finally {
    file.abort();
  }
}
