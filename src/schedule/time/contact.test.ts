import fc from "fast-check";
import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import { minutesOfDay, resolveChannelRule, resolveFrequencyRules, type ContactHours, type FrequencyCap } from "../../rules/contact.js";
import { CHANNELS, type Channel } from "../../rules/kinds.js";
import { createWorkingCalendar } from "./calendar.js";
import { civilDate, epochDayOf, formatCivilDate, type EpochDay } from "./civil-date.js";
import { actionWindow, checkFrequency, contactWindow, shiftToWorkingDay, type ContactRecord } from "./contact.js";

const d = civilDate;
const SH = "Asia/Shanghai";
const NY = "America/New_York";

describe("contactWindow", () => {
  it("gives the windows of 2026-04-08 in Asia/Shanghai with the built-in rules", () => {
    const day = "2026-04-08";
    expect(contactWindow(day, resolveChannelRule("phone"), SH)).toEqual({ from: "2026-04-08T09:00:00+08:00", to: "2026-04-08T20:00:00+08:00" });
    expect(contactWindow(day, resolveChannelRule("homeVisit"), SH)).toEqual({ from: "2026-04-08T09:00:00+08:00", to: "2026-04-08T20:00:00+08:00" });
    expect(contactWindow(day, resolveChannelRule("sms"), SH)).toEqual({ from: "2026-04-08T09:00:00+08:00", to: "2026-04-08T20:00:00+08:00" });
    expect(contactWindow(day, resolveChannelRule("doorPosting"), SH)).toEqual({ from: "2026-04-08T09:00:00+08:00", to: "2026-04-08T18:00:00+08:00" });
    expect(contactWindow(day, resolveChannelRule("registeredMail"), SH)).toEqual({ from: "2026-04-08T00:00:00+08:00", to: "2026-04-09T00:00:00+08:00" });
  });

  it("uses the offset in force at each end on a DST day in New York", () => {
    // 2026-03-08: clocks go from 02:00 EST to 03:00 EDT.
    const spring = "2026-03-08";
    expect(contactWindow(spring, resolveChannelRule("phone"), NY)).toEqual({ from: "2026-03-08T09:00:00-04:00", to: "2026-03-08T20:00:00-04:00" });
    expect(contactWindow(spring, undefined, NY)).toEqual({ from: "2026-03-08T00:00:00-05:00", to: "2026-03-09T00:00:00-04:00" });
    expect(contactWindow(spring, { hours: { from: "01:30", to: "03:30" } }, NY)).toEqual({ from: "2026-03-08T01:30:00-05:00", to: "2026-03-08T03:30:00-04:00" });
    // 02:00–02:30 does not exist that day: an empty window at the change.
    expect(contactWindow(spring, { hours: { from: "02:00", to: "02:30" } }, NY)).toEqual({ from: "2026-03-08T03:00:00-04:00", to: "2026-03-08T03:00:00-04:00" });
    // 2026-11-01: clocks go back from 02:00 EDT to 01:00 EST; 01:00–02:00 happens twice.
    const fall = "2026-11-01";
    expect(contactWindow(fall, resolveChannelRule("phone"), NY)).toEqual({ from: "2026-11-01T09:00:00-05:00", to: "2026-11-01T20:00:00-05:00" });
    expect(contactWindow(fall, undefined, NY)).toEqual({ from: "2026-11-01T00:00:00-04:00", to: "2026-11-02T00:00:00-05:00" });
    expect(contactWindow(fall, { hours: { from: "01:30", to: "03:00" } }, NY)).toEqual({ from: "2026-11-01T01:30:00-05:00", to: "2026-11-01T03:00:00-05:00" });
    expect(contactWindow(fall, { hours: { from: "00:30", to: "01:30" } }, NY)).toEqual({ from: "2026-11-01T00:30:00-04:00", to: "2026-11-01T01:30:00-04:00" });
  });

  it("rejects an unknown zone", () => {
    expect(() => contactWindow("2026-04-08", undefined, "Mars/Olympus")).toThrow(expect.objectContaining({ name: "InvalidArgumentError", code: "invalid_time_zone" }));
  });
});

describe("actionWindow and shiftToWorkingDay", () => {
  it("intersects the hours of an action's channels", () => {
    const rules = [resolveChannelRule("doorPosting"), resolveChannelRule("sms"), resolveChannelRule("registeredMail")];
    expect(actionWindow(d("2026-04-08"), rules, SH)).toEqual({ from: "2026-04-08T09:00:00+08:00", to: "2026-04-08T18:00:00+08:00" });
    expect(actionWindow(d("2026-04-08"), [{ hours: { from: "09:00", to: "10:00" } }, { hours: { from: "11:00", to: "12:00" } }], SH)).toBeUndefined();
  });

  it("moves an action to the next working day when one of its channels works on working days only", () => {
    const cal = createWorkingCalendar({ holidays: "CN" });
    const posting = [resolveChannelRule("doorPosting"), resolveChannelRule("sms")];
    expect(formatCivilDate(shiftToWorkingDay(d("2026-10-01"), posting, cal))).toBe("2026-10-08");
    expect(formatCivilDate(shiftToWorkingDay(d("2026-10-10"), posting, cal))).toBe("2026-10-10"); // make-up Saturday
    expect(formatCivilDate(shiftToWorkingDay(d("2026-10-01"), [resolveChannelRule("phone")], cal))).toBe("2026-10-01");
  });
});

const ZONES = [SH, NY, "Europe/London", "Australia/Lord_Howe", "America/Santiago", "Asia/Kolkata", "Pacific/Chatham", "UTC", "America/Havana"];
const hoursArb: fc.Arbitrary<ContactHours> = fc
  .tuple(fc.integer({ min: 0, max: 1439 }), fc.integer({ min: 1, max: 1440 }))
  .filter(([a, b]) => a < b)
  .map(([a, b]) => ({ from: hhmm(a), to: hhmm(b) }));

function hhmm(m: number): string {
  return `${String(Math.floor(m / 60)).padStart(2, "0")}:${String(m % 60).padStart(2, "0")}`;
}

/** Every sampled instant of the window has a local date of `day` and a local time within the hours. */
function expectInside(day: EpochDay, hours: ContactHours, zone: string, w: { from: string; to: string }): void {
  const start = DateTime.fromISO(w.from, { setZone: true });
  const end = DateTime.fromISO(w.to, { setZone: true });
  expect(start.isValid && end.isValid).toBe(true);
  // The printed offset is the zone's offset at that instant.
  expect(start.offset).toBe(start.setZone(zone).offset);
  expect(end.offset).toBe(end.setZone(zone).offset);
  const a = start.toMillis();
  const b = end.toMillis();
  expect(b).toBeGreaterThanOrEqual(a);
  for (let t = a; t < b; t += Math.max(60_000, Math.floor((b - a) / 23 / 60_000) * 60_000)) {
    for (const x of [t, Math.min(t, b - 60_000)]) {
      const local = DateTime.fromMillis(x, { zone });
      expect(formatCivilDate(epochDayOf(local.year, local.month, local.day))).toBe(formatCivilDate(day));
      const m = local.hour * 60 + local.minute;
      expect(m).toBeGreaterThanOrEqual(minutesOfDay(hours.from));
      expect(m).toBeLessThan(minutesOfDay(hours.to));
    }
  }
}

describe("window properties", () => {
  it("no window has an instant outside its hours, in any zone, DST days included", () => {
    fc.assert(
      fc.property(fc.integer({ min: epochDayOf(2000, 1, 1), max: epochDayOf(2040, 12, 31) }), fc.constantFrom(...ZONES), hoursArb, (day, zone, hours) => {
        expectInside(day, hours, zone, contactWindow(formatCivilDate(day), { hours }, zone));
      }),
      { numRuns: 1500 },
    );
  });

  it("on the DST days themselves too", () => {
    const dstDays = ZONES.flatMap((zone) => {
      const out: [EpochDay, string][] = [];
      for (let day = epochDayOf(2024, 1, 1); day <= epochDayOf(2027, 12, 31); day++) {
        const a = DateTime.fromObject({ year: 2024 }, { zone }).set({ ordinal: 1 }).plus({ days: day - epochDayOf(2024, 1, 1) });
        if (a.offset !== a.plus({ days: 1 }).offset) out.push([day, zone]);
      }
      return out;
    });
    expect(dstDays.length).toBeGreaterThan(20);
    fc.assert(
      fc.property(fc.constantFrom(...dstDays), hoursArb, ([day, zone], hours) => {
        expectInside(day, hours, zone, contactWindow(formatCivilDate(day), { hours }, zone));
      }),
      { numRuns: 1500 },
    );
  });

  it("a channel's window never leaves 08:00–21:00 for calls, visits and messages, whatever hours a rule built in code gives", () => {
    const bounded: Channel[] = ["phone", "homeVisit", "handDelivery", "doorPosting", "sms", "wechat", "appPush", "email"];
    fc.assert(
      fc.property(fc.constantFrom(...bounded), hoursArb, fc.constantFrom(...ZONES), fc.integer({ min: epochDayOf(2020, 1, 1), max: epochDayOf(2030, 12, 31) }), (channel, hours, zone, day) => {
        const rule = resolveChannelRule(channel, { channels: { [channel]: { hours } } });
        if (minutesOfDay(rule.hours!.from) >= minutesOfDay(rule.hours!.to)) return; // nothing left after clamping
        expectInside(day, { from: "08:00", to: "21:00" }, zone, contactWindow(formatCivilDate(day), rule, zone));
        expectInside(day, rule.hours!, zone, contactWindow(formatCivilDate(day), rule, zone));
      }),
      { numRuns: 500 },
    );
  });
});

describe("checkFrequency", () => {
  const rules = resolveFrequencyRules();
  const call = (day: string, extra: Partial<ContactRecord> = {}): ContactRecord => ({ day: d(day), channel: "phone", ...extra });

  it("keeps 7 quiet days after a conversation, the conversation day first (promise made 04-01, call on 04-08)", () => {
    const history = [call("2026-04-01", { conversation: true })];
    const blocked = checkFrequency(history, rules, d("2026-04-07"), "phone");
    expect(blocked.allowed).toBe(false);
    expect(blocked.rule).toBe("quiet");
    expect(blocked.reason).toMatch(/conversation on 2026-04-01/);
    expect(formatCivilDate(blocked.nextAllowedDay!)).toBe("2026-04-08");
    expect(checkFrequency(history, rules, d("2026-04-08"), "phone")).toEqual({ allowed: true });
    expect(checkFrequency(history, rules, d("2026-04-02"), "sms")).toEqual({ allowed: true }); // written contact is not held back
    expect(checkFrequency(history, rules, d("2026-04-02"), "phone", { consented: true })).toEqual({ allowed: true });
  });

  it("allows 7 calls in 7 days, not 8, over every window that holds the day", () => {
    const history = ["2026-04-01", "2026-04-02", "2026-04-03", "2026-04-04", "2026-04-05", "2026-04-06", "2026-04-07"].map((x) => call(x));
    const eighth = checkFrequency(history, rules, d("2026-04-07"), "phone");
    expect(eighth.allowed).toBe(false);
    expect(eighth.reason).toMatch(/at most 7 phone contacts in 7 days; 2026-04-01–2026-04-07 already has 7/);
    expect(formatCivilDate(eighth.nextAllowedDay!)).toBe("2026-04-08");
    // A day before planned contacts counts the windows ahead of it too: 03-31..04-06 holds 6 here,
    // but 7 once a second call is planned on 04-03.
    expect(checkFrequency(history, rules, d("2026-03-31"), "phone").allowed).toBe(true);
    const ahead = checkFrequency([...history, call("2026-04-03")], rules, d("2026-03-31"), "phone");
    expect(ahead.allowed).toBe(false);
    expect(ahead.reason).toMatch(/2026-03-31–2026-04-06 already has 7/);
    expect(formatCivilDate(ahead.nextAllowedDay!)).toBe("2026-04-09"); // 04-03..04-09 holds 6
    // Consented calls and staff tasks are not counted.
    expect(checkFrequency(history.map((r) => ({ ...r, consented: true })), rules, d("2026-04-07"), "phone").allowed).toBe(true);
    expect(checkFrequency(history, rules, d("2026-04-07"), "staffQueue").allowed).toBe(true);
  });

  it("counts every owner-facing channel for an `any` cap", () => {
    const any = { caps: [{ channel: "any" as const, max: 2, withinDays: 3 }], quietDaysAfterConversation: 0 };
    const history: ContactRecord[] = [
      { day: d("2026-04-01"), channel: "sms" },
      { day: d("2026-04-02"), channel: "doorPosting" },
      { day: d("2026-04-02"), channel: "staffQueue" },
    ];
    const r = checkFrequency(history, any, d("2026-04-03"), "wechat");
    expect(r.allowed).toBe(false);
    expect(formatCivilDate(r.nextAllowedDay!)).toBe("2026-04-04");
  });
});

const capArb: fc.Arbitrary<FrequencyCap> = fc.record({
  channel: fc.constantFrom<FrequencyCap["channel"]>("phone", "sms", "homeVisit", "any"),
  max: fc.integer({ min: 1, max: 4 }),
  withinDays: fc.integer({ min: 1, max: 10 }),
});
const attemptArb = fc.record({
  day: fc.integer({ min: 0, max: 60 }),
  channel: fc.constantFrom<Channel>(...CHANNELS),
  conversation: fc.boolean(),
});

function expectCapsHold(history: readonly ContactRecord[], caps: readonly FrequencyCap[]): void {
  for (const cap of caps) {
    const days = history.filter((r) => r.channel !== "staffQueue" && (cap.channel === "any" || r.channel === cap.channel)).map((r) => r.day);
    for (let s = -cap.withinDays; s <= 70; s++) {
      expect(days.filter((x) => x >= s && x < s + cap.withinDays).length).toBeLessThanOrEqual(cap.max);
    }
  }
}

describe("frequency properties", () => {
  it("a scheduler that greedily asks checkFrequency, day by day, never exceeds a cap in any rolling window or calls in a quiet period", () => {
    fc.assert(
      fc.property(fc.array(capArb, { maxLength: 3 }), fc.integer({ min: 0, max: 8 }), fc.array(attemptArb, { maxLength: 80 }), (caps, quiet, attempts) => {
        const rules = { caps, quietDaysAfterConversation: quiet };
        const history: ContactRecord[] = [];
        for (const a of [...attempts].sort((x, y) => x.day - y.day)) {
          const check = checkFrequency(history, rules, a.day, a.channel);
          if (!check.allowed) {
            expect(check.nextAllowedDay!).toBeGreaterThan(a.day);
            expect(checkFrequency(history, rules, check.nextAllowedDay!, a.channel).allowed).toBe(true);
            continue;
          }
          // A conversation only happens on a call or a visit.
          history.push({ day: a.day, channel: a.channel, conversation: a.conversation && (a.channel === "phone" || a.channel === "homeVisit") });
        }
        expectCapsHold(history, caps);
        history.forEach((r, i) => {
          if (r.channel !== "phone" && r.channel !== "homeVisit") return;
          const earlierTalk = history.slice(0, i).some((c) => c.conversation && c.day <= r.day && r.day <= c.day + quiet - 1);
          expect(earlierTalk).toBe(false);
        });
      }),
      { numRuns: 1000 },
    );
  });

  it("caps hold even when contacts are planned out of order", () => {
    fc.assert(
      fc.property(fc.array(capArb, { minLength: 1, maxLength: 3 }), fc.array(attemptArb, { maxLength: 80 }), (caps, attempts) => {
        const rules = { caps, quietDaysAfterConversation: 0 };
        const history: ContactRecord[] = [];
        for (const a of attempts) if (checkFrequency(history, rules, a.day, a.channel).allowed) history.push({ day: a.day, channel: a.channel });
        expectCapsHold(history, caps);
      }),
      { numRuns: 1000 },
    );
  });
});
