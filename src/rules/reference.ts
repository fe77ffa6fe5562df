/**
 * The policy reference (docs/policy-reference.md), made from the JSON Schema and so from the zod
 * schema's own descriptions: one table per object, one row per field.
 */
import { policyJsonSchema } from "./json-schema.js";
import { MAX_CONDITION_DEPTH, MAX_DOCUMENT_DEPTH } from "./document.js";
import { FACTS, LIST_FACTS } from "./facts.js";
import { FORBIDDEN_MEASURES } from "./forbidden.js";
import { LEGAL_KINDS, PUBLIC_CHANNELS, STAFF_CHANNELS, STAFF_KINDS, STAGE_KINDS, STAGE_KIND_TABLE } from "./kinds.js";

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
  out.push(...gapRule());
  out.push(...stageKinds());
  out.push("## Facts conditions can read", "", "| fact | meaning |", "|---|---|");
  for (const [name, meaning] of Object.entries(FACTS)) out.push(`| \`${name}\` | ${cell(meaning)} |`);
  out.push("");
  out.push(...badInput());
  return out.join("\n");
}

/** When a gap applies between two warnings: S2's calendar days (DOMAIN.md, decided 2026-12-06; src/schedule/ladder/gap.ts). */
function gapRule(): string[] {
  return [
    "## When a gap applies (S2's calendar days)",
    "",
    "A warning follows the warning before it in its ladder. S2's days are calendar days (当月25日, 次月25日, 次月5日):",
    "",
    "- A warning is due on its own calendar day, the day its trigger gives.",
    "- A warning whose day falls on or before the charge's due date (a charge due on the 31st, or on 28 February) is first",
    "  owed on the day after the due date. That is not lateness.",
    "- Only when the warning before it was carried out later than it was first owed (planning started late, a hold, a wait",
    "  for a working day, a frequency cap) is the next one also kept at least the regular gap, the days between the two",
    "  stages' own days, after the day that warning was actually carried out (the ledger's `actions[].on`). Catch-up after",
    "  a late start so keeps the timeline's spacing.",
    "- A stated gap (`minGapDays`, an `afterStage` trigger's `days`) is always kept.",
    "",
    "With the residential built-in (dunning notice on day 25 of the billing month, final notice on day 25 of the next):",
    "",
    "| charge due | dunning notice | final notice | why |",
    "|---|---|---|---|",
    "| 2026-03-01 | 2026-03-25 | 2026-04-25 | S2's own days |",
    "| 2026-03-31 | 2026-04-01 | 2026-04-25 | day 25 falls before the due date: first owed 04-01, on time; the final notice keeps its own day |",
    "| 2026-02-28 | 2026-03-01 | 2026-03-25 | the same in February |",
    "| 2026-03-01, planning first run on 05-10 | 2026-05-10 | 2026-06-10 | late: the regular 31 days (03-25 → 04-25) after 05-10 |",
    "| 2026-03-01, a dispute open 03-24 until 04-03 | 2026-04-03 | 2026-05-04 | held, so late: 31 days after 04-03 |",
    "| 2026-04-01, an elderly owner (a home visit instead of the door posting) | 2026-04-27 | 2026-05-27 | 04-25 is a Saturday and visits go on working days: 30 days (04-25 → 05-25) after 04-27 |",
    "",
    "The commercial built-in, charge due 2026-03-31: dunning notice 04-01, second dunning notice 04-05, final notice 04-13.",
    "",
    "A protected owner whose visits wait for working days (or for the cap of one visit in 7 days) may so drift a few days later",
    "than S2's months. That is lenient, never harsher: every warning still comes, in order. The `gap` invariant of",
    "`property-dunning/testing` checks the rule both ways.",
    "",
  ];
}

const list = (items: Iterable<string>) => [...items].map((i) => `\`${i}\``).join(", ");

/** The stage kinds, one row each, written from STAGE_KIND_TABLE (rules/kinds.ts) in ascending severity. */
function stageKinds(): string[] {
  const yes = (b: boolean) => (b ? "yes" : "");
  return [
    "## Stage kinds",
    "",
    "What each `kind` is, in ascending severity. A written demand (催告) states a deadline and restarts the limitation period;",
    "a legal step waits for a delivered written demand whose deadline has passed and never goes on a channel neighbours read;",
    "a terminal kind ends the owner's ladder (nothing more reaches the owner until a payment on a later day or a recorded",
    "`reopen`; a write-off also stops every stage for the charges overdue that day) and always needs a person's review.",
    `A recorded court step (${list(STAGE_KINDS.filter((k) => STAGE_KIND_TABLE[k].court))}) interrupts the limitation period (Civil Code art. 195(3));`,
    "the period restarts when the proceedings end, which no ledger records, so the limitation dates count three years from",
    "the filing day: the earliest the period can then end (a conservative bound, `restartedBy.type` `lawsuit`).",
    "",
    "| kind | 中文 | audience | written demand | legal | terminal state | needs review | description |",
    "|---|---|---|---|---|---|---|---|",
    ...STAGE_KINDS.map((k) => {
      const r = STAGE_KIND_TABLE[k];
      return `| \`${k}\` | ${r.label["zh-CN"]} | ${r.audience} | ${yes(r.writtenDemand)} | ${yes(r.legal)} | ${r.terminal === null ? "" : `\`${r.terminal}\``} | ${yes(r.needsReview)} | ${cell(r.description)} |`;
    }),
    "",
  ];
}

/** What `safeParsePolicy` (and so `validate`) does with a file it cannot use. */
function badInput(): string[] {
  return [
    "## What happens to bad input",
    "",
    "`safeParsePolicy` (and `property-dunning validate`, `--policy`) never throws on a bad file: it returns every problem",
    "as an issue with a `code`, a `path` in the file's own terms (`stages[0].trigger.day`, even when the file `extends` a",
    "built-in and its stage lands elsewhere in the merged timeline) and a `message`. The path is empty only for a problem of",
    "the whole document (not JSON, not an object). A policy that validates plans: what the scheduler would refuse is refused here.",
    "The checks, in order:",
    "",
    "1. JSON: text that is not JSON is `invalid_json`. A number too large for a double (`1e400`) is `not_finite`, quoted as written.",
    `2. Depth, before anything recurses: conditions may nest \`all\`/\`any\`/\`not\` at most ${MAX_CONDITION_DEPTH} levels deep, and no value`,
    `   may be nested more than ${MAX_DOCUMENT_DEPTH} levels of objects and arrays (\`too_deep\`, at the first place past the limit).`,
    "3. Forbidden measures (`forbidden_measure`): no stage's id, kind, title, description, source, channel or condition name may name",
    "   a measure Civil Code art. 944 or local regulations forbid. Text is compared after NFKC, without invisible format",
    "   characters, in lower case, with traditional characters simplified and `snake_case`/`camelCase` split, in both languages:",
    ...FORBIDDEN_MEASURES.map((m) => `   - ${m.measure}`),
    "4. The schema: every field's type and range as the tables above say; dates (`calendar.closures`) must be real dates;",
    "   a fact `path` may only use plain keys (`$.a`, `$['a b']`, `$[0]`), the same rule the condition compiler applies;",
    "   an object `value` with a `fact` key must be a valid reference to another fact.",
    "5. `extends`: a built-in to start from; the file's stages may not repeat an id (`duplicate_stage`), and an extending",
    "   policy needs its own `id` (`builtin_id`). A complete policy with a built-in's `id` and `version` must be that built-in unchanged.",
    "6. Across fields: unique, unreserved stage ids (`reopen` is a person's reopening record); `afterStage` names an earlier",
    "   stage; deadlines only on written demands; a lawsuit or arbitration (`legalAction`) only after a written demand listed",
    "   before it (`court_before_demand`, Civil Code art. 944); a terminal kind not on the `beforeLimitation` trigger (`terminal_trigger`);",
    `   facts are the scheduler's own (the table above; inherited names such as \`constructor\` are unknown facts, \`unknown_fact\`);`,
    "   each stage's conditions compile (`invalid_condition` at the condition); `in`/`notIn` against another fact only with",
    `   ${list(LIST_FACTS)}; a legal step (${list(LEGAL_KINDS)}) never on a channel neighbours read (${list(PUBLIC_CHANNELS)}):`,
    "   `public_legal_step`, what `verify`'s privacy invariant would otherwise find. Other notices may be posted on doors (S2).",
    `   A stage addressed to staff (${list(STAFF_KINDS)}) only on ${list(STAFF_CHANNELS)} (\`staff_channel\`): it is a person's task,`,
    "   and on an owner's channel it would reach the owner, on a door publish a debtor (PIPL art. 25, Civil Code art. 1033).",
    "   `continues`: each older stage maps to a stage of this policy (a `residualLateFee` step too) or null (`unknown_stage` at `continues.stages.<id>`), and",
    "   no older id is still a stage or a `residualLateFee` step here (`continued_stage_kept`) nor a reserved one (`reserved_stage`).",
    "",
  ];
}
