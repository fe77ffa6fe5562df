/**
 * The third built-in, `relative` (policies/relative.json): the relative ladder of S1, S3 and S2
 * (DOMAIN.md, "The relative ladder"). Every date below is worked out by hand from the seeds'
 * sentences and the day the file chose inside each range (each stage's `description` says why),
 * counting days as Civil Code art. 201 does (the start day is not counted), with the 2026
 * calendar of DOMAIN.md. For a charge due Sunday 2026-03-01:
 *
 * - billing notice, 30 days before the due date (S1: 15–30 days before; S3: about a month before
 *   the period): 2026-01-30;
 * - friendly reminder, 7 days before (S3: about a week): 2026-02-22;
 * - S2's reminder on the 5th of the month: 2026-03-05;
 * - first dunning by phone, 7 days after due (S1: 5–7 days): Sunday 2026-03-08 (calls may go on
 *   any day);
 * - written letter by registered mail 10 days after the call (S1: 10–15 days): Wednesday
 *   2026-03-18, a working day, 15 days to pay: 2026-04-02;
 * - formal demand letter by express mail three months after the phone notice (S2), 92 days:
 *   Monday 2026-06-08, 15 days to pay: 2026-06-23;
 * - home visit the day after that deadline, for an owner who lives in the estate: Wednesday 2026-06-24;
 * - legal review at 12 months in arrears (S2's legal threshold), after the written demands: 2027-03-01.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { BUILTIN_POLICY_IDS, builtinPolicySource } from "../src/rules/builtins.js";
import { parsePolicy } from "../src/rules/parse.js";
import { createScheduler } from "../src/schedule/ladder/scheduler.js";
import type { AccountSnapshot } from "../src/ledger/account.js";
import type { PlannedAction } from "../src/schedule/ladder/action.js";
import { checkPolicy } from "../src/testing/index.js";
import { CHANNEL_TABLE } from "../src/rules/kinds.js";
import { brief, builtin, oneCharge, runDaily, spawnCli } from "./helpers.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const file = JSON.parse(readFileSync(join(root, "policies/relative.json"), "utf8"));
const relative = builtin("relative");

const resident = (tags: string[] = []): AccountSnapshot => oneCharge({ owner: { name: "王芳", tags: ["resident", ...tags] } });
const on = (actions: readonly PlannedAction[], day: string) => actions.filter((a) => a.plannedOn === day);

describe("the relative ladder is a built-in", () => {
  it("is registered, parses to the file as shipped, and the JSON Schema on disk accepts it", () => {
    expect(BUILTIN_POLICY_IDS).toContain("relative");
    expect(builtinPolicySource("relative")).toEqual(file);
    const policy = parsePolicy(builtinPolicySource("relative"));
    expect(policy).toMatchObject({ id: "relative", segment: "residential", timeZone: "Asia/Shanghai" });
    // schema/policy.schema.json read back as a schema (zod's JSON Schema reader, not the zod source):
    // what an editor checks through "$schema".
    const jsonSchema = z.fromJSONSchema(JSON.parse(readFileSync(join(root, "schema/policy.schema.json"), "utf8")));
    expect(file.$schema).toBe("../schema/policy.schema.json");
    expect(jsonSchema.safeParse(file).success).toBe(true);
    // and it refuses what the schema forbids, so the check above can fail
    expect(jsonSchema.safeParse({ ...file, stages: [{ ...file.stages[4], trigger: { ...file.stages[4].trigger, days: 0 } }] }).success).toBe(false);
  });

  it("can be extended by an estate: a first call on day 5, S1's earliest, moves the letter with it", () => {
    const estate = parsePolicy({ extends: "relative", id: "early-call", version: "2026.1", stages: [{ id: "first_dunning", trigger: { type: "dueDate", offsetDays: 5 } }] });
    expect(estate.segment).toBe("residential");
    const actions = runDaily(createScheduler(estate), resident(), "2026-01-01", "2026-03-31");
    // due 03-01 + 5 = 03-06 (Friday); the letter 10 days after the call: 03-16 (Monday)
    expect(brief(actions)).toEqual([
      "2026-01-30 billingNotice sms",
      "2026-02-22 reminder sms+appPush",
      "2026-03-05 reminder sms+wechat",
      "2026-03-06 phoneCall phone",
      "2026-03-16 formalLetter registeredMail",
    ]);
  });

  it("cites a seed sentence for every stage of the ladder, and says why it chose its day", () => {
    for (const stage of file.stages) {
      expect(stage.source, stage.id).toMatch(/^(S[0-4] |Civil Code)/);
      expect(stage.description, stage.id).toBeTruthy();
    }
    const sourceOf = (id: string) => file.stages.find((s: { id: string }) => s.id === id).source as string;
    expect(sourceOf("billing_notice")).toContain("通常为一个月");
    expect(sourceOf("billing_notice")).toContain("15-30天");
    expect(sourceOf("friendly_reminder")).toContain("缴费截止日期前一周左右");
    expect(sourceOf("monthly_sweep")).toContain("从每月5日起");
    expect(sourceOf("first_dunning")).toContain("到期后5-7天内");
    expect(sourceOf("second_dunning_letter")).toContain("首次催缴后10-15天内");
    expect(sourceOf("second_dunning_letter")).toContain("挂号信/快递");
    expect(sourceOf("formal_demand_letter")).toContain("电话通知后三个月内仍未缴纳");
    expect(sourceOf("home_visit")).toContain("长期居住在小区");
    expect(sourceOf("legal_review")).toContain("最后手段");
    // The gaps are stated in the file, not hidden.
    expect(file.description).toContain("KNOWN GAPS");
    expect(file.description).toContain("resident");
  });

  it("passes every invariant of the proof kit (verify)", () => {
    const report = checkPolicy(parsePolicy(builtinPolicySource("relative")), { runs: 8, seed: 18 });
    expect(report.results.filter((r) => !r.ok).map((r) => r.name)).toEqual([]);
  }, 300_000);
});

describe("an account due 2026-03-01, never paid, owner living in the estate", () => {
  const actions = runDaily(relative, resident(), "2026-01-01", "2027-03-31");

  it("gets each stage on the day the seeds give", () => {
    expect(brief(actions)).toEqual([
      "2026-01-30 billingNotice sms", // S1/S3: 30 days before the due date
      "2026-02-22 reminder sms+appPush", // S3: a week before
      "2026-03-05 reminder sms+wechat", // S2: from the 5th of each month
      "2026-03-08 phoneCall phone", // S1: 7 days after due
      "2026-03-18 formalLetter registeredMail", // S1: 10 days after the first; S3: by registered mail
      "2026-06-08 formalLetter expressMail", // S2: three months after the phone notice, by express mail
      "2026-06-24 homeVisit homeVisit", // S2: a resident non-payer is visited
      "2027-03-01 legalReview staffQueue", // S3/S2: legal steps as the last resort
    ]);
  });

  it("gives each written demand 15 days to pay, and reaches the legal review only after both deadlines, for a person to decide", () => {
    const letters = actions.filter((a) => a.kind === "formalLetter");
    expect(letters.map((a) => [a.stage, a.deadlineOn])).toEqual([
      ["second_dunning_letter", "2026-04-02"],
      ["formal_demand_letter", "2026-06-23"],
    ]);
    const legal = actions.filter((a) => a.kind === "legalReview");
    expect(legal).toHaveLength(1);
    expect(legal[0]).toMatchObject({ stage: "legal_review", audience: "staff", requiresReview: true });
    for (const l of letters) expect(legal[0]!.plannedOn > l.deadlineOn!).toBe(true);
    expect(legal[0]!.because.demand).toBeDefined();
  });
});

describe("a payer who pays after the first dunning", () => {
  it("hears nothing more: the ladder stops at the phone call", () => {
    const paid = oneCharge({ payments: [{ id: "p1", on: "2026-03-10", amountMinor: 30000 }] });
    expect(brief(runDaily(relative, paid, "2026-01-01", "2026-12-31"))).toEqual([
      "2026-01-30 billingNotice sms",
      "2026-02-22 reminder sms+appPush",
      "2026-03-05 reminder sms+wechat",
      "2026-03-08 phoneCall phone",
    ]);
  });

  it("who pays part only is still pressed: the letter goes on its day", () => {
    const part = oneCharge({ payments: [{ id: "p1", on: "2026-03-10", amountMinor: 10000 }] });
    const after = runDaily(relative, part, "2026-01-01", "2026-03-31").filter((a) => a.plannedOn > "2026-03-10");
    expect(brief(after)).toEqual(["2026-03-18 formalLetter registeredMail"]);
    expect(after[0]!.overdueMinor).toBe(20000);
  });
});

describe("a long-term non-payer, billed every month, who does not live in the estate", () => {
  const months = Array.from({ length: 13 }, (_, i) => {
    const y = 2026 + Math.floor((2 + i) / 12);
    const m = ((2 + i) % 12) + 1;
    const period = `${y}-${String(m).padStart(2, "0")}`;
    return { id: `c-${period}`, period, dueOn: `${period}-01`, amountMinor: 30000 };
  });
  const account = oneCharge({ owner: { name: "李强", tags: [] }, charges: months });
  const actions = runDaily(relative, account, "2026-01-01", "2027-03-31");
  const march = (stage: string) => actions.filter((a) => a.covers.some((c) => c.stage === stage && c.key.endsWith("@c-2026-03")));

  it("gets the formal demand letter for March by express mail three months after the phone notice", () => {
    expect(march("first_dunning").map((a) => a.plannedOn)).toEqual(["2026-03-08"]);
    expect(march("second_dunning_letter").map((a) => a.plannedOn)).toEqual(["2026-03-18"]);
    const [demand] = march("formal_demand_letter");
    expect(demand).toMatchObject({ plannedOn: "2026-06-08", kind: "formalLetter", channels: ["expressMail"], deadlineOn: "2026-06-23" });
  });

  it("is reminded on the 5th of every month while anything is unpaid (S2's sweep, one a month)", () => {
    const fifths = months.map((c) => `${c.period}-05`);
    for (const day of fifths) expect(on(actions, day).some((a) => a.covers.some((c) => c.stage === "monthly_sweep")), day).toBe(true);
  });

  it("is never visited (not a resident), yet the legal review still comes, once, at 12 months and after the written demands", () => {
    expect(actions.some((a) => a.covers.some((c) => c.stage === "home_visit"))).toBe(false);
    const legal = actions.filter((a) => a.kind === "legalReview");
    expect(legal.map((a) => a.plannedOn)).toEqual(["2027-03-01"]);
    // Civil Code art. 944: after written demands whose deadline has passed
    const demandsBefore = actions.filter((a) => a.kind === "formalLetter" && a.deadlineOn! < "2027-03-01");
    expect(demandsBefore.length).toBeGreaterThanOrEqual(2);
  });
});

describe("legal steps only after a written demand, even when planning starts late", () => {
  it("an account first planned at 12 months in arrears gets the call, the letter, and the review only after the letter's deadline", () => {
    // First planning run 2027-03-01: every earlier warning is owed at once, the most severe goes
    // (the call, carrying the bill and reminders); the letter 10 days after the call was made
    // (afterStage counts from the day carried out), 2027-03-11, 15 days to pay: 03-26; the legal
    // review the day after, 2027-03-27, not on 03-01 when the arrears alone would allow it.
    const actions = runDaily(relative, resident(), "2027-03-01", "2027-04-30");
    expect(brief(actions.filter((a) => a.plannedOn <= "2027-03-31"))).toEqual([
      "2027-03-01 phoneCall phone",
      "2027-03-11 formalLetter registeredMail",
      "2027-03-27 legalReview staffQueue",
    ]);
    expect(actions[1]!.deadlineOn).toBe("2027-03-26");
    expect(actions[2]!.because.demand).toMatchObject({ stage: "second_dunning_letter", on: "2027-03-11", deadlineOn: "2027-03-26" });
  });
});

describe("a protected (elderly) owner", () => {
  const elderly = runDaily(relative, resident(["elderly"]), "2026-01-01", "2027-03-31");
  const twin = runDaily(relative, resident(), "2026-01-01", "2027-03-31");

  it("gets no letter by post: staff bring it on a visit, a person approves each written demand, and help is offered with the first call", () => {
    expect(brief(elderly)).toEqual([
      "2026-01-30 billingNotice sms",
      "2026-02-22 reminder sms+appPush",
      "2026-03-05 reminder sms+wechat",
      "2026-03-08 phoneCall phone",
      "2026-03-18 formalLetter homeVisit",
      "2026-06-08 formalLetter homeVisit",
      "2026-06-24 homeVisit homeVisit",
      "2027-03-01 legalReview staffQueue",
    ]);
    expect(on(elderly, "2026-03-08")[0]!.offers).toEqual(["homeCollection", "installmentPlan"]);
    for (const letter of elderly.filter((a) => a.kind === "formalLetter")) expect(letter.requiresReview).toBe(true);
    for (const letter of twin.filter((a) => a.kind === "formalLetter")) expect(letter.requiresReview).toBe(false);
  });

  it("is never pressed harder than the same owner without the tag, day for day", () => {
    expect(elderly.map((a) => [a.plannedOn, a.kind])).toEqual(twin.map((a) => [a.plannedOn, a.kind]));
    const harshest = (a: PlannedAction) => Math.max(...a.channels.map((c) => CHANNEL_TABLE[c].harshness));
    elderly.forEach((a, i) => expect(harshest(a), a.plannedOn).toBeLessThanOrEqual(harshest(twin[i]!)));
    expect(elderly.flatMap((a) => a.channels)).not.toContain("registeredMail");
    expect(elderly.flatMap((a) => a.channels)).not.toContain("expressMail");
  });
});

describe("docs/concepts.md, \"The built-in policies\"", () => {
  const page = readFileSync(join(root, "docs/concepts.md"), "utf8");
  const section = page.slice(page.indexOf("\n## The built-in policies\n"));
  const dir = mkdtempSync(join(tmpdir(), "pd-relative-"));
  cpSync(join(root, "policies"), join(dir, "policies"), { recursive: true });
  cpSync(join(root, "schema"), join(dir, "schema"), { recursive: true });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("lists every built-in, and its table of days is the scheduler's plan for that account", () => {
    for (const id of BUILTIN_POLICY_IDS) expect(section).toContain(`| \`${id}\` |`);
    const rows = [...section.matchAll(/^\| (\d{4}-\d\d-\d\d) \| `(\w+)` \|/gm)].map((m) => `${m[1]} ${m[2]}`);
    expect(rows).toEqual(runDaily(relative, resident(), "2026-01-01", "2027-03-31").map((a) => `${a.plannedOn} ${a.stage}`));
  });

  it("runs its commands as printed (the built CLI), with the output it shows", () => {
    const sh = /```sh\n([\s\S]*?)```\s*```text\n([\s\S]*?)```/.exec(section);
    expect(sh).not.toBeNull();
    const cli = join(root, "dist/cli.js");
    const script = `set -e\nproperty-dunning() { node ${JSON.stringify(cli)} "$@"; }\n${sh![1]}`;
    // As a user's terminal-less run sees it: no colour asked for either way.
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !["FORCE_COLOR", "NO_COLOR", "CI", "TERM"].includes(k)));
    const r = spawnCli("bash", ["-c", script], { cwd: dir, env });
    expect(r.status, r.stderr).toBe(0);
    const collapse = (t: string) => t.replace(/\s+/g, " ").trim();
    for (const line of sh![2]!.split("\n").map(collapse).filter(Boolean)) expect(collapse(r.stdout)).toContain(line);
    const html = readFileSync(join(dir, "out/relative.html"), "utf8");
    for (const day of ["2026-03-02", "2026-04-20", "2026-07-09", "2027-04-01"]) expect(html).toContain(day);
  });
});

describe("S2's monthly sweep presses for payment: it waits for a dispute and a promise to pay", () => {
  // DOMAIN.md "Protections and holds": a dispute is recorded and verified before collection presses
  // on; S2 断其后路: after a promise, the follow-up is on the agreed day. The sweep's kind only
  // informs (the holds pause dunning kinds), so its condition reads `collectionPaused`.
  const sweeps = (account: AccountSnapshot) => runDaily(relative, account, "2026-03-01", "2026-03-31").filter((a) => a.stage === "monthly_sweep").map((a) => a.plannedOn);

  it("without a hold the sweep comes on 03-05", () => {
    expect(sweeps(resident())).toEqual(["2026-03-05"]);
  });

  it("a dispute opened 03-02 and resolved 03-20: no sweep while it is open, the reminder only once it is resolved", () => {
    const held = sweeps({ ...resident(), holds: [{ type: "dispute", id: "d", openedOn: "2026-03-02", severity: "minor", resolvedOn: "2026-03-20" }] });
    expect(held.every((d) => d >= "2026-03-20")).toBe(true);
  });

  it("a promise made 03-02 to pay by 03-10: no sweep before the promised day", () => {
    const held = sweeps({ ...resident(), holds: [{ type: "promiseToPay", id: "p", madeOn: "2026-03-02", promisedOn: "2026-03-10" }] });
    expect(held.every((d) => d >= "2026-03-10")).toBe(true);
    expect(held).not.toContain("2026-03-05");
  });
});
