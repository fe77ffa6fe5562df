/**
 * The JSONPath a condition may put on a fact (`path`, and `path` of a `{ "fact": … }` value): one
 * check, used by the schema (and so `validate` and the JSON Schema) and by the condition compiler,
 * so that what validates always compiles.
 *
 * Only plain keys are allowed: `$.a.b`, `$['a b']`, `$.items[0]`. json-rules-engine hands the path
 * to jsonpath-plus, which rewrites the string with regular expressions before walking it, so in a
 * bracketed key these characters mean something else (`.` `~` `#1` `,` `*` `@…()` `^` `:`
 * slices, `(`…`)` scripts, …); a `$` key is read as "root" or as a key depending on its depth.
 * Those are refused rather than matched.
 */

/** Characters a bracketed key may not hold. */
const UNSAFE_KEY_CHARS = "$()*,.:;@[\\]^~#`\"?%\\\\";
/** A dotted key: an identifier, but not `$` alone. */
const DOTTED = "\\.(?!\\$(?![\\w$]))[A-Za-z_$][\\w$]*";
const INDEX = "\\[\\d+\\]";
const BRACKETED = `\\['[^'${UNSAFE_KEY_CHARS}]*'\\]`;

/**
 * The whole rule as one regular expression (the JSON Schema's `pattern`, so editors agree too).
 *
 * @example FACT_PATH.test("$.owner.tags") // true
 * @example FACT_PATH.test("$['a.b']")     // false: jsonpath-plus splits it at the dot
 */
export const FACT_PATH = new RegExp(`^\\$(${DOTTED}|${INDEX}|${BRACKETED})*$`);

/** The grammar without the key rule: tells a path of the wrong shape from one with a bad key. */
const SHAPE = /^\$(\.[A-Za-z_$][\w$]*|\[\d+\]|\['[^']*'\])*$/;
const SEGMENT = /\.([A-Za-z_$][\w$]*)|\[(\d+)\]|\['([^']*)'\]/g;
const UNSAFE_KEY = new RegExp(`[${UNSAFE_KEY_CHARS}]`);

export const FACT_PATH_RULE = "must be a simple JSONPath such as $.owner.tags, $['unit no'] or $.items[0] (dots, ['key'] and [index] only)";

/**
 * The keys of a fact path, in order (`$.a['b c'][0]` → `["a", "b c", "0"]`), or what is wrong
 * with it. Agrees with `FACT_PATH`: keys are returned exactly when it matches.
 *
 * @example factPath("$.a['b c'][0]") // { keys: ["a", "b c", "0"] }
 * @example factPath("$..*")          // { error: "must be a simple JSONPath such as …" }
 */
export function factPath(path: string): { keys: string[] } | { error: string } {
  if (!SHAPE.test(path)) return { error: FACT_PATH_RULE };
  const keys: string[] = [];
  for (const m of path.matchAll(SEGMENT)) {
    const key = m[1] ?? m[2] ?? m[3] ?? "";
    if (key === "$" || (m[3] !== undefined && UNSAFE_KEY.test(key)))
      return { error: `has key ${JSON.stringify(key)}, which jsonpath-plus does not read as a plain key; a key may not be $ nor hold any of ${UNSAFE_KEY_CHARS.replace(/\\(.)/g, "$1")}` };
    keys.push(key);
  }
  return { keys };
}

/** What is wrong with a path `FACT_PATH` refused, for the schema's message. */
export function factPathError(path: unknown): string {
  const checked = typeof path === "string" ? factPath(path) : undefined;
  return checked && "error" in checked ? checked.error : FACT_PATH_RULE;
}
