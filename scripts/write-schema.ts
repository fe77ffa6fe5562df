/** Writes schema/policy.schema.json and docs/policy-reference.md from the zod schema. Run: npm run schema. */
import { writeFileSync } from "node:fs";
import { policyJsonSchema } from "../src/rules/json-schema.js";
import { policyReference } from "../src/rules/reference.js";

const schema = new URL("../schema/policy.schema.json", import.meta.url);
writeFileSync(schema, `${JSON.stringify(policyJsonSchema(), null, 2)}\n`);
const reference = new URL("../docs/policy-reference.md", import.meta.url);
writeFileSync(reference, policyReference());
console.log(`wrote ${schema.pathname} and ${reference.pathname}`);
