/**
 * One owner, one owner-facing action a day (issue 18, item 2). A generated owner holds one to
 * three units on the same billing schedule (a flat, a parking space, a storeroom: amounts and
 * payments differ, the scenario's holds on some of them), so their ladders meet on the same days.
 * Planned day by day the way `plan()` plans an owner (`accountsPlanner`), each day's sent actions
 * recorded (with their channels, or without, as a vendor may): on no day does the owner get more
 * than one owner-facing action across the units, besides the promised day's call (S2 断其后路:
 * call back on exactly the agreed date) and an instalment's reminder on its instalment's due day
 * (its last: after it a reminder is pointless), which go on their day with nothing else beside
 * them; those never wait on the owner's day, nor the promised day's call on the owner's caps (the
 * owner agreed to it); the other hold steps (a reminder before its day, a broken plan's notice)
 * count as any contact; planned again the same day after recording,
 * nothing more goes to the owner; an action carried inside another unit's notice (`sentWith`)
 * names a notice sent that day that lists its unit; with one notice per owner, the notice that
 * goes lists every unit that owes past due that day; an action held back says why. Staff actions
 * are not counted: they do not reach the owner. Hold steps are known by the compiled policy's
 * stage ids, as the scheduler knows them; an instalment's due day by the unit's own plan.
 */
import fc from "fast-check";
import { STAGE_KIND_TABLE } from "../rules/kinds.js";
import type { Policy } from "../rules/schema.js";
import type { AccountSnapshot, RecordedAction } from "../ledger/account.js";
import { accountsPlanner } from "../ledger/plan.js";
import type { PlannedAction } from "../schedule/ladder/action.js";
import { compilePolicy } from "../schedule/ladder/compile.js";
import { civilDate, formatCivilDate } from "../schedule/time/civil-date.js";
import type { Scenario } from "./arbitraries.js";
import { cleanScenarios as clean, defineInvariant, type InvariantContext } from "./define.js";
import { recordOf, renameAccount } from "./ledger.js";

type OwnerScenario = Scenario & { units: AccountSnapshot[]; oneNotice: boolean; recordsChannels: boolean };

const OWNER = "O-1";

/**
 * One to three units of one owner: the scenario's account copied, amounts scaled, some without
 * their payments; some with a promise to pay, made on the first day, all for one day of the
 * window (so the promised day's call meets another unit's ladder, or another unit's call).
 */
export const ownerUnitsArb = (ctx: InvariantContext): fc.Arbitrary<OwnerScenario> =>
  clean(ctx).chain((scenario) =>
    fc
      .record({
        units: fc.array(fc.record({ scale: fc.integer({ min: 1, max: 3 }), unpaid: fc.boolean(), promises: fc.boolean() }), { minLength: 1, maxLength: 3 }),
        promisedAt: fc.nat({ max: 1000 }),
        oneNotice: fc.boolean(),
        recordsChannels: fc.boolean(),
      })
      .map(({ units, promisedAt, oneNotice, recordsChannels }): OwnerScenario => {
        const from = civilDate(scenario.from);
        const promisedOn = formatCivilDate(from + (promisedAt % (civilDate(scenario.to) - from + 1)));
        const made = units.map(({ scale, unpaid, promises }, i) => {
          const unit = renameAccount(scenario.account, `U-${i + 1}`);
          return {
            ...unit,
            ...(promises ? { holds: [...(unit.holds ?? []), { type: "promiseToPay" as const, id: `pr-${i + 1}`, madeOn: scenario.from, promisedOn }] } : {}),
            owner: { ...unit.owner, id: OWNER },
            charges: unit.charges.map((c) => ({ ...c, amountMinor: c.amountMinor * scale })),
            payments: unpaid ? [] : (unit.payments ?? []).map((p) => ({ ...p, amountMinor: p.amountMinor * scale })),
          };
        });
        return { ...scenario, account: made[0]!, units: made, oneNotice, recordsChannels };
      }),
  );

/** The policy for every segment, with the owner rule of the scenario. */
function choice(policy: Policy, oneNotice: boolean) {
  const p: Policy = { ...policy, owners: { ...policy.owners, oneNoticePerOwner: oneNotice } };
  return { residential: p, commercial: p };
}

export const oneOwnerOneAction = defineInvariant<OwnerScenario>({
  name: "one-owner-one-action-a-day",
  description:
    "An owner with several units gets at most one owner-facing action a day across them, besides the promised day's call and an instalment's reminder on its instalment's due day (each on its day, nothing else beside one), which never wait on the owner's day; the other hold steps count as any contact; planned again the same day, nothing more goes; an action carried in another unit's notice names a notice sent that day that lists its unit; with one notice per owner, that notice lists every unit that owes past due that day; an action held back says why.",
  scope: "engine",
  arbitrary: ownerUnitsArb,
  verify(ctx, s) {
    const planOn = accountsPlanner({ policy: choice(ctx.policy, s.oneNotice), ...(ctx.options.scheduler ? { scheduler: ctx.options.scheduler } : {}) });
    const logs = new Map<string, RecordedAction[]>(s.units.map((u) => [u.id, [...(u.actions ?? [])]]));
    const all: PlannedAction[] = [];
    const terminal = ctx.policy.stages.some((st) => STAGE_KIND_TABLE[st.kind].terminal !== null);
    // The steps that go on their day whatever the owner got (by the compiled policy's ids, the
    // scheduler's own stages): the promised day's call, made with the owner's consent (S2 断其后路),
    // and an instalment's reminder on its instalment's due day, read from the unit's own plan.
    const { holdStages } = compilePolicy(ctx.policy);
    const onItsDay = (a: PlannedAction, day: string) => {
      if (a.stage === holdStages.promiseFollowUp.id) return true;
      if (a.stage !== holdStages.instalmentReminder.id) return false;
      const anchor = (a.covers.find((c) => c.stage === a.stage)?.key ?? "").slice(a.stage.length + 1);
      const plan = s.units.find((u) => u.id === a.accountId)?.holds?.find((h) => h.type === "installmentPlan" && `${h.id}#` === anchor.slice(0, anchor.lastIndexOf("#") + 1));
      return plan?.type === "installmentPlan" && plan.instalments[Number(anchor.slice(anchor.lastIndexOf("#") + 1)) - 1]?.dueOn === day;
    };
    // Who an action reaches, from the kinds table (not the action's own word): a staff kind never counts.
    const toOwner = (a: PlannedAction) => STAGE_KIND_TABLE[a.kind].audience === "owner" && a.sentWith === undefined;
    for (let d = civilDate(s.from); d <= civilDate(s.to); d++) {
      const day = formatCivilDate(d);
      const events = planOn(
        s.units.map((u) => ({ ...u, actions: logs.get(u.id)! })),
        day,
      );
      const actions = events.flatMap((e) => (e.type === "planned" ? e.actions : []));
      all.push(...actions);
      const skipped = events.find((e) => e.type === "skipped");
      if (skipped) return { asOf: day, error: `unit ${skipped.accountId} could not be planned: ${skipped.type === "skipped" ? skipped.reason : ""}`, actions: all };
      const sent = actions.filter(toOwner);
      const others = sent.filter((a) => !onItsDay(a, day));
      if (others.length > 1 || (others.length === 1 && others.length < sent.length))
        return { asOf: day, error: `owner ${OWNER} gets ${sent.length} owner-facing actions on ${day}: ${sent.map((a) => `${a.kind} ${a.id}`).join(", ")}`, actions: all };
      for (const e of events)
        for (const w of e.type === "planned" ? (e.waiting ?? []) : [])
          if (onItsDay(w.action, day) && (w.code !== "owner_frequency_cap" || w.action.stage === holdStages.promiseFollowUp.id))
            return { asOf: day, error: `${w.action.id}, a step that goes on its day, waits on the owner's day (${w.code}): ${w.why}`, actions: all };
      for (const a of actions.filter((x) => x.sentWith !== undefined)) {
        const notice = sent.find((n) => n.id === a.sentWith);
        if (!notice || !notice.ownerNotice?.units.some((u) => u.accountId === a.accountId))
          return { asOf: day, error: `${a.id} is carried by ${a.sentWith}, which is not a notice sent on ${day} listing unit ${a.accountId}`, actions: all };
        // A lawyer's letter (a legal step) goes alone: it neither rides in another unit's notice nor carries one.
        if (STAGE_KIND_TABLE[a.kind].legal || STAGE_KIND_TABLE[notice.kind].legal) return { asOf: day, error: `${a.id} is carried by ${a.sentWith}: a legal step goes alone`, actions: all };
      }
      // One notice per owner: the notice that goes lists every unit that owes principal past due
      // (payments oldest charge first, Civil Code art. 560), counted here from the ledger alone.
      // Units under a hold or policies with an end of the road are left to their own tests. Only a
      // written notice carries the others (a call or a visit goes alone: the kinds table's writtenNotice;
      // a lawyer's letter too: the kinds table's legal).
      const goes = sent[0];
      const alone = goes === undefined || !STAGE_KIND_TABLE[goes.kind].writtenNotice || STAGE_KIND_TABLE[goes.kind].legal || (s.units.find((u) => u.id === goes.accountId)?.holds ?? []).length > 0;
      if (s.oneNotice && sent.length === 1 && !terminal && !alone)
        for (const u of s.units) {
          if (u.id === sent[0]!.accountId || (u.holds ?? []).length > 0) continue;
          const paid = (u.payments ?? []).filter((p) => p.on <= day).reduce((sum, p) => sum + p.amountMinor, 0);
          const pastDue = u.charges.filter((c) => c.dueOn < day).reduce((sum, c) => sum + c.amountMinor, 0);
          if (paid < pastDue && !sent[0]!.ownerNotice?.units.some((l) => l.accountId === u.id))
            return { asOf: day, error: `owner ${OWNER}'s notice ${sent[0]!.id} on ${day} does not list unit ${u.id}, which owes ${pastDue - paid} past due`, actions: all };
        }
      for (const e of events)
        for (const w of e.type === "planned" ? (e.waiting ?? []) : [])
          if (w.why.trim() === "") return { asOf: day, error: `${w.action.id} waits without a reason`, actions: all };
      // What went out (sent, or carried in a notice) is recorded the day it went, the vendor's way
      // (with the channels used, or without: then the stage's count).
      for (const a of actions) {
        const { channels, ...bare } = recordOf(a, day);
        logs.get(a.accountId)!.push(s.recordsChannels ? { ...bare, channels: channels! } : bare);
      }
      // Planned again the same day (a run retried), nothing more goes to the owner.
      if (sent.length > 0) {
        const again = planOn(
          s.units.map((u) => ({ ...u, actions: logs.get(u.id)! })),
          day,
        ).flatMap((e) => (e.type === "planned" ? e.actions.filter(toOwner) : []));
        if (again.length > 0) return { asOf: day, error: `planned again on ${day} after recording, owner ${OWNER} gets ${again.map((a) => `${a.kind} ${a.id}`).join(", ")} too`, actions: [...all, ...again] };
      }
    }
    return undefined;
  },
});
