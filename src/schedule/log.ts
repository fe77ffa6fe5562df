/**
 * What has been carried out for an account, indexed for the questions planning asks: was this
 * stage instance done, when was this stage last done, was there an owner-facing action that day,
 * which written demands went out.
 *
 * Hot path: the log of every account with something unpaid is built on each plan, so `add` does
 * only what planning an account always needs. The flat views that only some accounts need (the
 * entries for the limitation review, the contacts for frequency caps) are derived on first use.
 */
import type { CompiledPolicy, CompiledStage } from "./compile.js";
import type { EpochDay } from "./civil-date.js";
import type { Recorded } from "./account.js";
import type { Channel } from "../rules/kinds.js";
import type { ContactRecord } from "./contact.js";

export interface Demand {
  stage: string;
  on: EpochDay;
  deadlineDays: number;
  /** The charge the demand's instance was anchored on, if any. */
  chargeId: string | undefined;
  /** The last day to pay (rest days moved, see plan-day.ts demandGate), worked out on first use. */
  deadline?: EpochDay;
}

/** One stage instance carried out: the day, and the charge (or hold) it was anchored on. */
export interface DoneInstance {
  on: EpochDay;
  anchor: string;
}

const AT = 64; // "@"
const COLON = 58; // ":"

export class DoneLog {
  /** Charge id → day each stage (by index) was first carried out for it, or undefined. */
  readonly byCharge = new Map<string, Array<EpochDay | undefined>>();
  /** Stage id → days it was carried out, ascending. */
  readonly byStage = new Map<string, EpochDay[]>();
  /** Arrears-ladder stage id → every instance carried out (primary or covered), in order. */
  readonly instances = new Map<string, DoneInstance[]>();
  readonly demands: Demand[] = [];
  /** Every action carried out, in order, with the keys it covered. */
  private readonly done: Recorded[] = [];
  private entriesView: Recorded[] | undefined;
  private contactsView: ContactRecord[] | undefined;

  constructor(private readonly compiled: CompiledPolicy) {}

  /** The log of recorded actions carried out before `until` (exclusive). */
  static fromRecorded(compiled: CompiledPolicy, accountId: string, actions: readonly Recorded[], until: EpochDay): DoneLog {
    const log = new DoneLog(compiled);
    for (const a of actions) {
      if (a.on >= until) break; // actions are sorted by day
      if (a.covers) log.record(a, compiled.byId.get(a.stage));
      else {
        // Without covers the id alone counts: `account:stage@anchor`.
        const at = accountId.length;
        const keys = a.id.startsWith(accountId) && a.id.charCodeAt(at) === COLON ? [a.id.slice(at + 1)] : [];
        log.record({ ...a, covers: keys }, compiled.byId.get(a.stage));
      }
    }
    return log;
  }

  /** Every action carried out, in order: the recorded ones, then the forecast's (ids left empty). */
  get entries(): Recorded[] {
    return (this.entriesView ??= this.done.map((a) => ({ id: "", stage: a.stage, on: a.on, covers: a.covers, channels: a.channels, conversation: a.conversation })));
  }

  /** Every channel used, by day, for frequency caps and quiet periods. */
  get contacts(): readonly ContactRecord[] {
    if (this.contactsView) return this.contactsView;
    const out: ContactRecord[] = [];
    for (const a of this.done)
      for (const channel of a.channels ?? this.compiled.byId.get(a.stage)?.stage.channels ?? [])
        out.push({ day: a.on, channel, conversation: a.conversation && (channel === "phone" || channel === "homeVisit") });
    return (this.contactsView = out);
  }

  /** Records that `stage` (and the instances `keys`) were carried out on `on`. */
  add(stage: string, keys: readonly string[], on: EpochDay, channels?: readonly Channel[], conversation = false): void {
    this.record({ id: "", stage, on, covers: keys, channels, conversation }, this.compiled.byId.get(stage));
  }

  private record(a: Recorded, cs: CompiledStage | undefined): void {
    const { stage, on } = a;
    this.done.push(a);
    this.entriesView = this.contactsView = undefined;
    let primaryAnchor: string | undefined;
    const plain = !stage.includes("@"); // then a key of this stage is `stage@anchor`
    for (const key of a.covers!) {
      // Most keys name the action's own stage: compare in place rather than slicing the id out.
      let target: CompiledStage | undefined;
      let id: string;
      let at = stage.length;
      if (plain && key.length > at && key.charCodeAt(at) === AT && key.startsWith(stage)) {
        if (at === 0) continue;
        (id = stage), (target = cs);
      } else {
        at = key.indexOf("@");
        if (at <= 0) continue;
        id = key.slice(0, at);
        target = this.compiled.byId.get(id);
      }
      const chargeId = key.slice(at + 1);
      if (id === stage) primaryAnchor ??= chargeId;
      else this.markStage(id, target, on, false, chargeId);
      if (!target) continue; // a stage of another policy version: it no longer exists
      if (target.track === "arrears") {
        let done = this.instances.get(id);
        if (!done) this.instances.set(id, (done = []));
        done.push({ on, anchor: chargeId });
      }
      let days = this.byCharge.get(chargeId);
      if (!days) this.byCharge.set(chargeId, (days = []));
      if (days[target.index] === undefined) days[target.index] = on;
    }
    this.markStage(stage, cs, on, true, primaryAnchor);
  }

  /**
   * Only the primary stage of an action states its deadline to the owner; a demand it merely
   * covers stated none, so it cannot open the way to a lawyer's letter.
   */
  private markStage(id: string, cs: CompiledStage | undefined, on: EpochDay, primary: boolean, chargeId: string | undefined): void {
    let days = this.byStage.get(id);
    if (!days) this.byStage.set(id, (days = []));
    if (days[days.length - 1] !== on) days.push(on);
    const deadlineDays = cs?.deadlineDays;
    if (primary && deadlineDays !== undefined && !this.demands.some((d) => d.on === on && d.stage === id)) this.demands.push({ stage: id, on, deadlineDays, chargeId });
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
