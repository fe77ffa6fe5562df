/**
 * The vocabulary of triggers: what each trigger type means, one row per type, checked by the
 * compiler against the schema's `Trigger` union. Which ladder a stage climbs, what its due date
 * counts from and how it is put into words are read from here by the compiler (schedule/ladder/compile.ts),
 * the timeline and the proof kit (src/testing), so that they cannot disagree. Adding a trigger
 * type is its schema in rules/schema.ts, one row here, and what the compiler then demands.
 */
import { isDunningClass, type StageKind } from "./kinds.js";
import type { Trigger } from "./schema.js";

export type TriggerType = Trigger["type"];
export type TriggerOf<T extends TriggerType> = Extract<Trigger, { type: T }>;

/**
 * The ladders a stage can climb. `charge`: once per charge; `arrears`: once per arrears episode
 * of the account (S2's months-in-arrears ladder); `limitation`: before each unpaid charge's
 * limitation date (Civil Code art. 188). Hold stages (follow-ups, instalment reminders) are the
 * scheduler's own, on a ladder of their own (see schedule/ladder/compile.ts).
 */
export type Ladder = "charge" | "arrears" | "limitation";

/** What the code knows about one trigger type. */
export interface TriggerInfo<T extends TriggerType> {
  /** The ladder its stages climb; `predecessor`: the ladder of the stage it follows. */
  readonly ladder: Ladder | "predecessor";
  /** What its due date counts from. */
  readonly dueDate: "billingMonth" | "chargeDueDate" | "predecessorCarriedOut" | "limitationDate";
  /**
   * Roughly how many days after the charge's due date the stage falls due, for the length of a
   * simulation (src/testing); `reachOf` gives the same for an earlier stage. 0: it does not
   * stretch a simulation (a limitation date is years away; its tests set their own window).
   */
  readonly roughDaysAfterDue: (trigger: TriggerOf<T>, reachOf: (stageId: string) => number) => number;
  /** The trigger in words, for `because`, `explain` and the timeline. */
  readonly describe: (trigger: TriggerOf<T>) => string;
}

export const TRIGGER_TABLE = {
  billingMonthDay: {
    ladder: "charge",
    dueDate: "billingMonth",
    roughDaysAfterDue: (t) => (t.monthOffset + 1) * 31,
    describe: (t) =>
      `day ${t.day} of ${t.monthOffset === 0 ? "the billing month" : t.monthOffset === 1 ? "the month after the billing month" : `the ${t.monthOffset}th month after the billing month`}`,
  },
  dueDate: {
    ladder: "charge",
    dueDate: "chargeDueDate",
    roughDaysAfterDue: (t) => t.offsetDays,
    describe: (t) => (t.offsetDays === 0 ? "on the due date" : `${Math.abs(t.offsetDays)} days ${t.offsetDays < 0 ? "before" : "after"} the due date`),
  },
  afterStage: {
    ladder: "predecessor",
    dueDate: "predecessorCarriedOut",
    roughDaysAfterDue: (t, reachOf) => reachOf(t.stage) + t.days,
    describe: (t) => `${t.days} days after ${t.stage} was carried out`,
  },
  arrearsMonths: {
    ladder: "arrears",
    dueDate: "chargeDueDate", // of the oldest charge still unpaid
    roughDaysAfterDue: (t) => t.months * 31,
    describe: (t) => `${t.months} months in arrears`,
  },
  beforeLimitation: {
    ladder: "limitation",
    dueDate: "limitationDate",
    roughDaysAfterDue: () => 0,
    describe: (t) => `${t.days} days before the charge's limitation date`,
  },
} as const satisfies { readonly [T in TriggerType]: TriggerInfo<T> };

/** The row of `trigger`'s type, typed for that trigger (the table is keyed by type, so this cast is sound). */
function rowOf<T extends TriggerType>(trigger: TriggerOf<T>): TriggerInfo<T> {
  return TRIGGER_TABLE[trigger.type as T] as unknown as TriggerInfo<T>;
}

/**
 * The trigger in words, for `because`, `explain` and the timeline.
 *
 * @example
 * describeTrigger({ type: "dueDate", offsetDays: -7 })                 // "7 days before the due date"
 * describeTrigger({ type: "billingMonthDay", monthOffset: 1, day: 25 }) // "day 25 of the month after the billing month"
 */
export function describeTrigger(trigger: Trigger): string {
  return rowOf(trigger).describe(trigger);
}

/** Roughly how many days after the charge's due date a stage with `trigger` falls due (see `TriggerInfo.roughDaysAfterDue`). */
export function roughDaysAfterDue(trigger: Trigger, reachOf: (stageId: string) => number): number {
  return rowOf(trigger).roughDaysAfterDue(trigger, reachOf);
}

/** The stage a trigger follows (`afterStage`), or undefined. */
export function predecessorOf(trigger: Trigger): string | undefined {
  return "stage" in trigger ? trigger.stage : undefined;
}

/** The days a trigger waits after the stage it follows was carried out (`afterStage`), or undefined. */
export function daysAfterPredecessor(trigger: Trigger): number | undefined {
  return "stage" in trigger ? trigger.days : undefined;
}

/**
 * The ladder a stage with `trigger` climbs; `ladderOfStage` gives the ladder of an earlier stage,
 * for a trigger that follows one (undefined: that stage is not known).
 */
export function ladderOf(trigger: Trigger, ladderOfStage: (stageId: string) => Ladder | undefined): Ladder | undefined {
  const ladder = TRIGGER_TABLE[trigger.type].ladder;
  return ladder === "predecessor" ? ladderOfStage(predecessorOf(trigger)!) : ladder;
}

/** A stage listed earlier, as `placeInLadder` reads it: its id, its kind and the ladder it climbs. */
export interface LadderedStage<L extends string = Ladder> {
  readonly id: string;
  readonly kind: StageKind;
  readonly ladder: L | Ladder;
}

/**
 * Where a stage stands in the ladders, listed after `earlier` (the stages before it, in policy
 * order): the ladder it climbs and the index in `earlier` of the warning it follows (-1: none).
 * A stage that follows another (`predecessorOf`) climbs that stage's ladder, after it. Otherwise
 * a warning follows the warning listed before it in its ladder: in the charge ladder bills and
 * reminders only inform and are not steps; in the arrears ladder every stage is a step; a
 * limitation stage follows nothing. Undefined: the stage follows one not listed earlier.
 * The compiler (schedule/ladder/compile.ts) and the proof kit (src/testing/ledger.ts) both read
 * the ladders from here.
 *
 * @example
 * placeInLadder({ type: "billingMonthDay", monthOffset: 1, day: 25 }, "finalNotice",
 *   [{ id: "bill", kind: "billingNotice", ladder: "charge" }, { id: "dunning", kind: "dunningNotice", ladder: "charge" }]) // { ladder: "charge", pred: 1 }
 */
export function placeInLadder<L extends string = Ladder>(trigger: Trigger, kind: StageKind, earlier: readonly LadderedStage<L>[]): { ladder: L | Ladder; pred: number } | undefined {
  const followed = predecessorOf(trigger);
  if (followed !== undefined) {
    for (let i = earlier.length - 1; i >= 0; i--) if (earlier[i]!.id === followed) return { ladder: earlier[i]!.ladder, pred: i };
    return undefined;
  }
  const ladder = ladderOf(trigger, () => undefined)!; // only a trigger that follows a stage has no ladder of its own
  let pred = -1;
  if (ladder === "arrears" || (ladder === "charge" && isDunningClass(kind)))
    for (let i = earlier.length - 1; i >= 0; i--) {
      const s = earlier[i]!;
      if (s.ladder === ladder && (ladder === "arrears" || isDunningClass(s.kind))) {
        pred = i;
        break;
      }
    }
  return { ladder, pred };
}
