/**
 * How the owner pass (src/schedule/owners/coordinate.ts, plan()'s owner units) meets delivery:
 * what may ride in one owner notice, what a resumed run reads again, what the jobs worker hands
 * to the sender, what recording a carried action counts, and what a skipped unit still counts
 * (review notes s5, items 1, 3, 4, 11, 12). Expected values come from S2's residential ladder
 * (DOMAIN.md): the dunning notice on day 25 of the billing month by door posting and SMS, the
 * final notice on day 25 of the next month; and S2 断其后路: call back on exactly the agreed date.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { memoryLedger } from "../src/adapters/memory.js";
import { jsonlLedger } from "../src/adapters/file.js";
import { sqliteLedger } from "../src/adapters/sqlite.js";
import type { AccountSnapshot } from "../src/ledger/account.js";
import type { LedgerAdapter } from "../src/ledger/adapter.js";
import { plan, toRecorded, type PlanEvent, type PlanOptions } from "../src/ledger/plan.js";
import { parsePolicy } from "../src/rules/parse.js";
import type { PlannedAction } from "../src/schedule/ladder/action.js";
import { startRun, startWorker, waitForRun } from "../src/jobs/index.js";
import { pgAdmin } from "./helpers.js";

const dir = mkdtempSync(join(tmpdir(), "pd-owners-delivery-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const AS_OF = "2026-03-25"; // S2: day 25 of the billing month
const oneNotice = parsePolicy({ extends: "residential", id: "one-notice", version: "1", owners: { oneNoticePerOwner: true } });

async function events(ledger: LedgerAdapter, options: Partial<PlanOptions> = {}): Promise<PlanEvent[]> {
  const out: PlanEvent[] = [];
  for await (const e of plan(ledger, { asOf: AS_OF, ...options })) out.push(e);
  return out;
}
const planned = (all: PlanEvent[]) => all.flatMap((e) => (e.type === "planned" ? e.actions : []));
const waiting = (all: PlanEvent[]) => all.flatMap((e) => (e.type === "planned" ? (e.waiting ?? []).map((w) => `${w.code} ${w.action.accountId} ${w.action.stage}`) : []));
const brief = (a: PlannedAction) => ({ accountId: a.accountId, stage: a.stage, channels: a.channels, sentWith: a.sentWith, units: a.ownerNotice?.units.map((u) => u.accountId) });

/** Owner O-1: flat F-1 has not paid March (its dunning notice is due on the 25th); parking P-1 owes February. */
const flat: AccountSnapshot = { id: "F-1", owner: { id: "O-1" }, charges: [{ id: "cf", period: "2026-03", dueOn: "2026-03-01", amountMinor: 32000 }] };
const parking = (holds: AccountSnapshot["holds"]): AccountSnapshot => ({ id: "P-1", owner: { id: "O-1" }, charges: [{ id: "cp", period: "2026-02", dueOn: "2026-02-01", amountMinor: 15000 }], holds });

describe("what rides in one owner notice (item 1)", () => {
  // The owner promised on 03-10 to pay the parking space by 03-25, and has not: the call is due that day.
  const promised = parking([{ type: "promiseToPay", id: "pr1", madeOn: "2026-03-10", promisedOn: "2026-03-25" }]);

  for (const [name, options] of [["the built-in", {}], ["oneNoticePerOwner", { policy: oneNotice }]] as const)
    it(`${name}: the promise's call goes on the agreed date, on its own channel, never carried; the notice waits`, async () => {
      const all = await events(memoryLedger([flat, promised]), options);
      expect(planned(all).map(brief)).toEqual([{ accountId: "P-1", stage: "promise_follow_up", channels: ["phone"], sentWith: undefined, units: undefined }]);
      expect(waiting(all)).toEqual(["one_action_per_owner F-1 dunning_notice"]);
    });

  it("oneNoticePerOwner: an instalment's reminder (a hold's own step, though written) goes on its day, not inside the flat's notice", async () => {
    // The plan's instalment falls due on 03-28; the reminder comes installmentReminderDays (3) before: 03-25.
    const onPlan = parking([{ type: "installmentPlan", id: "ip1", agreedOn: "2026-03-10", charges: ["cp"], instalments: [{ dueOn: "2026-03-28", amountMinor: 15000 }] }]);
    const all = await events(memoryLedger([flat, onPlan]), { policy: oneNotice });
    expect(planned(all).map(brief)).toEqual([{ accountId: "P-1", stage: "instalment_reminder", channels: expect.any(Array), sentWith: undefined, units: undefined }]);
    expect(planned(all)[0]!.channels.length).toBeGreaterThan(0);
    expect(waiting(all)).toEqual(["one_action_per_owner F-1 dunning_notice"]);
  });

  it("oneNoticePerOwner: a call (the kinds table: not a written notice) is never carried in another unit's letter; it goes, the letter waits", async () => {
    // The built-in `relative` ladder: a phone call 7 days after the due date, a formal letter 10 days after that call.
    const relative = parsePolicy({ extends: "relative", id: "relative-one-notice", version: "1", owners: { oneNoticePerOwner: true } });
    const called: AccountSnapshot = {
      id: "R-1",
      owner: { id: "O-2" },
      charges: [{ id: "c1", period: "2026-03", dueOn: "2026-03-08", amountMinor: 50000 }],
      actions: [{ id: "R-1:first_dunning@c1", stage: "first_dunning", on: "2026-03-15", covers: ["billing_notice@c1", "monthly_sweep@c1", "friendly_reminder@c1", "first_dunning@c1"], channels: ["phone"] }],
    };
    const due: AccountSnapshot = { id: "R-2", owner: { id: "O-2" }, charges: [{ id: "c2", period: "2026-03", dueOn: "2026-03-18", amountMinor: 20000 }], actions: [{ id: "R-2:friendly_reminder@c2", stage: "friendly_reminder", on: "2026-03-11", covers: ["billing_notice@c2", "monthly_sweep@c2", "friendly_reminder@c2"], channels: ["sms"] }] };
    const alone = planned(await events(memoryLedger([called, due].map(({ owner: _, ...u }) => u)), { policy: relative }));
    expect(alone.map((a) => `${a.accountId} ${a.kind}`)).toEqual(["R-1 formalLetter", "R-2 phoneCall"]);
    const all = await events(memoryLedger([called, due]), { policy: relative });
    expect(planned(all).map(brief)).toEqual([{ accountId: "R-2", stage: "first_dunning", channels: ["phone"], sentWith: undefined, units: undefined }]);
    expect(waiting(all)).toEqual(["one_action_per_owner R-1 second_dunning_letter"]);
  });

  it("oneNoticePerOwner: two written notices still go as one, the carried one with no channels of its own (item 11)", async () => {
    const overdueParking: AccountSnapshot = { ...parking(undefined), charges: [{ id: "cp", period: "2026-03", dueOn: "2026-03-01", amountMinor: 15000 }] };
    const all = await events(memoryLedger([flat, overdueParking]), { policy: oneNotice });
    expect(planned(all).map(brief)).toEqual([
      { accountId: "F-1", stage: "dunning_notice", channels: ["doorPosting", "sms"], sentWith: undefined, units: ["F-1", "P-1"] },
      { accountId: "P-1", stage: "dunning_notice", channels: [], sentWith: "F-1:dunning_notice@cf", units: undefined },
    ]);
    expect(waiting(all)).toEqual([]);
  });
});

describe("recording a carried action counts one message once (item 11)", () => {
  it("the owner got one SMS on 03-25: a cap of 2 SMS in 60 days lets the next month's final notice go by SMS", async () => {
    const capped = parsePolicy({ extends: "residential", id: "capped", version: "1", owners: { oneNoticePerOwner: true }, contact: { caps: [{ channel: "sms", max: 2, withinDays: 60 }] } });
    const units: AccountSnapshot[] = [flat, { id: "P-1", owner: { id: "O-1" }, charges: [{ id: "cp", period: "2026-03", dueOn: "2026-03-01", amountMinor: 15000 }] }];
    const day1 = planned(await events(memoryLedger(units), { policy: capped }));
    expect(day1.map((a) => a.sentWith === undefined)).toEqual([true, false]);
    // Recorded as docs/ledger-format.md asks: both actions, the carried one too.
    const recorded = units.map((u) => ({ ...u, actions: day1.filter((a) => a.accountId === u.id).map((a) => toRecorded(a, AS_OF)) }));
    expect(recorded.map((u) => u.actions.map((a) => a.channels))).toEqual([[["doorPosting", "sms"]], [[]]]);
    // S2: the final notice on day 25 of the next month (2026-04-25 is a Saturday: the next working
    // day, 04-27); one SMS within 60 days, so a second is allowed.
    const day2 = planned(await events(memoryLedger(recorded), { policy: capped, asOf: "2026-04-27" }));
    const notice = day2.find((a) => a.sentWith === undefined)!;
    expect(notice.stage).toBe("final_notice");
    expect(notice.channels).toContain("sms");
  });
});

describe("a resumed plan() reads again the units that wait for their owner (item 3)", () => {
  const u = (id: string, owner?: string): AccountSnapshot => ({ id, ...(owner ? { owner: { id: owner } } : {}), charges: [{ id: `c-${id}`, period: "2026-03", dueOn: "2026-03-01", amountMinor: 32000 }] });

  for (const accounts of [
    [u("A-0"), u("A-1", "O-1"), u("B-1"), u("C-1")],
    [u("A-1", "O-1"), u("B-1"), u("C-1")], // the first unit read waits: the cursor before it is the start
  ])
    it(`every unit is planned whichever event a consumer resumes after (${accounts.map((a) => a.id).join(", ")})`, async () => {
      const path = join(dir, `resume-${accounts.length}.jsonl`);
      writeFileSync(path, accounts.map((a) => JSON.stringify(a)).join("\n") + "\n");
      for (const ledger of [() => memoryLedger(accounts), () => jsonlLedger(path)]) {
        const full = await events(ledger());
        expect(planned(full).map((a) => a.accountId).sort()).toEqual(accounts.map((a) => a.id).sort());
        // A consumer that checkpointed after event i and died resumes after its cursor.
        for (let i = 0; i < full.length; i++) {
          const before = full.slice(0, i + 1).map((e) => e.accountId);
          const resumed = await events(ledger(), { after: full[i]!.cursor });
          const seen = new Set([...before, ...planned(resumed).map((a) => a.accountId)]);
          expect([...seen].sort(), `resumed after event ${i} (${full[i]!.accountId}, cursor ${JSON.stringify(full[i]!.cursor)})`).toEqual(accounts.map((a) => a.id).sort());
        }
      }
    });
});

describe("a unit that cannot be planned still counts for its owner (item 12)", () => {
  it("its action recorded today means the owner was contacted today: the flat's notice waits", async () => {
    // The parking space recorded an SMS this morning under a stage no version of the policy names: it is skipped (unknown_stage).
    const odd: AccountSnapshot = { ...parking(undefined), actions: [{ id: "P-1:old_sms@cp", stage: "old_sms", on: AS_OF, channels: ["sms"] }] };
    const all = await events(memoryLedger([flat, odd]));
    expect(all.filter((e) => e.type === "skipped").map((e) => e.accountId)).toEqual(["P-1"]);
    expect(planned(all).filter((a) => a.audience === "owner")).toEqual([]);
    expect(waiting(all)).toEqual(["owner_contacted_today F-1 dunning_notice"]);
  });
});

const PG_URL = process.env.PD_POSTGRES_URL || undefined;

describe.skipIf(!PG_URL)("the jobs worker (real PostgreSQL): a carried action is recorded, never sent (item 4)", () => {
  const db = `pd_owners3_${randomBytes(3).toString("hex")}`;
  const admin = (sql: string) => pgAdmin(PG_URL!, sql);
  afterAll(async () => {
    await admin(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
  });

  for (const batch of [false, true])
    it(`${batch ? "a batch sender" : "a sender"} gets the one notice; the ledger records both units' actions`, async () => {
      const name = `${db}${batch ? "_b" : ""}`;
      if (batch) afterAll(() => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
      await admin(`CREATE DATABASE ${name}`);
      const queue = PG_URL!.replace(/\/[^/?]*(\?.*)?$/, `/${name}$1`);
      const path = join(dir, `jobs-${batch}.db`);
      const units: AccountSnapshot[] = [flat, { id: "P-1", owner: { id: "O-1" }, charges: [{ id: "cp", period: "2026-03", dueOn: "2026-03-01", amountMinor: 15000 }] }];
      const ledger = await sqliteLedger(path);
      await ledger.writeAccounts(units);
      await ledger.close();
      const sent: string[] = [];
      const worker = await startWorker({
        queue,
        schedules: false,
        engine: { pollingIntervalSeconds: 0.5 },
        sender: batch ? { send: async (a) => void sent.push(a.id), sendMany: async (items) => void sent.push(...items.map((i) => i.action.id)) } : async (a) => void sent.push(a.id),
      });
      try {
        const { runId } = await startRun({ queue, ledger: `sqlite:${path}`, asOf: AS_OF, shards: 1, policy: oneNotice });
        const progress = await waitForRun({ queue }, runId, { timeoutMs: 60_000 });
        expect(progress.shards.done).toBe(1);
      } finally {
        await worker.stop({ timeoutMs: 10_000 });
      }
      expect(sent).toEqual(["F-1:dunning_notice@cf"]);
      const after = await sqliteLedger(path);
      try {
        const actions: Record<string, unknown> = {};
        for await (const e of after.accounts()) if (e.ok) actions[e.account.id] = (e.account.actions ?? []).map((a) => [a.id, a.channels]);
        expect(actions).toEqual({ "F-1": [["F-1:dunning_notice@cf", ["doorPosting", "sms"]]], "P-1": [["P-1:dunning_notice@cp", []]] });
      } finally {
        await after.close();
      }
    }, 120_000);
});
