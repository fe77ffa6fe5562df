/**
 * `property-dunning report`: the ledger's statistics on a day (collection rate, arrears aging,
 * stages, holds, debts near their limitation date). Exit 0, or 3 when some accounts were skipped
 * (listed on stderr), as `plan` does.
 */
import { openLedger } from "../adapters/open.js";
import type { Policy } from "../rules/schema.js";
import { buildReport } from "../reports/report.js";
import { formatReport, type ReportFormat } from "../reports/format.js";

export interface ReportArgs {
  ledger: string;
  asOf: string;
  format: ReportFormat;
  policy?: Policy;
  /** Default: the calendar month of `asOf`. */
  period?: { from: string; to: string };
  /** Default 180. */
  limitationWithinDays?: number;
}

export async function reportCommand(args: ReportArgs, io: { out(s: string): unknown; err(s: string): unknown }): Promise<number> {
  const ledger = await openLedger(args.ledger, { readonly: true });
  let report;
  try {
    report = await buildReport(ledger, {
      asOf: args.asOf,
      ...(args.period ? { period: args.period } : {}),
      ...(args.policy ? { policy: args.policy } : {}),
      ...(args.limitationWithinDays !== undefined ? { limitationWithinDays: args.limitationWithinDays } : {}),
    });
  } finally {
    await ledger.close();
  }
  for (const s of report.skipped) io.err(`skipped ${s.reason.includes(s.accountId) ? s.reason : `${s.accountId}: ${s.reason}`}\n`);
  io.out(formatReport(report, args.format));
  return report.skipped.length > 0 ? 3 : 0;
}
