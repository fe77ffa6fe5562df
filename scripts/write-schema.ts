/** Writes schema/policy.schema.json from the zod schema. Run: npm run schema. */
import { writeFileSync } from "node:fs";
import { policyJsonSchema } from "../src/rules/json-schema.js";

const path = new URL("../schema/policy.schema.json", import.meta.url);
writeFileSync(path, `${JSON.stringify(policyJsonSchema(), null, 2)}\n`);
console.log(`wrote ${path.pathname}`);
