/**
 * Recorded actions read across policy versions (issue 18, item 1). A ledger's actions name the
 * stages of the version under which they were carried out; a newer version says in `continues`
 * what each older stage id has become (rules/versions.ts). Before planning, each recorded action
 * is read in this version's terms, once, here: a renamed or succeeded stage's action counts as
 * its new stage on the day it was carried out (so the ladder goes on where it stood and the gap
 * after it counts from that day), one mapped to null counts as no warning (its channels still
 * count as contacts). An action whose stage neither the policy nor the map knows is the
 * account's issue (`unknown_stage`): planning it anyway could send that warning again.
 */
import type { Account, Recorded } from "../../ledger/account.js";
import type { Issue } from "../../rules/errors.js";
import { REOPEN_STAGE_ID } from "../../rules/parse.js";
import { remembered } from "../memo.js";
import { keyOfActionId } from "./action.js";
import type { CompiledPolicy } from "./compile.js";

/** The account in this version's terms (an action no version names left as recorded), and one issue per such action or covered instance. */
export type Continued = { account: Account; issues: readonly Issue[] };

/**
 * The function that reads one recorded stage id in `compiled`'s terms: the id itself when this
 * version has the stage (or it is the scheduler's own `reopen`), the stage `continues` names for
 * it, `null` when `continues` says its actions count as no warning, `undefined` when nothing
 * names it. What every reader of recorded actions goes through (the scheduler here, the timeline).
 */
export function stageReader(compiled: CompiledPolicy): (recorded: string) => string | null | undefined {
  const mapped: ReadonlyMap<string, string | null> = new Map(Object.entries(compiled.policy.continues?.stages ?? {}));
  return (stage) => (compiled.byId.has(stage) || stage === REOPEN_STAGE_ID ? stage : mapped.get(stage));
}

/**
 * The function that reads an account's recorded actions in `compiled`'s terms: the account
 * itself when nothing needs reading anew (a ledger of this version), else a copy whose actions
 * name this version's stages; and the issues, one per action or covered instance of a stage that
 * nothing names (planning refuses the account then; the review of actions inside a hold lists
 * such an action, saying so).
 */
export function continuation(compiled: CompiledPolicy): (account: Account) => Continued {
  const continues = compiled.policy.continues;
  const read = stageReader(compiled);
  const version = `${compiled.policy.id} ${compiled.policy.version}`;
  const unknown = (stage: string) =>
    `recorded stage ${JSON.stringify(stage)} is not a stage of ${version}${continues ? ` nor named in its "continues" (of ${continues.version})` : ""}: say in the policy's "continues" what it has become (a stage, or null), or correct the record`;

  /** `stage@anchor` in this version's terms: the same key, another, null (it counts as nothing) or undefined (nothing knows it). */
  const readKey = (key: string): string | null | undefined => {
    const at = key.indexOf("@");
    // Not `stage@anchor`: names no stage instance, and counts for none (log.ts).
    if (at <= 0) return key;
    const stage = key.slice(0, at);
    const now = read(stage);
    if (now === stage || now === undefined) return now === stage ? key : undefined;
    return now === null ? null : `${now}${key.slice(at)}`;
  };
  // The same few keys (stages × charge months) recur on every account: each is read once. The
  // memo is emptied when full, so a ledger of ever-new keys cannot grow it without bound.
  const memo = new Map<string, string | null | undefined>();
  const keyNow = (key: string): string | null | undefined => remembered(memo, key, MEMO_LIMIT, readKey);

  return (account) => {
    let out: Recorded[] | undefined;
    let issues: Issue[] | undefined;
    const actions = account.actions;
    for (let i = 0; i < actions.length; i++) {
      const a = actions[i]!;
      let stage = a.stage;
      const now = read(stage);
      if (now === undefined) (issues ??= []).push({ code: "unknown_stage", path: `${pathOf(account, a, i)}.stage`, message: unknown(stage) });
      else if (now !== null) stage = now;
      // Without covers the id alone counts (log.ts): its key is read the same way.
      const keys = a.covers ?? idKeys(account.id, a.id);
      let covers: string[] | undefined;
      for (let j = 0; j < keys.length; j++) {
        const key = keys[j]!;
        const now = keyNow(key);
        if (now === key && !covers) continue;
        // An instance of the action's own unknown stage is one issue, said at `stage`.
        const stageOfKey = key.split("@")[0]!;
        if (now === undefined && stageOfKey !== a.stage)
          (issues ??= []).push({ code: "unknown_stage", path: `${pathOf(account, a, i)}.${a.covers ? `covers[${j}]` : "id"}`, message: unknown(stageOfKey) });
        covers ??= keys.slice(0, j) as string[];
        if (typeof now === "string") covers.push(now);
        else if (now === undefined) covers.push(key);
      }
      if (stage === a.stage && !covers) {
        out?.push(a);
        continue;
      }
      out ??= actions.slice(0, i);
      out.push({ ...a, stage, covers: covers ?? [...keys] });
    }
    return { account: out ? { ...account, actions: out } : account, issues: issues ?? NONE };
  };
}

/** Distinct keys a policy's memo keeps before it starts again: a policy's stages times a few years of charge months fit many times over. */
const MEMO_LIMIT = 4096;

/** The keys an action recorded without `covers` counts for: its id's own, when the id is one of the account's. */
function idKeys(accountId: string, id: string): readonly string[] {
  const key = keyOfActionId(accountId, id);
  return key === undefined ? NONE_KEYS : [key];
}

const NONE_KEYS: readonly string[] = [];
const NONE: readonly Issue[] = [];

/** Where the action is in the ledger's own list (`actions[i]`): planning holds them sorted by day. */
function pathOf(account: Account, a: Recorded, sorted: number): string {
  const listed = account.snapshot.actions;
  const i = listed ? listed.findIndex((r) => r.id === a.id && r.stage === a.stage) : -1;
  return `actions[${i < 0 ? sorted : i}]`;
}
