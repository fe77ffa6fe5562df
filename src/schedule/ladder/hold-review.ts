/**
 * Actions carried out inside a hold, for a person's review. A hold is often recorded after the
 * day it took effect (a complaint logged a week late, a promise noted after the call): planning
 * then holds from the hold's own date at once, but what was carried out in between cannot be
 * undone, only looked at. Each such action is listed with the hold that covers it and why.
 */
import type { Account, Recorded } from "../../ledger/account.js";
import { REOPEN_STAGE_ID } from "../../rules/parse.js";
import { formatCivilDate, type EpochDay } from "../time/civil-date.js";
import type { CompiledPolicy, CompiledStage } from "./compile.js";
import type { Hold } from "./hold-types.js";
import { holdPauses, holdSpan, type HoldSpan } from "./holds.js";
import { keyOfActionId } from "./action.js";

/** One recorded action that a hold covers: what, when, which hold and its days, and the reason in words. */
export interface HoldReview {
  code: "action_inside_hold";
  accountId: string;
  /** The recorded action's `id`, `stage`, and the day it was carried out. */
  actionId: string;
  stage: string;
  on: string;
  holdId: string;
  holdType: Hold["type"];
  /** The first day the hold holds. */
  holdFrom: string;
  /** The last day it holds (inclusive); absent while it runs on. */
  holdTo?: string;
  /** When the hold was entered in the ledger (its `recordedOn`), if the ledger says. */
  holdRecordedOn?: string;
  message: string;
}

const NONE: readonly HoldReview[] = Object.freeze([]);

/** What a hold of each type pauses, in words. */
function pausesText(hold: Hold): string {
  switch (hold.type) {
    case "dispute":
    case "promiseToPay":
      return "everything that presses for payment";
    case "installmentPlan":
      return "every step for the plan's charges";
    case "manual":
      return hold.scope === "all" ? "every stage (scope all)" : "legal steps (scope legal)";
  }
}

/** The hold and its days, in words. */
function holdText(hold: Hold, span: HoldSpan): string {
  const d = formatCivilDate;
  switch (hold.type) {
    case "dispute":
      return `dispute ${hold.id} (${hold.severity}), open from ${d(hold.opened)}${hold.resolved !== undefined ? ` until resolved on ${d(hold.resolved)}` : ""}`;
    case "promiseToPay":
      return `promise to pay ${hold.id}, made on ${d(hold.made)} to pay by ${d(hold.promised)}`;
    case "installmentPlan":
      return `installment plan ${hold.id}, kept from ${d(hold.agreed)}${span.to !== undefined ? ` to ${d(span.to)}` : ""}`;
    case "manual":
      return `manual hold ${hold.id} (${hold.reason}), from ${d(hold.from)}${hold.until !== undefined ? ` to ${d(hold.until)}` : ""}`;
  }
}

/** The stage instances an action carried out: its covers, or its id's own key; the action's stage alone when neither says. */
function instancesOf(accountId: string, a: Recorded): Array<[stage: string, anchor: string]> {
  const keys = a.covers ?? [keyOfActionId(accountId, a.id) ?? ""];
  const out: Array<[string, string]> = [];
  for (const key of keys) {
    const at = key.indexOf("@");
    if (at > 0) out.push([key.slice(0, at), key.slice(at + 1)]);
  }
  return out.length > 0 ? out : [[a.stage, ""]];
}

/**
 * Whether `hold` pauses something `a` carried out: a stage instance it covered that the hold
 * pauses, or a stage the policy does not know (then a person must judge).
 */
function paused(compiled: CompiledPolicy, accountId: string, a: Recorded, hold: Hold): { unknown: boolean } | undefined {
  for (const [stage, anchor] of instancesOf(accountId, a)) {
    // A person's reopening record (after a terminal stage) is no step of the ladder: nothing to review.
    if (stage === REOPEN_STAGE_ID) continue;
    const cs: CompiledStage | undefined = compiled.byId.get(stage);
    if (!cs) return { unknown: true };
    if (holdPauses(hold, cs, anchor)) return { unknown: false };
  }
  return undefined;
}

/**
 * The account's recorded actions (carried out on or before `asOf`) that fall inside a hold which
 * pauses them, earliest first: what a person should review once a hold is recorded after the fact.
 * Inside means on a day of the hold's span (`holdSpan`) and of a stage instance it pauses
 * (`holdPauses`), the rules planning applies. An action of a stage the policy does not know is
 * listed too, saying so. Pure; an account without holds costs nothing. Its public form, with an
 * example: `Scheduler.actionsInsideHolds`.
 */
export function actionsInsideHolds(compiled: CompiledPolicy, account: Account, asOf: EpochDay): readonly HoldReview[] {
  if (account.holds.length === 0 || account.actions.length === 0) return NONE;
  const out: HoldReview[] = [];
  for (const hold of account.holds) {
    const span = holdSpan(hold, account, compiled.holdRules.installmentGraceDays);
    for (const a of account.actions) {
      if (a.on > asOf) break; // sorted by day
      if (a.on < span.from || (span.to !== undefined && a.on > span.to)) continue;
      const why = paused(compiled, account.id, a, hold);
      if (!why) continue;
      const on = formatCivilDate(a.on);
      const recorded =
        hold.recorded === undefined ? "" : hold.recorded > a.on ? `; the hold was recorded on ${formatCivilDate(hold.recorded)}, after the action` : `; the hold was on record from ${formatCivilDate(hold.recorded)}`;
      const what = why.unknown ? `; policy ${compiled.policy.id} has no stage ${a.stage}, so whether the hold pauses it is for a person to judge` : "";
      out.push({
        code: "action_inside_hold",
        accountId: account.id,
        actionId: a.id,
        stage: a.stage,
        on,
        holdId: hold.id,
        holdType: hold.type,
        holdFrom: formatCivilDate(span.from),
        ...(span.to !== undefined ? { holdTo: formatCivilDate(span.to) } : {}),
        ...(hold.recorded !== undefined ? { holdRecordedOn: formatCivilDate(hold.recorded) } : {}),
        message: `${a.stage} on ${on} (action ${a.id}) was carried out inside ${holdText(hold, span)}, which holds ${pausesText(hold)}${recorded}${what}: review it`,
      });
    }
  }
  return out.sort((x, y) => (x.on < y.on ? -1 : x.on > y.on ? 1 : x.actionId < y.actionId ? -1 : x.actionId > y.actionId ? 1 : x.holdId < y.holdId ? -1 : x.holdId > y.holdId ? 1 : 0));
}
