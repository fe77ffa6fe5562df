import { describe, expect, it } from "vitest";
import { z } from "zod";
import {
  BUILTIN_CONTACT,
  CalendarRulesSchema,
  ContactRulesSchema,
  HOURS_BOUNDED_CHANNELS,
  minutesOfDay,
  resolveChannelRule,
  resolveFrequencyRules,
  WIDEST_CONTACT_HOURS,
} from "./contact.js";
import { CHANNELS } from "./kinds.js";

function issues(input: unknown): string[] {
  const r = ContactRulesSchema.safeParse(input);
  return r.success ? [] : r.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
}

describe("ContactRulesSchema", () => {
  it("accepts the built-ins", () => {
    expect(issues(BUILTIN_CONTACT)).toEqual([]);
  });

  it("rejects phone or home-visit hours wider than 08:00–21:00, citing the FDCPA default and Chinese banking guidance", () => {
    const phone = issues({ channels: { phone: { hours: { from: "07:30", to: "20:00" } } } });
    expect(phone).toHaveLength(1);
    expect(phone[0]).toMatch(/^channels\.phone\.hours: phone hours 07:30–20:00 are wider than 08:00–21:00/);
    expect(phone[0]).toMatch(/FDCPA/);
    expect(phone[0]).toMatch(/Chinese banking guidance/);
    const visit = issues({ channels: { homeVisit: { hours: { from: "09:00", to: "21:30" } } } });
    expect(visit).toHaveLength(1);
    expect(visit[0]).toMatch(/homeVisit hours 09:00–21:30.*visits may reach an owner only between 08:00 and 21:00/);
    expect(issues({ channels: { sms: { hours: { from: "08:00", to: "22:00" } } } })[0]).toMatch(/messages/);
  });

  it("accepts the widest hours, and any hours for mail and the staff queue", () => {
    expect(issues({ channels: { phone: { hours: { from: "08:00", to: "21:00" } }, homeVisit: { hours: { from: "08:00", to: "21:00" } } } })).toEqual([]);
    expect(issues({ channels: { registeredMail: { hours: { from: "00:00", to: "24:00" } }, staffQueue: { hours: { from: "06:00", to: "23:00" } } } })).toEqual([]);
  });

  it("rejects malformed or overnight hours, unknown channels and bad caps", () => {
    expect(issues({ channels: { phone: { hours: { from: "9:00", to: "20:00" } } } })[0]).toMatch(/channels\.phone\.hours\.from: must be a 24-hour time/);
    expect(issues({ channels: { phone: { hours: { from: "20:00", to: "09:00" } } } })[0]).toMatch(/channels\.phone\.hours\.to: must close after it opens/);
    expect(issues({ channels: { fax: {} } })[0]).toMatch(/fax/);
    expect(issues({ caps: [{ channel: "phone", max: 0, withinDays: 7 }] })[0]).toMatch(/caps\.0\.max/);
    expect(issues({ caps: [{ channel: "pigeon", max: 1, withinDays: 7 }] })[0]).toMatch(/caps\.0\.channel/);
    expect(issues({ quietDaysAfterConversation: -1 })[0]).toMatch(/quietDaysAfterConversation/);
  });

  it("describes every field, so the JSON Schema and the policy reference can be made from it", () => {
    for (const schema of [ContactRulesSchema, CalendarRulesSchema]) {
      const json = z.toJSONSchema(schema, { io: "input", unrepresentable: "throw" }) as Record<string, unknown>;
      const undescribed: string[] = [];
      const walk = (node: unknown, path: string): void => {
        if (!node || typeof node !== "object") return;
        const props = (node as { properties?: Record<string, unknown> }).properties;
        for (const [key, value] of Object.entries(props ?? {})) {
          if (!(value as { description?: string }).description) undescribed.push(`${path}.${key}`);
          walk(value, `${path}.${key}`);
        }
        const items = (node as { items?: unknown }).items;
        if (items) walk(items, `${path}[]`);
      };
      walk(json, "$");
      expect(undescribed).toEqual([]);
    }
  });
});

describe("resolveChannelRule", () => {
  it("gives every channel built-in rules, calls and visits narrower than the limit", () => {
    for (const channel of CHANNELS) {
      const rule = resolveChannelRule(channel);
      if (HOURS_BOUNDED_CHANNELS.has(channel)) {
        expect(rule.hours, channel).toBeDefined();
        expect(minutesOfDay(rule.hours!.from)).toBeGreaterThanOrEqual(minutesOfDay(WIDEST_CONTACT_HOURS.from) + 60);
        expect(minutesOfDay(rule.hours!.to)).toBeLessThanOrEqual(minutesOfDay(WIDEST_CONTACT_HOURS.to) - 60);
      }
    }
    expect(resolveChannelRule("phone")).toEqual({ channel: "phone", hours: { from: "09:00", to: "20:00" }, workingDaysOnly: false });
    expect(resolveChannelRule("doorPosting")).toEqual({ channel: "doorPosting", hours: { from: "09:00", to: "18:00" }, workingDaysOnly: true });
    expect(resolveChannelRule("registeredMail")).toEqual({ channel: "registeredMail", workingDaysOnly: true });
  });

  it("lays the policy's fields over the built-in ones and inherits hours it omits", () => {
    const rules = ContactRulesSchema.parse({ channels: { phone: { workingDaysOnly: true }, sms: { hours: { from: "10:00", to: "19:00" } } } });
    expect(resolveChannelRule("phone", rules)).toEqual({ channel: "phone", hours: { from: "09:00", to: "20:00" }, workingDaysOnly: true });
    expect(resolveChannelRule("sms", rules)).toEqual({ channel: "sms", hours: { from: "10:00", to: "19:00" }, workingDaysOnly: false });
  });

  it("clamps hours built in code past the schema to 08:00–21:00", () => {
    const rules = { channels: { phone: { hours: { from: "06:00", to: "23:00" } } } };
    expect(resolveChannelRule("phone", rules).hours).toEqual({ from: "08:00", to: "21:00" });
  });
});

describe("resolveFrequencyRules", () => {
  it("defaults to Regulation F: 7 calls in 7 days, 7 quiet days after a conversation", () => {
    const rules = resolveFrequencyRules();
    expect(rules.caps).toContainEqual({ channel: "phone", max: 7, withinDays: 7 });
    expect(rules.quietDaysAfterConversation).toBe(7);
    expect(resolveFrequencyRules({ caps: [{ channel: "any", max: 2, withinDays: 1 }], quietDaysAfterConversation: 3 })).toEqual({
      caps: [{ channel: "any", max: 2, withinDays: 1 }],
      quietDaysAfterConversation: 3,
    });
  });
});

describe("CalendarRulesSchema", () => {
  it("takes CN or none, closures and extra working days", () => {
    expect(CalendarRulesSchema.parse({ holidays: "CN", closures: ["2026-05-06"] })).toEqual({ holidays: "CN", closures: ["2026-05-06"] });
    expect(CalendarRulesSchema.safeParse({ holidays: "US" }).success).toBe(false);
    expect(CalendarRulesSchema.safeParse({ holidays: "CN", closures: ["6 May"] }).success).toBe(false);
  });
});
