/**
 * No warning skipped or repeated across a policy change (issue 18, item 1). The policy under test
 * is published as a new version part-way through a generated account's life: before the change
 * day the account lived under an older version whose stages had other ids (every id renamed), every
 * planned action carried out and recorded under those ids; from the change day on it is planned
 * under the policy with a `continues` naming each older id. A rename is only a rename: the
 * account must get exactly the warnings, on exactly the days, that it gets when the policy was
 * in force all along. A warning planned again after the change is repeated, one never planned is
 * skipped, one on another day moved (its gap not kept from the recorded day).
 *
 * The mutant that breaks it (src/testing/check-versions.test.ts): reading a recorded action's
 * stage in the new terms but not the instances it covers, so that the log does not know the
 * warning was given.
 */
import fc from "fast-check";
import type { Policy, Stage } from "../rules/schema.js";
import type { AccountSnapshot, RecordedAction } from "../ledger/account.js";
import { actionId, keyOfActionId, type PlannedAction } from "../schedule/ladder/action.js";
import { createScheduler } from "../schedule/ladder/scheduler.js";
import { civilDate, formatCivilDate } from "../schedule/time/civil-date.js";
import { scenarioArb, type Scenario } from "./arbitraries.js";
import { defineInvariant, type InvariantContext } from "./define.js";
import { recordOf } from "./ledger.js";

type VersionScenario = Scenario & { change: string };

/** The older id of a stage: another id of at most 64 characters (a stage id's limit). */
export const olderId = (id: string) => `v0_${id}`.slice(0, 64);

/** The policy as an older version: the same stages under other ids (`olderId`), the predecessors they follow renamed with them. */
export function olderVersion(policy: Policy): Policy {
  const stages = policy.stages.map((s): Stage => {
    const trigger = "stage" in s.trigger && typeof s.trigger.stage === "string" ? { ...s.trigger, stage: olderId(s.trigger.stage) } : s.trigger;
    return { ...s, id: olderId(s.id), trigger } as Stage;
  });
  const { continues: _own, ...rest } = policy;
  return { ...rest, version: `${policy.version}-prev`.slice(0, 64), stages };
}

/** The policy as the version that continues `older`: every older id named as the stage it became. */
export function continuing(policy: Policy, older: Policy): Policy {
  const stages = Object.fromEntries(policy.stages.map((s) => [olderId(s.id), s.id]));
  return { ...policy, continues: { version: older.version, stages: { ...policy.continues?.stages, ...stages } } };
}

/** A key `stage@anchor` with its stage renamed by `rename` (a stage it does not know stays). */
const renamedKey = (key: string, rename: (id: string) => string | undefined) => {
  const at = key.indexOf("@");
  const now = at > 0 ? rename(key.slice(0, at)) : undefined;
  return now === undefined ? key : `${now}${key.slice(at)}`;
};

/** The account's recorded actions in the older version's ids. */
function recordedUnder(account: AccountSnapshot, rename: (id: string) => string | undefined): AccountSnapshot {
  const actions = account.actions?.map((a): RecordedAction => {
    const key = keyOfActionId(account.id, a.id);
    return {
      ...a,
      id: key === undefined ? a.id : actionId(account.id, renamedKey(key, rename)),
      stage: rename(a.stage) ?? a.stage,
      ...(a.covers ? { covers: a.covers.map((k) => renamedKey(k, rename)) } : {}),
    };
  });
  return actions ? { ...account, actions } : account;
}

/** What the owner gets from one action: its day and the instances it carries out, in the policy's ids. */
const seen = (a: PlannedAction, back: (id: string) => string | undefined) => `${a.plannedOn} ${a.covers.map((c) => renamedKey(c.key, back)).join("+")}`;

const versionArb = (ctx: InvariantContext): fc.Arbitrary<VersionScenario> =>
  fc.tuple(scenarioArb(ctx.policy, { account: ctx.options.account, history: true }), fc.integer({ min: 0, max: 1000 })).map(([s, permille]) => {
    const from = civilDate(s.from);
    return { ...s, change: formatCivilDate(from + Math.floor(((civilDate(s.to) - from) * permille) / 1000)) };
  });

export const versions = defineInvariant<VersionScenario>({
  name: "versions",
  description:
    "Published part-way through an account's life as a new version of an older text whose stages had other ids (its continues naming each), the policy gives exactly the warnings on exactly the days it gives when in force all along: none repeated after the change, none skipped, each gap kept from the day the warning was recorded.",
  scope: "engine",
  arbitrary: versionArb,
  verify(ctx, s) {
    const make = ctx.options.scheduler ?? createScheduler;
    const older = olderVersion(ctx.policy);
    const toOlder = new Map(ctx.policy.stages.map((st) => [st.id, olderId(st.id)]));
    const toNow = new Map(ctx.policy.stages.map((st) => [olderId(st.id), st.id]));
    const expected = ctx.scheduler.forecast(structuredClone(s.account), s.from, s.to);

    const account = recordedUnder(s.account, (id) => toOlder.get(id));
    const before = s.change > s.from ? make(older).forecast(structuredClone(account), s.from, formatCivilDate(civilDate(s.change) - 1)) : [];
    const carried: AccountSnapshot = { ...account, actions: [...(account.actions ?? []), ...before.map((a) => recordOf(a))] };
    const after = make(continuing(ctx.policy, older)).forecast(carried, s.change, s.to);

    const want = expected.map((a) => seen(a, () => undefined));
    const got = [...before, ...after].map((a) => seen(a, (id) => toNow.get(id)));
    if (JSON.stringify(want) === JSON.stringify(got)) return undefined;
    const actions = [...before, ...after];
    const at = (line: string) => line.slice(0, 10);
    const keysOf = (line: string) => line.slice(11).split("+");
    const gotDay = new Map<string, string[]>();
    for (const line of got) for (const k of keysOf(line)) gotDay.set(k, [...(gotDay.get(k) ?? []), at(line)]);
    const where = `(${older.version} until ${formatCivilDate(civilDate(s.change) - 1)}, ${ctx.policy.version} from ${s.change})`;
    for (const [k, daysOf] of gotDay)
      if (daysOf.length > 1) return { asOf: daysOf[1], error: `${k} repeated across the change ${where}: carried out on ${daysOf[0]}, planned again on ${daysOf[1]}`, actions };
    for (const line of want)
      for (const k of keysOf(line)) {
        const day = gotDay.get(k)?.[0];
        if (day === undefined) return { asOf: at(line), error: `${k} skipped across the change ${where}: due on ${at(line)} with the policy in force all along, never planned`, actions };
        if (day !== at(line)) return { asOf: day, error: `${k} moved by the change ${where}: on ${day} instead of ${at(line)}`, actions };
      }
    const extra = got.find((line) => !want.includes(line));
    return { asOf: extra ? at(extra) : s.change, error: `across the change ${where}: ${extra ? `${extra} not planned with the policy in force all along` : "the actions differ"}`, actions };
  },
});
