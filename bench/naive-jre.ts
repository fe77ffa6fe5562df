/**
 * (b′) in the benchmark: the built-in residential timeline (S2) wired by hand onto
 * json-rules-engine, but over accounts already normalised by this library (`normalizeAccount`:
 * dates as epoch-day integers, lists sorted) and with this library's integer civil-date arithmetic
 * (src/schedule/time/civil-date.ts). It shows what json-rules-engine costs without luxon and rrule; it
 * is not "without this library" (that is (b), bench/naive-vendor.ts, which reuses the rules below).
 *
 * Facts are computed plainly in JavaScript for each account (and for each unpaid charge); one
 * Engine, built once per run, holds a rule per stage; the engine runs once per account for the
 * arrears ladder and once per unpaid charge for the charge ladder; the most severe event wins.
 */
import { Engine, type Event, type RuleProperties } from "json-rules-engine";
import type { Account } from "../src/ledger/account.js";
import { addMonths, dayOfMonth, wholeMonthsBetween, type EpochDay } from "../src/schedule/time/civil-date.js";

export interface NaiveAction {
  id: string;
  stage: string;
  channels: string[];
}

const f = (fact: string, operator: string, value: unknown) => ({ fact, operator, value });

function rule(stage: string, severity: number, all: ReturnType<typeof f>[]): RuleProperties {
  return { name: stage, conditions: { all }, event: { type: stage, params: { severity } } };
}

/** A rule per S2 stage; facts are named after the stage they gate. Shared with (b). */
export const RULES: RuleProperties[] = [
  rule("billing_notice", 0, [f("track", "equal", "charge"), f("billingDone", "equal", false), f("daysSinceBillingDay", "greaterThanInclusive", 0)]),
  rule("dunning_notice", 1, [f("track", "equal", "charge"), f("dunningDone", "equal", false), f("daysSinceDunningDay", "greaterThanInclusive", 0)]),
  rule("final_notice", 2, [f("track", "equal", "charge"), f("dunningDone", "equal", true), f("finalDone", "equal", false), f("daysSinceFinalDay", "greaterThanInclusive", 0)]),
  rule("arrears_3m_billing_notice", 0, [f("track", "equal", "account"), f("a3Done", "equal", false), f("daysSince3m", "greaterThanInclusive", 0)]),
  rule("arrears_4m_dunning_notice", 1, [f("track", "equal", "account"), f("a3Done", "equal", true), f("a4Done", "equal", false), f("daysSince4m", "greaterThanInclusive", 0)]),
  rule("arrears_6m_final_notice", 2, [f("track", "equal", "account"), f("a4Done", "equal", true), f("a6Done", "equal", false), f("daysSince6m", "greaterThanInclusive", 0)]),
  rule("arrears_12m_lawyer_letter", 3, [
    f("track", "equal", "account"),
    f("a6Done", "equal", true),
    f("a12Done", "equal", false),
    f("arrearsMonths", "greaterThanInclusive", 12),
    f("demandDeadlinePassed", "equal", true),
  ]),
];

const ORDER = new Map(RULES.map((r, i) => [r.name as string, i]));

/** An engine event, with the charge it is anchored on (the oldest unpaid one for the arrears ladder). */
export interface NaiveEvent {
  stage: string;
  severity: number;
  anchor: string;
}

export function naiveEvent(e: Event, anchor: string): NaiveEvent {
  return { stage: e.type, severity: e.params!.severity as number, anchor };
}

/** The most severe event wins (ties: the later stage in RULES); undefined when there is none. */
export function mostSevere(events: readonly NaiveEvent[]): NaiveEvent | undefined {
  if (events.length === 0) return undefined;
  return events.reduce((a, b) => (b.severity > a.severity || (b.severity === a.severity && ORDER.get(b.stage)! > ORDER.get(a.stage)!) ? b : a));
}

/** One engine for the run, with a rule per stage. */
export function naiveEngine(): Engine {
  return new Engine(RULES, { allowUndefinedFacts: true });
}

export async function naiveDue(engine: Engine, account: Account, asOf: EpochDay): Promise<NaiveAction[]> {
  // Facts, plainly: allocate payments oldest first, index the log.
  let paid = 0;
  for (const p of account.payments) if (p.on <= asOf) paid += p.amount;
  const unpaid = account.charges.map((c) => {
    const applied = Math.min(paid, c.amount);
    paid -= applied;
    return c.amount - applied;
  });
  const log = account.actions.filter((a) => a.on <= asOf);
  if (log.some((a) => a.on === asOf)) return [];
  const doneFor = (stage: string, chargeId: string) => log.find((a) => a.stage === stage && (a.covers ?? []).includes(`${stage}@${chargeId}`));
  const anchor = account.charges.find((c, i) => unpaid[i]! > 0 && c.due < asOf);
  const lastAfter = (stage: string) => (anchor ? log.filter((a) => a.stage === stage && a.on > anchor.due).at(-1)?.on : undefined);

  const events: NaiveEvent[] = [];
  // The arrears ladder, once per account (paid-up accounts too: the rules decide).
  const arrears: Record<string, unknown> = { track: "account", arrearsMonths: anchor ? wholeMonthsBetween(anchor.due, asOf) : 0 };
  let prevOn: number | undefined;
  let prevRegular = 0;
  for (const [k, months] of [3, 4, 6, 12].entries()) {
    const on = lastAfter(["arrears_3m_billing_notice", "arrears_4m_dunning_notice", "arrears_6m_final_notice", "arrears_12m_lawyer_letter"][k]!);
    arrears[`a${months}Done`] = on !== undefined;
    if (anchor) {
      const regular = addMonths(anchor.due, months);
      const due = k > 0 && prevOn !== undefined ? Math.max(regular, prevOn + Math.max(1, regular - prevRegular)) : regular;
      arrears[`daysSince${months}m`] = asOf - due;
      prevOn = on;
      prevRegular = regular;
    } else arrears[`daysSince${months}m`] = -1;
  }
  const demand = anchor ? log.filter((a) => (a.stage === "final_notice" || a.stage === "arrears_6m_final_notice") && a.on > anchor.due).map((a) => a.on + 15) : [];
  arrears.demandDeadlinePassed = demand.length > 0 && Math.min(...demand) < asOf;
  for (const e of (await engine.run(arrears)).events) events.push(naiveEvent(e, anchor?.id ?? ""));

  // The charge ladder, once per unpaid charge.
  for (let i = 0; i < account.charges.length; i++) {
    if (unpaid[i]! <= 0) continue;
    const c = account.charges[i]!;
    const dunningOn = doneFor("dunning_notice", c.id)?.on;
    const finalRegular = dayOfMonth(c.month + 1, 25);
    const facts = {
      track: "charge",
      billingDone: doneFor("billing_notice", c.id) !== undefined,
      dunningDone: dunningOn !== undefined,
      finalDone: doneFor("final_notice", c.id) !== undefined,
      daysSinceBillingDay: asOf - dayOfMonth(c.month, 1),
      daysSinceDunningDay: asOf - Math.max(dayOfMonth(c.month, 25), c.due + 1),
      daysSinceFinalDay: dunningOn === undefined ? -1 : asOf - Math.max(finalRegular, dunningOn + (finalRegular - dayOfMonth(c.month, 25))),
    };
    for (const e of (await engine.run(facts)).events) events.push(naiveEvent(e, c.id));
  }
  const best = mostSevere(events);
  if (!best) return [];
  const tags = account.snapshot.owner?.tags ?? [];
  const visit = ["elderly", "disabled", "hardship"].some((t) => tags.includes(t));
  const channels = best.stage === "arrears_12m_lawyer_letter" ? ["expressMail"] : [visit ? "homeVisit" : "doorPosting", "sms"];
  return [{ id: `${account.id}:${best.stage}@${best.anchor}`, stage: best.stage, channels }];
}
