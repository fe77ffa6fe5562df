/**
 * `property-dunning report`: the ledger's statistics on a day (collection rate, arrears aging,
 * stages, holds, debts near their limitation date). Exit 0, or 3 when some accounts were skipped
 * (listed on stderr), as `plan` does.
 */
import type { Policy } from "../rules/schema.js";
import { buildReport } from "../reports/report.js";
import { formatReport, type ReportFormat } from "../reports/format.js";
import { openLedgerArg, skippedLine, type CliIo } from "./common.js";

export interface ReportArgs {
  ledger: string;
  asOf: string;
  format: ReportFormat;
  policy?: Policy;
}

export async function reportCommand(args: ReportArgs, io: CliIo): Promise<number> {
  const ledger = await openLedgerArg(args.ledger, { readonly: true });
  let report;
  try {
    report = await buildReport(ledger, { asOf: args.asOf, ...(args.policy ? { policy: args.policy } : {}) });
  } finally {
    await ledger.close();
  }
  for (const s of report.skipped) io.err(`${skippedLine(s.accountId, s.issues)}\n`);
  io.out(formatReport(report, args.format));
  return report.skipped.length > 0 ? 3 : 0;
}
