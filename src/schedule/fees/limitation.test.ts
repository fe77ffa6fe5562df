import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type Account, type AccountSnapshot } from "../../ledger/account.js";
import { normalizeAccount } from "../../ledger/check-account.js";
import { parsePolicy } from "../../rules/parse.js";
import { createWorkingCalendar } from "../time/calendar.js";
import { addMonths, civilDate, formatCivilDate } from "../time/civil-date.js";
import { limitationDatesFromTerms, type LimitationOptions } from "./limitation.js";
import { limitationDates } from "./money.js";

const d = civilDate;
const KINDS: Record<string, string> = { final: "finalNotice", letter: "formalLetter", lawyer: "lawyerLetter", dunning: "dunningNotice", suit: "legalAction", agency: "collectionAgency" };
const stageKindOf = (id: string) => KINDS[id];

function account(snapshot: Partial<AccountSnapshot> = {}): Account {
  const r = normalizeAccount({ id: "A-1", charges: [{ id: "c1", period: "2026-03", dueOn: "2026-03-01", amountMinor: 30000 }], ...snapshot });
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r.account;
}
const ends = (a: Account, options: Partial<LimitationOptions> = {}) => limitationDatesFromTerms(a, { stageKindOf, ...options });
const action = (stage: string, on: string, chargeId = "c1") => ({ id: `A-1:${stage}@${chargeId}`, stage, on, covers: [`${stage}@${chargeId}`] });

describe("limitationDatesFromTerms", () => {
  it("three years from the due date (art. 188; art. 201 does not count the start day)", () => {
    const r = ends(account());
    expect(r.charges[0]).toEqual({ chargeId: "c1", dueOn: "2026-03-01", endsOn: "2029-03-01", endsOnDay: d("2029-03-01"), paidInFull: false });
    expect(r.earliest).toEqual({ chargeId: "c1", endsOn: "2029-03-01", endsOnDay: d("2029-03-01") });
  });

  it("due on 29 February: the period ends on 28 February, the month having no corresponding day (art. 202)", () => {
    expect(ends(account({ charges: [{ id: "c1", period: "2024-02", dueOn: "2024-02-29", amountMinor: 1 }] })).charges[0]!.endsOn).toBe("2027-02-28");
  });

  it("a delivered written demand restarts it (art. 195); a dunning notice does not", () => {
    expect(ends(account({ actions: [action("final", "2027-06-10")] })).charges[0]).toMatchObject({ endsOn: "2030-06-10", restartedBy: { type: "demand", on: "2027-06-10", ref: "A-1:final@c1" } });
    expect(ends(account({ actions: [action("lawyer", "2027-06-10"), action("letter", "2028-01-05")] })).charges[0]!.endsOn).toBe("2031-01-05");
    expect(ends(account({ actions: [action("dunning", "2027-06-10")] })).charges[0]!.endsOn).toBe("2029-03-01");
    expect(ends(account({ actions: [action("final", "2027-06-10")] }), { restartingStageKinds: new Set(["lawyerLetter"]) }).charges[0]!.endsOn).toBe("2029-03-01");
  });

  it("a demand restarts the charges it names, or every overdue one with demandCovers: overdue", () => {
    const charges = [
      { id: "c1", period: "2026-03", dueOn: "2026-03-01", amountMinor: 30000 },
      { id: "c2", period: "2026-04", dueOn: "2026-04-01", amountMinor: 30000 },
      { id: "c3", period: "2027-07", dueOn: "2027-07-01", amountMinor: 30000 },
    ];
    const a = account({ charges, actions: [action("final", "2027-06-10", "c2")] });
    expect(ends(a).charges.map((c) => c.endsOn)).toEqual(["2029-03-01", "2030-06-10", "2030-07-01"]);
    expect(ends(a, { demandCovers: "overdue" }).charges.map((c) => c.endsOn)).toEqual(["2030-06-10", "2030-06-10", "2030-07-01"]);
    expect(ends(a).earliest?.chargeId).toBe("c1");
  });

  describe("a filed lawsuit or arbitration interrupts it (art. 195(3)), counted from filing as a lower bound", () => {
    // Due 2023-09-01: the period ends 2026-09-01 (art. 188, 201). A lawsuit filed 2026-02-25,
    // inside it, interrupts it; the period runs anew when the proceedings end, at the earliest on
    // the filing day, so it ends no earlier than 2029-02-25 (three years on, art. 202). That day
    // is a Sunday (2029-01-01 is a Monday, so 02-01 is a Thursday and 02-25 a Sunday), a rest
    // day: art. 203 moves the end to Monday 2029-02-26. The 2029 holiday notice is not in the
    // data, so the CN calendar knows only weekends that year; Spring Festival (2029-02-13) falls
    // two weeks before, and a make-up working day on 02-25 would only bring the end back to 02-25.
    const sued = () => account({ charges: [{ id: "c1", period: "2023-09", dueOn: "2023-09-01", amountMinor: 30000 }], actions: [action("suit", "2026-02-25")] });

    it("by the limitation arithmetic", () => {
      expect(ends(account({ charges: [{ id: "c1", period: "2023-09", dueOn: "2023-09-01", amountMinor: 30000 }] })).charges[0]!.endsOn).toBe("2026-09-01");
      expect(ends(sued()).charges[0]).toMatchObject({ endsOn: "2029-02-25", restartedBy: { type: "lawsuit", on: "2026-02-25", ref: "A-1:suit@c1" } });
      const cn = createWorkingCalendar({ holidays: "CN" });
      expect(ends(sued(), { isWorkingDay: cn.isStatutoryWorkingDay }).charges[0]!.endsOn).toBe("2029-02-26");
      // A hand-over to a collection agency is not a court step: the period runs on.
      const agency = account({ charges: [{ id: "c1", period: "2023-09", dueOn: "2023-09-01", amountMinor: 30000 }], actions: [action("agency", "2026-02-25")] });
      expect(ends(agency).charges[0]!.endsOn).toBe("2026-09-01");
    });

    it("through limitationDates with a policy that names a legalAction stage (examples/recipes/end-of-the-road.json)", () => {
      const policy = parsePolicy(JSON.parse(readFileSync(new URL("../../../examples/recipes/end-of-the-road.json", import.meta.url), "utf8")));
      const snapshot: AccountSnapshot = {
        id: "A-1",
        charges: [{ id: "c1", period: "2023-09", dueOn: "2023-09-01", amountMinor: 30000 }],
        actions: [{ id: "A-1:legal_action@c1", stage: "legal_action", on: "2026-02-25", covers: ["legal_action@c1"] }],
      };
      // The policy's calendar is CN (the residential built-in's): 2029-02-25 is a Sunday.
      const report = limitationDates(policy, snapshot, "2026-03-01");
      expect(report.charges[0]).toMatchObject({ endsOn: "2029-02-26", restartedBy: { type: "lawsuit", on: "2026-02-25", ref: "A-1:legal_action@c1" } });
      expect(report.earliest).toEqual({ chargeId: "c1", endsOn: "2029-02-26" });
      // Before the filing the period still ends 2026-09-01 (a Tuesday).
      expect(limitationDates(policy, snapshot, "2026-02-24").charges[0]!.endsOn).toBe("2026-09-01");
    });
  });

  it("a partial payment allocated to the charge restarts it; a paid charge drops out of `earliest`", () => {
    const charges = [
      { id: "c1", period: "2026-03", dueOn: "2026-03-01", amountMinor: 30000 },
      { id: "c2", period: "2026-04", dueOn: "2026-04-01", amountMinor: 30000 },
    ];
    const partial = ends(account({ charges, payments: [{ id: "p1", on: "2027-01-15", amountMinor: 10000 }] }));
    expect(partial.charges[0]).toMatchObject({ endsOn: "2030-01-15", restartedBy: { type: "payment", ref: "p1" }, paidInFull: false });
    expect(partial.charges[1]!.endsOn).toBe("2029-04-01"); // the payment went to c1, oldest first
    expect(partial.earliest?.chargeId).toBe("c2");
    const paid = ends(account({ charges, payments: [{ id: "p1", on: "2026-05-01", amountMinor: 40000 }] }));
    expect(paid.charges.map((c) => [c.paidInFull, c.endsOn])).toEqual([[true, "2029-05-01"], [false, "2029-05-01"]]);
    expect(paid.earliest?.chargeId).toBe("c2");
    // a payment before the due date is not a partial payment of an overdue debt
    expect(ends(account({ payments: [{ id: "p0", on: "2026-02-20", amountMinor: 100 }] })).charges[0]!.endsOn).toBe("2029-03-01");
  });

  it("an installment plan restarts the charges it covers", () => {
    expect(ends(account(), { plans: [{ agreedOn: d("2028-01-01") }] }).charges[0]).toMatchObject({ endsOn: "2031-01-01", restartedBy: { type: "plan", on: "2028-01-01" } });
    expect(ends(account(), { plans: [{ agreedOn: d("2028-01-01"), chargeIds: ["c9"] }] }).charges[0]!.endsOn).toBe("2029-03-01");
  });

  it("an event after the period expired does not restart it; one on the last day does", () => {
    expect(ends(account({ actions: [action("final", "2029-03-02")] })).charges[0]!.endsOn).toBe("2029-03-01");
    expect(ends(account({ actions: [action("final", "2029-03-01")] })).charges[0]!.endsOn).toBe("2032-03-01");
  });

  it("asOf, years and the holiday calendar (art. 203)", () => {
    expect(ends(account({ actions: [action("final", "2027-06-10")] }), { asOf: d("2027-06-09") }).charges[0]!.endsOn).toBe("2029-03-01");
    expect(ends(account(), { years: 2 }).charges[0]!.endsOn).toBe("2028-03-01");
    const holidays = new Set([d("2029-03-01"), d("2029-03-02")]);
    expect(ends(account(), { isWorkingDay: (day) => !holidays.has(day) }).charges[0]!.endsOn).toBe("2029-03-03");
    expect(() => ends(account(), { years: 0 })).toThrow(expect.objectContaining({ name: "InvalidArgumentError", code: "invalid_number", path: "years" }));
  });

  it("property: never before three years from due; a restarting event never makes it earlier", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1500 }),
        fc.array(fc.record({ kind: fc.constantFrom("final", "dunning", "lawyer"), day: fc.integer({ min: 0, max: 2000 }) }), { maxLength: 4 }),
        fc.record({ kind: fc.constantFrom("final", "lawyer"), day: fc.integer({ min: 0, max: 2000 }) }),
        (due, events, extra) => {
          const base = d("2024-01-01");
          const dueOn = formatCivilDate(base + due);
          const snapshot = (xs: typeof events) => account({ charges: [{ id: "c1", period: dueOn.slice(0, 7), dueOn, amountMinor: 100 }], actions: xs.map((e, i) => ({ ...action(e.kind, formatCivilDate(base + e.day)), id: `a${i}` })) });
          const before = ends(snapshot(events)).charges[0]!;
          const after = ends(snapshot([...events, extra])).charges[0]!;
          return before.endsOnDay >= addMonths(base + due, 36) && after.endsOnDay >= before.endsOnDay;
        },
      ),
    );
  });
});
