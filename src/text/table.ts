/**
 * Plain-text tables for people (the CLI, the report, verify): columns padded to their widest cell,
 * CJK characters two columns wide, every cell escaped for a terminal so that no ledger text can
 * break its row; and an account's issues on one line.
 */
import type { Issue } from "../rules/errors.js";
import { formatAccountIssues } from "../ledger/account.js";
import { terminalText } from "./safe-text.js";

/** Display width: CJK characters take two columns. */
function width(text: string): number {
  let w = 0;
  for (const ch of text) w += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(ch) ? 2 : 1;
  return w;
}

/** Columns padded to their widest cell; every cell escaped (`terminalText`), so that none can break its row. */
export function table(header: string[], cells: string[][], alignRight: ReadonlySet<number> = new Set()): string {
  const rows = cells.map((r) => r.map(terminalText));
  const widths = header.map((h, i) => Math.max(width(h), ...rows.map((r) => width(r[i] ?? ""))));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => {
        const pad = " ".repeat(widths[i]! - width(c));
        return alignRight.has(i) ? pad + c : c + pad;
      })
      .join("  ")
      .trimEnd();
  return [line(header), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n");
}

/**
 * An account's issues for a terminal, one line each (`formatAccountIssues`): the id, paths and
 * messages escaped, so that a line feed in an id cannot start a line of its own.
 */
export function accountIssuesText(accountId: string, issues: readonly Issue[]): string {
  const id = terminalText(accountId);
  return issues.length === 0 ? id : formatAccountIssues(id, terminalIssues(issues));
}

/** Issues with their paths and messages escaped for a terminal (a policy's or a ledger's text may be quoted in them). */
export function terminalIssues(issues: readonly Issue[]): Issue[] {
  return issues.map((i) => ({ ...i, path: terminalText(i.path), message: terminalText(i.message) }));
}

