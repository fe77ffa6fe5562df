/**
 * What has been carried out for an account, indexed for the questions planning asks: was this
 * stage instance done, when was this stage last done, was there an owner-facing action that day,
 * which written demands went out.
 *
 * Hot path: the log of every account with something unpaid is built on each plan, so recording
 * an action does only what planning an account always needs: each key's anchor is found among
 * the account's charges in place (by position: no id cut out and hashed), and the day kept in one
 * array for all charges. The views that only some accounts need (the entries for the limitation
 * review, the contacts for frequency caps, the days of each stage for conditions, offers and
 * notice waivers) are derived on first use.
 */
import type { CompiledPolicy, CompiledStage } from "./compile.js";
import type { EpochDay } from "./civil-date.js";
import type { Account, Charge, Recorded } from "./account.js";
import { CHANNEL_TABLE, type Channel } from "../rules/kinds.js";
import type { ContactRecord } from "./contact.js";
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

const AT = 64; // "@"

export class DoneLog {
  /** Arrears-ladder stage id → every instance carried out (primary or covered), in order. */
  readonly instances = new Map<string, DoneInstance[]>();
  readonly demands: Demand[] = [];
  /** Every action carried out, in order, with the keys it covered. */
  private readonly done: Recorded[] = [];
  private entriesView: Recorded[] | undefined;
  private contactsView: ContactRecord[] | undefined;
  private byStageView: Map<string, EpochDay[]> | undefined;
  /**
   * The day each stage was first carried out for each of the account's charges: at
   * `position * stages + stage index`, one array for all charges (made on the first key).
   */
  private chargeDays: Array<EpochDay | undefined> | undefined;
  /** The same for any other anchor (a hold, a charge no longer on the ledger), by its id. */
  private readonly otherDays = new Map<string, Array<EpochDay | undefined>>();
  /** The charge the last anchor named (keys come mostly in charge order). */
  private hint = 0;
  /** Set by `anchorAt`: the anchor's position among the charges, or -1 when it is none of them. */
  private found = -1;

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
      if (a.covers) log.record(a, compiled.byId.get(a.stage));
      else {
        // Without covers the id alone counts: `account:stage@anchor` (the account escaped as
        // actionId writes it; ids recorded before that escaping have it raw).
        const key = keyOfActionId(accountId, a.id);
        const keys = key === undefined ? [] : [key];
        log.record({ ...a, covers: keys }, compiled.byId.get(a.stage));
      }
    }
    return log;
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
      // The stages it covered, then its own (as `record` reads the keys).
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

  /** Every channel used, by day, for frequency caps and quiet periods. */
  get contacts(): readonly ContactRecord[] {
    if (this.contactsView) return this.contactsView;
    const out: ContactRecord[] = [];
    for (const a of this.done)
      for (const channel of a.channels ?? this.compiled.byId.get(a.stage)?.stage.channels ?? [])
        out.push({ day: a.on, channel, conversation: a.conversation && CHANNEL_TABLE[channel].conversation });
    return (this.contactsView = out);
  }

  /** Records that `stage` (and the instances `keys`) were carried out on `on`. */
  add(stage: string, keys: readonly string[], on: EpochDay, channels?: readonly Channel[], conversation = false): void {
    this.record({ id: "", stage, on, covers: keys, channels, conversation }, this.compiled.byId.get(stage));
  }

  private record(a: Recorded, cs: CompiledStage | undefined): void {
    const { stage, on } = a;
    this.done.push(a);
    if (this.entriesView !== undefined || this.contactsView !== undefined || this.byStageView !== undefined) this.entriesView = this.contactsView = this.byStageView = undefined;
    let primaryCharge: number | undefined; // the charge of the first key of the action's own stage
    // A stage of this policy has no "@" in its id: then a key of this stage is `stage@anchor`.
    const plain = cs !== undefined || !stage.includes("@");
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
      const anchor = this.anchorAt(key, at + 1);
      const charge = this.found;
      if (id === stage) primaryCharge ??= charge;
      if (!target) continue; // a stage of another policy version: it no longer exists
      if (target.ladder === "arrears") {
        let done = this.instances.get(id);
        if (!done) this.instances.set(id, (done = []));
        done.push({ on, charge });
      }
      if (charge >= 0) {
        const days = (this.chargeDays ??= new Array<EpochDay | undefined>(this.charges.length * this.compiled.stages.length));
        const at = charge * this.compiled.stages.length + target.index;
        if (days[at] === undefined) days[at] = on;
      } else {
        let days = this.otherDays.get(anchor);
        if (!days) this.otherDays.set(anchor, (days = []));
        if (days[target.index] === undefined) days[target.index] = on;
      }
    }
    this.noteDemand(stage, cs, on, primaryCharge ?? -1);
  }

  /**
   * The anchor of `key` (from `from` to its end), and in `found` its position among the charges
   * (-1: none of them). Charges are compared in place, from the one before the charge the last
   * anchor named (keys come mostly in charge order), and the charge's own id is returned: no
   * string is cut out of the key and hashed anew unless the anchor is no charge (a hold).
   */
  private anchorAt(key: string, from: number): string {
    const charges = this.charges;
    const n = charges.length;
    const len = key.length - from;
    const start = this.hint > 0 ? this.hint - 1 : 0;
    for (let k = 0; k < n; k++) {
      const i = start + k < n ? start + k : start + k - n;
      const id = charges[i]!.id;
      if (id.length === len && key.endsWith(id)) {
        this.found = this.hint = i;
        return id;
      }
    }
    this.found = -1;
    return key.slice(from);
  }

  /** The position of the account's charge `id`, or -1. */
  chargeAt(id: string): number {
    const charges = this.charges;
    for (let i = 0; i < charges.length; i++) if (charges[i]!.id === id) return i;
    return -1;
  }

  /** The day the stage at `stageIndex` was first carried out for the account's charge at position `i`, if it was. */
  chargeDone(i: number, stageIndex: number): EpochDay | undefined {
    return this.chargeDays?.[i * this.compiled.stages.length + stageIndex];
  }

  /** The same for an anchor by id: one of the account's charges, or a hold. */
  doneFor(anchor: string, stageIndex: number): EpochDay | undefined {
    const i = this.chargeAt(anchor);
    return i >= 0 ? this.chargeDone(i, stageIndex) : this.otherDays.get(anchor)?.[stageIndex];
  }

  /**
   * Only the primary stage of an action states its deadline to the owner; a demand it merely
   * covers stated none, so it cannot open the way to a lawyer's letter.
   */
  private noteDemand(id: string, cs: CompiledStage | undefined, on: EpochDay, charge: number): void {
    const deadlineDays = cs?.deadlineDays;
    if (deadlineDays !== undefined && !this.demands.some((d) => d.on === on && d.stage === id)) this.demands.push({ stage: id, on, deadlineDays, charge });
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

