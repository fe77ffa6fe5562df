/**
 * `property-dunning timeline --policy X [--ledger L --account ID] [--as-of D] --out file.html|file.svg`:
 * the policy's ladder on a time axis, or one account's forecast with amounts and holds.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { dirname, extname } from "node:path";
import { DateTime } from "luxon";
import { openLedgerArg, type CliIo } from "./common.js";
import { schedulerPicker } from "../plan.js";
import { builtinPolicySource, isBuiltinPolicyId } from "../rules/builtins.js";
import { parsePolicy } from "../rules/parse.js";
import type { Policy } from "../rules/schema.js";
import { formatAccountIssues, normalizeAccount, type AccountSnapshot } from "../schedule/account.js";
import { civilDate, formatCivilDate } from "../schedule/civil-date.js";
import { renderTimelineHtml } from "../timeline/html.js";
import type { TimelineOptions } from "../timeline/model.js";
import { renderTimelineSvg } from "../timeline/svg.js";

export interface TimelineArgs {
  /** The parsed policy; without it, `policyName` must be a built-in (or, with an account, the account's segment picks one). */
  policy?: Policy;
  policyName: string;
  ledger?: string;
  account?: string;
  /** Forecast start for an account (default: today in the policy's zone). */
  asOf?: string;
  out: string;
}

/** Exit codes: 0 written, 1 account not found or invalid, 2 usage error. */
export async function timelineCommand(args: TimelineArgs, io: CliIo): Promise<number> {
  const err = (s: string) => io.err(`${s}\n`);
  const ext = extname(args.out).toLowerCase();
  if (ext !== ".svg" && ext !== ".html" && ext !== ".htm") {
    err(`property-dunning: timeline --out must end in .html or .svg (got ${JSON.stringify(args.out)})`);
    return 2;
  }
  if ((args.account === undefined) !== (args.ledger === undefined)) {
    err("property-dunning: timeline: --ledger and --account go together");
    return 2;
  }
  if (args.asOf !== undefined) {
    try {
      civilDate(args.asOf);
    } catch {
      err(`property-dunning: --as-of: must be a date YYYY-MM-DD (got ${JSON.stringify(args.asOf)})`);
      return 2;
    }
  }
  let policy = args.policy ?? (isBuiltinPolicyId(args.policyName) ? parsePolicy(builtinPolicySource(args.policyName)) : undefined);
  let options: TimelineOptions = {};

  if (args.ledger !== undefined && args.account !== undefined) {
    let found: AccountSnapshot | undefined;
    const ledger = await openLedgerArg(args.ledger, { readonly: true });
    try {
      for await (const entry of ledger.accounts()) {
        if (entry.ok && entry.account.id === args.account) {
          found = entry.account;
          break;
        }
      }
    } finally {
      await ledger.close();
    }
    if (!found) {
      err(`account ${args.account} not found in ${args.ledger}`);
      return 1;
    }
    const normalized = normalizeAccount(found);
    if (!normalized.ok) {
      err(formatAccountIssues(normalized.accountId, normalized.issues));
      return 1;
    }
    const scheduler = schedulerPicker(policy)(found.segment);
    policy = scheduler.policy;
    const asOf = args.asOf ?? DateTime.now().setZone(policy.timeZone).toISODate()!;
    const to = formatCivilDate(civilDate(asOf) + 400);
    options = { forecast: scheduler.forecast(normalized.account, asOf, to), account: found, from: asOf };
  } else {
    if (!policy) {
      err(`property-dunning: timeline: unknown policy ${JSON.stringify(args.policyName)}`);
      return 2;
    }
    if (args.asOf !== undefined) options = { from: args.asOf };
  }
  if (!policy) return 2;
  const text = ext === ".svg" ? renderTimelineSvg(policy, options) : renderTimelineHtml(policy, options);
  await mkdir(dirname(args.out), { recursive: true });
  await writeFile(args.out, text);
  io.out(`timeline written to ${args.out}\n`);
  return 0;
}
