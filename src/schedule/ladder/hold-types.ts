/**
 * Holds as the ledger states them, and their checked form. A hold pauses collection where it is
 * fair to: an open dispute, a kept installment plan, a pending promise to pay, a manual exemption.
 */
import { parseCivilDate, type EpochDay } from "../time/civil-date.js";

export type DisputeSeverity = "major" | "important" | "minor";

/**
 * The ledger's hold records (JSON). Only an installment plan names anything on the account: its
 * `charges`, each a charge id or a billing period `YYYY-MM` (every charge of that period). A name
 * that is a charge's id means that charge, even when other charges have it as their period. A name
 * that matches nothing, or an empty list, makes the account an error (`unresolved_reference`,
 * `invalid_value`), never a plan that covers nothing.
 */
export type HoldRecord =
  | { type: "dispute"; id: string; openedOn: string; severity: DisputeSeverity; resolvedOn?: string; note?: string }
  | { type: "installmentPlan"; id: string; agreedOn: string; charges: string[]; instalments: { dueOn: string; amountMinor: number }[]; cancelledOn?: string }
  /** `amountMinor`: the amount promised, recorded for staff; no rule reads it. */
  | { type: "promiseToPay"; id: string; madeOn: string; promisedOn: string; amountMinor?: number }
  | { type: "manual"; id: string; from: string; until?: string; scope: "all" | "legal"; reason: string };

/**
 * Every hold may also say when it was entered in the ledger (`recordedOn`, optional): a hold is
 * often recorded after the day it took effect (a complaint logged a week late). Planning never
 * reads it (a hold holds from its own date); the review of actions carried out inside a hold
 * (hold-review.ts) quotes it. A dispute cannot be recorded before it was opened, a promise before
 * it was made, nor an installment plan before it was agreed. A manual hold may be: staff enter one
 * in advance (a unit under repair from next month), so its `from` may follow its `recordedOn`.
 */
export type HoldSnapshot = HoldRecord & { recordedOn?: string };

/** A checked hold. A plan's `charges` are charge ids only: periods were resolved when it was checked. `recorded`: its `recordedOn`, if given. */
export type Hold = (
  | { type: "dispute"; id: string; opened: EpochDay; severity: DisputeSeverity; resolved: EpochDay | undefined }
  | { type: "installmentPlan"; id: string; agreed: EpochDay; charges: ReadonlySet<string>; instalments: { due: EpochDay; amount: number }[]; cancelled: EpochDay | undefined }
  | { type: "promiseToPay"; id: string; made: EpochDay; promised: EpochDay }
  | { type: "manual"; id: string; from: EpochDay; until: EpochDay | undefined; scope: "all" | "legal"; reason: string }
) & { recorded?: EpochDay };

import type { Issue } from "../../rules/errors.js";

type Problem = Issue;

function date(value: unknown, path: string, problems: Problem[], optional = false): EpochDay | undefined {
  if (optional && value === undefined) return undefined;
  const day = typeof value === "string" ? parseCivilDate(value) : undefined;
  if (day === undefined) problems.push({ code: "invalid_date", path, message: `must be a date YYYY-MM-DD (got ${JSON.stringify(value)})` });
  return day;
}

/** The names a plan may use for the account's charges: ids, and periods with the ids of their charges. */
interface ChargeNames {
  ids: ReadonlySet<string>;
  periods: ReadonlyMap<string, string[]>;
}

/** From the ledger's `charges` as listed (unchecked: a charge with a bad date still has its name, so a plan naming it is not also reported). */
function chargeNames(charges: unknown): ChargeNames {
  const ids = new Set<string>();
  const periods = new Map<string, string[]>();
  if (Array.isArray(charges))
    for (const c of charges) {
      if (typeof c?.id !== "string") continue;
      ids.add(c.id);
      if (typeof c.period !== "string") continue;
      const of = periods.get(c.period);
      if (of) of.push(c.id);
      else periods.set(c.period, [c.id]);
    }
  return { ids, periods };
}

/** A few of `names`, quoted, for a message: `"a", "b", … (12 in all)`. */
function some(names: Iterable<string>): string {
  const all = [...names];
  if (all.length === 0) return "none";
  const shown = all.slice(0, 4).map((n) => JSON.stringify(n)).join(", ");
  return all.length > 4 ? `${shown}, … (${all.length} in all)` : shown;
}

/**
 * The charge ids a plan's `charges` name: an id as itself, a period as every charge of it (an exact
 * id wins over a period, so a ledger whose ids look like periods means what it says). Every name
 * that matches nothing is an `unresolved_reference` at its place.
 */
function resolveCharges(refs: readonly string[], names: ChargeNames, at: string, problems: Problem[]): Set<string> {
  const covered = new Set<string>();
  refs.forEach((ref, j) => {
    if (names.ids.has(ref)) covered.add(ref);
    else if (names.periods.has(ref)) for (const id of names.periods.get(ref)!) covered.add(id);
    else
      problems.push({
        code: "unresolved_reference",
        path: `${at}.charges[${j}]`,
        message: `names no charge: ${JSON.stringify(ref)} is neither a charge id nor a billing period (YYYY-MM) of the account's charges (ids: ${some(names.ids)}; periods: ${some(names.periods.keys())})`,
      });
  });
  return covered;
}

/**
 * Checks the ledger's `holds`; problems name the field (`holds[1].promisedOn`). `charges` is the
 * account's `charges` as the ledger lists them: a plan's names are resolved against them here, once,
 * so every reader of a checked hold (planner, limitation, late fees, reports) sees charge ids only.
 */
export function normalizeHolds(raw: unknown, problems: Problem[], charges: unknown): Hold[] {
  if (raw === undefined) return [];
  if (!Array.isArray(raw)) return void problems.push({ code: "invalid_type", path: "holds", message: "must be an array" }), [];
  const holds: Hold[] = [];
  let names: ChargeNames | undefined;
  raw.forEach((h: any, i) => {
    const at = `holds[${i}]`;
    const before = problems.length;
    if (!h || typeof h !== "object") return void problems.push({ code: "invalid_type", path: at, message: "must be an object" });
    if (typeof h.id !== "string" || h.id.length === 0) problems.push({ code: "invalid_id", path: `${at}.id`, message: "must be a non-empty string" });
    const recorded = date(h.recordedOn, `${at}.recordedOn`, problems, true);
    const withRecorded = recorded === undefined ? {} : { recorded };
    /** A hold that takes effect on `start` (a dispute opened, a promise made, a plan agreed) cannot have been recorded before it. */
    const recordedAfter = (start: EpochDay | undefined, field: string) => {
      if (recorded !== undefined && start !== undefined && recorded < start) problems.push({ code: "invalid_date", path: `${at}.recordedOn`, message: `must not be before ${field} (a hold is recorded on or after the day it took effect)` });
    };
    switch (h.type) {
      case "dispute": {
        const opened = date(h.openedOn, `${at}.openedOn`, problems);
        const resolved = date(h.resolvedOn, `${at}.resolvedOn`, problems, true);
        if (!["major", "important", "minor"].includes(h.severity)) problems.push({ code: "invalid_value", path: `${at}.severity`, message: `must be major, important or minor (got ${JSON.stringify(h.severity)})` });
        recordedAfter(opened, "openedOn");
        if (problems.length === before) holds.push({ type: "dispute", id: h.id, opened: opened!, severity: h.severity, resolved, ...withRecorded });
        return;
      }
      case "installmentPlan": {
        const agreed = date(h.agreedOn, `${at}.agreedOn`, problems);
        const cancelled = date(h.cancelledOn, `${at}.cancelledOn`, problems, true);
        let covered: Set<string> | undefined;
        if (!Array.isArray(h.charges) || !h.charges.every((c: unknown) => typeof c === "string"))
          problems.push({ code: "invalid_type", path: `${at}.charges`, message: "must be an array of charge ids or billing periods (YYYY-MM)" });
        else if (h.charges.length === 0)
          problems.push({ code: "invalid_value", path: `${at}.charges`, message: "must name at least one charge, by id or billing period (YYYY-MM): a plan that covers nothing would leave the owner dunned while keeping it" });
        else covered = resolveCharges(h.charges, (names ??= chargeNames(charges)), at, problems);
        const instalments: { due: EpochDay; amount: number }[] = [];
        if (!Array.isArray(h.instalments) || h.instalments.length === 0) problems.push({ code: "invalid_type", path: `${at}.instalments`, message: "must be a non-empty array" });
        else
          h.instalments.forEach((x: any, j: number) => {
            const due = date(x?.dueOn, `${at}.instalments[${j}].dueOn`, problems);
            if (!Number.isSafeInteger(x?.amountMinor) || x.amountMinor <= 0)
              problems.push({ code: "invalid_amount", path: `${at}.instalments[${j}].amountMinor`, message: `must be a positive integer of minor units (got ${JSON.stringify(x?.amountMinor)})` });
            else if (due !== undefined) instalments.push({ due, amount: x.amountMinor });
          });
        if (instalments.reduce((sum, x) => sum + x.amount, 0) > Number.MAX_SAFE_INTEGER)
          problems.push({ code: "unsafe_total", path: `${at}.instalments`, message: `the instalments add up to more than ${Number.MAX_SAFE_INTEGER} minor units, past which sums are not exact` });
        instalments.sort((a, b) => a.due - b.due);
        recordedAfter(agreed, "agreedOn");
        if (problems.length === before) holds.push({ type: "installmentPlan", id: h.id, agreed: agreed!, charges: covered!, instalments, cancelled, ...withRecorded });
        return;
      }
      case "promiseToPay": {
        const made = date(h.madeOn, `${at}.madeOn`, problems);
        const promised = date(h.promisedOn, `${at}.promisedOn`, problems);
        if (made !== undefined && promised !== undefined && promised < made) problems.push({ code: "invalid_date", path: `${at}.promisedOn`, message: "must not be before madeOn" });
        // Not read by any rule, but a ledger that states it must state it right: never silently dropped.
        if (h.amountMinor !== undefined && (!Number.isSafeInteger(h.amountMinor) || h.amountMinor <= 0))
          problems.push({ code: "invalid_amount", path: `${at}.amountMinor`, message: `must be a positive integer of minor units (got ${JSON.stringify(h.amountMinor)})` });
        recordedAfter(made, "madeOn");
        if (problems.length === before) holds.push({ type: "promiseToPay", id: h.id, made: made!, promised: promised!, ...withRecorded });
        return;
      }
      case "manual": {
        const from = date(h.from, `${at}.from`, problems);
        const until = date(h.until, `${at}.until`, problems, true);
        if (h.scope !== "all" && h.scope !== "legal") problems.push({ code: "invalid_value", path: `${at}.scope`, message: `must be all or legal (got ${JSON.stringify(h.scope)})` });
        if (typeof h.reason !== "string" || h.reason.trim() === "") problems.push({ code: "invalid_value", path: `${at}.reason`, message: "must say why (a manual hold needs a reason)" });
        if (problems.length === before) holds.push({ type: "manual", id: h.id, from: from!, until, scope: h.scope, reason: h.reason, ...withRecorded });
        return;
      }
      default:
        problems.push({ code: "invalid_value", path: `${at}.type`, message: `must be dispute, installmentPlan, promiseToPay or manual (got ${JSON.stringify(h.type)})` });
    }
  });
  return holds;
}
