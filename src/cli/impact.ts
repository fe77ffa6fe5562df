/**
 * `property-dunning impact`: what a new policy version does to the next days of every account of
 * a ledger, before the estate signs it (src/reports/impact.ts does the comparing). Accounts of a
 * segment neither policy is written for are left out and said so; an account that cannot be
 * compared is named on stderr with its issues (exit 3).
 */
import { impactCollector, DEFAULT_IMPACT_DAYS, type AccountImpact, type PolicyImpact } from "../reports/impact.js";
import { segmentOf } from "../ledger/plan.js";
import { jsonText, table } from "../text/index.js";
import { checkDate, loadPolicy, openLedgerArg, skippedLine, UsageError, type CliIo } from "./common.js";
import { lines, str, type Values } from "./commands.js";

export async function impactCommand(values: Values, format: string, io: CliIo): Promise<number> {
  const { line, errLine } = lines(io);
  const asOf = checkDate("--as-of", str(values, "as-of"))!;
  const daysText = str(values, "days");
  if (daysText !== undefined && !/^\d+$/.test(daysText)) throw new UsageError(`--days: must be a whole number of days (got ${JSON.stringify(daysText)})`);
  const days = daysText === undefined ? DEFAULT_IMPACT_DAYS : Number(daysText);
  if (days < 1 || days > 3660) throw new UsageError(`--days: must be 1 to 3660 (got ${days})`);
  const from = (await loadPolicy(str(values, "from")))!;
  const to = (await loadPolicy(str(values, "to")))!;
  if (to.continues?.version !== undefined && to.continues.version !== from.version)
    errLine(`property-dunning: ${to.id} ${to.version} continues ${to.continues.version}, but --from is ${from.id} ${from.version}: its "continues" may not name the stages of --from`);
  const segment = to.segment ?? from.segment;
  const collector = impactCollector(from, to, { asOf, days });
  const ledger = await openLedgerArg(str(values, "ledger")!, { readonly: true });
  let skipped = 0;
  let outside = 0;
  try {
    for await (const entry of ledger.accounts()) {
      if (!entry.ok) {
        errLine(skippedLine(entry.accountId, entry.issues));
        skipped++;
        continue;
      }
      if (segment !== undefined && segmentOf(entry.account.segment) !== segment) {
        outside++;
        continue;
      }
      const r = collector.add(entry.account);
      if (!r.ok) {
        errLine(skippedLine(r.accountId, r.issues));
        skipped++;
      }
    }
  } finally {
    await ledger.close();
  }
  if (outside > 0) errLine(`property-dunning: ${outside} account${outside === 1 ? "" : "s"} of another segment left out: the policies are written for ${segment} units`);
  const result = collector.result();
  line(format === "json" ? jsonText(result, 2) : impactText(result));
  return skipped > 0 ? 3 : 0;
}

/** The changes account by account (a row per stage instance), then the totals. */
export function impactText(r: PolicyImpact): string {
  const head = `${r.to.id} ${r.to.version} instead of ${r.from.id} ${r.from.version}, ${r.asOf} to ${r.through} (${r.days} days)`;
  const t = r.totals;
  const totals = `Totals: ${t.accounts} account${t.accounts === 1 ? "" : "s"} compared, ${t.changed} changed; ${t.added} added, ${t.removed} removed, ${t.moved} moved, ${t.unchanged} unchanged${t.skipped > 0 ? `; ${t.skipped} skipped (see stderr)` : ""}`;
  if (r.accounts.length === 0) return `${head}\n\nNothing changes.\n\n${totals}`;
  const rows = r.accounts.flatMap(rowsOf);
  return `${head}\n\n${table(["account", "change", "stage", "kind", "was", "now"], rows)}\n\n${totals}`;
}

function rowsOf(a: AccountImpact): string[][] {
  const rows: { on: string; cells: string[] }[] = [
    ...a.removed.map((x) => ({ on: x.on, cells: [a.accountId, "removed", x.stage, x.kind, x.on, ""] })),
    ...a.added.map((x) => ({ on: x.on, cells: [a.accountId, "added", x.stage, x.kind, "", x.on] })),
    ...a.moved.map((x) => ({ on: x.from < x.to ? x.from : x.to, cells: [a.accountId, "moved", x.formerly ? `${x.stage} (was ${x.formerly})` : x.stage, x.kind, x.from, x.to] })),
  ];
  return rows.sort((x, y) => (x.on < y.on ? -1 : x.on > y.on ? 1 : 0)).map((r) => r.cells);
}
