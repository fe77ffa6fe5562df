/**
 * The owner, not the unit, is contacted. Each unit's actions for the day are planned on their
 * own (src/schedule/ladder); this pass then looks at one owner's units together: at most one
 * owner-facing action a day across them (an owner-facing action already recorded on any of them
 * that day counts), except the promised day's call (S2 断其后路: call back on exactly the agreed
 * date) and an instalment's reminder on that instalment's due day, which go on their day (the
 * other hold steps are contacts like any: due until carried out, they wait); the policy's frequency caps counted over all of them
 * (the promised day's call, made with the owner's consent, is not limited), and, where every unit's
 * policy says `owners.oneNoticePerOwner`, one notice listing every unit that owes on the day
 * (with an action due that day or not) and its overdue amounts. Staff actions
 * (reviews, follow-ups) do not reach the owner and always go. Nothing is dropped silently: an
 * action held back is returned as waiting, with its reason. Pure: the day is an argument.
 */
import { LEGAL_KINDS, STAGE_KIND_TABLE, WRITTEN_NOTICE_KINDS } from "../../rules/kinds.js";
import type { Policy } from "../../rules/schema.js";
import { resolveFrequencyRules } from "../../rules/contact.js";
import { exactSum, UnsafeAmountError, type Account } from "../../ledger/account.js";
import type { OwnerNotice, OwnerNoticeUnit, PlannedAction } from "../ladder/action.js";
import type { UnitOwed } from "../ladder/owed.js";
import { recordedChannels, viewOf } from "./recorded.js";
import { checkFrequency, type ContactRecord } from "../time/contact.js";
import { formatCivilDate, type EpochDay } from "../time/civil-date.js";

/** One unit of an owner on the planning day: its checked account, its policy and the actions planned for it. */
export interface OwnerUnitDay {
  account: Account;
  policy: Policy;
  actions: readonly PlannedAction[];
  /** What the unit owes on the day (its overdue charges and late fees): asked only for an owner's one notice, of a unit whose action does not state it. */
  owed(): UnitOwed;
}

/**
 * Why an owner-facing action waits: the owner was already contacted that day on one of their
 * units (`owner_contacted_today`), another of their actions goes that day (`one_action_per_owner`),
 * or every channel is over a cap counted over their units (`owner_frequency_cap`).
 */
export type WaitingCode = "owner_contacted_today" | "one_action_per_owner" | "owner_frequency_cap";

/** An owner-facing action held back for a later day, and why. */
export interface WaitingAction {
  code: WaitingCode;
  action: PlannedAction;
  why: string;
}

/** A unit of the owner that was not planned today (it was skipped): its recorded actions still count. */
export interface OwnerUnitHistory {
  account: Account;
  /** Its policy, when one could be chosen: without one, a recorded action counts by its recorded channels. */
  policy?: Policy;
}

/** What goes on the day for one unit after coordination: its actions and those that wait. */
export interface UnitDay {
  accountId: string;
  actions: PlannedAction[];
  waiting: WaitingAction[];
}

/** Most pressing first: the most severe kind, then the most owed, then the account id (stable). */
function pressing(a: PlannedAction, b: PlannedAction): number {
  return STAGE_KIND_TABLE[b.kind].severity - STAGE_KIND_TABLE[a.kind].severity || b.totalMinor - a.totalMinor || (a.accountId < b.accountId ? -1 : a.accountId > b.accountId ? 1 : 0);
}

/**
 * How an owner-facing action stands beside the owner's other units' (lower goes first): 0 the
 * promised day's call (the compiled stage's `consented`; S2 断其后路: call back on exactly the
 * agreed date, with the owner's consent): it goes on its day whatever else the owner got that day
 * (an action recorded today, another promise's call) and everything else waits behind it; so does
 * an instalment's reminder on its instalment's own due day, its last (holds.ts plans it only up to
 * that day: waiting would lose it, and a reminder after the date is pointless); 1 a call or a
 * visit (the kinds table's `writtenNotice` says no), a contact of its own, and every other hold
 * step (an instalment's reminder before its day, a broken plan's notice): due until carried out,
 * it waits a day as any contact does; 2 a written notice, the only kind one owner notice may carry.
 * So a call, a visit or a hold's step is never carried in another unit's notice: it goes alone. A
 * written notice that is a legal step (the kinds table's `legal`: a lawyer's letter, 律师函) stands
 * as a call does: a legal document about its own unit's debts, it neither carries other units nor
 * rides in their notice.
 */
function standing(unit: OwnerUnitDay, action: PlannedAction, asOf: EpochDay): 0 | 1 | 2 {
  const view = viewOf(unit.policy);
  if (view.holdSteps.has(action.stage)) return view.byId.get(action.stage)?.consented === true || (action.stage === view.instalmentReminder && instalmentDueOn(unit.account, action) === asOf) ? 0 : 1;
  return WRITTEN_NOTICE_KINDS.has(action.kind) && !LEGAL_KINDS.has(action.kind) ? 2 : 1;
}

/** The due day of the instalment an instalment reminder is anchored on (its covered key `stage@plan#n`). */
function instalmentDueOn(account: Account, action: PlannedAction): EpochDay | undefined {
  const key = action.covers.find((c) => c.stage === action.stage)?.key ?? "";
  const anchor = key.slice(key.indexOf("@") + 1);
  const hash = anchor.lastIndexOf("#");
  const hold = account.holds.find((h) => h.type === "installmentPlan" && h.id === anchor.slice(0, hash));
  return hold?.type === "installmentPlan" ? hold.instalments[Number(anchor.slice(hash + 1)) - 1]?.due : undefined;
}

/**
 * Coordinates one owner's units on `asOf`. Returns each unit's actions and waiting actions, in
 * the order of `units`. `skipped`: the owner's units not planned today (skipped), whose recorded
 * actions count all the same (today's contact, the caps).
 *
 * @example
 * // A flat and a parking space of owner O-1, both with a dunning notice due on 2026-03-25:
 * // without `owners.oneNoticePerOwner`, the larger goes and the other waits, with its reason.
 * coordinateOwner("O-1", [flat, parking], civilDate("2026-03-25"))
 * // => [{ accountId: "F-1", actions: [dunning], waiting: [] }, { accountId: "P-1", actions: [], waiting: [{ code: "one_action_per_owner", … }] }]
 */
export function coordinateOwner(ownerId: string, units: readonly OwnerUnitDay[], asOf: EpochDay, skipped: readonly OwnerUnitHistory[] = []): UnitDay[] {
  // Each planned action's fate: itself, changed (channels capped, the notice's fields), or held back (absent).
  const fate = new Map<PlannedAction, PlannedAction>();
  const waiting: WaitingAction[][] = units.map(() => []);
  const result = (): UnitDay[] =>
    units.map((u, at) => ({ accountId: u.account.id, actions: u.actions.flatMap((a) => (a.audience !== "owner" ? [a] : fate.has(a) ? [fate.get(a)!] : [])), waiting: waiting[at]! }));
  const candidates: { at: number; action: PlannedAction; original: PlannedAction }[] = [];
  units.forEach((u, at) => u.actions.forEach((action) => action.audience === "owner" && candidates.push({ at, action, original: action })));
  if (candidates.length === 0) return result();

  // What the owner has already been sent, on every unit: the day's contact and the caps' history.
  const history: ContactRecord[] = [];
  let today: { accountId: string; id: string } | undefined;
  for (const u of [...units, ...skipped])
    for (const r of u.account.actions) {
      const seen = recordedChannels(u.policy, r.stage, r.channels);
      if (!seen.owner) continue;
      if (r.on === asOf) today ??= { accountId: u.account.id, id: r.id };
      for (const channel of seen.channels) history.push({ day: r.on, channel, conversation: r.conversation, consented: seen.consented });
    }
  const wait = (at: number, action: PlannedAction, code: WaitingCode, why: string) => waiting[at]!.push({ code, action, why });
  const rank = (k: (typeof candidates)[0]) => standing(units[k.at]!, k.original, asOf);
  let live = candidates;
  if (today !== undefined) {
    // The promised day's call goes on its day, contacted or not (S2 断其后路: call back on exactly
    // the agreed date), and an instalment's reminder on its instalment's day (its last), as a unit's
    // own day lets them; everything else waits, the other hold steps too (due until carried out).
    const contacted = `owner ${ownerId} was already contacted on ${formatCivilDate(asOf)} (${today.id}, unit ${today.accountId})`;
    live = [];
    for (const c of candidates)
      if (rank(c) === 0) live.push({ ...c, action: noted(c.action, `${contacted}; ${goesAnyway(units[c.at]!.policy, c.original)}`) });
      else wait(c.at, c.action, "owner_contacted_today", `${contacted}: one owner-facing action a day across the owner's units; this waits for a later day`);
    if (live.length === 0) return result();
  }

  // Caps by owner: the unit's own caps were kept when it was planned; the owner's other units count too.
  const kept: typeof candidates = [];
  for (const { at, action, original } of live) {
    // One unit alone was capped when it was planned, with its consents: nothing to add.
    if (units.length === 1 && skipped.length === 0) {
      kept.push({ at, action, original });
      continue;
    }
    const frequency = resolveFrequencyRules(units[at]!.policy.contact);
    // The promised day's call was agreed with the owner: no cap limits it, as on its unit (deliver.ts).
    const consented = viewOf(units[at]!.policy).byId.get(original.stage)?.consented === true;
    const notes: string[] = [];
    const channels = action.channels.filter((c) => {
      const check = checkFrequency(history, frequency, asOf, c, { consented });
      if (!check.allowed) notes.push(`${check.reason ?? `${c} capped`} (counted over owner ${ownerId}'s units)`);
      else if (consented && !checkFrequency(history, frequency, asOf, c).allowed)
        notes.push(`${c}: the caps counted over owner ${ownerId}'s units are full, but the owner agreed to this call: a consented contact is not limited (Regulation F §1006.14(b)(3)(i); S2 断其后路: call back on exactly the agreed date)`);
      return check.allowed;
    });
    if (channels.length === 0) wait(at, action, "owner_frequency_cap", `every channel is capped for owner ${ownerId}: ${notes.join("; ")}`);
    else if (notes.length > 0) kept.push({ at, original, action: { ...action, channels, because: { ...action.because, delivery: [...(action.because.delivery ?? []), ...notes] } } });
    else kept.push({ at, action, original });
  }
  if (kept.length === 0) return result();

  kept.sort((a, b) => rank(a) - rank(b) || pressing(a.action, b.action));
  // The promised calls and the due day's instalment reminders all go, each alone; beside one, everything else waits.
  const steps = kept.filter((k) => rank(k) === 0);
  if (steps.length > 0) {
    for (const k of kept)
      if (rank(k) === 0) fate.set(k.original, k.action);
      else wait(k.at, k.action, "one_action_per_owner", `one owner-facing action a day per owner: ${steps[0]!.action.id} (${steps[0]!.action.stage}, unit ${steps[0]!.action.accountId}) goes to owner ${ownerId} today, ${goesAnyway(units[steps[0]!.at]!.policy, steps[0]!.original)}; this waits for a later day`);
    return result();
  }
  // Only written notices go together: with a call or a visit first, the others wait.
  const apart = kept.filter((k, i) => i > 0 && (rank(kept[0]!) !== 2 || rank(k) !== 2));
  if (apart.length > 0) kept.splice(0, kept.length, ...kept.filter((k) => !apart.includes(k)));
  const [first, ...rest] = kept as [(typeof kept)[0], ...typeof kept];
  for (const { at, action } of apart) wait(at, action, "one_action_per_owner", behind(ownerId, first.action));
  // One notice: the units with an action that goes today (most pressing first) and, after them,
  // every other unit that owes on the day (in the ledger's order), each with its amounts.
  const lines: OwnerNoticeUnit[] = [];
  // Only a written notice carries the others (a call or a hold's step goes alone: see standing).
  if (rank(first) === 2 && units.length > 1 && units.every((u) => u.policy.owners?.oneNoticePerOwner === true)) {
    const unitOf = (at: number) => units[at]!.account.snapshot.unit;
    for (const { at, action: a } of kept) {
      const unit = unitOf(at);
      lines.push({ accountId: a.accountId, ...(unit !== undefined ? { unit } : {}), actionId: a.id, stage: a.stage, ...(a.deadlineOn !== undefined ? { deadlineOn: a.deadlineOn } : {}), overdueMinor: a.overdueMinor, lateFeeMinor: a.lateFeeMinor, totalMinor: a.totalMinor, charges: a.charges });
    }
    units.forEach((u, at) => {
      if (kept.some((k) => k.at === at)) return;
      const owed = u.owed();
      const unit = unitOf(at);
      if (owed.totalMinor > 0) lines.push({ accountId: u.account.id, ...(unit !== undefined ? { unit } : {}), ...owed });
    });
  }
  if (lines.length > 1) {
    const notice: OwnerNotice = {
      ownerId,
      units: lines,
      overdueMinor: lines.reduce((s, l) => s + l.overdueMinor, 0),
      lateFeeMinor: lines.reduce((s, l) => s + l.lateFeeMinor, 0),
      totalMinor: lines.reduce((s, l) => s + l.totalMinor, 0),
    };
    // Each unit's amounts are exact; their sum must be too (a notice never states an inexact total).
    if (!exactSum(notice.totalMinor)) throw new UnsafeAmountError("charges", `owner ${ownerId}'s notice total over ${lines.length} units`);
    fate.set(first.original, { ...first.action, ownerNotice: notice });
    // Carried: nothing goes out on its own channels (they are the notice's, on the carrying action), so caps count one message once.
    for (const { action, original } of rest) fate.set(original, { ...action, channels: [], sentWith: first.action.id });
  } else {
    fate.set(first.original, first.action);
    for (const { at, action } of rest) wait(at, action, "one_action_per_owner", behind(ownerId, first.action));
  }
  return result();
}

/** Why a step of rank 0 goes on its day (see `standing`). */
function goesAnyway(policy: Policy, action: PlannedAction): string {
  return viewOf(policy).byId.get(action.stage)?.consented === true
    ? "the promised day's call goes all the same (S2 断其后路: call back on exactly the agreed date)"
    : "an instalment's reminder goes all the same on its instalment's due day (after it, a reminder is pointless)";
}

/** The action with one more line in `because.delivery`. */
function noted(action: PlannedAction, note: string): PlannedAction {
  return { ...action, because: { ...action.because, delivery: [...(action.because.delivery ?? []), note] } };
}

/** Why an action waits behind the one that goes to the owner today. */
function behind(ownerId: string, first: PlannedAction): string {
  return `one owner-facing action a day per owner: ${first.id} (${first.stage}, unit ${first.accountId}) goes to owner ${ownerId} today, being more pressing; this waits for a later day`;
}
