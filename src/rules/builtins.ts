/**
 * The built-in policies: `residential` and `commercial` reproduce DOMAIN.md's S2 timelines,
 * `relative` the relative ladder of S1, S3 and S2 (steps counted from the due date and from the
 * step before). The files live in `policies/` so that estates can read them and copy from them;
 * they are bundled into the build.
 */
import residentialJson from "../../policies/residential.json" with { type: "json" };
import commercialJson from "../../policies/commercial.json" with { type: "json" };
import relativeJson from "../../policies/relative.json" with { type: "json" };

/** Ids of the built-in policies. */
export const BUILTIN_POLICY_IDS = ["residential", "commercial", "relative"] as const;
export type BuiltinPolicyId = (typeof BUILTIN_POLICY_IDS)[number];

const SOURCES: Readonly<Record<BuiltinPolicyId, unknown>> = {
  residential: residentialJson,
  commercial: commercialJson,
  relative: relativeJson,
};

export function isBuiltinPolicyId(id: string): id is BuiltinPolicyId {
  return (BUILTIN_POLICY_IDS as readonly string[]).includes(id);
}

/** A fresh deep copy of a built-in policy file, as JSON. */
export function builtinPolicySource(id: BuiltinPolicyId): unknown {
  return structuredClone(SOURCES[id]);
}
