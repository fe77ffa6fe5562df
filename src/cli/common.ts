/** What every command shares: its I/O, its two failure kinds, and reading its arguments. */
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { DateTime } from "luxon";
import { openLedger } from "../adapters/open.js";
import { checkSnapshot } from "../ledger/plan.js";
import type { LedgerAdapter } from "../ledger/adapter.js";
import { builtinPolicySource, isBuiltinPolicyId } from "../rules/builtins.js";
import { formatIssues, PropertyDunningError, type Issue } from "../rules/errors.js";
import { safeParsePolicy } from "../rules/parse.js";
import type { Policy } from "../rules/schema.js";
import type { Account, AccountSnapshot } from "../ledger/account.js";
import { civilDate, formatCivilDate } from "../schedule/time/civil-date.js";
import { accountIssuesText, terminalIssues, terminalText } from "../text/index.js";
import type { ProgressStream } from "./progress.js";
import { style, type Style } from "./style.js";

export interface CliIo {
  /** Writes to stdout; `false` (as a stream's `write` returns) means "wait for `outDrained` before writing more". */
  out: (text: string) => unknown;
  /** Resolves when stdout has written what it queued (a pipe whose reader is slower than the plan). Default: never waits. */
  outDrained?: () => Promise<void>;
  err: (text: string) => unknown;
  /** Colour stdout / stderr (the process decides from its streams and NO_COLOR, FORCE_COLOR). Default: no colour. */
  color?: { out: boolean; err: boolean };
  /** Where the progress line of a long plan goes (a terminal only). Default: none. */
  progress?: ProgressStream;
}

export function stylesOf(io: CliIo): { out: Style; err: Style } {
  return { out: style(io.color?.out), err: style(io.color?.err) };
}

/** Exit 2 (`usage`): the command line is wrong. The message says what to change. */
export class UsageError extends PropertyDunningError {
  constructor(message: string) {
    super("usage", message);
    this.name = "UsageError";
  }
}

/** Exit 1 (`invalid_input`): an input file is not what it should be; `path` is the file. */
export class InvalidInput extends PropertyDunningError {
  constructor(
    readonly file: string,
    readonly details: string,
    what = "policy",
  ) {
    super("invalid_input", `${file}: invalid ${what}\n${details}`, { path: file });
    this.name = "InvalidInput";
  }
}

/** A file's text; one that cannot be read is a usage error naming it. */
export async function readText(path: string): Promise<string> {
  return readFile(path, "utf8").catch((error: NodeJS.ErrnoException) => {
    throw new UsageError(`cannot read ${path}: ${error.code ?? error.message}`);
  });
}

export async function readJson(path: string, what = "policy"): Promise<unknown> {
  const text = await readText(path);
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new InvalidInput(path, `  not JSON: ${(error as Error).message}`, what);
  }
}

/** `--policy`: a built-in's id or a file; undefined when not given. */
export async function loadPolicy(spec: string | undefined): Promise<Policy | undefined> {
  if (spec === undefined) return undefined;
  // A file goes to safeParsePolicy as text, so that a number too large for a double is named by
  // its own digits (`1e400`), not by what JSON.parse made of it.
  const source = isBuiltinPolicyId(spec) ? builtinPolicySource(spec) : await readText(spec);
  const result = safeParsePolicy(source);
  if (!result.ok) throw new InvalidInput(spec, formatIssues(terminalIssues(result.issues), "  "));
  return result.value;
}

/** `--ledger`: a spec `openLedger` does not know is a usage error, not a crash. */
export async function openLedgerArg(spec: string, options: { readonly?: boolean } = {}): Promise<LedgerAdapter> {
  try {
    return await openLedger(spec, options);
  } catch (error) {
    throw new UsageError(`--ledger: ${(error as Error).message}`);
  }
}

export function today(zone = "Asia/Shanghai"): string {
  return DateTime.now().setZone(zone).toISODate()!;
}

/** Where an account's forecast ends unless told (`explain --to`; `timeline --account` always): 400 days on. */
export function forecastEnd(asOf: string): string {
  return formatCivilDate(civilDate(asOf) + 400);
}

export function checkDate(flag: string, value: string | undefined): string | undefined {
  if (value !== undefined) {
    try {
      civilDate(value);
    } catch {
      throw new UsageError(`${flag}: must be a date YYYY-MM-DD (got ${JSON.stringify(value)})`);
    }
  }
  return value;
}

/** `--out`: a file that cannot be written is a usage error naming it as such (not as a file that cannot be read). */
export async function writeOut(path: string, text: string): Promise<void> {
  try {
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, text);
  } catch (error) {
    throw new UsageError(`cannot write ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}

/** A skipped account's line on stderr (a line more per further issue), its ledger text escaped. */
export function skippedLine(accountId: string, issues: readonly Issue[]): string {
  return `skipped ${accountIssuesText(accountId, issues)}`;
}

/**
 * `--ledger L --account ID`: the account as the ledger holds it and normalised, or why not (the
 * caller prints it and exits 1): not in the ledger, or malformed (its fields named).
 */
export async function findAccount(ledgerSpec: string, accountId: string): Promise<{ snapshot: AccountSnapshot; account: Account } | { error: string }> {
  const ledger = await openLedgerArg(ledgerSpec, { readonly: true });
  try {
    for await (const entry of ledger.accounts()) {
      if (!entry.ok || entry.account.id !== accountId) continue;
      const checked = checkSnapshot(entry.account);
      return checked.ok ? { snapshot: entry.account, account: checked.account } : { error: accountIssuesText(checked.accountId, checked.issues) };
    }
  } finally {
    await ledger.close();
  }
  return { error: terminalText(`account ${accountId} not found in ${ledgerSpec}`) };
}
