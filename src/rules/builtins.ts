/**
 * The built-in policies, reproducing DOMAIN.md's S2 timelines. The files live in `policies/` so
 * that estates can read them and copy from them; they are bundled into the build.
 */
import residentialJson from "../../policies/residential.json" with { type: "json" };
import commercialJson from "../../policies/commercial.json" with { type: "json" };

/** Ids of the built-in policies. */
export const BUILTIN_POLICY_IDS = ["residential", "commercial"] as const;
export type BuiltinPolicyId = (typeof BUILTIN_POLICY_IDS)[number];

const SOURCES: Readonly<Record<BuiltinPolicyId, unknown>> = {
  residential: residentialJson,
  commercial: commercialJson,
};

export function isBuiltinPolicyId(id: string): id is BuiltinPolicyId {
  return (BUILTIN_POLICY_IDS as readonly string[]).includes(id);
}

/** A fresh deep copy of a built-in policy file, as JSON. */
export function builtinPolicySource(id: BuiltinPolicyId): unknown {
  return structuredClone(SOURCES[id]);
}
