/**
 * An account's forecast under the edited policy, day by day: what `explain` prints (the
 * scheduler's `forecast` and `computeLateFees`, from the root entry), as a table with amounts
 * and late fees, and as the account's timeline picture.
 */
import { computeLateFees, createScheduler, InvalidArgumentError, renderTimelineSvg, type AccountSnapshot, type Policy } from "../index.js";
import { t, type StudioLocale } from "./messages.js";
import { moneyText } from "./money.js";

/** A residential owner who stopped paying in March 2026 (300.00 a month): what the page starts with. */
export function sampleAccountText(): string {
  const sample = {
    id: "SAMPLE-0301",
    segment: "residential",
    unit: "1-1-0301",
    owner: { name: "Sample owner" },
    charges: ["2026-03", "2026-04", "2026-05"].map((period) => ({ id: period, period, dueOn: `${period}-01`, amountMinor: 30000 })),
    payments: [],
  };
  return `${JSON.stringify(sample, null, 2)}\n`;
}

/** `YYYY-MM-DD` plus calendar days (the end of the window; the library checks the dates it is given). */
function addDays(date: string, days: number): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) throw new InvalidArgumentError("invalid_date", "from", `the start must be a date YYYY-MM-DD (got ${JSON.stringify(date)})`);
  return new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + days)).toISOString().slice(0, 10);
}

function cell(row: HTMLTableRowElement, text: string, numeric = false): void {
  const td = document.createElement(row.parentElement?.tagName === "THEAD" ? "th" : "td");
  td.textContent = text;
  if (numeric) td.className = "num";
  row.append(td);
}

function message(el: HTMLElement, text: string): void {
  const p = document.createElement("p");
  p.className = "note";
  p.textContent = text;
  el.replaceChildren(p);
}

/** Reads the account and the window from the page and shows its forecast (or why it cannot). */
export function runForecast(policy: Policy | undefined, locale: StudioLocale): void {
  const out = document.getElementById("forecast")!;
  const picture = document.getElementById("account-picture")!;
  picture.replaceChildren();
  if (!policy) return message(out, t("invalidPolicy", locale));
  const from = (document.getElementById("as-of") as HTMLInputElement).value;
  const days = Number((document.getElementById("days") as HTMLInputElement).value) || 400;
  let account: AccountSnapshot;
  let to: string;
  try {
    const parsed = JSON.parse((document.getElementById("account") as HTMLTextAreaElement).value) as AccountSnapshot | { accounts: AccountSnapshot[] };
    // A ledger pasted whole: its first account.
    account = "accounts" in parsed ? parsed.accounts[0]! : parsed;
    to = addDays(from, days);
  } catch (error) {
    return message(out, `${t("invalidAccount", locale)}: ${(error as Error).message}`);
  }
  let actions;
  let fees;
  try {
    actions = createScheduler(policy).forecast(account, from, to);
    fees = computeLateFees(policy, account, to);
  } catch (error) {
    const issues = (error as { issues?: { path: string; message: string }[] }).issues;
    return message(out, `${t("invalidAccount", locale)}: ${issues ? issues.map((i) => `${i.path}: ${i.message}`).join("; ") : (error as Error).message}`);
  }
  const digits = policy.currency.minorDigits;
  const table = document.createElement("table");
  table.id = "forecast-table";
  const head = table.createTHead().insertRow();
  for (const [key, numeric] of [["colDay"], ["colStage"], ["colChannels"], ["colOverdue", true], ["colLateFee", true], ["colTotal", true], ["colDeadline"]] as const)
    cell(head, t(key, locale), numeric);
  const body = table.createTBody();
  for (const a of actions) {
    const row = body.insertRow();
    row.dataset.stage = a.stage;
    cell(row, a.plannedOn);
    cell(row, `${a.title ?? a.stage} (${a.kind})${a.requiresReview ? `, ${t("review", locale)}` : ""}`);
    cell(row, a.channels.join(" + "));
    cell(row, moneyText(a.overdueMinor, digits), true);
    cell(row, moneyText(a.lateFeeMinor, digits), true);
    cell(row, moneyText(a.totalMinor, digits), true);
    cell(row, a.deadlineOn ?? "");
  }
  const summary = document.createElement("p");
  summary.className = "note";
  summary.textContent = `${actions.length === 0 ? `${t("noActions", locale)} ` : ""}${t("lateFeesOn", locale)} ${to}: ${moneyText(fees.totalMinor, digits)} ${policy.currency.code}`;
  out.replaceChildren(table, summary);
  picture.innerHTML = renderTimelineSvg(policy, { forecast: actions, account, from });
}
