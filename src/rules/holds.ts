/**
 * How a policy treats holds the ledger states: disputes (with S2's complaint deadlines),
 * installment plans, promises to pay (S2's "断其后路") and manual exemptions.
 */
import { z } from "zod";
import { CHANNELS } from "./kinds.js";

const days = (min: number, max: number, what: string) =>
  z.int({ error: `must be a whole number of days from ${min} to ${max}` }).min(min, { error: `must be ${min}–${max}` }).max(max, { error: `must be ${min}–${max}` }).describe(what);

const channels = (what: string) => z.array(z.enum(CHANNELS)).min(1, { error: "must name at least one channel" }).describe(what);

export const HoldRulesSchema = z
  .strictObject({
    disputeResolutionDays: z
      .strictObject({
        major: days(1, 90, "Days to resolve a major complaint (S2: resolve within 10 days)."),
        important: days(1, 90, "Days to handle an important complaint (S2: within 3 days)."),
        minor: days(1, 90, "Days to handle a minor complaint (S2: within 2 days)."),
      })
      .describe("While a dispute is open no dunning-class action reaches the owner; past its deadline, unresolved, staff get a follow-up task."),
    installmentReminderDays: days(0, 30, "A reminder this many days before each instalment falls due (0: on the day)."),
    installmentGraceDays: days(0, 60, "An instalment unpaid this many days after its date breaks the plan; the owner is told and the ladder resumes where it stood."),
    installmentReminderChannels: channels("Channels of the instalment reminder.").optional(),
    planBrokenChannels: channels("Channels of the notice that a plan is broken.").optional(),
    promiseFollowUpChannels: channels("Channels of the follow-up on a promised date (S2: call back on exactly that date).").optional(),
  })
  .describe("Holds: disputes, installment plans, promises to pay.");
export type HoldRules = z.infer<typeof HoldRulesSchema>;

/** S2's complaint deadlines; reminders three days ahead; a plan breaks five days after a missed instalment. */
export const DEFAULT_HOLD_RULES: Required<HoldRules> = {
  disputeResolutionDays: { major: 10, important: 3, minor: 2 },
  installmentReminderDays: 3,
  installmentGraceDays: 5,
  installmentReminderChannels: ["sms"],
  planBrokenChannels: ["sms", "registeredMail"],
  promiseFollowUpChannels: ["phone"],
};
