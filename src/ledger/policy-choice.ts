/**
 * Which policy plans an account: one policy or one per segment (`PolicyChoice`), and per estate
 * (`EstatePolicies`); the pickers compile each chosen policy once and hand out its scheduler.
 */
import type { Issue } from "../rules/errors.js";
import { formatPath, InvalidArgumentError } from "../rules/errors.js";
import { builtinPolicySource } from "../rules/builtins.js";
import { parsePolicy } from "../rules/parse.js";
import type { Policy } from "../rules/schema.js";
import { ledgerIssue } from "./account.js";
import { compileScheduler, type PlanningScheduler } from "../schedule/ladder/scheduler.js";

/** The kinds of unit a policy is written for (`Policy.segment`); an account without one is residential. */
export type Segment = NonNullable<Policy["segment"]>;
export const SEGMENTS: readonly Segment[] = ["residential", "commercial"];

/** A policy per segment; a segment not named follows its built-in. */
export type SegmentPolicies = { readonly [S in Segment]?: Policy };

/**
 * Which policy accounts follow: one policy, or one per segment. One policy covers the segment it
 * declares (`"segment"` in the file, inherited through `extends`); accounts of the other segment
 * follow their built-in, and each action names the policy it came from (`action.policy`). One
 * policy that declares no segment is refused (an `InvalidArgumentError`, `policy_without_segment`):
 * a shop must not get a flat's door postings by default. To give one policy to every segment, say
 * so: `{ residential: p, commercial: p }`.
 */
export type PolicyChoice = Policy | SegmentPolicies;

/** A policy choice per estate (an account's `estate`): `{ "north-park": { residential: p, commercial: q } }`. */
export type EstatePolicies = { readonly [estate: string]: PolicyChoice };

/** The segment an account's `segment` field names: commercial, or residential (also when absent). */
export function segmentOf(segment: unknown): Segment {
  return segment === "commercial" ? "commercial" : "residential";
}

/** One policy or a policy per segment, as a policy per segment (`PolicyChoice` says how one policy is read; an error, code `policy_without_segment`, for one that declares no segment). */
export function policiesBySegment(choice: PolicyChoice | undefined): SegmentPolicies {
  if (choice === undefined) return {};
  if (!isPolicy(choice)) return choice;
  if (!choice.segment) throw new InvalidArgumentError("policy_without_segment", "policy", `policy ${choice.id} declares no segment: pass { residential: policy } or { commercial: policy } (or both)`);
  return { [choice.segment]: choice };
}

/**
 * The one currency of the policies given together (`choice`, and every estate's in `estates`), or
 * undefined when none is given. Amounts are minor units of their policy's currency: 100 fen and
 * 100 cents are not 200 of anything, so policies in different currencies (code or minor digits)
 * are refused where a sum is made of them (`buildReport`): an `InvalidArgumentError`, code
 * `mixed_currency`, its path the first policy that differs (`estates["hk-bay"].commercial.currency`).
 *
 * @example
 * givenCurrency({ residential: cny }, { "hk-bay": { commercial: hkd } })
 * // throws mixed_currency at estates["hk-bay"].commercial.currency: HKD, where policy.residential counts CNY
 */
export function givenCurrency(choice?: PolicyChoice, estates?: EstatePolicies): Policy["currency"] | undefined {
  const given: Array<[string, Policy]> = [];
  const add = (at: readonly string[], c: PolicyChoice) => {
    if (isPolicy(c)) given.push([formatPath(at), c]);
    else for (const s of SEGMENTS) if (c[s]) given.push([formatPath([...at, s]), c[s]]);
  };
  if (choice !== undefined) add(["policy"], choice);
  for (const [estate, c] of Object.entries(estates ?? {})) add(["estates", estate], c);
  const [first, ...rest] = given;
  if (first === undefined) return undefined;
  const [firstAt, { currency }] = first;
  for (const [at, p] of rest)
    if (!sameCurrency(p.currency, currency))
      throw new InvalidArgumentError(
        "mixed_currency",
        `${at}.currency`,
        `policy ${p.id} counts money in ${p.currency.code} (${p.currency.minorDigits} minor digits), where ${firstAt} (${first[1].id}) counts ${currency.code} (${currency.minorDigits}): amounts in different currencies cannot be added; give policies of one currency together`,
      );
  return currency;
}

/** Whether amounts of two policies can be added: the same currency, read with the same minor-unit digits. */
export function sameCurrency(a: Policy["currency"], b: Policy["currency"]): boolean {
  return a.code === b.code && a.minorDigits === b.minorDigits;
}

function isPolicy(choice: PolicyChoice): choice is Policy {
  return "stages" in choice;
}

/** Picks a scheduler per account: the policy chosen for the account's segment, or its built-in. */
export function schedulerPicker(choice?: PolicyChoice): (segment: unknown) => PlanningScheduler {
  const chosen = policiesBySegment(choice);
  const cache = new Map<Segment, PlanningScheduler>();
  return (raw) => {
    const segment = segmentOf(raw);
    let s = cache.get(segment);
    if (!s) cache.set(segment, (s = compileScheduler(chosen[segment] ?? parsePolicy(builtinPolicySource(segment), segment))));
    return s;
  };
}

/**
 * Picks a scheduler per account from its estate and segment ({@link PlanOptions.estates}): the
 * estate's policy for the segment, else `choice`'s for the segment, else (with estates named) an
 * issue (`no_policy`, path `estate`). Without `estates`, {@link schedulerPicker}'s choice.
 */
export function estateSchedulerPicker(choice?: PolicyChoice, estates?: EstatePolicies): (segment: unknown, estate: unknown) => PlanningScheduler | Issue {
  const bySegment = schedulerPicker(choice);
  if (estates === undefined || Object.keys(estates).length === 0) return (segment) => bySegment(segment);
  const fallback = policiesBySegment(choice);
  const chosen = new Map(Object.entries(estates).map(([estate, c]) => [estate, policiesBySegment(c)]));
  const cache = new Map<Policy, PlanningScheduler>();
  return (rawSegment, rawEstate) => {
    const segment = segmentOf(rawSegment);
    const estate = typeof rawEstate === "string" ? rawEstate : undefined;
    const policy = (estate === undefined ? undefined : chosen.get(estate)?.[segment]) ?? fallback[segment];
    if (policy === undefined) {
      const named = [...chosen.keys()].map((e) => JSON.stringify(e)).join(", ");
      const where = estate === undefined ? "the account names no estate" : chosen.has(estate) ? `estate ${JSON.stringify(estate)} has no ${segment} policy` : `estate ${JSON.stringify(estate)} has no policy`;
      return ledgerIssue("no_policy", "estate", `${where} (policies are named for ${named}), and none is given for ${segment} units: give one for the estate or for the segment`);
    }
    let s = cache.get(policy);
    if (!s) cache.set(policy, (s = compileScheduler(policy)));
    return s;
  };
}
