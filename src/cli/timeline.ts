/**
 * `property-dunning timeline [--policy X] [--ledger L --account ID] [--as-of D] --out file.html|file.svg`:
 * the policy's ladder on a time axis, or one account's forecast with amounts and holds.
 */
import { extname } from "node:path";
import { findAccount, forecastEnd, today, UsageError, writeOut, type CliIo } from "./common.js";
import { estateSchedulerPicker, segmentOf } from "../ledger/plan.js";
import { accountIssuesText } from "../text/index.js";
import { builtinPolicySource } from "../rules/builtins.js";
import { parsePolicy } from "../rules/parse.js";
import type { Policy } from "../rules/schema.js";
import { renderTimelineHtml } from "../timeline/html.js";
import type { TimelineOptions } from "../timeline/model.js";
import { renderTimelineSvg } from "../timeline/svg.js";
import { segmentsSeen, type PolicyArg } from "./policy-arg.js";

export interface TimelineArgs {
  /** `--policy`: without an account the one policy given is drawn (default the residential built-in); an account follows its estate's and segment's, as in `plan` (default its segment's built-in). */
  policy?: PolicyArg;
  ledger?: string;
  account?: string;
  /** Forecast start for an account (default: today in the policy's zone); checked by the caller. */
  asOf?: string;
  out: string;
}

/** Exit codes: 0 written, 1 account not found or invalid; usage errors throw `UsageError` (2; main names the command). */
export async function timelineCommand(args: TimelineArgs, io: CliIo): Promise<number> {
  const ext = extname(args.out).toLowerCase();
  if (ext !== ".svg" && ext !== ".html" && ext !== ".htm") throw new UsageError(`--out must end in .html or .svg (got ${JSON.stringify(args.out)})`);
  if ((args.account === undefined) !== (args.ledger === undefined)) throw new UsageError("--ledger and --account go together");
  let policy: Policy;
  let options: TimelineOptions = {};
  if (args.ledger !== undefined && args.account !== undefined) {
    const found = await findAccount(args.ledger, args.account);
    if ("error" in found) {
      io.err(`${found.error}\n`);
      return 1;
    }
    const segment = segmentOf(found.snapshot.segment);
    const uncovered = segmentsSeen(args.policy, [segment]);
    if (uncovered) io.err(`${uncovered}\n`);
    // The account's estate and segment choose its policy, as in `plan` (--policy <estate>/<segment>=<file>).
    const scheduler = estateSchedulerPicker(args.policy?.choice, args.policy?.estates)(segment, found.snapshot.estate);
    if (!("forecast" in scheduler)) {
      io.err(`${accountIssuesText(args.account, [scheduler])}\n`);
      return 1;
    }
    policy = scheduler.policy;
    const asOf = args.asOf ?? today(policy.timeZone);
    options = { forecast: scheduler.forecast(found.account, asOf, forecastEnd(asOf)), account: found.snapshot, from: asOf };
  } else {
    if (args.policy?.estates) throw new UsageError("--policy: a policy per estate is for an account (--ledger <ledger> --account <id>); without one, give one policy to draw");
    if (args.policy && !args.policy.single && Object.keys(args.policy.choice).length > 1) throw new UsageError("--policy: without --account, give one policy to draw");
    policy = args.policy?.first ?? parsePolicy(builtinPolicySource("residential"));
    if (args.asOf !== undefined) options = { from: args.asOf };
  }
  await writeOut(args.out, ext === ".svg" ? renderTimelineSvg(policy, options) : renderTimelineHtml(policy, options));
  io.out(`timeline written to ${args.out}\n`);
  return 0;
}
