/**
 * A counterexample as people read it: one line per day on which a charge fell due, a payment
 * arrived or an action was recorded or planned, with the balance at the end of that day.
 *
 *   account A-17 · residential · unit 3-2-1201 · tags: elderly
 *   2026-03-01  c0 (2026-03) falls due 300.00 · billingNotice via doorPosting+sms [billing_notice@c0]  | overdue 0.00 of 300.00
 * > 2026-03-25  dunningNotice via doorPosting+sms, overdue 300.00 [dunning_notice@c0]  | overdue 300.00 of 300.00
 */
import type { AccountSnapshot } from "../ledger/account.js";
import type { PlannedAction } from "../schedule/ladder/action.js";
import { balancesOn } from "./ledger.js";
import { formatMinor } from "../schedule/fees/money-text.js";

export interface TimelineOptions {
  /** Leave out days before this one (default: the first event). */
  from?: string;
  /** Leave out days after this one (default: the last event). */
  to?: string;
  /** Mark this day with `>` (the day an invariant failed). */
  mark?: string;
  /** Digits of the minor unit (default 2). */
  minorDigits?: number;
}

/** Minor units as a plain decimal (no grouping): `30015` → `"300.15"`. */
export function formatMoney(minor: number, digits = 2): string {
  return formatMinor(minor, digits, false);
}

/** One action in a few words: kind, channels, amount, deadline, review, the instances it covers. */
export function describeAction(a: PlannedAction, digits = 2): string {
  const parts = [`${a.audience === "staff" ? "[staff] " : ""}${a.kind} via ${a.channels.join("+")}`];
  if (a.overdueMinor > 0) parts.push(`overdue ${formatMoney(a.overdueMinor, digits)}`);
  const fee = (a as { lateFeeMinor?: number }).lateFeeMinor;
  if (typeof fee === "number" && fee > 0) parts.push(`late fee ${formatMoney(fee, digits)}`);
  if (a.deadlineOn) parts.push(`pay by ${a.deadlineOn}`);
  if (a.requiresReview) parts.push("needs review");
  return `${parts.join(", ")} [${a.covers.map((c) => c.key).join(" ")}]`;
}

/** Renders `account` and the `actions` planned for it as a day-by-day timeline. */
export function renderTimeline(account: AccountSnapshot, actions: readonly PlannedAction[], options: TimelineOptions = {}): string {
  const digits = options.minorDigits ?? 2;
  const days = new Map<string, string[]>();
  const add = (day: string, text: string) => {
    const list = days.get(day);
    if (list) list.push(text);
    else days.set(day, [text]);
  };
  for (const c of account.charges) add(c.dueOn, `${c.id} (${c.period}) falls due ${formatMoney(c.amountMinor, digits)}`);
  for (const p of account.payments ?? []) add(p.on, `paid ${formatMoney(p.amountMinor, digits)} (${p.id})`);
  for (const r of account.actions ?? []) add(r.on, `recorded ${r.stage} [${(r.covers ?? [r.id]).join(" ")}]`);
  if (options.mark) add(options.mark, "");
  for (const a of actions) add(a.plannedOn, describeAction(a, digits));

  const lines = [header(account)];
  const sorted = [...days.keys()].sort();
  for (const day of sorted) {
    if ((options.from && day < options.from) || (options.to && day > options.to)) continue;
    const b = balancesOn(account, day);
    const events = days.get(day)!.filter((t) => t !== "");
    const text = events.length > 0 ? events.join(" · ") : "(nothing)";
    lines.push(`${day === options.mark ? ">" : " "} ${day}  ${text}  | overdue ${formatMoney(b.overdueMinor, digits)} of ${formatMoney(b.unpaidMinor, digits)}`);
  }
  if (lines.length === 1) lines.push("  (nothing happened)");
  return lines.join("\n");
}

function header(account: AccountSnapshot): string {
  const parts = [`account ${account.id}`];
  if (account.segment) parts.push(account.segment);
  if (account.unit) parts.push(`unit ${account.unit}`);
  if (account.owner?.name) parts.push(`owner ${account.owner.name}`);
  const tags = account.owner?.tags ?? [];
  if (tags.length > 0) parts.push(`tags: ${tags.join(", ")}`);
  return parts.join(" · ");
}
