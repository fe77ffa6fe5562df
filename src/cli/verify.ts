/**
 * `property-dunning verify <policy.json> [--runs N] [--seed S]`: runs every invariant of
 * `property-dunning/testing` against a policy and prints a table of pass or fail, then each
 * failure's shrunk counterexample as a day-by-day timeline. Exit code 0 when every invariant
 * holds, 1 when the policy is missing or invalid or an invariant fails, 2 when
 * fast-check is not installed.
 *
 * The testing kit (and fast-check with it) is loaded only when `verify` runs, so the other
 * commands work without fast-check installed.
 */
import { builtinPolicySource, isBuiltinPolicyId } from "../rules/builtins.js";
import { formatIssues } from "../rules/errors.js";
import { safeParsePolicy } from "../rules/parse.js";
import { table } from "../text/index.js";
import { readText } from "./common.js";
import { style } from "./style.js";

export interface VerifyOptions {
  /** Runs per invariant (default 100). */
  runs?: number;
  /** fast-check seed; printed, so that a failure can be reproduced. */
  seed?: number;
  /** Run only these invariants. */
  only?: readonly string[];
}

export interface VerifyIo {
  out(text: string): unknown;
  err(text: string): unknown;
  /** Colour stdout (pass green, FAIL red); default no colour. */
  color?: boolean;
}

async function loadSource(path: string): Promise<unknown> {
  if (isBuiltinPolicyId(path)) return builtinPolicySource(path);
  // A missing file is "file not found: <path>", exit 1, as for every command (main.ts prints it).
  return await readText(path);
}

/** Verifies the policy at `policyPath` (a file, or `residential` / `commercial`); returns the exit code. */
export async function verifyCommand(policyPath: string, options: VerifyOptions, io: VerifyIo): Promise<number> {
  const line = (s = "") => io.out(`${s}\n`);
  const paint = style(io.color);
  const source = await loadSource(policyPath);
  const parsed = safeParsePolicy(source);
  if (!parsed.ok) {
    io.err(`${policyPath}: invalid policy\n${formatIssues(parsed.issues, "  ")}\n`);
    return 1;
  }
  let kit: typeof import("../testing/index.js");
  try {
    kit = await import("../testing/index.js");
  } catch (error) {
    io.err(`verify needs fast-check: npm install --save-dev fast-check (${(error as Error).message})\n`);
    return 2;
  }
  const policy = parsed.value;
  const runs = options.runs ?? 100;
  const report = kit.checkPolicy(policy, { runs, ...(options.seed !== undefined ? { seed: options.seed } : {}), ...(options.only ? { only: options.only } : {}) });
  line(`verify ${policyPath}: policy ${policy.id} ${policy.version}, ${report.results.length} invariants, up to ${runs} runs each, seed ${report.seed}`);
  line();
  line(
    table(
      ["invariant", "result", "runs", "time", "kind"],
      report.results.map((r) => [r.name, r.ok ? "pass" : "FAIL", String(r.runs), `${(r.ms / 1000).toFixed(1)}s`, r.scope]),
      new Set([2, 3]),
    )
      // Coloured after padding: escapes have no width.
      .split("\n")
      .map((row) => (/^\S+\s+FAIL\s/.test(row) ? paint.red(row) : row))
      .join("\n"),
  );
  for (const r of report.results) {
    if (r.ok) continue;
    line();
    line(paint.red(`FAIL ${r.name}: ${r.description}`));
    line(`  ${r.error}`);
    line(`  counterexample after ${r.runs} run(s) and ${r.shrinks} shrink(s), planned ${r.from} to ${r.to}${r.asOf ? `, failing on ${r.asOf}` : ""}:`);
    line(r.timeline.replace(/^/gm, "    "));
    line(`  account: ${JSON.stringify(r.counterexample)}`);
    line(`  reproduce: --seed ${r.seed}${r.path ? ` (fast-check path ${r.path})` : ""}`);
  }
  line();
  const failed = report.results.filter((r) => !r.ok).map((r) => r.name);
  line(failed.length === 0 ? paint.green(`all ${report.results.length} invariants hold`) : paint.red(`${failed.length} invariant(s) failed: ${failed.join(", ")}`));
  return failed.length === 0 ? 0 : 1;
}
