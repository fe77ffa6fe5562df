/**
 * Many estates, several units per owner (issue 18, item 2). The owner, not the unit, is
 * contacted: at most one owner-facing action a day across an owner's units, one notice listing
 * every unit's overdue amounts where the policy says so, opt-outs by owner; and a ledger of
 * several estates gives each its own policy. Expected values come from S2's residential ladder
 * (DOMAIN.md): the dunning notice on day 25 of the billing month, by door posting and SMS.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { memoryLedger } from "../src/adapters/memory.js";
import { sqliteLedger } from "../src/adapters/sqlite.js";
import { postgresLedger } from "../src/adapters/postgres.js";
import type { AccountSnapshot } from "../src/ledger/account.js";
import type { LedgerAdapter } from "../src/ledger/adapter.js";
import { plan, type PlanEvent, type PlanOptions } from "../src/ledger/plan.js";
import { normalizeAccount } from "../src/ledger/check-account.js";
import { parsePolicy } from "../src/rules/parse.js";
import type { PlannedAction } from "../src/schedule/ladder/action.js";

const dir = mkdtempSync(join(tmpdir(), "pd-owners-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const AS_OF = "2026-03-25"; // S2: day 25 of the billing month, a Wednesday
const march = (id: string, amountMinor: number) => ({ id, period: "2026-03", dueOn: "2026-03-01", amountMinor });

/** Owner 王芳 (O-7) holds a flat and a parking space in the same estate; neither has paid March. */
const flat: AccountSnapshot = { id: "A-0801", segment: "residential", unit: "8-1-0801", owner: { id: "O-7", name: "王芳" }, charges: [march("c-flat", 32000)] };
const parking: AccountSnapshot = { id: "P-017", segment: "residential", unit: "P-017", owner: { id: "O-7", name: "王芳" }, charges: [march("c-park", 15000)] };

async function events(ledger: LedgerAdapter, options: Partial<PlanOptions> = {}): Promise<PlanEvent[]> {
  const out: PlanEvent[] = [];
  for await (const e of plan(ledger, { asOf: AS_OF, ...options })) out.push(e);
  return out;
}
const planned = (all: PlanEvent[]) => all.flatMap((e) => (e.type === "planned" ? e.actions : []));
const sent = (all: PlanEvent[]) => planned(all).filter((a) => a.audience === "owner" && a.sentWith === undefined);
const oneNotice = parsePolicy({ extends: "residential", id: "one-notice", version: "1", owners: { oneNoticePerOwner: true } });

describe("an owner with a flat and a parking space, both overdue", () => {
  it("alone, each unit would get S2's dunning notice on day 25 of the billing month", async () => {
    const strangers = [flat, parking].map(({ owner: _, ...unit }) => unit);
    expect(sent(await events(memoryLedger(strangers))).map((a) => `${a.accountId} ${a.stage}`)).toEqual(["A-0801 dunning_notice", "P-017 dunning_notice"]);
  });

  it("with oneNoticePerOwner: one notice on the day, listing both units' amounts", async () => {
    const all = await events(memoryLedger([flat, parking]), { policy: oneNotice });
    const notices = sent(all);
    expect(notices).toHaveLength(1);
    // The flat owes more (320.00 against 150.00), so its notice carries the parking space's.
    expect(notices[0]!.accountId).toBe("A-0801");
    expect(notices[0]!.ownerNotice).toMatchObject({
      ownerId: "O-7",
      units: [
        { accountId: "A-0801", unit: "8-1-0801", overdueMinor: 32000 },
        { accountId: "P-017", unit: "P-017", overdueMinor: 15000 },
      ],
      overdueMinor: 47000,
    });
    // The parking space's action is recorded with the notice (so it is not planned again), not sent.
    const carried = planned(all).find((a) => a.accountId === "P-017")!;
    expect(carried.sentWith).toBe(notices[0]!.id);
  });

  it("with oneNoticePerOwner: a unit overdue with no stage due today is still listed, with its amount and late fee", async () => {
    // The parking space's January fee (160.00, due 01-01) is unpaid: its billing notice (01-01),
    // dunning notice (01-25) and final notice (02-25) went out; its next stage, the billing notice after 3 months in arrears,
    // is due 04-01, so on 03-25 nothing is due for it. The flat's March dunning notice is due today.
    const january = { ...parking, charges: [{ id: "c-park-jan", period: "2026-01", dueOn: "2026-01-01", amountMinor: 16000 }], actions: [
      { id: "P-017:billing_notice@c-park-jan", stage: "billing_notice", on: "2026-01-01", covers: ["billing_notice@c-park-jan"] },
      { id: "P-017:dunning_notice@c-park-jan", stage: "dunning_notice", on: "2026-01-25", covers: ["dunning_notice@c-park-jan"] },
      { id: "P-017:final_notice@c-park-jan", stage: "final_notice", on: "2026-02-25", covers: ["final_notice@c-park-jan"] },
    ] };
    const all = await events(memoryLedger([flat, january]), { policy: oneNotice });
    expect(planned(all).map((a) => `${a.accountId} ${a.stage}`)).toEqual(["A-0801 dunning_notice"]);
    // The built-in's late fee: 0.05% a day from the day after the due date through the planning day.
    // Flat: 320.00 × 0.05% = 0.16 a day, 03-02..03-25 = 24 days: 3.84. Parking: 160.00 × 0.05% = 0.08
    // a day, 01-02..03-25 = 30 + 28 + 25 = 83 days: 6.64 (under the cap of 30%, 48.00).
    expect(planned(all)[0]!.ownerNotice).toEqual({
      ownerId: "O-7",
      units: [
        expect.objectContaining({ accountId: "A-0801", unit: "8-1-0801", actionId: "A-0801:dunning_notice@c-flat", stage: "dunning_notice", overdueMinor: 32000, lateFeeMinor: 384, totalMinor: 32384 }),
        { accountId: "P-017", unit: "P-017", overdueMinor: 16000, lateFeeMinor: 664, totalMinor: 16664, charges: [{ id: "c-park-jan", period: "2026-01", dueOn: "2026-01-01", amountMinor: 16000, unpaidMinor: 16000, lateFeeMinor: 664, overdue: true }] },
      ],
      overdueMinor: 48000,
      lateFeeMinor: 1048,
      totalMinor: 49048,
    });
    // Paid before today, the parking space owes nothing and the flat's notice is its own.
    const paid = { ...january, payments: [{ id: "p1", on: "2026-03-10", amountMinor: 16000 + 664 }] };
    expect(planned(await events(memoryLedger([flat, paid]), { policy: oneNotice }))[0]!.ownerNotice).toBeUndefined();
    // Disputed since 03-20 (still open): nothing dunning-class about it reaches the owner, on
    // another unit's notice neither (ledger-format.md, "dispute").
    const disputed = { ...january, holds: [{ type: "dispute" as const, id: "d1", openedOn: "2026-03-20", severity: "major" as const }] };
    expect(planned(await events(memoryLedger([flat, disputed]), { policy: oneNotice }))[0]!.ownerNotice).toBeUndefined();
    // Handed to a collection agency on 03-10 (the end of the road): the estate says nothing more to
    // the owner about the parking space until it is reopened, on the flat's notice neither.
    const { $schema: _, ...endOfRoad } = JSON.parse(readFileSync(new URL("../examples/recipes/end-of-the-road.json", import.meta.url), "utf8")) as Record<string, unknown>;
    const withAgency = parsePolicy({ ...endOfRoad, owners: { oneNoticePerOwner: true } });
    const handedOver = { ...january, actions: [...january.actions, { id: "P-017:collection_agency@c-park-jan", stage: "collection_agency", on: "2026-03-10", covers: ["collection_agency@c-park-jan"] }] };
    const agency = planned(await events(memoryLedger([flat, handedOver]), { policy: withAgency }));
    expect(agency.map((a) => [a.accountId, a.stage, a.ownerNotice])).toEqual([["A-0801", "dunning_notice", undefined]]);
    // Without the agency, the same policy lists both.
    expect(planned(await events(memoryLedger([flat, january]), { policy: withAgency }))[0]!.ownerNotice?.units.map((u) => u.accountId)).toEqual(["A-0801", "P-017"]);
  });

  it("without it: the most pressing goes, the other waits with its reason, none dropped", async () => {
    const all = await events(memoryLedger([flat, parking]));
    expect(sent(all).map((a) => a.accountId)).toEqual(["A-0801"]);
    const waiting = all.flatMap((e) => (e.type === "planned" ? (e.waiting ?? []) : []));
    expect(waiting.map((w) => [w.code, w.action.accountId, w.action.stage])).toEqual([["one_action_per_owner", "P-017", "dunning_notice"]]);
    expect(waiting[0]!.why).toContain("A-0801:dunning_notice");
  });

  it("an owner-facing action recorded on the flat today holds back the parking space's", async () => {
    const done = { ...flat, actions: [{ id: "A-0801:dunning_notice@c-flat", stage: "dunning_notice", on: AS_OF, covers: ["dunning_notice@c-flat"] }] };
    const all = await events(memoryLedger([done, parking]), { policy: oneNotice });
    expect(sent(all)).toEqual([]);
    const waiting = all.flatMap((e) => (e.type === "planned" ? (e.waiting ?? []) : []));
    expect(waiting.map((w) => [w.code, w.action.accountId])).toEqual([["owner_contacted_today", "P-017"]]);
  });

  it("an opt-out on one unit applies to the owner: the parking space's notice goes without SMS", async () => {
    // The flat is paid; only the parking space is overdue. The owner refused SMS on the flat's record.
    const paidFlat = { ...flat, optOuts: ["sms" as const], payments: [{ id: "p1", on: "2026-03-02", amountMinor: 32000 }] };
    const alone = sent(await events(memoryLedger([parking])));
    expect(alone[0]!.channels).toEqual(["doorPosting", "sms"]);
    const owned = sent(await events(memoryLedger([paidFlat, parking])));
    expect(owned.map((a) => [a.accountId, a.channels])).toEqual([["P-017", ["doorPosting"]]]);
    expect(owned[0]!.because.delivery?.join(" ")).toContain("opted out of sms");
  });
});

describe("frequency caps count the owner's contacts on all their units", () => {
  it("an SMS to the owner about the flat five days ago uses up a cap of one SMS a week: the parking space's notice goes by door posting", async () => {
    const capped = parsePolicy({ extends: "residential", id: "sms-weekly", version: "1", contact: { caps: [{ channel: "sms", max: 1, withinDays: 7 }] } });
    const paidFlat = {
      ...flat,
      payments: [{ id: "p1", on: "2026-03-20", amountMinor: 32000 }],
      actions: [{ id: "A-0801:billing_notice@c-flat", stage: "billing_notice", on: "2026-03-20", covers: ["billing_notice@c-flat"], channels: ["sms" as const] }],
    };
    const strangers = [paidFlat, parking].map(({ owner: _, ...unit }) => unit);
    expect(sent(await events(memoryLedger(strangers), { policy: capped })).map((a) => [a.accountId, a.channels])).toEqual([["P-017", ["doorPosting", "sms"]]]);
    const owned = sent(await events(memoryLedger([paidFlat, parking]), { policy: capped }));
    expect(owned.map((a) => [a.accountId, a.channels])).toEqual([["P-017", ["doorPosting"]]]);
    expect(owned[0]!.because.delivery?.join(" ")).toMatch(/at most 1 sms contacts in 7 days.*counted over owner O-7's units/);
  });
});

describe("owner and estate fields are checked like every other field", () => {
  it("names the field, with its code", () => {
    const bad = normalizeAccount({ ...flat, estate: "", owner: { id: 7 } });
    expect(bad.ok ? [] : bad.issues.map((i) => [i.code, i.path])).toEqual([
      ["invalid_id", "owner.id"],
      ["invalid_id", "estate"],
    ]);
  });
});

// Two estates in one ledger: north-park (residential built-in, with a pre-due reminder by WeChat) and
// south-bay (its own id, one notice per owner). An account of west-gate, which has no policy, is reported.
const northPark = parsePolicy({
  extends: "residential",
  id: "north-park",
  version: "2026.1",
  stages: [{ id: "pre_due_reminder", kind: "reminder", channels: ["wechat"], trigger: { type: "dueDate", offsetDays: -7 }, insertAfter: "billing_notice" }],
});
const southBay = parsePolicy({ extends: "residential", id: "south-bay", version: "2026.1", owners: { oneNoticePerOwner: true } });
const estateLedger: AccountSnapshot[] = [
  { id: "N-101", estate: "north-park", segment: "residential", charges: [march("c1", 30000)] },
  { id: "S-201", estate: "south-bay", segment: "residential", charges: [march("c1", 28000)] },
  { id: "W-301", estate: "west-gate", segment: "residential", charges: [march("c1", 26000)] },
];

async function carriesEstatesAndOwners(ledger: LedgerAdapter & { writeAccounts(a: readonly AccountSnapshot[]): Promise<void> }) {
  await ledger.writeAccounts([...estateLedger, { ...flat, estate: "north-park" }, { ...parking, estate: "north-park" }]);
  const read: AccountSnapshot[] = [];
  for await (const e of ledger.accounts()) if (e.ok) read.push(e.account);
  // In the read order: by owner (O-7's two units together, where "O-7" sorts), else by the unit's own id.
  expect(read.map((a) => [a.id, a.estate, a.owner?.id])).toEqual([
    ["N-101", "north-park", undefined],
    ["A-0801", "north-park", "O-7"],
    ["P-017", "north-park", "O-7"],
    ["S-201", "south-bay", undefined],
    ["W-301", "west-gate", undefined],
  ]);
  return ledger;
}

describe("ledgers shard by owner, so that an owner's units are planned together", () => {
  it("memory and SQLite put a flat and a parking space of one owner in the shard of the owner's id", async () => {
    const { shardOf } = await import("../src/ledger/shard.js");
    // Ten owners of two units each, under account ids that hash apart.
    const units: AccountSnapshot[] = Array.from({ length: 10 }, (_, i) => [
      { id: `A-${i}`, owner: { id: `O-${i}` }, charges: [march("c", 100)] },
      { id: `P-${9 - i}x`, owner: { id: `O-${i}` }, charges: [march("c", 100)] },
    ]).flat();
    const sqlite = await sqliteLedger(join(dir, "shards.db"));
    await sqlite.writeAccounts(units);
    try {
      for (const ledger of [memoryLedger(units), sqlite]) {
        const shardOfAccount = new Map<string, number>();
        for (let index = 0; index < 4; index++) for await (const e of ledger.accounts({ shard: { index, count: 4 } })) if (e.ok) shardOfAccount.set(e.account.id, index);
        expect(shardOfAccount.size).toBe(20);
        for (const u of units) expect(shardOfAccount.get(u.id), u.id).toBe(shardOf(u.owner!.id!, 4));
      }
    } finally {
      await sqlite.close();
    }
  });
});

describe("several estates in one ledger", () => {
  it("SQLite: each estate's accounts follow its policy; an estate without one is reported", async () => {
    const ledger = await carriesEstatesAndOwners(await sqliteLedger(join(dir, "estates.db")));
    try {
      const all = await events(ledger, { estates: { "north-park": { residential: northPark }, "south-bay": { residential: southBay } } });
      // north-park sends one action per owner a day: the parking space waits, under north-park's policy too.
      const waiting = all.flatMap((e) => (e.type === "planned" ? (e.waiting ?? []).map((w) => w.action) : []));
      const byAccount = Object.fromEntries([...planned(all), ...waiting].map((a) => [a.accountId, a.policy.id]));
      expect(byAccount).toMatchObject({ "N-101": "north-park", "S-201": "south-bay", "A-0801": "north-park", "P-017": "north-park" });
      const skipped = all.filter((e) => e.type === "skipped");
      expect(skipped.map((e) => [e.accountId, e.type === "skipped" && e.issues[0]!.code, e.type === "skipped" && e.issues[0]!.path])).toEqual([["W-301", "no_policy", "estate"]]);
      // A policy for the segment is the fallback of estates without their own.
      const fallback = await events(ledger, { policy: { residential: southBay }, estates: { "north-park": { residential: northPark } } });
      expect(Object.fromEntries(planned(fallback).map((a) => [a.accountId, a.policy.id]))).toMatchObject({ "N-101": "north-park", "W-301": "south-bay" });
    } finally {
      await ledger.close();
    }
  });

  it("SQLite: a paid-up unit that names an owner still brings its recorded actions (the owner was contacted today)", async () => {
    const ledger = await sqliteLedger(join(dir, "paid-up.db"));
    try {
      // The flat was paid in full and its notice carried out this morning; the parking space is overdue.
      const paidFlat = { ...flat, payments: [{ id: "p1", on: AS_OF, amountMinor: 32000 }], actions: [{ id: "A-0801:dunning_notice@c-flat", stage: "dunning_notice", on: AS_OF, covers: ["dunning_notice@c-flat"] }] };
      await ledger.writeAccounts([paidFlat, parking]);
      const all = await events(ledger);
      expect(sent(all)).toEqual([]);
      expect(all.flatMap((e) => (e.type === "planned" ? (e.waiting ?? []).map((w) => [w.code, w.action.accountId]) : []))).toEqual([["owner_contacted_today", "P-017"]]);
    } finally {
      await ledger.close();
    }
  });

  it.runIf(process.env.PD_POSTGRES_URL)("PostgreSQL carries estate and owner id", async () => {
    const schema = `owners_${process.pid}`;
    const ledger = await carriesEstatesAndOwners(await postgresLedger(process.env.PD_POSTGRES_URL!, { schema }));
    try {
      expect(sent(await events(ledger, { estates: { "north-park": { residential: northPark }, "south-bay": { residential: southBay } } })).map((a) => a.accountId)).toEqual(["N-101", "A-0801", "S-201"]); // the read order: O-7's units sort under "O-7"
    } finally {
      await ledger.close();
      const { default: pg } = await import("pg");
      const client = new pg.Client(process.env.PD_POSTGRES_URL);
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await client.end();
    }
  });
});

describe("the proof kit: one owner, one owner-facing action a day", () => {
  it("holds for the built-ins, with and without one notice per owner (1-3 units per owner)", async () => {
    const { checkPolicy } = await import("../src/testing/index.js");
    const { builtinPolicySource } = await import("../src/rules/builtins.js");
    for (const id of ["residential", "commercial"] as const) {
      const report = checkPolicy(parsePolicy(builtinPolicySource(id)), { only: ["one-owner-one-action-a-day"], runs: 25, seed: 18 });
      expect(report.results.map((r) => [r.name, r.ok, r.ok ? "" : r.error])).toEqual([["one-owner-one-action-a-day", true, ""]]);
    }
  });
});

describe('docs/recipes.md, "An estate group with several estates": the commands run as printed', () => {
  const page = readFileSync(new URL("../docs/recipes.md", import.meta.url), "utf8");
  const section = page.slice(page.indexOf("## An estate group with several estates"));
  const commands = /```sh\n([\s\S]*?)```/.exec(section)![1]!.trim().split("\n");

  it("names each estate's policy; reports the estate without one; one notice for 王芳, one action for 李强", async () => {
    const { runCli } = await import("./helpers.js");
    expect(commands).toHaveLength(2);
    const [named, withFallback] = [await runCli(...commands[0]!.replace(/^property-dunning /, "").split(" ")), await runCli(...commands[1]!.replace(/^property-dunning /, "").split(" "))];
    // west-gate has no policy: reported (exit 3, some skipped), never given a built-in unasked.
    expect(named.code).toBe(3);
    expect(named.err).toMatch(/skipped W-0001: estate: estate "west-gate" has no policy/);
    expect(named.out).not.toMatch(/W-0001/);
    expect(withFallback.code, withFallback.err).toBe(0);
    const actions = JSON.parse(withFallback.out) as PlannedAction[];
    const by = Object.fromEntries(actions.map((a) => [a.accountId, a]));
    expect(Object.fromEntries(actions.map((a) => [a.accountId, a.policy.id]))).toEqual({ "N-0801": "north-park", "N-P017": "north-park", "N-1202": "north-park", "S-0101": "south-bay", "W-0001": "residential" });
    // 王芳 (O-7): one notice, both units' March fees (320.00 and 150.00, the ledger's amounts).
    expect(by["N-0801"]!.ownerNotice!.units.map((u) => [u.accountId, u.overdueMinor])).toEqual([["N-0801", 32000], ["N-P017", 15000]]);
    expect(by["N-0801"]!.ownerNotice!.overdueMinor).toBe(47000);
    expect(by["N-P017"]!.sentWith).toBe("N-0801:dunning_notice@fee-2026-03");
    // 李强 (O-9): south-bay does not combine notices; N-1202 (300.00) goes, S-0303 (280.00) waits, said on stderr.
    expect(by["S-0303"]).toBeUndefined();
    expect(withFallback.err).toMatch(/waiting S-0303:dunning_notice@fee-2026-03: one owner-facing action a day per owner: N-1202:dunning_notice@fee-2026-03/);
  });
});

describe("--policy <estate>/<segment>=<file>: every command that takes --policy reads it alike (report: tests/report-estates.test.ts; run: tests/jobs-estates.test.ts)", () => {
  const group = "examples/recipes/estate-group.json";
  const southBay = "south-bay/residential=examples/recipes/south-bay.json";

  it("explain: an account follows its estate's policy; an account of an estate with none is named (exit 1)", async () => {
    const { runCli } = await import("./helpers.js");
    // S-0101 is in south-bay: south-bay's policy, not the residential built-in.
    const ok = await runCli("explain", "--ledger", group, "--account", "S-0101", "--as-of", AS_OF, "--policy", southBay, "--format", "json");
    expect(ok.code, ok.err).toBe(0);
    expect((JSON.parse(ok.out) as { policy: string }).policy).toBe("south-bay");
    // W-0001 is in west-gate, which no --policy names, and no policy is given for the segment.
    const none = await runCli("explain", "--ledger", group, "--account", "W-0001", "--as-of", AS_OF, "--policy", southBay);
    expect(none.code).toBe(1);
    expect(none.err).toMatch(/W-0001: estate: estate "west-gate" has no policy/);
    // Given one for the segment, W-0001 follows it.
    const fallback = await runCli("explain", "--ledger", group, "--account", "W-0001", "--as-of", AS_OF, "--policy", southBay, "--policy", "residential=residential", "--format", "json");
    expect((JSON.parse(fallback.out) as { policy: string }).policy).toBe("residential");
  });

  it("timeline --account draws the account under its estate's policy; without an account it is a usage error (exit 2)", async () => {
    const { runCli } = await import("./helpers.js");
    const out = join(dir, "S-0101.html");
    const drawn = await runCli("timeline", "--ledger", group, "--account", "S-0101", "--as-of", AS_OF, "--policy", southBay, "--out", out);
    expect(drawn.code, drawn.err).toBe(0);
    expect(readFileSync(out, "utf8")).toContain("south-bay 2026.1 from 2026-03-25");
    const ladder = await runCli("timeline", "--policy", southBay, "--out", join(dir, "ladder.svg"));
    expect([ladder.code, ladder.err]).toEqual([2, expect.stringMatching(/timeline: --policy: a policy per estate is for an account/)]);
  });
});

// The read order (docs/ledger-format.md): ledgers stream by owner key, then account id, so an
// owner's units arrive together and plan() plans them when the key changes. A ledger that breaks
// the order must not get an owner contacted twice: the unit that comes back is reported.
describe("a ledger that does not stream in the read order", () => {
  // Owner O-9 (not owing anything) holds B-5, whose id sorts between O-7's two units.
  const b5: AccountSnapshot = { id: "B-5", segment: "residential", owner: { id: "O-9" }, charges: [] };
  const byId = [flat, b5, parking]; // A-0801 (O-7), B-5 (O-9), P-017 (O-7): account id order
  /** A vendor's own adapter that streams in account id order, as the versions before the read order asked. */
  const idOrder = (accounts: readonly AccountSnapshot[]): LedgerAdapter => ({
    async *accounts() {
      for (const account of accounts) yield { ok: true as const, cursor: account.id, account };
    },
    record: async () => 0,
    close: async () => {},
  });
  const outOfOrder = {
    type: "skipped",
    accountId: "P-017",
    issues: [{ code: "out_of_order", path: "owner.id", message: expect.stringContaining('owner "O-7" comes after owner "O-9"') }],
  };

  it("reports the unit whose owner comes back (out_of_order), never plans it alone: one dunning notice for O-7", async () => {
    const all = await events(idOrder(byId));
    expect(all.map((e) => [e.type, e.accountId])).toEqual([["planned", "A-0801"], ["planned", "B-5"], ["skipped", "P-017"]]);
    expect(all[2]).toMatchObject(outOfOrder);
    expect(sent(all).map((a) => `${a.accountId} ${a.stage}`)).toEqual(["A-0801 dunning_notice"]);
  });

  it("a JSON Lines file in id order is reported the same way; sorted by the docs' command, O-7's units are planned together", async () => {
    const { jsonlLedger } = await import("../src/adapters/file.js");
    const { execFileSync } = await import("node:child_process");
    const { writeFileSync } = await import("node:fs");
    const work = mkdtempSync(join(dir, "jsonl-"));
    writeFileSync(join(work, "ledger.jsonl"), byId.map((a) => `${JSON.stringify(a)}\n`).join(""));
    const unsorted = await events(jsonlLedger(join(work, "ledger.jsonl")));
    expect(unsorted.find((e) => e.accountId === "P-017")).toMatchObject(outOfOrder);
    // The command docs/ledger-format.md prints under "The read order", run as printed.
    const docs = readFileSync(new URL("../docs/ledger-format.md", import.meta.url), "utf8");
    const section = docs.slice(docs.indexOf("### The read order"));
    const command = /```sh\n([\s\S]*?)```/.exec(section)![1]!;
    execFileSync("sh", ["-c", command], { cwd: work });
    const sorted = await events(jsonlLedger(join(work, "ledger.sorted.jsonl")));
    expect(sorted.map((e) => [e.type, e.accountId])).toEqual([["planned", "A-0801"], ["planned", "P-017"], ["planned", "B-5"]]);
    // S2's dunning notice for the flat (it owes more); the parking space's waits: one owner-facing action a day.
    expect(sent(sorted).map((a) => `${a.accountId} ${a.stage}`)).toEqual(["A-0801 dunning_notice"]);
    expect(sorted.flatMap((e) => (e.type === "planned" ? (e.waiting ?? []).map((w) => [w.code, w.action.accountId]) : []))).toEqual([["one_action_per_owner", "P-017"]]);
  });
});
