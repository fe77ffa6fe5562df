/**
 * What has been carried out for an account, indexed for the questions planning asks: was this
 * stage instance done, when was this stage last done, was there an owner-facing action that day,
 * which written demands went out.
 *
 * Hot path: the log of every account with something unpaid is made on each plan, but planning
 * asks about only a few of its instances (the unpaid charges', the arrears ladder's). So making
 * the log only keeps the actions, and each index is built from them on first use, answering with
 * the cover keys as they are: "was `dunning_notice@fee-2026-03` done?" is one look-up of that
 * key, made from the stage and the charge asked about, and the keys of charges long paid are
 * never taken apart. The indexes built are kept up to date by `add` (a forecast adds its own
 * actions day by day).
 */
import type { CompiledPolicy } from "./compile.js";
import type { EpochDay } from "../time/civil-date.js";
import type { Account, Charge, Recorded } from "../../ledger/account.js";
import { CHANNEL_TABLE, type Channel } from "../../rules/kinds.js";
import type { ContactRecord } from "../time/contact.js";
import { keyOfActionId } from "./action.js";

export interface Demand {
  stage: string;
  on: EpochDay;
  deadlineDays: number;
  /** The position among the account's charges of the charge its instance was anchored on, or -1 when none. */
  charge: number;
  /** The last day to pay (rest days moved, see plan-day.ts demandGate), worked out on first use. */
  deadline?: EpochDay;
}

/** One stage instance carried out: the day, and the position among the account's charges of the charge it was anchored on (-1: none of them). */
export interface DoneInstance {
  on: EpochDay;
  charge: number;
}

/** Whether `key` is an instance key of the stage `stage`: `stage@anchor`. */
function isKeyOf(key: string, stage: string): boolean {
  return key.length > stage.length && key[stage.length] === "@" && key.startsWith(stage);
}

export class DoneLog {
  /** Every action carried out, in order, with the keys it covered. */
  private readonly done: Recorded[] = [];
  /** Instance key (`stage@anchor`) → the day it was first carried out. */
  private firstDaysView: Map<string, EpochDay> | undefined;
  private instancesView: Map<string, DoneInstance[]> | undefined;
  private demandsView: Demand[] | undefined;
  private entriesView: Recorded[] | undefined;
  private contactsView: ContactRecord[] | undefined;
  private byStageView: Map<string, EpochDay[]> | undefined;

  /** `charges`: the account's, which anchors are resolved to (see `chargeAt`, `chargeDone`). */
  constructor(
    private readonly compiled: CompiledPolicy,
    private readonly charges: readonly Charge[] = [],
  ) {}

  /** The log of the account's recorded actions carried out before `until` (exclusive). */
  static fromRecorded(compiled: CompiledPolicy, account: Pick<Account, "id" | "charges" | "actions">, until: EpochDay): DoneLog {
    const log = new DoneLog(compiled, account.charges);
    const accountId = account.id;
    for (const a of account.actions) {
      if (a.on >= until) break; // actions are sorted by day
      if (a.covers) log.done.push(a);
      else {
        // Without covers the id alone counts: `account:stage@anchor` (the account escaped as
        // actionId writes it; ids recorded before that escaping have it raw).
        const key = keyOfActionId(accountId, a.id);
        log.done.push({ ...a, covers: key === undefined ? [] : [key] });
      }
    }
    return log;
  }

  /** Records that `stage` (and the instances `keys`) were carried out on `on`. */
  add(stage: string, keys: readonly string[], on: EpochDay, channels?: readonly Channel[], conversation = false): void {
    const a: Recorded = { id: "", stage, on, covers: keys, channels, conversation };
    this.done.push(a);
    if (this.firstDaysView) this.noteFirstDays(this.firstDaysView, a);
    if (this.instancesView) this.noteInstances(this.instancesView, a);
    if (this.demandsView) this.noteDemand(this.demandsView, a);
    this.entriesView = this.contactsView = this.byStageView = undefined;
  }

  /** Arrears-ladder stage id → every instance carried out (primary or covered), in order. */
  get instances(): ReadonlyMap<string, readonly DoneInstance[]> {
    if (this.instancesView) return this.instancesView;
    const view = new Map<string, DoneInstance[]>();
    for (const a of this.done) this.noteInstances(view, a);
    return (this.instancesView = view);
  }

  private noteInstances(view: Map<string, DoneInstance[]>, a: Recorded): void {
    for (const key of a.covers!)
      for (const cs of this.compiled.arrearsStages) {
        if (!isKeyOf(key, cs.id)) continue;
        let done = view.get(cs.id);
        if (!done) view.set(cs.id, (done = []));
        done.push({ on: a.on, charge: this.chargeAt(key.slice(cs.id.length + 1)) });
      }
  }

  /**
   * The written demands that went out, in order. Only the primary stage of an action states its
   * deadline to the owner; a demand it merely covers stated none, so it cannot open the way to a
   * lawyer's letter.
   */
  get demands(): Demand[] {
    if (this.demandsView) return this.demandsView;
    const view: Demand[] = [];
    for (const a of this.done) this.noteDemand(view, a);
    return (this.demandsView = view);
  }

  private noteDemand(view: Demand[], a: Recorded): void {
    const { stage, on } = a;
    const deadlineDays = this.compiled.byId.get(stage)?.deadlineDays;
    if (deadlineDays === undefined || view.some((d) => d.on === on && d.stage === stage)) return;
    // The charge of its first key of its own stage.
    const key = a.covers!.find((k) => isKeyOf(k, stage));
    view.push({ stage, on, deadlineDays, charge: key === undefined ? -1 : this.chargeAt(key.slice(stage.length + 1)) });
  }

  private get firstDays(): Map<string, EpochDay> {
    if (this.firstDaysView) return this.firstDaysView;
    const view = new Map<string, EpochDay>();
    for (const a of this.done) this.noteFirstDays(view, a);
    return (this.firstDaysView = view);
  }

  private noteFirstDays(view: Map<string, EpochDay>, a: Recorded): void {
    for (const key of a.covers!) if (!view.has(key)) view.set(key, a.on);
  }

  /** Every action carried out, in order: the recorded ones, then the forecast's (ids left empty). */
  get entries(): Recorded[] {
    return (this.entriesView ??= this.done.map((a) => ({ id: "", stage: a.stage, on: a.on, covers: a.covers, channels: a.channels, conversation: a.conversation })));
  }

  /** Stage id → days it was carried out (as the action's stage or a stage it covered), ascending. */
  get byStage(): ReadonlyMap<string, readonly EpochDay[]> {
    if (this.byStageView) return this.byStageView;
    const view = new Map<string, EpochDay[]>();
    const mark = (id: string, on: EpochDay) => {
      let days = view.get(id);
      if (!days) view.set(id, (days = []));
      if (days[days.length - 1] !== on) days.push(on);
    };
    for (const a of this.done) {
      // The stages it covered, then its own.
      for (const key of a.covers!) {
        const at = key.indexOf("@");
        if (at <= 0) continue;
        const id = key.slice(0, at);
        if (id !== a.stage) mark(id, a.on);
      }
      mark(a.stage, a.on);
    }
    return (this.byStageView = view);
  }

  /** Every channel used, by day, for frequency caps and quiet periods; a contact the owner consented to (the promised day's call) is marked so, and no cap counts it. */
  get contacts(): readonly ContactRecord[] {
    if (this.contactsView) return this.contactsView;
    const out: ContactRecord[] = [];
    for (const a of this.done) {
      const cs = this.compiled.byId.get(a.stage);
      const consented = cs?.consented === true;
      for (const channel of a.channels ?? cs?.stage.channels ?? [])
        out.push({ day: a.on, channel, conversation: a.conversation && CHANNEL_TABLE[channel].conversation, consented });
    }
    return (this.contactsView = out);
  }

  /** The position of the account's charge `id`, or -1. */
  chargeAt(id: string): number {
    const charges = this.charges;
    for (let i = 0; i < charges.length; i++) if (charges[i]!.id === id) return i;
    return -1;
  }

  /** The day the stage at `stageIndex` was first carried out for the account's charge at position `i`, if it was. */
  chargeDone(i: number, stageIndex: number): EpochDay | undefined {
    return this.doneFor(this.charges[i]!.id, stageIndex);
  }

  /** The same for an anchor by id: one of the account's charges, or a hold. */
  doneFor(anchor: string, stageIndex: number): EpochDay | undefined {
    return this.firstDays.get(`${this.compiled.stages[stageIndex]!.id}@${anchor}`);
  }

  /** Whether a staff action (`staff`) or an owner-facing one (any other stage) was carried out on `day`. */
  actedOn(day: EpochDay, staff: boolean): boolean {
    // Actions are added in day order: only the last ones can be on `day`.
    for (let i = this.done.length - 1; i >= 0 && this.done[i]!.on >= day; i--) {
      const a = this.done[i]!;
      if (a.on === day && (this.compiled.byId.get(a.stage)?.staff === true) === staff) return true;
    }
    return false;
  }

  /** The compiled stage of an id, if the policy has it. */
  stageOf(id: string) {
    return this.compiled.byId.get(id);
  }
}

