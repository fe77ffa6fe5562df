/**
 * Holds as the ledger states them, and their checked form. A hold pauses collection where it is
 * fair to: an open dispute, a kept installment plan, a pending promise to pay, a manual exemption.
 */
import { parseCivilDate, type EpochDay } from "./civil-date.js";

export type DisputeSeverity = "major" | "important" | "minor";

/** The ledger's hold records (JSON). */
export type HoldSnapshot =
  | { type: "dispute"; id: string; openedOn: string; severity: DisputeSeverity; resolvedOn?: string; note?: string }
  | { type: "installmentPlan"; id: string; agreedOn: string; charges: string[]; instalments: { dueOn: string; amountMinor: number }[]; cancelledOn?: string }
  | { type: "promiseToPay"; id: string; madeOn: string; promisedOn: string; amountMinor?: number }
  | { type: "manual"; id: string; from: string; until?: string; scope: "all" | "legal"; reason: string };

export type Hold =
  | { type: "dispute"; id: string; opened: EpochDay; severity: DisputeSeverity; resolved: EpochDay | undefined }
  | { type: "installmentPlan"; id: string; agreed: EpochDay; charges: ReadonlySet<string>; instalments: { due: EpochDay; amount: number }[]; cancelled: EpochDay | undefined }
  | { type: "promiseToPay"; id: string; made: EpochDay; promised: EpochDay }
  | { type: "manual"; id: string; from: EpochDay; until: EpochDay | undefined; scope: "all" | "legal"; reason: string };

import type { Issue } from "../rules/errors.js";

type Problem = Issue;

function date(value: unknown, path: string, problems: Problem[], optional = false): EpochDay | undefined {
  if (optional && value === undefined) return undefined;
  const day = typeof value === "string" ? parseCivilDate(value) : undefined;
  if (day === undefined) problems.push({ code: "invalid_date", path, message: `must be a date YYYY-MM-DD (got ${JSON.stringify(value)})` });
  return day;
}

/** Checks the ledger's `holds`; problems name the field (`holds[1].promisedOn`). */
export function normalizeHolds(raw: unknown, problems: Problem[]): Hold[] {
  if (raw === undefined) return [];
  if (!Array.isArray(raw)) return void problems.push({ code: "invalid_type", path: "holds", message: "must be an array" }), [];
  const holds: Hold[] = [];
  raw.forEach((h: any, i) => {
    const at = `holds[${i}]`;
    const before = problems.length;
    if (!h || typeof h !== "object") return void problems.push({ code: "invalid_type", path: at, message: "must be an object" });
    if (typeof h.id !== "string" || h.id.length === 0) problems.push({ code: "invalid_id", path: `${at}.id`, message: "must be a non-empty string" });
    switch (h.type) {
      case "dispute": {
        const opened = date(h.openedOn, `${at}.openedOn`, problems);
        const resolved = date(h.resolvedOn, `${at}.resolvedOn`, problems, true);
        if (!["major", "important", "minor"].includes(h.severity)) problems.push({ code: "invalid_value", path: `${at}.severity`, message: `must be major, important or minor (got ${JSON.stringify(h.severity)})` });
        if (problems.length === before) holds.push({ type: "dispute", id: h.id, opened: opened!, severity: h.severity, resolved });
        return;
      }
      case "installmentPlan": {
        const agreed = date(h.agreedOn, `${at}.agreedOn`, problems);
        const cancelled = date(h.cancelledOn, `${at}.cancelledOn`, problems, true);
        if (!Array.isArray(h.charges) || !h.charges.every((c: unknown) => typeof c === "string")) problems.push({ code: "invalid_type", path: `${at}.charges`, message: "must be an array of charge ids" });
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
        if (problems.length === before) holds.push({ type: "installmentPlan", id: h.id, agreed: agreed!, charges: new Set(h.charges), instalments, cancelled });
        return;
      }
      case "promiseToPay": {
        const made = date(h.madeOn, `${at}.madeOn`, problems);
        const promised = date(h.promisedOn, `${at}.promisedOn`, problems);
        if (made !== undefined && promised !== undefined && promised < made) problems.push({ code: "invalid_date", path: `${at}.promisedOn`, message: "must not be before madeOn" });
        if (problems.length === before) holds.push({ type: "promiseToPay", id: h.id, made: made!, promised: promised! });
        return;
      }
      case "manual": {
        const from = date(h.from, `${at}.from`, problems);
        const until = date(h.until, `${at}.until`, problems, true);
        if (h.scope !== "all" && h.scope !== "legal") problems.push({ code: "invalid_value", path: `${at}.scope`, message: `must be all or legal (got ${JSON.stringify(h.scope)})` });
        if (typeof h.reason !== "string" || h.reason.trim() === "") problems.push({ code: "invalid_value", path: `${at}.reason`, message: "must say why (a manual hold needs a reason)" });
        if (problems.length === before) holds.push({ type: "manual", id: h.id, from: from!, until, scope: h.scope, reason: h.reason });
        return;
      }
      default:
        problems.push({ code: "invalid_value", path: `${at}.type`, message: `must be dispute, installmentPlan, promiseToPay or manual (got ${JSON.stringify(h.type)})` });
    }
  });
  return holds;
}
