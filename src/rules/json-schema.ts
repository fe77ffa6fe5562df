/** The JSON Schema of policy files, made from the zod schema (and so from its descriptions). */
import { z } from "zod";
import { PolicyFileSchema } from "./schema.js";

/** The JSON Schema (draft 2020-12) that `schema/policy.schema.json` holds. */
export function policyJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(PolicyFileSchema, { target: "draft-2020-12", io: "input", unrepresentable: "throw" }) as Record<string, unknown>;
  return {
    $schema: schema.$schema,
    $id: "https://unpkg.com/property-dunning/schema/policy.schema.json",
    title: "property-dunning policy",
    ...Object.fromEntries(Object.entries(schema).filter(([k]) => k !== "$schema")),
  };
}
