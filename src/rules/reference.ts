/**
 * The policy reference (docs/policy-reference.md), made from the JSON Schema and so from the zod
 * schema's own descriptions: one table per object, one row per field.
 */
import { policyJsonSchema } from "./json-schema.js";
import { FACTS } from "./facts.js";

type Node = Record<string, unknown>;

function typeOf(node: Node, defs: Record<string, Node>, depth = 0): string {
  // A reference (the recursive json-rules-engine condition) is named, not expanded.
  if (typeof node.$ref === "string") return depth > 0 ? "condition" : typeOf(defs[node.$ref.split("/").pop()!] ?? {}, defs, depth + 1);
  if (Array.isArray(node.enum)) return node.enum.map((v) => `\`${JSON.stringify(v)}\``).join(" \\| ");
  if (node.const !== undefined) return `\`${JSON.stringify(node.const)}\``;
  if (Array.isArray(node.anyOf) || Array.isArray(node.oneOf)) return ((node.anyOf ?? node.oneOf) as Node[]).map((n) => typeOf(n, defs, depth + 1)).join(" \\| ");
  if (node.type === "array") return `${typeOf((node.items as Node) ?? {}, defs, depth + 1)}[]`;
  if (node.type === "object" && depth > 0) return "object";
  if (node.type === "integer") {
    const lo = node.minimum;
    const hi = node.maximum;
    return lo !== undefined && hi !== undefined ? `integer ${lo}–${hi}` : "integer";
  }
  return typeof node.type === "string" ? node.type : "object";
}

function cell(text: unknown): string {
  return String(text ?? "").replace(/\|/g, "\\|").replace(/\n/g, " ");
}

/** The policy reference as Markdown. */
export function policyReference(): string {
  const schema = policyJsonSchema() as Node;
  const defs = ((schema.$defs ?? schema.definitions ?? {}) as Record<string, Node>) ?? {};
  const out: string[] = [
    "# Policy reference",
    "",
    "Generated from the schema (`npm run schema`); a test fails when it drifts. Every field of a policy file,",
    "with the description editors show from `schema/policy.schema.json`.",
    "",
  ];
  const seen = new Set<string>();
  const visited = new Set<Node>();
  const queue: Array<[string, Node]> = [["policy", schema]];
  while (queue.length > 0) {
    const [title, node] = queue.shift()!;
    const resolved = typeof node.$ref === "string" ? (defs[node.$ref.split("/").pop()!] ?? {}) : node;
    const variants = (resolved.anyOf ?? resolved.oneOf) as Node[] | undefined;
    if (variants && !resolved.properties) {
      variants.forEach((v, i) => queue.push([`${title} (form ${i + 1})`, v]));
      continue;
    }
    const props = resolved.properties as Record<string, Node> | undefined;
    if (!props || seen.has(title) || visited.has(resolved)) continue;
    seen.add(title);
    visited.add(resolved);
    out.push(`## ${title}`, "", cell(resolved.description ?? ""), "", "| field | type | required | description |", "|---|---|---|---|");
    const required = new Set((resolved.required as string[] | undefined) ?? []);
    for (const [key, child] of Object.entries(props)) {
      out.push(`| \`${key}\` | ${cell(typeOf(child, defs))} | ${required.has(key) ? "yes" : ""} | ${cell(child.description ?? (typeof child.$ref === "string" ? defs[child.$ref.split("/").pop()!]?.description : ""))} |`);
      // Conditions (json-rules-engine's recursive format) are references: described once, not expanded.
      if (typeof child.$ref === "string") continue;
      const items = child.type === "array" ? (child.items as Node) : child;
      if (items && typeof items.$ref !== "string" && (items.properties || items.anyOf || items.oneOf)) queue.push([`${title}.${key}${child.type === "array" ? "[]" : ""}`, items]);
    }
    out.push("");
  }
  out.push(
    "## conditions",
    "",
    "A stage's `conditions` use json-rules-engine's JSON format: `{ \"all\": [...] }`, `{ \"any\": [...] }`, `{ \"not\": {...} }`,",
    "nesting freely, with leaves `{ \"fact\": …, \"operator\": …, \"value\": …, \"path\"?: … }`. Operators: equal, notEqual, lessThan,",
    "lessThanInclusive, greaterThan, greaterThanInclusive, in, notIn, contains, doesNotContain. `value` may be `{ \"fact\": … }`.",
    "They are compiled once into plain functions that agree with the engine (a property test compares them).",
    "",
  );
  out.push("## Facts conditions can read", "", "| fact | meaning |", "|---|---|");
  for (const [name, meaning] of Object.entries(FACTS)) out.push(`| \`${name}\` | ${cell(meaning)} |`);
  out.push("");
  return out.join("\n");
}
