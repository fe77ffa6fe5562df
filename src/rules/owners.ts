/**
 * How a policy treats an owner who holds several units (a flat and a parking space, say): the
 * owner, not the unit, is contacted. The pass that applies it is src/schedule/owners/coordinate.ts.
 */
import { z } from "zod";

export const OwnerRulesSchema = z
  .strictObject({
    oneNoticePerOwner: z
      .boolean()
      .optional()
      .describe(
        "true: the owner-facing action that goes on a day (the most pressing, when several of the owner's units have one) is one notice listing the overdue amounts of every unit that owes that day, a unit with no stage due that day included (the other units' actions are recorded with it, not sent; a charge under a hold, or a unit at the end of the road, is not listed); false or omitted: the most pressing one goes and the others wait for a later day. Either way an owner gets at most one owner-facing action a day across their units, besides the promised day's call (S2 断其后路: the owner agreed to it) and an instalment's reminder on its instalment's due day (its last), which go on their day while the others wait; the other hold steps (a reminder before its day, a broken plan's notice) wait like any contact, due until carried out.",
      ),
  })
  .describe("Owners with several units (`owner.id` in the ledger): at most one owner-facing action a day per owner (the promised day's call, and an instalment's reminder on its due day, go all the same); opt-outs, protections (tags) and frequency caps count by owner.");
export type OwnerRules = z.infer<typeof OwnerRulesSchema>;
