/**
 * `--policy`, repeatable: one policy (a file or a built-in), or one per segment
 * (`--policy residential=a.json --policy commercial=b.json`). A ledger may hold both segments, and
 * a shop must never get a flat's door postings because one policy was given for "the ledger":
 * one policy covers the segment it declares, and what it does not cover is said on stderr.
 */
import { SEGMENTS, type EstatePolicies, type PolicyChoice, type Segment, type SegmentPolicies } from "../ledger/plan.js";
import { sameCurrency } from "../ledger/policy-choice.js";
import type { Policy } from "../rules/schema.js";
import { loadPolicy, UsageError } from "./common.js";

export interface PolicyArg {
  /** What the library is given: always a policy per segment, so nothing is left to a default reading. */
  choice: PolicyChoice;
  /** One `--policy` without a segment: its spec (for messages) and what it covers. */
  single?: { spec: string; policy: Policy };
  /** The first policy given: its time zone sets "today", and `timeline` without an account draws it. */
  first: Policy;
  /** `--policy <estate>/<segment>=<file>`: a policy per estate and segment (`plan`, `explain`, `report`, `run`, `timeline --account`; the other `--policy` values are then the segments' fallback). */
  estates?: EstatePolicies;
}

/** `<estate>/<segment>=<file>`: an estate id has no `/` or `=`. */
const ESTATE_SPEC = new RegExp(`^([^/=]+)/(${SEGMENTS.join("|")})=(.+)$`);

/**
 * Reads every `--policy`, the per-estate ones (`north-park/residential=a.json`) apart: those
 * become `estates`, the rest read as without them (a usage error for an estate and segment given
 * twice, or a file written for another segment). Every command that takes `--policy` reads it
 * here.
 */
export async function loadPolicyArgs(specs: readonly string[] | undefined): Promise<PolicyArg | undefined> {
  const perEstate = (specs ?? []).filter((s) => ESTATE_SPEC.test(s));
  const others = (specs ?? []).filter((s) => !ESTATE_SPEC.test(s));
  const rest = await loadPolicyArg(others);
  // Each policy given, with the --policy that gave it: for the one-currency check.
  const bySegment = rest?.choice as SegmentPolicies | undefined;
  const given: Array<[string, Policy]> = rest?.single ? [[rest.single.spec, rest.single.policy]] : others.map((o) => [o, bySegment![SEGMENT_SPEC.exec(o)![1] as Segment]!]);
  if (perEstate.length === 0) {
    oneCurrency(given);
    return rest;
  }
  const estates: { [estate: string]: { [S in Segment]?: Policy } } = {};
  let first: Policy | undefined;
  for (const spec of perEstate) {
    const [, estate, segment, file] = ESTATE_SPEC.exec(spec) as unknown as [string, string, Segment, string];
    const chosen = (estates[estate] ??= {});
    if (chosen[segment]) throw new UsageError(`--policy: ${estate}/${segment} is given twice`);
    const policy = (await loadPolicy(file))!;
    if (policy.segment && policy.segment !== segment) throw new UsageError(`--policy ${spec}: ${file} is written for ${policy.segment} units (its "segment"), not ${segment}`);
    chosen[segment] = policy;
    given.push([spec, policy]);
    first ??= policy;
  }
  oneCurrency(given);
  // A single policy beside per-estate ones is the fallback of the segments it covers, said as such.
  return { choice: rest?.choice ?? {}, first: rest?.first ?? first!, estates };
}

/**
 * Policies given together count money in one currency: `report` adds their amounts and `plan`
 * totals them, and 100 fen and 100 cents are not 200 of anything. A usage error (exit 2) like the
 * other `--policy` combinations refused here: each file is valid, giving them together is not.
 * (The library refuses the same in `buildReport`, `givenCurrency`: `mixed_currency` at a policy's
 * path; here the message names the `--policy` values instead.)
 */
function oneCurrency(given: ReadonlyArray<readonly [string, Policy]>): void {
  const [first, ...rest] = given;
  if (!first) return;
  const [spec, { currency }] = first;
  const other = rest.find(([, p]) => !sameCurrency(p.currency, currency));
  if (other)
    throw new UsageError(
      `--policy: the policies given together count money in different currencies (mixed_currency): --policy ${other[0]} in ${other[1].currency.code}, --policy ${spec} in ${currency.code}; their amounts cannot be added: give policies of one currency (one command per currency)`,
    );
}

const SEGMENT_SPEC = new RegExp(`^(${SEGMENTS.join("|")})=(.+)$`);

/** Reads every `--policy` (undefined: none given); a usage error for a combination that says two things. */
export async function loadPolicyArg(specs: readonly string[] | undefined): Promise<PolicyArg | undefined> {
  if (!specs || specs.length === 0) return undefined;
  const single = specs.filter((s) => !SEGMENT_SPEC.test(s));
  if (single.length > 0 && specs.length > 1)
    throw new UsageError(`--policy: give one policy, or one per segment as --policy residential=<file> --policy commercial=<file> (got ${specs.map((s) => JSON.stringify(s)).join(", ")})`);
  if (single.length === 1) {
    const policy = (await loadPolicy(specs[0]))!;
    // A policy that declares no segment is given to both, explicitly; `segmentsSeen` refuses a ledger that holds both.
    const choice: SegmentPolicies = policy.segment ? { [policy.segment]: policy } : { residential: policy, commercial: policy };
    return { choice, single: { spec: specs[0]!, policy }, first: policy };
  }
  const choice: { [S in Segment]?: Policy } = {};
  for (const spec of specs) {
    const [, segment, file] = SEGMENT_SPEC.exec(spec) as unknown as [string, Segment, string];
    if (choice[segment]) throw new UsageError(`--policy: ${segment} is given twice`);
    const policy = (await loadPolicy(file))!;
    if (policy.segment && policy.segment !== segment) throw new UsageError(`--policy ${spec}: ${file} is written for ${policy.segment} units (its "segment"), not ${segment}`);
    choice[segment] = policy;
  }
  return { choice, first: (choice.residential ?? choice.commercial)! };
}

/**
 * After reading the accounts of these segments: the warning to print once when one `--policy`
 * did not cover some of them (they followed their built-in), or a usage error when a policy that
 * declares no segment met both segments (which of its stages suit a shop, it does not say).
 */
export function segmentsSeen(arg: PolicyArg | undefined, seen: Iterable<Segment>): string | undefined {
  if (!arg?.single) return undefined;
  const { spec, policy } = arg.single;
  const segments = SEGMENTS.filter((s) => [...seen].includes(s));
  if (!policy.segment) {
    if (segments.length > 1)
      throw new UsageError(
        `--policy ${spec} declares no segment, and the ledger holds ${segments.join(" and ")} accounts: give each its policy (--policy residential=<file> --policy commercial=<file>), or declare "segment" in the file`,
      );
    return undefined;
  }
  const others = segments.filter((s) => s !== policy.segment);
  return others.length === 0
    ? undefined
    : `property-dunning: --policy ${spec} is written for ${policy.segment} units; ${others.join(" and ")} accounts follow the built-in ${others.join(" and ")} policy (give theirs with --policy ${others[0]}=<file>)`;
}
