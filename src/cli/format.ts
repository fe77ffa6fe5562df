/** Text output for the CLI: actions, summaries and explanations as tables (src/text/table.ts), money in major units, ledger text escaped for a terminal (`terminalText`). */
import { table, terminalText } from "../text/index.js";
import type { PlannedAction } from "../schedule/ladder/action.js";
import type { LateFeeReport } from "../schedule/fees/late-fees.js";
import { formatMinor } from "../schedule/fees/money-text.js";

/**
 * Sums of money by currency: actions planned under policies in different currencies (a segment
 * falling back to a built-in) are never added into one figure, and each is read with its own
 * minor-unit digits.
 */
export type Sums = Map<string, { minorDigits: number; minor: number }>;

export function addTo(sums: Sums, a: Pick<PlannedAction, "currency" | "minorDigits" | "overdueMinor">): void {
  const sum = sums.get(a.currency);
  if (sum) sum.minor += a.overdueMinor;
  else sums.set(a.currency, { minorDigits: a.minorDigits, minor: a.overdueMinor });
}

/** One currency: the amount alone, as every other table shows it; several: each with its currency. */
function sumsText(sums: Sums): string {
  const each = [...sums.entries()];
  if (each.length <= 1) return formatMinor(each[0]?.[1].minor ?? 0, each[0]?.[1].minorDigits);
  return each.map(([currency, s]) => `${formatMinor(s.minor, s.minorDigits)} ${currency}`).join("; ");
}

/**
 * Counts by kind and channel and the overdue sums: what the summary table shows. Filled by
 * action-output.ts's tallyActions, which imports it from here (not the other way: a cycle).
 */
export interface ActionTally {
  count: number;
  overdue: Sums;
  byKind: Map<string, { count: number; overdue: Sums; channels: Map<string, number> }>;
}

/** ` *` at the end of the row of an action whose days may still move (`because.calendar`), and the footnote that says why, once per distinct note. */
function calendarMark(a: PlannedAction): string {
  return a.because.calendar !== undefined ? " *" : "";
}

function calendarFootnotes(actions: readonly PlannedAction[]): string[] {
  return [...new Set(actions.flatMap((a) => (a.because.calendar !== undefined ? [a.because.calendar] : [])))].map((note) => `* ${note}`);
}

export function actionsTable(actions: readonly PlannedAction[]): string {
  return [
    table(
      ["account", "stage", "kind", "channels", "due", "overdue", "deadline", "review"],
      actions.map((a) => [
        a.accountId,
        a.stage,
        a.kind,
        // An owner's unit carried in another unit's notice goes by that notice, not on its own.
        a.sentWith !== undefined ? `in ${a.sentWith}` : a.channels.join("+") + (a.ownerNotice ? ` (${a.ownerNotice.units.length} units)` : ""),
        a.dueOn,
        formatMinor(a.overdueMinor, a.minorDigits),
        a.deadlineOn ?? "",
        (a.requiresReview ? "yes" : "") + calendarMark(a),
      ]),
      new Set([5]),
    ),
    ...calendarFootnotes(actions),
  ].join("\n");
}

/** Counts by kind and channel: the morning summary of a plan (counted as it goes, `tallyActions`). */
export function summaryTable(tally: ActionTally): string {
  const rows = [...tally.byKind.entries()]
    .sort((a, b) => b[1].count - a[1].count || (a[0] < b[0] ? -1 : 1))
    .map(([kind, k]) => [kind, String(k.count), [...k.channels.entries()].map(([c, n]) => `${c} ${n}`).join(", "), sumsText(k.overdue)]);
  rows.push(["total", String(tally.count), "", sumsText(tally.overdue)]);
  return table(["kind", "actions", "channels", "overdue"], rows, new Set([1, 3]));
}

/** `explain` for people: late-fee accrual rows, what is due now, and the forecast with its reasons; money read with the policy's `minorDigits`. */
export function explainText(r: { accountId: string; policy: string; asOf: string; due: PlannedAction[]; forecast: PlannedAction[]; lateFees: LateFeeReport }, minorDigits: number): string {
  const money = (minor: number) => formatMinor(minor, minorDigits);
  // Tables escape their cells; every other line is escaped as it is added.
  const lines = [terminalText(`Account ${r.accountId}, policy ${r.policy}, as of ${r.asOf}`), ""];
  const fees = r.lateFees.charges.filter((c) => c.accrual.length > 0 || c.waiver);
  if (fees.length > 0) {
    lines.push(terminalText(`Late fees (${r.lateFees.clause}): ${money(r.lateFees.totalMinor)} in all`));
    lines.push(
      table(
        ["charge", "from", "to", "days", "principal", "fee", "note"],
        fees.flatMap((c) => [
          ...c.accrual.map((row) => [c.chargeId, row.from, row.to, String(row.days), money(row.principalMinor), money(row.amountMinor), row.kind]),
          [c.chargeId, "", "", String(c.daysLate), "", money(c.amountMinor), c.waiver ? `waived: ${c.waiver.reason}` : c.capApplied ? `capped at ${money(c.capApplied.limitMinor)} (${c.capApplied.kind})` : "total"],
        ]),
        new Set([3, 4, 5]),
      ),
      "",
    );
  }
  lines.push(r.due.length ? "Due now:" : "Nothing is due now.");
  for (const a of r.due) lines.push(terminalText(`  ${a.kind} (${a.stage}) due ${a.dueOn}: ${a.because.summary}${a.because.calendar !== undefined ? ` (${a.because.calendar})` : ""}`));
  lines.push("", "If nothing more is paid:");
  if (r.forecast.length === 0) lines.push("  nothing further.");
  lines.push(
    table(
      ["on", "stage", "kind", "channels", "overdue", "why"],
      r.forecast.map((a) => [
        a.plannedOn,
        a.stage,
        a.kind + (a.requiresReview ? " (review)" : ""),
        a.channels.join("+"),
        money(a.overdueMinor),
        a.because.triggerText +
          (a.because.after ? `, ${a.because.after.gapDays} days after ${a.because.after.stage} (${a.because.after.on})` : "") +
          (a.because.demand ? `, after ${a.because.demand.stage} deadline ${a.because.demand.deadlineOn}` : "") +
          (a.covers.length > 1 ? `; covers ${a.covers.map((c) => c.key).join(", ")}` : "") +
          calendarMark(a),
      ]),
      new Set([4]),
    ),
    ...calendarFootnotes(r.forecast),
  );
  return lines.join("\n");
}
