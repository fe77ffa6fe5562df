import { describe, expect, it } from "vitest";
import { CHANNELS, CHANNEL_TABLE, KIND_SEVERITY, STAGE_KINDS, STAGE_KIND_TABLE, type Channel, type StageKind } from "./kinds.js";
import { TriggerSchema } from "./schema.js";
import { TRIGGER_TABLE, describeTrigger, ladderOf, type TriggerType } from "./vocabulary-triggers.js";
import { policyJsonSchema } from "./json-schema.js";

// The glossary of DOMAIN.md ("Chinese | English in code and docs"), as the seeds write the words.
const GLOSSARY_KINDS: Partial<Record<StageKind, string>> = {
  billingNotice: "收费通知书",
  reminder: "温馨提示",
  dunningNotice: "催费通知书",
  finalNotice: "限期缴费通知书",
  formalLetter: "正式催缴函",
  lawyerLetter: "律师函",
  homeVisit: "上门拜访",
  phoneCall: "电话",
};
const GLOSSARY_CHANNELS: Partial<Record<Channel, string>> = {
  doorPosting: "张贴于进户门",
  handDelivery: "派发签收",
  homeVisit: "上门拜访",
  registeredMail: "挂号信",
  courier: "快递",
  expressMail: "特快专递",
};

describe("the stage kind table", () => {
  it("labels kinds in zh-CN with the glossary's words, and its descriptions name them", () => {
    for (const [kind, zh] of Object.entries(GLOSSARY_KINDS) as [StageKind, string][]) {
      expect(STAGE_KIND_TABLE[kind].label["zh-CN"], kind).toBe(zh);
      if (kind !== "phoneCall") expect(STAGE_KIND_TABLE[kind].description, kind).toContain(zh);
    }
  });

  it("lists kinds in ascending severity, from a staff task to a lawyer's letter (S2's ladder: billing, dunning, final, lawyer)", () => {
    const severities = STAGE_KINDS.map((k) => STAGE_KIND_TABLE[k].severity);
    expect(severities).toEqual([...severities].sort((a, b) => a - b));
    expect(new Set(severities).size).toBe(severities.length);
    expect(KIND_SEVERITY.billingNotice).toBeLessThan(KIND_SEVERITY.dunningNotice);
    expect(KIND_SEVERITY.dunningNotice).toBeLessThan(KIND_SEVERITY.finalNotice);
    expect(KIND_SEVERITY.finalNotice).toBeLessThan(KIND_SEVERITY.lawyerLetter);
  });

  it("keeps the law's relations between columns (Civil Code art. 195, 944; PIPL art. 25)", () => {
    for (const kind of STAGE_KINDS) {
      const k = STAGE_KIND_TABLE[kind];
      // A demand with a deadline, and a restart of limitation, must reach the owner and press for payment.
      if (k.writtenDemand || k.restartsLimitation) expect({ kind, audience: k.audience, informs: k.informs }).toEqual({ kind, audience: "owner", informs: false });
      // A legal step presses: it is never merely informational.
      if (k.legal) expect({ kind, informs: k.informs }).toEqual({ kind, informs: false });
    }
    // Art. 195: a delivered written demand restarts the period; the final notice, the formal letter and the lawyer's letter are the written demands of the seeds.
    expect(STAGE_KINDS.filter((k) => STAGE_KIND_TABLE[k].restartsLimitation)).toEqual(["formalLetter", "finalNotice", "lawyerLetter"]);
    // Art. 195(3): filing a lawsuit or applying for arbitration interrupts it too; limitation.ts reads
    // the court column for that, so a court kind is not also a written demand (counted once, as a lawsuit).
    expect(STAGE_KINDS.filter((k) => STAGE_KIND_TABLE[k].court)).toEqual(["legalAction"]);
    for (const kind of STAGE_KINDS) if (STAGE_KIND_TABLE[kind].court) expect({ kind, restartsLimitation: STAGE_KIND_TABLE[kind].restartsLimitation, audience: STAGE_KIND_TABLE[kind].audience }).toEqual({ kind, restartsLimitation: false, audience: "staff" });
  });
});

describe("the channel table", () => {
  it("describes channels with the glossary's words", () => {
    for (const [channel, zh] of Object.entries(GLOSSARY_CHANNELS) as [Channel, string][]) expect(CHANNEL_TABLE[channel].description, channel).toContain(zh);
  });

  it("keeps contact law's relations between columns", () => {
    const harshest = Math.max(...CHANNELS.map((c) => CHANNEL_TABLE[c].harshness));
    for (const channel of CHANNELS) {
      const c = CHANNEL_TABLE[channel];
      // PIPL art. 25: exposure to neighbours is the harshest a channel can be.
      if (c.public) expect({ channel, harshness: c.harshness }).toEqual({ channel, harshness: harshest });
      // A conversation (a call, a visit) reaches a person at that moment: hours bound it and caps count it (FDCPA, Reg F).
      if (c.conversation) expect({ channel, hoursBounded: c.hoursBounded, countedByCaps: c.countedByCaps }).toEqual({ channel, hoursBounded: true, countedByCaps: true });
      // What never reaches the owner is never counted and presses on no one.
      if (!c.countedByCaps) expect({ channel, harshness: c.harshness, hoursBounded: c.hoursBounded }).toEqual({ channel, harshness: 0, hoursBounded: false });
    }
  });
});

describe("each row is used", () => {
  // The SQL ledgers' channel checks are kept equal to CHANNELS by src/adapters/fast-path.test.ts.
  it("every kind and channel is in the policy schema", () => {
    const text = JSON.stringify(policyJsonSchema());
    for (const kind of STAGE_KINDS) expect(text, kind).toContain(`"${kind}"`);
    for (const channel of CHANNELS) {
      expect(text, channel).toContain(`"${channel}"`);
    }
  });

  it("the trigger table has exactly the schema's trigger types", () => {
    const types = TriggerSchema.options.map((o) => o.shape.type.value).sort();
    expect(Object.keys(TRIGGER_TABLE).sort()).toEqual(types);
  });

  it("puts each trigger into words a reader of the seeds recognises", () => {
    const words: Record<TriggerType, [Parameters<typeof describeTrigger>[0], string]> = {
      billingMonthDay: [{ type: "billingMonthDay", monthOffset: 1, day: 25 }, "day 25 of the month after the billing month"], // S2: 次月25日
      dueDate: [{ type: "dueDate", offsetDays: -7 }, "7 days before the due date"], // S3: one week before the due date
      afterStage: [{ type: "afterStage", stage: "first_dunning", days: 10 }, "10 days after first_dunning was carried out"], // S1: 10–15 days after the first
      arrearsMonths: [{ type: "arrearsMonths", months: 12 }, "12 months in arrears"], // S2: more than a year → lawyer's letter
      beforeLimitation: [{ type: "beforeLimitation", days: 180 }, "180 days before the charge's limitation date"], // art. 188
    };
    for (const [trigger, text] of Object.values(words)) expect(describeTrigger(trigger)).toBe(text);
  });

  it("classifies each trigger into its ladder (S2: per charge; months in arrears per account; art. 188 limitation)", () => {
    const of = (id: string) => (id === "bill" ? "charge" : undefined);
    expect(ladderOf({ type: "billingMonthDay", monthOffset: 0, day: 25 }, of)).toBe("charge");
    expect(ladderOf({ type: "dueDate", offsetDays: 5 }, of)).toBe("charge");
    expect(ladderOf({ type: "arrearsMonths", months: 3 }, of)).toBe("arrears");
    expect(ladderOf({ type: "beforeLimitation", days: 180 }, of)).toBe("limitation");
    expect(ladderOf({ type: "afterStage", stage: "bill", days: 10 }, of)).toBe("charge");
  });
});
