/**
 * Writes schema/policy.schema.json and docs/policy-reference.md from the zod schema, and the
 * ledgers' documented SQL (src/adapters/*-schema.sql) from the strings the adapters run, whose
 * channel lists come from CHANNELS. Run: npm run schema.
 */
import { writeFileSync } from "node:fs";
import { policyJsonSchema } from "../src/rules/json-schema.js";
import { policyReference } from "../src/rules/reference.js";
import { SQLITE_SCHEMA } from "../src/adapters/sqlite-schema.js";
import { POSTGRES_SCHEMA } from "../src/adapters/postgres-schema.js";

const schema = new URL("../schema/policy.schema.json", import.meta.url);
writeFileSync(schema, `${JSON.stringify(policyJsonSchema(), null, 2)}\n`);
const reference = new URL("../docs/policy-reference.md", import.meta.url);
writeFileSync(reference, policyReference());
const sqlite = new URL("../src/adapters/sqlite-schema.sql", import.meta.url);
writeFileSync(sqlite, SQLITE_SCHEMA);
const postgres = new URL("../src/adapters/postgres-schema.sql", import.meta.url);
writeFileSync(postgres, POSTGRES_SCHEMA);
console.log(`wrote ${schema.pathname}, ${reference.pathname}, ${sqlite.pathname} and ${postgres.pathname}`);
