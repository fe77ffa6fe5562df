/**
 * `property-dunning report`: the ledger's statistics on a day (collection rate, by month against
 * a target, arrears aging, stages in ladder order, holds, debts near their limitation date) as
 * tables, JSON, one CSV table (`--section`) or one CSV file per section (`--out-dir`), or one
 * HTML page. Exit 0, or 3 when some accounts were skipped (listed on stderr).
 */
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { buildReport } from "../reports/report.js";
import { formatReport, reportCsvFiles, type ReportFormat } from "../reports/format.js";
import { REPORT_LANGS, type ReportLang } from "../reports/locale.js";
import { SECTION_NAMES, type SectionName } from "../reports/sections.js";
import { openLedgerArg, skippedLine, UsageError, type CliIo } from "./common.js";
import { segmentsSeen, type PolicyArg } from "./policy-arg.js";

/** The parsed options (as commands.ts's `Values`). */
type Values = Readonly<Record<string, string | boolean | string[] | undefined>>;

export interface ReportArgs {
  ledger: string;
  asOf: string;
  format: ReportFormat;
  policy?: PolicyArg;
  /** CSV: the one section to write to stdout. */
  section?: SectionName;
  /** CSV: write every section to `<outDir>/<section>.csv` (with a BOM), nothing to stdout but their names. */
  outDir?: string;
  /** CSV on stdout: begin with a UTF-8 byte order mark. */
  bom?: boolean;
  lang?: ReportLang;
  /** The collection rate aimed at, in percent. */
  targetPercent?: number;
}

const oneOf = <T extends string>(flag: string, value: string, allowed: readonly T[]): T => {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`${flag}: must be ${allowed.join(", ").replace(/, ([^,]*)$/, " or $1")} (got ${JSON.stringify(value)})`);
};

/**
 * The report's own options, checked: a CSV is one table, so `--format csv` on stdout needs
 * `--section`; `--out-dir` writes CSV files (and is the CSV format when no `--format` is given).
 */
export function reportOptions(values: Values, formatGiven: string | undefined): Pick<ReportArgs, "format" | "section" | "outDir" | "bom" | "lang" | "targetPercent"> {
  const text = (name: string) => (typeof values[name] === "string" ? (values[name] as string) : undefined);
  const outDir = text("out-dir");
  const format = (formatGiven ?? (outDir !== undefined ? "csv" : "table")) as ReportFormat;
  const sectionText = text("section");
  const section = sectionText === undefined ? undefined : oneOf("--section", sectionText, SECTION_NAMES);
  if (outDir !== undefined && format !== "csv") throw new UsageError(`--out-dir writes CSV files (got --format ${format})`);
  if (outDir !== undefined && section !== undefined) throw new UsageError("--out-dir writes every section; --section prints one to stdout: give one of them");
  if (format === "csv" && outDir === undefined && section === undefined)
    throw new UsageError(`--format csv: a CSV holds one table: name it with --section (${SECTION_NAMES.join(", ")}) or write each to a file with --out-dir <dir>`);
  if (section !== undefined && format !== "csv" && format !== "table") throw new UsageError(`--section: for --format csv or table (got --format ${format})`);
  if (values.bom === true && (format !== "csv" || outDir !== undefined)) throw new UsageError("--bom: for CSV on stdout (files in --out-dir always begin with one)");
  const langText = text("lang");
  const target = text("target");
  if (target !== undefined && !(/^\d{1,3}(\.\d{1,2})?$/.test(target) && Number(target) <= 100)) throw new UsageError(`--target: a percentage from 0 to 100, at most two decimals (got ${JSON.stringify(target)})`);
  return {
    format,
    ...(section !== undefined ? { section } : {}),
    ...(outDir !== undefined ? { outDir } : {}),
    ...(values.bom === true ? { bom: true } : {}),
    ...(langText !== undefined ? { lang: oneOf("--lang", langText, REPORT_LANGS) } : {}),
    ...(target !== undefined ? { targetPercent: Number(target) } : {}),
  };
}

export async function reportCommand(args: ReportArgs, io: CliIo): Promise<number> {
  const ledger = await openLedgerArg(args.ledger, { readonly: true });
  let report;
  try {
    report = await buildReport(ledger, { asOf: args.asOf, ...(args.policy ? { policy: args.policy.choice } : {}), ...(args.policy?.estates ? { estates: args.policy.estates } : {}), ...(args.targetPercent !== undefined ? { targetPercent: args.targetPercent } : {}) });
  } finally {
    await ledger.close();
  }
  // Every account read is counted under its segment, with or without charges in the period.
  const uncovered = segmentsSeen(args.policy, report.collection.bySegment.map((s) => s.segment));
  for (const s of report.skipped) io.err(`${skippedLine(s.accountId, s.issues)}\n`);
  if (uncovered) io.err(`${uncovered}\n`);
  const lang = args.lang ?? "en";
  if (args.outDir !== undefined) {
    // Files in a folder are for opening in a spreadsheet: each begins with a BOM (docs/cli.md, "report").
    await mkdir(args.outDir, { recursive: true });
    for (const f of reportCsvFiles(report, { lang, bom: true })) {
      const path = join(args.outDir, f.name);
      await writeFile(path, f.text, "utf8");
      io.out(`${path}\n`);
    }
  } else io.out(formatReport(report, args.format, { lang, ...(args.section ? { section: args.section } : {}), ...(args.bom ? { bom: true } : {}) }));
  return report.skipped.length > 0 ? 3 : 0;
}
