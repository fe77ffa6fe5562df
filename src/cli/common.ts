/** What every command shares: its I/O, its two failure kinds, and reading its arguments. */
import { existsSync, readFileSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { DateTime } from "luxon";
import { openLedger } from "../adapters/open.js";
import { checkSnapshot } from "../ledger/plan.js";
import type { LedgerAdapter } from "../ledger/adapter.js";
import { builtinPolicySource, isBuiltinPolicyId } from "../rules/builtins.js";
import { formatIssues, PropertyDunningError, type Issue } from "../rules/errors.js";
import { formatJsonSyntaxError, jsonSyntaxError } from "../rules/json-syntax.js";
import { safeParsePolicy } from "../rules/parse.js";
import type { Policy } from "../rules/schema.js";
import type { Account, AccountSnapshot } from "../ledger/account.js";
import { civilDate, daysInMonth, formatCivilDate } from "../schedule/time/civil-date.js";
import { accountIssuesText, terminalIssues, terminalText } from "../text/index.js";
import type { ProgressStream } from "./progress.js";
import { messages } from "./messages.js";
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
  /** The environment the language is read from (LC_ALL, LC_MESSAGES, LANG). Default: none, so English unless --lang. */
  env?: Readonly<Record<string, string | undefined>>;
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

/**
 * Exit 1 (`invalid_input`): an input file that is not there or cannot be read. `file not found:
 * <path>` rather than a raw ENOENT: what a person checks first is the path they typed.
 */
export class UnreadableFile extends PropertyDunningError {
  constructor(
    readonly file: string,
    reason: string,
  ) {
    super("invalid_input", reason === "ENOENT" ? messages().fileNotFound(file) : `cannot read ${file}: ${READ_FAILURES[reason] ?? reason}`, { path: file });
    this.name = "UnreadableFile";
  }
}

const READ_FAILURES: Readonly<Record<string, string>> = {
  EACCES: "permission denied",
  EISDIR: "it is a folder, not a file",
  ENOTDIR: "a part of the path is not a folder",
};

/** A file's text; one that is missing or cannot be read is an {@link UnreadableFile} naming it. */
export async function readText(path: string): Promise<string> {
  return readFile(path, "utf8").catch((error: NodeJS.ErrnoException) => {
    throw new UnreadableFile(path, error.code ?? error.message);
  });
}

/** A JSON file's value; text that is not JSON is invalid input naming the line and column. */
export async function readJson(path: string, what = "policy"): Promise<unknown> {
  const text = await readText(path);
  try {
    return JSON.parse(text);
  } catch (error) {
    const syntax = jsonSyntaxError(text);
    throw new InvalidInput(path, `  not JSON: ${syntax ? formatJsonSyntaxError(syntax) : (error as Error).message}`, what);
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

/** `--ledger`: a spec `openLedger` does not know is a usage error, not a crash; a file ledger that is not there is "file not found". */
export async function openLedgerArg(spec: string, options: { readonly?: boolean } = {}): Promise<LedgerAdapter> {
  try {
    return await openLedger(spec, options);
  } catch (error) {
    const file = spec.replace(/^sqlite:/, "");
    if ((error as { code?: string }).code === "cannot_open" && !/^postgres(ql)?:\/\//.test(spec) && options.readonly && !existsSync(file)) throw new UnreadableFile(file, "ENOENT");
    throw new UsageError(`--ledger: ${(error as Error).message}`);
  }
}

/**
 * The installed package's version (`--version`): read from the package.json above this module,
 * wherever it runs from (dist/ of an installed package, or src/ in a clone).
 */
export function packageVersion(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const file = join(dir, "package.json");
    if (existsSync(file)) {
      const manifest = JSON.parse(readFileSync(file, "utf8")) as { name?: string; version?: string };
      if (manifest.name === "property-dunning" && manifest.version) return manifest.version;
    }
    const up = dirname(dir);
    if (up === dir) return "unknown";
    dir = up;
  }
}

export function today(zone = "Asia/Shanghai"): string {
  return DateTime.now().setZone(zone).toISODate()!;
}

/** Where an account's forecast ends unless told (`explain --to`; `timeline --account` always): 400 days on. */
export function forecastEnd(asOf: string): string {
  return formatCivilDate(civilDate(asOf) + 400);
}

/** A date option's value, checked: a malformed one and a day the calendar does not have are told apart. */
export function checkDate(flag: string, value: string | undefined): string | undefined {
  if (value !== undefined) {
    try {
      civilDate(value);
    } catch {
      throw new UsageError(`${flag}: ${dateProblem(value)}${messages().got(JSON.stringify(value))}`);
    }
  }
  return value;
}

/** Why `value` is not a civil date: its form, or a month or day the calendar does not have (in the run's language). */
export function dateProblem(value: string): string {
  const m = messages();
  const ymd = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!ymd) return m.malformedDate;
  const [year, month, day] = [Number(ymd[1]), Number(ymd[2]), Number(ymd[3])];
  if (month < 1 || month > 12) return m.noSuchMonth(month);
  const length = daysInMonth(year, month);
  if (day < 1 || day > length) return m.noSuchDay(year, month, length);
  return m.malformedDate;
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
