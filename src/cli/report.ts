/**
 * `property-dunning report`: the ledger's statistics on a day (collection rate, arrears aging,
 * stages, holds, debts near their limitation date). Exit 0, or 3 when some accounts were skipped
 * (listed on stderr), as `plan` does.
 */
import { buildReport } from "../reports/report.js";
import { formatReport, type ReportFormat } from "../reports/format.js";
import { openLedgerArg, skippedLine, type CliIo } from "./common.js";
import { segmentsSeen, type PolicyArg } from "./policy-arg.js";

export interface ReportArgs {
  ledger: string;
  asOf: string;
  format: ReportFormat;
  policy?: PolicyArg;
}

export async function reportCommand(args: ReportArgs, io: CliIo): Promise<number> {
  const ledger = await openLedgerArg(args.ledger, { readonly: true });
  let report;
  try {
    report = await buildReport(ledger, { asOf: args.asOf, ...(args.policy ? { policy: args.policy.choice } : {}) });
  } finally {
    await ledger.close();
  }
  // Every account read is counted under its segment, with or without charges in the period.
  const uncovered = segmentsSeen(args.policy, report.collection.bySegment.map((s) => s.segment));
  for (const s of report.skipped) io.err(`${skippedLine(s.accountId, s.issues)}\n`);
  if (uncovered) io.err(`${uncovered}\n`);
  io.out(formatReport(report, args.format));
  return report.skipped.length > 0 ? 3 : 0;
}
