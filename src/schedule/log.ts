/**
 * What has been carried out for an account, indexed for the questions planning asks: was this
 * stage instance done, when was this stage last done, was there an owner-facing action that day,
 * which written demands went out.
 */
import type { CompiledPolicy } from "./compile.js";
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
}

/** One stage instance carried out: the day, and the charge (or hold) it was anchored on. */
export interface DoneInstance {
  on: EpochDay;
  anchor: string;
}

export class DoneLog {
  /** Charge id → day each stage (by index) was first carried out for it, or undefined. */
  readonly byCharge = new Map<string, Array<EpochDay | undefined>>();
  /** Stage id → days it was carried out, ascending. */
  readonly byStage = new Map<string, EpochDay[]>();
  /** Stage id → every instance carried out (primary or covered), in order. */
  readonly instances = new Map<string, DoneInstance[]>();
  readonly ownerDays = new Set<EpochDay>();
  readonly staffDays = new Set<EpochDay>();
  readonly demands: Demand[] = [];
  /** Every action carried out, in order: the recorded ones, then the forecast's. */
  readonly entries: Recorded[] = [];
  /** Every channel used, by day, for frequency caps and quiet periods. */
  readonly contacts: ContactRecord[] = [];

  constructor(private readonly compiled: CompiledPolicy) {}

  /** The log of recorded actions carried out before `until` (exclusive). */
  static fromRecorded(compiled: CompiledPolicy, accountId: string, actions: readonly Recorded[], until: EpochDay): DoneLog {
    const log = new DoneLog(compiled);
    const prefix = `${accountId}:`;
    for (const a of actions) {
      if (a.on >= until) break; // actions are sorted by day
      const keys = a.covers ?? (a.id.startsWith(prefix) ? [a.id.slice(prefix.length)] : []);
      log.add(a.stage, keys, a.on, a.channels, a.conversation);
    }
    return log;
  }

  /** Records that `stage` (and the instances `keys`) were carried out on `on`. */
  add(stage: string, keys: readonly string[], on: EpochDay, channels?: readonly Channel[], conversation = false): void {
    const cs = this.compiled.byId.get(stage);
    this.entries.push({ id: "", stage, on, covers: keys, channels, conversation });
    if (cs?.staff) this.staffDays.add(on);
    else this.ownerDays.add(on);
    for (const channel of channels ?? cs?.stage.channels ?? []) this.contacts.push({ day: on, channel, conversation: conversation && (channel === "phone" || channel === "homeVisit") });
    let primaryAnchor: string | undefined;
    for (const key of keys) {
      const at = key.indexOf("@");
      if (at <= 0) continue;
      const id = at === stage.length && key.startsWith(stage) ? stage : key.slice(0, at);
      const chargeId = key.slice(at + 1);
      if (id === stage) primaryAnchor ??= chargeId;
      else this.markStage(id, on, false, chargeId);
      let done = this.instances.get(id);
      if (!done) this.instances.set(id, (done = []));
      done.push({ on, anchor: chargeId });
      const target = this.compiled.byId.get(id);
      if (!target) continue; // a stage of another policy version: it no longer exists
      let days = this.byCharge.get(chargeId);
      if (!days) this.byCharge.set(chargeId, (days = []));
      if (days[target.index] === undefined) days[target.index] = on;
    }
    this.markStage(stage, on, true, primaryAnchor);
  }

  /**
   * Only the primary stage of an action states its deadline to the owner; a demand it merely
   * covers stated none, so it cannot open the way to a lawyer's letter.
   */
  private markStage(id: string, on: EpochDay, primary: boolean, chargeId: string | undefined): void {
    let days = this.byStage.get(id);
    if (!days) this.byStage.set(id, (days = []));
    if (days[days.length - 1] !== on) days.push(on);
    const deadlineDays = this.compiled.byId.get(id)?.deadlineDays;
    if (primary && deadlineDays !== undefined && !this.demands.some((d) => d.on === on && d.stage === id)) this.demands.push({ stage: id, on, deadlineDays, chargeId });
  }

  /** The compiled stage of an id, if the policy has it. */
  stageOf(id: string) {
    return this.compiled.byId.get(id);
  }

  /** The last day `stage` was carried out after `after` (exclusive), if any. */
  lastAfter(stage: string, after: EpochDay): EpochDay | undefined {
    const days = this.byStage.get(stage);
    const last = days?.[days.length - 1];
    return last !== undefined && last > after ? last : undefined;
  }
}
