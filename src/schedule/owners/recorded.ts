/**
 * What an owner was already sent, read as the scheduler reads it (review s5, item 15): a recorded
 * action's stage in the policy's own terms (a newer version's `continues` renames it), compiled
 * (a hold's own step and a residual fee's step are stages too). The owner pass
 * (coordinate.ts) counts these for "contacted today" and for the caps by owner. Pure.
 */
import { CHANNEL_TABLE, STAGE_KIND_TABLE, type Channel } from "../../rules/kinds.js";
import type { Policy } from "../../rules/schema.js";
import { compilePolicy, type CompiledStage } from "../ladder/compile.js";
import { stageReader } from "../ladder/continues.js";

/** A policy as the owner pass reads it: recorded stage ids in this version's terms, its stages compiled (the hold steps and the residual fee's steps included), its hold steps. */
export interface PolicyView {
  read: (recorded: string) => string | null | undefined;
  byId: ReadonlyMap<string, CompiledStage>;
  /** The ids of the hold steps: the scheduler's own stages, each dated by its hold (the promised day's call, an instalment's reminder). */
  holdSteps: ReadonlySet<string>;
  /** The id of the instalment reminder's step: it is due only up to its instalment's day (coordinate.ts stands it by that day). */
  instalmentReminder: string;
}

const views = new WeakMap<Policy, PolicyView>();

/** The compiled view of a policy, once per policy: as the scheduler reads it. */
export function viewOf(policy: Policy): PolicyView {
  let view = views.get(policy);
  if (!view) {
    const compiled = compilePolicy(policy);
    view = { read: stageReader(compiled), byId: compiled.byId, holdSteps: new Set(Object.values(compiled.holdStages).map((cs) => cs.id)), instalmentReminder: compiled.holdStages.instalmentReminder.id };
    views.set(policy, view);
  }
  return view;
}

/**
 * Whether a recorded action reached the owner, and on which channels, read as the scheduler reads
 * it (review s5, item 15): its stage in this version's terms (`continues` renames it), compiled
 * (a hold's own step and a residual fee's step are stages too), then that stage's audience and,
 * when the record names no channels, its channels, and whether the owner consented to it (the
 * compiled stage's `consented`: the promised day's call, which no cap counts, as on its unit,
 * log.ts). A stage nothing names (or one `continues` maps to no warning, or no policy could be
 * chosen) counts by its recorded channels: reached the owner when any is one caps count (the
 * staff queue is not), not consented.
 */
export function recordedChannels(policy: Policy | undefined, stage: string, channels: readonly Channel[] | undefined): { owner: boolean; channels: readonly Channel[]; consented: boolean } {
  const view = policy === undefined ? undefined : viewOf(policy);
  const now = view?.read(stage);
  const cs = typeof now === "string" ? view!.byId.get(now) : undefined;
  const used = channels ?? cs?.stage.channels ?? [];
  return { owner: cs ? STAGE_KIND_TABLE[cs.kind].audience === "owner" : used.some((c) => CHANNEL_TABLE[c].countedByCaps), channels: used, consented: cs?.consented === true };
}
