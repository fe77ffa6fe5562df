/**
 * What the timeline shows, computed once and shared by the SVG and the HTML page. Without a
 * forecast: what the real scheduler plans for a sample charge left unpaid for 14 months. With
 * one account: the actions already carried out (as recorded on the ledger), its holds, and its
 * forecast with amounts.
 */
import { STAFF_KINDS, type Channel, type StageKind } from "../rules/kinds.js";
import type { Policy } from "../rules/schema.js";
import { TRIGGER_TABLE, describeTrigger, predecessorOf, type Ladder } from "../rules/vocabulary-triggers.js";
import type { AccountSnapshot } from "../ledger/account.js";
import type { PlannedAction } from "../schedule/ladder/action.js";
import { addMonths, civilDate, civilOf, epochDayOf, formatCivilDate, type EpochDay } from "../schedule/time/civil-date.js";
import { compilePolicy } from "../schedule/ladder/compile.js";
import { holdSpan, planBrokenOn, planFinishedOn } from "../schedule/ladder/holds.js";
import { normalizeAccount } from "../ledger/check-account.js";
import { stageReader } from "../schedule/ladder/continues.js";
import { createScheduler } from "../schedule/ladder/scheduler.js";
import { formatMinor } from "../schedule/fees/money-text.js";

export interface TimelineOptions {
  /** An account's forecast to plot; without it, the policy's regular timeline for a sample charge. */
  forecast?: PlannedAction[];
  /** The account the forecast is for: its id, owner, holds and recorded actions are drawn. */
  account?: AccountSnapshot;
  /** Start of the axis. Without a forecast: the sample charge falls due on the 1st of this month (default 2026-03-01). With one: the day the forecast starts. */
  from?: string;
  /** With an account: how many months of recorded actions before `from` to draw (default 12). */
  historyMonths?: number;
}

/** An action already carried out, as the ledger records it, read in the policy's terms. */
export interface DoneAction {
  id: string;
  /** The stage it counts as under this policy: the recorded one, or what the policy's `continues` says an older version's stage has become. */
  stage: string;
  /** The stage id the ledger recorded, when it is not `stage` (an older version's id). */
  recordedAs?: string;
  /** The stage's kind in the policy; absent when the policy has no such stage (recorded under one that `continues` does not name, or names as no warning). */
  kind?: StageKind;
  on: string;
  channels: Channel[];
  covers: string[];
  /** A call or visit reached the owner. */
  conversation: boolean;
  lane: LaneId;
}

export interface TimelineModel {
  policy: Policy;
  mode: "policy" | "account";
  title: string;
  subtitle: string;
  from: EpochDay;
  to: EpochDay;
  /** Account mode: the day the forecast starts; what lies before it was carried out. */
  asOf?: EpochDay;
  /** The forecast (or the sample charge's plan). */
  actions: PlannedAction[];
  /** Recorded actions in the window, oldest first. */
  done: DoneAction[];
  /** Recorded actions older than the window, counted, not drawn. */
  doneBefore: number;
  holds: HoldSpan[];
  /** Stages that never fall due in the window (e.g. a review years before limitation). */
  notReached: { stage: string; kind: StageKind; lane: LaneId; trigger: string }[];
}

export interface HoldSpan {
  id: string;
  type: string;
  from: EpochDay;
  to: EpochDay;
  label: string;
  /** True when the span runs past the window (open-ended or later end). */
  open: boolean;
}

export type LaneId = "charge" | "arrears" | "staff";
export const LANES: readonly { id: LaneId; label: string; sub: string }[] = [
  { id: "charge", label: "Charge ladder", sub: "per charge: bill, dunning, final" },
  { id: "arrears", label: "Arrears ladder", sub: "per account: months in arrears" },
  { id: "staff", label: "Limitation / staff", sub: "reviews, follow-ups, holds" },
];

/** The lane each ladder is drawn in; staff kinds and the scheduler's hold stages go to `staff` too. */
const LANE_OF_LADDER = { charge: "charge", arrears: "arrears", limitation: "staff" } as const satisfies Record<Ladder, LaneId>;

/** Which lane a stage belongs to: its ladder (the trigger table's), followed through `afterStage` chains. */
export function laneOf(policy: Policy, stageId: string, kind?: StageKind): LaneId {
  if (kind !== undefined && STAFF_KINDS.has(kind)) return "staff";
  const byId = new Map(policy.stages.map((s) => [s.id, s]));
  let stage = byId.get(stageId);
  const seen = new Set<string>();
  let next: string | undefined;
  while (stage && (next = predecessorOf(stage.trigger)) !== undefined && !seen.has(stage.id)) {
    seen.add(stage.id);
    stage = byId.get(next);
  }
  if (!stage) return "staff"; // the scheduler's own hold stages
  if (STAFF_KINDS.has(stage.kind)) return "staff";
  const ladder = TRIGGER_TABLE[stage.trigger.type].ladder;
  return ladder === "predecessor" ? "staff" /* a chain that loops */ : LANE_OF_LADDER[ladder];
}

export function firstOfMonth(day: EpochDay): EpochDay {
  const [y, m] = civilOf(day);
  return epochDayOf(y, m, 1);
}

function holdSpans(policy: Policy, account: AccountSnapshot | undefined, from: EpochDay, to: EpochDay): HoldSpan[] {
  const spans: HoldSpan[] = [];
  const checked = account?.holds?.some((h) => h.type === "installmentPlan") ? normalizeAccount(account) : undefined;
  /** A plan's end as planning reads it (holds.ts holdSpan, the one rule): its last held day, and why it ended. */
  const planEnded = (id: string): { lastDay: EpochDay; why: string } | undefined => {
    if (!checked?.ok) return undefined;
    const plan = checked.account.holds.find((x) => x.id === id);
    if (plan?.type !== "installmentPlan") return undefined;
    const grace = compilePolicy(policy).holdRules.installmentGraceDays;
    const lastDay = holdSpan(plan, checked.account, grace).to;
    if (lastDay === undefined) return undefined;
    const on = lastDay + 1;
    const why =
      on === plan.cancelled ? "cancelled" : on === planBrokenOn(checked.account, plan, grace) ? "broken" : on === planFinishedOn(checked.account, plan, grace) ? "paid in full" : "paid to an older charge, ended";
    return { lastDay, why };
  };
  for (const h of account?.holds ?? []) {
    let start: string;
    let end: string | undefined;
    let label: string;
    switch (h.type) {
      case "dispute":
        start = h.openedOn;
        end = h.resolvedOn;
        label = `dispute (${h.severity})${h.resolvedOn ? "" : ", open"}`;
        break;
      case "installmentPlan": {
        start = h.agreedOn;
        // Where the scheduler's hold ends (cancelled, broken, paid in full, or paid to an older charge), else its last instalment.
        const ended = planEnded(h.id);
        end = ended ? formatCivilDate(ended.lastDay) : h.instalments.map((i) => i.dueOn).sort().at(-1);
        label = `installment plan, ${h.instalments.length} instalments${ended ? `, ${ended.why} ${formatCivilDate(ended.lastDay + 1)}` : ""}`;
        break;
      }
      case "promiseToPay":
        start = h.madeOn;
        end = h.promisedOn;
        label = `promise to pay by ${h.promisedOn}`;
        break;
      case "manual":
        start = h.from;
        end = h.until;
        label = `manual hold (${h.scope}): ${h.reason}`;
        break;
    }
    let a: EpochDay;
    let b: EpochDay;
    try {
      a = civilDate(start);
      b = end === undefined ? to : civilDate(end);
    } catch {
      continue;
    }
    if (b < from || a > to) continue;
    spans.push({ id: h.id, type: h.type, from: Math.max(a, from), to: Math.min(b, to), label, open: end === undefined || b > to });
  }
  return spans;
}

/** The sample account of the policy view: one charge, due on the 1st of `from`'s month, never paid. */
export function sampleAccount(policy: Policy, dueOn: string): AccountSnapshot {
  return {
    id: "sample",
    segment: policy.segment ?? "residential",
    owner: { name: "Sample owner" },
    charges: [{ id: "sample-charge", period: dueOn.slice(0, 7), dueOn, amountMinor: 30000 }],
  };
}

/** Computes what the timeline shows: the actions, the window and the holds. */
export function timelineModel(policy: Policy, options: TimelineOptions = {}): TimelineModel {
  const digits = policy.currency.minorDigits;
  if (options.forecast === undefined) {
    const due = firstOfMonth(civilDate(options.from ?? "2026-03-01"));
    const from = addMonths(due, -1);
    const to = addMonths(due, 14) - 1;
    const account = sampleAccount(policy, formatCivilDate(due));
    const actions = createScheduler(policy).forecast(account, formatCivilDate(from), formatCivilDate(to));
    const seen = new Set(actions.flatMap((a) => a.covers.map((c) => c.stage)));
    return {
      policy,
      mode: "policy",
      title: `${policy.name ?? policy.id} — policy ${policy.id} ${policy.version}`,
      subtitle: `Regular timeline: one charge of ${formatMinor(30000, digits)} ${policy.currency.code} due ${formatCivilDate(due)}, never paid; planned by the scheduler over 14 months.`,
      from,
      to,
      actions,
      done: [],
      doneBefore: 0,
      holds: [],
      notReached: policy.stages.filter((s) => !seen.has(s.id)).map((s) => ({ stage: s.id, kind: s.kind, lane: laneOf(policy, s.id, s.kind), trigger: describeTrigger(s.trigger) })),
    };
  }
  const actions = [...options.forecast].sort((a, b) => (a.plannedOn < b.plannedOn ? -1 : a.plannedOn > b.plannedOn ? 1 : 0));
  const first = actions[0]?.plannedOn;
  const last = actions.at(-1)?.plannedOn;
  const fromDay = options.from !== undefined ? civilDate(options.from) : first !== undefined ? civilDate(first) : civilDate("2026-03-01");
  const account = options.account;
  const { done, before } = doneActions(policy, account, addMonths(firstOfMonth(fromDay), -(options.historyMonths ?? 12)));
  let from = firstOfMonth(Math.min(fromDay, first !== undefined ? civilDate(first) : fromDay));
  if (done.length > 0) from = Math.min(from, firstOfMonth(civilDate(done[0]!.on)));
  let to = Math.max(addMonths(from, 3), last !== undefined ? civilDate(last) : from, done.length > 0 ? civilDate(done.at(-1)!.on) : from);
  for (const a of actions) if (a.deadlineOn) to = Math.max(to, civilDate(a.deadlineOn));
  to = addMonths(firstOfMonth(to), 1) - 1;
  const owner = account?.owner?.name;
  const id = account?.id ?? actions[0]?.accountId ?? "account";
  const history = done.length + before > 0 ? ` Already carried out: ${done.length} recorded action${done.length === 1 ? "" : "s"}${before > 0 ? ` (${before} older not shown)` : ""}.` : "";
  return {
    policy,
    mode: "account",
    title: `Account ${id}${owner ? ` — ${owner}` : ""}${account?.unit ? `, unit ${account.unit}` : ""}`,
    subtitle: `Forecast under ${policy.id} ${policy.version} from ${formatCivilDate(fromDay)} if nothing more is paid: ${actions.length} action${actions.length === 1 ? "" : "s"}; amounts in ${policy.currency.code}.${history}`,
    from,
    to,
    asOf: fromDay,
    actions,
    done,
    doneBefore: before,
    holds: holdSpans(policy, account, from, to),
    notReached: [],
  };
}

/**
 * The account's recorded actions from `since` on, with their kind, channels and lane from the
 * policy: each under the stage it counts as now (the scheduler's reading of `continues`,
 * `stageReader`), so that a renamed stage is drawn with its kind, in its lane.
 */
function doneActions(policy: Policy, account: AccountSnapshot | undefined, since: EpochDay): { done: DoneAction[]; before: number } {
  const compiled = compilePolicy(policy);
  const stages = compiled.byId;
  const read = stageReader(compiled);
  const done: DoneAction[] = [];
  let before = 0;
  for (const r of account?.actions ?? []) {
    let on: EpochDay;
    try {
      on = civilDate(r.on);
    } catch {
      continue; // normalizeAccount reports it; the picture draws what it can
    }
    if (on < since) {
      before++;
      continue;
    }
    // A stage nothing names, or one `continues` counts as no warning, stays as recorded, without a kind.
    const id = read(r.stage) ?? r.stage;
    const stage = stages.get(id);
    const kind = stage?.kind;
    done.push({
      id: r.id,
      stage: id,
      ...(id !== r.stage ? { recordedAs: r.stage } : {}),
      ...(kind ? { kind } : {}),
      on: r.on,
      channels: r.channels ?? [...(stage?.stage.channels ?? [])],
      covers: r.covers ?? [],
      conversation: r.conversation === true,
      lane: laneOf(policy, id, kind),
    });
  }
  done.sort((a, b) => (a.on < b.on ? -1 : a.on > b.on ? 1 : 0));
  return { done, before };
}
