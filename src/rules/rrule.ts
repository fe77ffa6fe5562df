/**
 * rrule, loaded so that it works from both the ESM and the CJS build: its ESM named imports
 * break in Node (the package's `module` entry is not real ESM), so take the namespace and look
 * for `RRule` on it or on its default export.
 */
import * as rruleModule from "rrule";

type RRuleModule = typeof import("rrule");
const mod = rruleModule as unknown as RRuleModule & { default?: RRuleModule };
export const RRule: RRuleModule["RRule"] = mod.RRule ?? mod.default!.RRule;
