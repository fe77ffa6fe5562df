/**
 * Protections: owner tags (elderly, disabled, hardship) mapped to gentler treatment (S0, S1, S3:
 * special care, home collection, help, no harsh channels). A protection may only soften: a
 * replacement channel is never harsher than the one it replaces, so a protected owner never gets
 * a harsher kind or channel than an unprotected owner with the same ledger on the same day.
 */
import { z } from "zod";
import { CHANNELS, CHANNEL_TABLE, STAGE_KINDS, type Channel } from "./kinds.js";

/** How hard a channel presses on the owner (`ChannelInfo.harshness`). */
export const CHANNEL_HARSHNESS: Readonly<Record<Channel, number>> = Object.freeze(
  Object.fromEntries(CHANNELS.map((c) => [c, CHANNEL_TABLE[c].harshness])) as Record<Channel, number>,
);

export const OFFERS = ["installmentPlan", "homeCollection", "help"] as const;
export type Offer = (typeof OFFERS)[number];

export const ProtectionSchema = z
  .strictObject({
    tag: z.string().min(1).max(64).describe("The owner tag this protection applies to, e.g. elderly, disabled, hardship."),
    replaceChannels: z
      .array(
        z
          .strictObject({
            from: z.enum(CHANNELS).describe("The channel replaced."),
            to: z.enum(CHANNELS).describe("The channel used instead; never harsher than `from`."),
          })
          .describe("One channel substitution."),
      )
      .optional()
      .describe("Channel substitutions, e.g. a door posting replaced by a home visit."),
    requireApproval: z
      .array(z.enum(STAGE_KINDS))
      .optional()
      .describe("Kinds that need a person's approval for this owner (e.g. lawyerLetter, legalReview)."),
    offerWithFirstDunning: z
      .array(z.enum(OFFERS))
      .optional()
      .describe("Offers made with the first dunning-class action of an arrears episode: an installment plan, home collection, help (S1, S3)."),
    description: z.string().max(1000).optional().describe("Notes for people."),
  })
  .superRefine((p, ctx) => {
    (p.replaceChannels ?? []).forEach((r, i) => {
      if (CHANNEL_HARSHNESS[r.to] > CHANNEL_HARSHNESS[r.from])
        ctx.addIssue({ code: "custom", path: ["replaceChannels", i, "to"], message: `${r.to} is harsher than ${r.from}; a protection may only soften` });
    });
  })
  .describe("Gentler treatment for owners carrying a tag.");
export type Protection = z.infer<typeof ProtectionSchema>;
