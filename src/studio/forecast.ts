/**
 * An account's forecast under the edited policy, day by day: what `explain --account` prints (the
 * scheduler's `forecast` and `computeLateFees`, from the root entry), as a table with amounts
 * and late fees, and as the account's timeline picture. What a single account can show is shown:
 * the owner's tags and the protections they bring, a late fee left once the principal is paid and
 * what the policy's `residualLateFee` does about it (or that it does nothing). An owner's units
 * together are coordinated by `plan` over the ledger, which a pasted account cannot give; the
 * page says so.
 */
import { computeLateFees, createScheduler, InvalidArgumentError, renderTimelineSvg, type AccountSnapshot, type LateFeeReport, type PlannedAction, type Policy } from "../index.js";
import { t, type StudioLocale } from "./messages.js";
import { moneyText } from "./money.js";

/** The page's sample accounts (residential, 300.00 a month, from March 2026). */
export const SAMPLE_ACCOUNTS = {
  /** An owner who stopped paying: what the page starts with. */
  stopped: {
    id: "SAMPLE-0301",
    segment: "residential",
    unit: "1-1-0301",
    owner: { name: "Sample owner" },
    charges: ["2026-03", "2026-04", "2026-05"].map((period) => ({ id: period, period, dueOn: `${period}-01`, amountMinor: 30000 })),
    payments: [],
  },
  /** An elderly owner who paid March's charge a month late: the principal is paid, a late fee is left. */
  residual: {
    id: "SAMPLE-0402",
    segment: "residential",
    unit: "1-1-0402",
    owner: { id: "OWNER-0402", name: "Sample owner", tags: ["elderly"] },
    charges: [{ id: "2026-03", period: "2026-03", dueOn: "2026-03-01", amountMinor: 30000 }],
    payments: [{ id: "p-2026-04-01", on: "2026-04-01", amountMinor: 30000 }],
  },
} satisfies Record<string, AccountSnapshot>;

export type SampleAccount = keyof typeof SAMPLE_ACCOUNTS;

/** A sample account as the text the page shows. */
export function sampleAccountText(sample: SampleAccount = "stopped"): string {
  return `${JSON.stringify(SAMPLE_ACCOUNTS[sample], null, 2)}\n`;
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

/** The ids of the policy's steps for a late fee left after the principal (`residualLateFee`). */
function residualSteps(policy: Policy): { reminders: ReadonlySet<string>; waive: string | undefined } {
  return { reminders: new Set((policy.residualLateFee?.reminders ?? []).map((r) => r.id)), waive: policy.residualLateFee?.waive?.id };
}

/** What the row says besides its columns: a residual fee's step, the offers a protection adds. */
function notesOf(a: PlannedAction, steps: ReturnType<typeof residualSteps>, locale: StudioLocale): string {
  const notes: string[] = [];
  if (steps.reminders.has(a.stage)) notes.push(t("residualStep", locale));
  if (a.stage === steps.waive) notes.push(`${t("residualStep", locale)}; ${t("residualWaiver", locale)}`);
  if (a.offers && a.offers.length > 0) notes.push(`${t("offers", locale)}: ${a.offers.join(", ")}`);
  return notes.join("; ");
}

/** The owner's line: id, tags, the protections they bring, and what only the ledger can coordinate. */
function ownerNote(policy: Policy, account: AccountSnapshot, others: number, locale: StudioLocale): HTMLElement | undefined {
  const owner = account.owner;
  if (!owner) return undefined;
  const p = document.createElement("p");
  p.className = "note";
  p.id = "forecast-owner";
  const tags = owner.tags ?? [];
  const protections = (policy.protections ?? []).filter((pr) => tags.includes(pr.tag));
  const parts = [`${t("owner", locale)}: ${[owner.name, owner.id].filter(Boolean).join(" · ") || account.id}${tags.length > 0 ? ` (${t("ownerTags", locale)}: ${tags.join(", ")})` : ""}.`];
  if (tags.length > 0) parts.push(`${t("ownerProtections", locale)}: ${protections.length > 0 ? protections.map((pr) => `${pr.tag}${pr.description ? ` (${pr.description})` : ""}`).join("; ") : t("ownerNoProtection", locale)}.`);
  if (owner.id !== undefined) parts.push(t("ownerOneUnit", locale));
  if (others > 0) parts.push(`${others} ${t("ownerOtherUnits", locale)}.`);
  p.textContent = parts.join(" ");
  p.dataset.protections = protections.map((pr) => pr.tag).join(" ");
  return p;
}

/** A late fee left on charges whose principal is paid, on the last day, and whether the policy plans anything for it. */
function residualNote(policy: Policy, fees: LateFeeReport, planned: boolean, locale: StudioLocale): HTMLElement | undefined {
  const left = fees.allocation.charges.reduce((sum, c) => {
    const fee = fees.charges.find((f) => f.chargeId === c.chargeId)?.amountMinor ?? 0;
    return c.principalUnpaidMinor === 0 ? sum + Math.max(0, fee - c.lateFeePaidMinor) : sum;
  }, 0);
  if (left === 0) return undefined;
  const p = document.createElement("p");
  p.className = "note";
  p.id = "forecast-residual";
  p.dataset.leftMinor = String(left);
  p.dataset.planned = String(planned);
  const what = policy.residualLateFee ? t("residualPlanned", locale) : t("residualSilent", locale);
  p.textContent = `${t("residualLeft", locale)} (${fees.asOf}): ${moneyText(left, policy.currency.minorDigits)} ${policy.currency.code}; ${what}.`;
  return p;
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
  let others = 0;
  let to: string;
  try {
    const parsed = JSON.parse((document.getElementById("account") as HTMLTextAreaElement).value) as AccountSnapshot | { accounts: AccountSnapshot[] };
    // A ledger pasted whole: its first account (the owner's other units in it are counted, not coordinated).
    account = "accounts" in parsed ? parsed.accounts[0]! : parsed;
    const ownerId = account.owner?.id;
    if ("accounts" in parsed && ownerId !== undefined) others = parsed.accounts.filter((a) => a !== account && a.owner?.id === ownerId).length;
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
  const steps = residualSteps(policy);
  const table = document.createElement("table");
  table.id = "forecast-table";
  const head = table.createTHead().insertRow();
  for (const [key, numeric] of [["colDay"], ["colStage"], ["colChannels"], ["colOverdue", true], ["colLateFee", true], ["colTotal", true], ["colDeadline"], ["colNotes"]] as const)
    cell(head, t(key, locale), numeric);
  const body = table.createTBody();
  for (const a of actions) {
    const row = body.insertRow();
    row.dataset.stage = a.stage;
    if (steps.reminders.has(a.stage) || a.stage === steps.waive) row.dataset.residual = a.stage === steps.waive ? "waive" : "reminder";
    cell(row, a.plannedOn);
    cell(row, `${a.title ?? a.stage} (${a.kind})${a.requiresReview ? `, ${t("review", locale)}` : ""}`);
    cell(row, a.channels.join(" + "));
    cell(row, moneyText(a.overdueMinor, digits), true);
    cell(row, moneyText(a.lateFeeMinor, digits), true);
    cell(row, moneyText(a.totalMinor, digits), true);
    cell(row, a.deadlineOn ?? "");
    cell(row, notesOf(a, steps, locale));
  }
  const summary = document.createElement("p");
  summary.className = "note";
  summary.textContent = `${actions.length === 0 ? `${t("noActions", locale)} ` : ""}${t("lateFeesOn", locale)} ${to}: ${moneyText(fees.totalMinor, digits)} ${policy.currency.code}`;
  const planned = actions.some((a) => steps.reminders.has(a.stage) || a.stage === steps.waive);
  const notes = [ownerNote(policy, account, others, locale), residualNote(policy, fees, planned, locale)].filter((n): n is HTMLElement => n !== undefined);
  out.replaceChildren(...notes, table, summary);
  picture.innerHTML = renderTimelineSvg(policy, { forecast: actions, account, from });
}
