/**
 * (b) in the benchmark: the built-in residential timeline (S2) wired the plain way a vendor would
 * without this library, from what such a vendor has: the raw ledger snapshot (`AccountSnapshot`,
 * dates as `YYYY-MM-DD` strings; only its type is imported from here), the policy JSON
 * (policies/residential.json) and the stack the design card names. Per account:
 *
 * - every date of the snapshot is parsed with luxon in the policy's `timeZone` (Asia/Shanghai),
 *   and deadlines, months in arrears and day counts are luxon arithmetic (`plus`, `diff`);
 * - the billing days come from the policy's RRULE (`FREQ=MONTHLY;BYMONTHDAY=1`) with rrule: for
 *   an account with something unpaid, one `RRule` on its first charge month and `between()` over
 *   its charge months, in floating UTC (no tzid);
 * - json-rules-engine decides the stage, with the rules of (b′) (bench/naive-jre.ts): one engine
 *   run for the arrears ladder and one per unpaid charge; the most severe event wins.
 *
 * The stage days, ladder months, deadline and channel substitutions are read from the policy JSON
 * once per run. Nothing is done twice on purpose, and nothing is cached across accounts either:
 * this is the obvious wiring, which is what "without this library" means for issue #5.
 */
import type { Engine } from "json-rules-engine";
import { DateTime } from "luxon";
import rrulePkg from "rrule";
import policyJson from "../policies/residential.json" with { type: "json" };
import type { AccountSnapshot } from "../src/ledger/account.js";
import { mostSevere, naiveEvent, type NaiveAction, type NaiveEvent } from "./naive-jre.js";

export { naiveEngine as vendorEngine } from "./naive-jre.js";

const { RRule } = rrulePkg;

/** The parts of the policy JSON this wiring reads. */
interface PolicyJson {
  timeZone: string;
  billingCycle: { rrule: string };
  stages: Array<{ id: string; channels: string[]; deadlineDays?: number; trigger: { type: string; monthOffset?: number; day?: number; months?: number } }>;
  protections: Array<{ tag: string; replaceChannels?: Array<{ from: string; to: string }> }>;
}

const policy = policyJson as PolicyJson;
const zone = policy.timeZone;
const stage = (id: string) => policy.stages.find((s) => s.id === id)!;
const ruleOptions = RRule.parseString(policy.billingCycle.rrule);
const dunningTrigger = stage("dunning_notice").trigger;
const finalTrigger = stage("final_notice").trigger;
const ladder = policy.stages.filter((s) => s.trigger.type === "arrearsMonths").map((s) => ({ id: s.id, months: s.trigger.months! }));
const demands = new Map(policy.stages.filter((s) => s.deadlineDays !== undefined).map((s) => [s.id, s.deadlineDays!]));

/** "Today" in the estate's zone: the civil date `YYYY-MM-DD` the plan is for. */
export function vendorToday(asOf: string): DateTime {
  return DateTime.fromISO(asOf, { zone });
}

const day = (iso: string) => DateTime.fromISO(iso, { zone });
const days = (to: DateTime, from: DateTime) => to.diff(from, "days").days;
/** Day `d` of the month `offset` months after `monthStart`, clamped to the month's end. */
const monthDay = (monthStart: DateTime, offset: number, d: number) => {
  const m = monthStart.plus({ months: offset });
  return m.set({ day: Math.min(d, m.daysInMonth!) });
};

export async function vendorDue(engine: Engine, snapshot: AccountSnapshot, today: DateTime): Promise<NaiveAction[]> {
  // The ledger's rows with their dates parsed; charges oldest due first.
  const charges = snapshot.charges.map((c) => ({ id: c.id, period: c.period, due: day(c.dueOn), amount: c.amountMinor })).sort((x, y) => x.due.toMillis() - y.due.toMillis());
  const payments = (snapshot.payments ?? []).map((p) => ({ on: day(p.on), amount: p.amountMinor }));
  const log = (snapshot.actions ?? []).map((a) => ({ stage: a.stage, covers: a.covers ?? [], on: day(a.on) })).filter((a) => a.on <= today);
  if (log.some((a) => a.on.equals(today))) return [];

  // Payments settle the oldest charges first.
  let paid = 0;
  for (const p of payments) if (p.on <= today) paid += p.amount;
  const unpaid = charges.map((c) => {
    const applied = Math.min(paid, c.amount);
    paid -= applied;
    return c.amount - applied;
  });
  const doneFor = (stageId: string, chargeId: string) => log.find((a) => a.stage === stageId && a.covers.includes(`${stageId}@${chargeId}`));
  const anchor = charges.find((c, i) => unpaid[i]! > 0 && c.due < today);
  const lastAfter = (stageId: string) => {
    let last: DateTime | undefined;
    if (anchor) for (const a of log) if (a.stage === stageId && a.on > anchor.due && (!last || a.on > last)) last = a.on;
    return last;
  };

  const events: NaiveEvent[] = [];
  // The arrears ladder, once per account (paid-up accounts too: the rules decide).
  const arrears: Record<string, unknown> = { track: "account", arrearsMonths: anchor ? Math.floor(today.diff(anchor.due, "months").months) : 0 };
  let prevOn: DateTime | undefined;
  let prevRegular: DateTime | undefined;
  for (const [k, { id, months }] of ladder.entries()) {
    const on = lastAfter(id);
    arrears[`a${months}Done`] = on !== undefined;
    if (anchor) {
      const regular = anchor.due.plus({ months });
      const due = k > 0 && prevOn !== undefined ? DateTime.max(regular, prevOn.plus({ days: Math.max(1, days(regular, prevRegular!)) })) : regular;
      arrears[`daysSince${months}m`] = days(today, due);
      prevOn = on;
      prevRegular = regular;
    } else arrears[`daysSince${months}m`] = -1;
  }
  arrears.demandDeadlinePassed = anchor !== undefined && log.some((a) => demands.has(a.stage) && a.on > anchor.due && a.on.plus({ days: demands.get(a.stage)! }) < today);
  for (const e of (await engine.run(arrears)).events) events.push(naiveEvent(e, anchor?.id ?? ""));

  // The charge ladder, once per unpaid charge; its billing day is the RRULE's occurrence in the charge's month.
  if (unpaid.some((u) => u > 0)) {
    const first = DateTime.fromISO(charges[0]!.period, { zone });
    const last = DateTime.fromISO(charges.at(-1)!.period, { zone }).endOf("month");
    const dtstart = new Date(Date.UTC(first.year, first.month - 1, first.day));
    const rule = new RRule({ ...ruleOptions, dtstart });
    const billingDays = new Map<string, DateTime>();
    for (const d of rule.between(dtstart, new Date(Date.UTC(last.year, last.month - 1, last.day)), true)) {
      const billing = DateTime.fromObject({ year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() }, { zone });
      billingDays.set(billing.toFormat("yyyy-MM"), billing);
    }
    for (const [i, c] of charges.entries()) {
      if (unpaid[i]! <= 0) continue;
      const billing = billingDays.get(c.period)!;
      const month = billing.startOf("month");
      const dunningRegular = monthDay(month, dunningTrigger.monthOffset!, dunningTrigger.day!);
      const finalRegular = monthDay(month, finalTrigger.monthOffset!, finalTrigger.day!);
      const dunningOn = doneFor("dunning_notice", c.id)?.on;
      const facts = {
        track: "charge",
        billingDone: doneFor("billing_notice", c.id) !== undefined,
        dunningDone: dunningOn !== undefined,
        finalDone: doneFor("final_notice", c.id) !== undefined,
        daysSinceBillingDay: days(today, billing),
        daysSinceDunningDay: days(today, DateTime.max(dunningRegular, c.due.plus({ days: 1 }))),
        daysSinceFinalDay: dunningOn === undefined ? -1 : days(today, DateTime.max(finalRegular, dunningOn.plus({ days: days(finalRegular, dunningRegular) }))),
      };
      for (const e of (await engine.run(facts)).events) events.push(naiveEvent(e, c.id));
    }
  }

  // The most severe event wins; the channels are the stage's, with the owner's protections applied.
  const best = mostSevere(events);
  if (!best) return [];
  const tags = snapshot.owner?.tags ?? [];
  const swaps = policy.protections.filter((p) => tags.includes(p.tag)).flatMap((p) => p.replaceChannels ?? []);
  const channels = stage(best.stage).channels.map((ch) => swaps.find((s) => s.from === ch)?.to ?? ch);
  return [{ id: `${snapshot.id}:${best.stage}@${best.anchor}`, stage: best.stage, channels: [...new Set(channels)] }];
}
