/**
 * What each command accepts and how it is explained to people: one table that both the argument
 * parser and `--help` read, so that a command cannot accept an option its help does not name.
 * docs/cli.md repeats it for the web; tests/cli-help.test.ts fails when the two drift.
 */
import type { ParseArgsConfig } from "node:util";
import { RUN_SPEC, WORKER_SPEC } from "./jobs-help.js";
import { IMPACT_SPEC } from "./impact-help.js";
import { messages } from "./messages.js";
import { PLAIN, type Style } from "./style.js";

export type CommandName = "validate" | "plan" | "explain" | "record" | "verify" | "timeline" | "report" | "demo" | "worker" | "run" | "impact" | "studio";

export interface OptionSpec {
  /** Long name without the dashes. */
  name: string;
  /** Placeholder for the value; absent for a flag. */
  value?: string;
  short?: string;
  /** The command refuses to run without it (a usage error naming it); the help says "(required)". */
  required?: boolean;
  /** May be given more than once (its values arrive as a list). */
  multiple?: boolean;
  description: string;
}

export interface CommandSpec {
  name: CommandName;
  summary: string;
  usage: string;
  /** What the positional argument is, when the command takes one. */
  positional?: string;
  options: readonly OptionSpec[];
  examples: readonly { command: string; note: string }[];
  exitCodes: readonly (readonly [number, string])[];
  notes?: readonly string[];
}

/** The exit codes of every command, in one place. */
export const EXIT_CODES: readonly (readonly [number, string])[] = [
  [0, "done"],
  [1, "invalid input: a file that is not found or cannot be read, a policy that does not validate, an account that is not in the ledger or is malformed, or (verify) a broken invariant"],
  [2, "usage error: unknown command or option, a missing or malformed argument"],
  [3, "planned, but some accounts were skipped (each named on stderr with the reason)"],
  [70, "internal error (a bug: please report it with the stack trace printed on stderr)"],
  [141, "the reader of stdout or stderr went away (a pipe into head, say): the rest of the output is dropped quietly, as for a command killed by SIGPIPE"],
];

const code = (n: number, meaning?: string) => [n, meaning ?? EXIT_CODES.find(([c]) => c === n)![1]] as const;

const HELP_OPTION: OptionSpec = { name: "help", short: "h", description: "print this help and exit" };
const LEDGER: OptionSpec = { name: "ledger", value: "<ledger>", description: "a JSON file ({ \"accounts\": [...] }), a JSON Lines file (*.jsonl), sqlite:<path> or postgres://…" };
const POLICY: OptionSpec = {
  name: "policy",
  value: "<[segment=]file|residential|commercial|relative>",
  multiple: true,
  description:
    "a policy file or a built-in, for the segment it declares (accounts of the other segment follow their built-in, said once on stderr); or one per segment, repeated: --policy residential=<file> --policy commercial=<file>. Without it each account follows the built-in of its segment",
};
const AS_OF: OptionSpec = { name: "as-of", value: "YYYY-MM-DD", description: "the day to plan for (default: today in the policy's time zone, Asia/Shanghai for the built-ins)" };
const TEXT_OR_JSON: OptionSpec = { name: "format", value: "table|json", description: "a table for people (default) or JSON for programs" };

export const COMMANDS: Readonly<Record<CommandName, CommandSpec>> = {
  validate: {
    name: "validate",
    summary: "check a policy file and list its stages",
    usage: "property-dunning validate <policy.json>",
    positional: "<policy.json>",
    options: [HELP_OPTION],
    examples: [
      { command: "property-dunning validate examples/green-garden.json", note: "an estate's policy that extends the residential built-in" },
      { command: "property-dunning validate policies/commercial.json", note: "a built-in, as shipped" },
    ],
    exitCodes: [code(0, "the policy is valid (its stages are listed on stdout)"), code(1, "invalid: every problem is printed on stderr with its path"), code(2)],
  },
  plan: {
    name: "plan",
    summary: "list the actions due on a day for every account of a ledger",
    usage: "property-dunning plan --ledger <ledger> [--policy …] [--as-of YYYY-MM-DD] [--format table|json|jsonl] [--out actions.json]",
    options: [
      { ...LEDGER, required: true },
      { ...POLICY, value: "<[estate/][segment=]file|residential|commercial|relative>", description: `${POLICY.description}. In a ledger of several estates (the accounts' estate), one per estate and segment: --policy <estate>/<segment>=<file>, repeated; the segment's own --policy is then the fallback, and an account of an estate with neither is reported` },
      AS_OF,
      {
        name: "format",
        value: "table|json|jsonl",
        description: "a table for people (default: the first 1,000 actions and counts by kind and channel), a JSON array, or JSON Lines (one action a line); JSON is written as the plan goes",
      },
      { name: "out", value: "<actions.json>", description: "also write the actions to this file, as JSON (JSON Lines with --format jsonl); with --format json or jsonl, nothing is printed" },
      HELP_OPTION,
    ],
    examples: [
      { command: "property-dunning plan --ledger examples/ledger.json --as-of 2026-04-25", note: "a table of the actions due, and counts by kind and channel" },
      { command: "property-dunning plan --ledger examples/ledger.json --as-of 2026-04-25 --format json", note: "the same actions as JSON, with their reasons" },
      { command: "property-dunning plan --ledger examples/ledger.json --as-of 2026-04-25 --format jsonl", note: "one action a line, for a job that reads line by line" },
      {
        command: "property-dunning plan --ledger examples/ledger.json --as-of 2026-03-25 --policy residential=examples/green-garden.json --policy commercial=commercial",
        note: "an estate's policy for the flats, the commercial built-in for the shops",
      },
    ],
    exitCodes: [code(0), code(1, "a --policy file or the ledger file is not found or invalid (not JSON)"), code(2), code(3)],
    notes: [
      "On a terminal, a progress line on stderr shows the accounts planned, of how many (SQLite ledgers), the rate and the time left, four times a second; it is never written to a pipe or a file.",
      "Actions are written as they are planned, so memory does not grow with their number; --out is written under a temporary name and renamed when complete.",
    ],
  },
  explain: {
    name: "explain",
    summary: "one account: its late fees, what is due now and why, and the forecast if nothing more is paid",
    usage: "property-dunning explain --ledger <ledger> --account <id> [--policy …] [--as-of YYYY-MM-DD] [--to YYYY-MM-DD] [--format table|json]",
    options: [
      { ...LEDGER, required: true },
      { name: "account", value: "<id>", required: true, description: "the account's id" },
      { ...POLICY, value: "<[estate/][segment=]file|residential|commercial|relative>", description: `${POLICY.description}. As for plan, one per estate and segment: --policy <estate>/<segment>=<file>, repeated; the account's estate and segment choose (an account of an estate with no policy given: exit 1)` },
      AS_OF,
      { name: "to", value: "YYYY-MM-DD", description: "the end of the forecast (default: 400 days after --as-of)" },
      TEXT_OR_JSON,
      HELP_OPTION,
    ],
    examples: [
      { command: "property-dunning explain --ledger examples/ledger.json --account A-1201 --as-of 2026-04-25", note: "why A-1201 gets a final notice today, and what follows" },
      { command: "property-dunning explain --ledger examples/ledger.json --account A-1201 --as-of 2026-02-01 --policy examples/green-garden.json --to 2026-04-30", note: "the same account under an estate's policy" },
    ],
    exitCodes: [code(0), code(1, "the account is not in the ledger, is malformed, or the --policy file is invalid"), code(2)],
  },
  record: {
    name: "record",
    summary: "record actions carried out, so that they are not planned again",
    usage: "property-dunning record --ledger <ledger> --actions <actions.json> [--on YYYY-MM-DD]",
    options: [
      { ...LEDGER, required: true, description: `${LEDGER.description}; a JSON Lines ledger records into <path>.actions.jsonl` },
      { name: "actions", value: "<actions.json>", required: true, description: "a JSON array of planned actions, as written by plan --out" },
      { name: "on", value: "YYYY-MM-DD", description: "the day they were carried out (default: each action's planned day)" },
      HELP_OPTION,
    ],
    examples: [
      { command: "property-dunning record --ledger sqlite:demo/estate.db --actions out/actions.json", note: "record today's plan as carried out" },
      { command: "property-dunning record --ledger sqlite:demo/estate.db --actions out/actions.json --on 2026-11-24", note: "carried out a day late" },
    ],
    exitCodes: [code(0, "recorded (actions already recorded are counted, not repeated)"), code(1, "the actions file is not JSON, or an action is malformed or names an unknown account: each place named, nothing stored"), code(2)],
  },
  verify: {
    name: "verify",
    summary: "run the fairness and escalation invariants (property tests) against a policy",
    usage: "property-dunning verify <policy.json|residential|commercial|relative> [--runs N] [--seed S]",
    positional: "<policy.json|residential|commercial|relative>",
    options: [
      { name: "runs", value: "N", description: "generated accounts per invariant (default 100)" },
      { name: "seed", value: "S", description: "fast-check seed, to reproduce a failure (printed with every run)" },
      HELP_OPTION,
    ],
    examples: [
      { command: "property-dunning verify examples/green-garden.json", note: "100 runs per invariant, about a minute: a quick look; --runs 1000 before an estate signs its policy" },
      { command: "property-dunning verify examples/unfair-policy.json --runs 50 --seed 1", note: "fails, and prints each counterexample day by day" },
    ],
    exitCodes: [code(0, "every invariant holds"), code(1, "the policy file is not found or invalid, or an invariant is broken (each counterexample is printed)"), code(2, "usage error, or fast-check is not installed")],
    notes: ["verify needs the optional peer dependency fast-check (npm install --save-dev fast-check)."],
  },
  timeline: {
    name: "timeline",
    summary: "draw a policy's ladder, or one account's history and forecast, as a self-contained HTML or SVG file",
    usage: "property-dunning timeline [--policy …] [--ledger <ledger> --account <id>] [--as-of YYYY-MM-DD] --out <file.html|file.svg>",
    options: [
      { name: "out", value: "<file.html|file.svg>", required: true, description: "the file to write: a page with a legend and tables, or the picture alone" },
      { ...POLICY, value: "<[estate/][segment=]file|residential|commercial|relative>", description: "a policy file or a built-in, or one per segment (segment=<file>, repeated); without --account the one policy given is drawn (default residential); with --account, the policy of the account's segment (default its built-in), or as for plan, of its estate and segment (<estate>/<segment>=<file>, repeated; only with --account: usage error without)" },
      { name: "ledger", value: "<ledger>", description: "with --account: the ledger the account is read from" },
      { name: "account", value: "<id>", description: "draw this account: the actions already carried out, its holds, and the forecast with amounts" },
      { name: "as-of", value: "YYYY-MM-DD", description: "with --account: where the forecast starts (default today); without: the sample charge falls due in this month" },
      HELP_OPTION,
    ],
    examples: [
      { command: "property-dunning timeline --policy residential --out ladder.html", note: "the residential ladder for a charge left unpaid" },
      { command: "property-dunning timeline --policy examples/green-garden.json --out out/green-garden.svg", note: "an estate's policy as a picture, before it is signed" },
      { command: "property-dunning timeline --ledger examples/ledger.json --account A-1201 --as-of 2026-04-25 --out out/A-1201.html", note: "what was done for A-1201 and what comes next" },
    ],
    exitCodes: [code(0, "written"), code(1, "the account is not in the ledger, is malformed, or the --policy file is invalid"), code(2)],
  },
  report: {
    name: "report",
    summary: "collection rate (收缴率) by month against a target, arrears aging, stages, holds and debts near their limitation date",
    usage: "property-dunning report --ledger <ledger> [--as-of YYYY-MM-DD] [--policy …] [--format table|json|csv|html] [--section <name>] [--out-dir <dir>] [--bom] [--lang en|zh-CN] [--target <percent>]",
    options: [
      { ...LEDGER, required: true },
      { ...AS_OF, description: "the day of the report; the collection rate is for its calendar month, and by month for the twelve months up to it (default today)" },
      {
        ...POLICY,
        value: "<[estate/][segment=]file|residential|commercial|relative>",
        description: `${POLICY.description}. As for plan, one per estate and segment: --policy <estate>/<segment>=<file>, repeated; each account is judged by its own policy, the stages section shows an estate's own ladder under its estate and segment, and an account of an estate with no policy is skipped (exit 3)`,
      },
      { name: "format", value: "table|json|csv|html", description: "a table for people (default), JSON for programs, one CSV table (with --section) for a spreadsheet, or one HTML page with charts (self-contained: open it from a file)" },
      { name: "section", value: "<name>", description: "the section to print: collection, monthly, aging, stages, holds, terminal, limitation, review or skipped (required for --format csv on stdout; a table shows only it)" },
      { name: "out-dir", value: "<dir>", description: "write every section as its own CSV file, <dir>/<section>.csv, each with a UTF-8 BOM for Excel; prints the files' names" },
      { name: "bom", description: "begin CSV on stdout with a UTF-8 byte order mark (files in --out-dir always have one): Excel then reads Chinese names as UTF-8" },
      { name: "lang", value: "en|zh-CN", description: "the language of headings, labels and CSV headers (default en, whatever LANG says; JSON keys and section names stay English)" },
      { name: "target", value: "<percent>", description: "the collection rate aimed at, in percent (95, 92.5): drawn as a line across the months, in JSON as basis points" },
      HELP_OPTION,
    ],
    examples: [
      { command: "property-dunning report --ledger examples/ledger.json --as-of 2026-04-27", note: "the month's figures as tables" },
      { command: "property-dunning report --ledger examples/ledger.json --as-of 2026-04-27 --format csv --section aging --bom", note: "one table for a spreadsheet" },
      { command: "property-dunning report --ledger examples/ledger.json --as-of 2026-04-27 --lang zh-CN --out-dir out/report", note: "every section as a CSV file, headers in Chinese" },
      { command: "property-dunning report --ledger examples/ledger.json --as-of 2026-04-27 --format html --target 95", note: "one page with charts, written to stdout: redirect it to a file (> report.html)" },
      {
        command:
          "property-dunning report --ledger examples/recipes/estate-group.json --as-of 2026-03-25 --policy north-park/residential=examples/recipes/north-park.json --policy south-bay/residential=examples/recipes/south-bay.json --policy residential=residential --section stages",
        note: "a policy per estate: each estate's ladder under its estate and segment, west-gate under the residential built-in",
      },
    ],
    exitCodes: [
      code(0, "the report is written"),
      code(1, "a --policy file or the ledger file is not found or invalid (not JSON)"),
      code(2),
      code(3, "the report is written, but some accounts were skipped and are not counted in it (each named on stderr with the reason)"),
    ],
  },
  demo: {
    name: "demo",
    summary: "build the demo estate (SQLite) if missing and plan today's actions on it",
    usage: "property-dunning demo [--db demo/estate.db] [--as-of YYYY-MM-DD] [--out out/demo-actions.json]",
    options: [
      { name: "db", value: "<path>", description: "the SQLite file of the demo estate (default demo/estate.db; created from a fixed seed when missing)" },
      { ...AS_OF, description: "the day to plan for (default today in Asia/Shanghai)" },
      { name: "out", value: "<actions.json>", description: "where the planned actions are written (default out/demo-actions.json)" },
      HELP_OPTION,
    ],
    examples: [
      { command: "property-dunning demo", note: "what npm run demo runs" },
      { command: "property-dunning demo --db /tmp/estate.db --as-of 2026-03-25", note: "another estate file and day" },
    ],
    exitCodes: [code(0), code(2), code(3)],
    notes: ["Needs the optional peer dependency better-sqlite3 (npm install better-sqlite3)."],
  },
  worker: WORKER_SPEC,
  run: RUN_SPEC,
  impact: IMPACT_SPEC,
  studio: {
    name: "studio",
    summary: "write the policy studio: one HTML file to edit a policy, see its ladder, forecast an account and run verify, offline",
    usage: "property-dunning studio --out <studio.html>",
    options: [{ name: "out", value: "<studio.html>", required: true, description: "the page to write (self-contained: open it from the file, no network needed)" }, HELP_OPTION],
    examples: [
      { command: "property-dunning studio --out out/studio.html", note: "then open out/studio.html in a browser (docs/studio.md)" },
      { command: "property-dunning studio --out studio.html", note: "one file to mail to the estate or put on a shared drive" },
    ],
    exitCodes: [code(0, "written"), code(2, "usage error, or the page's scripts are not built (npm run build)")],
  },
};

export const COMMAND_NAMES = Object.keys(COMMANDS) as CommandName[];

export function isCommandName(name: string | undefined): name is CommandName {
  return name !== undefined && Object.hasOwn(COMMANDS, name);
}

/** The `node:util` parseArgs options of one command: exactly those its help names. */
export function parseOptionsOf(name: CommandName): NonNullable<ParseArgsConfig["options"]> {
  return Object.fromEntries(
    COMMANDS[name].options.map((o) => [o.name, { type: o.value === undefined ? ("boolean" as const) : ("string" as const), ...(o.short ? { short: o.short } : {}), ...(o.multiple ? { multiple: true } : {}) }]),
  );
}

function optionLabel(o: OptionSpec): string {
  return `${o.short ? `-${o.short}, ` : "    "}--${o.name}${o.value ? ` ${o.value}` : ""}`;
}

function exitTable(rows: readonly (readonly [number, string])[]): string[] {
  return rows.map(([n, meaning]) => `  ${String(n).padStart(2)}  ${meaning}`);
}

/** `property-dunning <command> --help`. */
export function commandHelp(name: CommandName, style: Style = PLAIN): string {
  const c = COMMANDS[name];
  const labels = c.options.map(optionLabel);
  const w = Math.max(...labels.map((l) => l.length));
  return [
    `property-dunning ${c.name} — ${c.summary}`,
    "",
    style.bold("Usage:"),
    `  ${c.usage}`,
    "",
    style.bold("Options:"),
    ...c.options.map((o, i) => `  ${labels[i]!.padEnd(w)}  ${o.description}${o.required ? " (required)" : ""}`),
    ...(c.notes ? ["", ...c.notes] : []),
    "",
    style.bold("Examples:"),
    ...c.examples.flatMap((e) => [`  ${e.command}`, style.dim(`      ${e.note}`)]),
    "",
    style.bold("Exit codes:"),
    ...exitTable(c.exitCodes),
    "",
  ].join("\n");
}

/** `property-dunning --help`: the commands, where to read more, and the exit codes (in the run's language, messages.ts). */
export function globalHelp(style: Style = PLAIN): string {
  const m = messages();
  const w = Math.max(...COMMAND_NAMES.map((n) => n.length));
  return [
    m.title,
    "",
    style.bold(m.usage),
    "  property-dunning <command> [options]",
    `  property-dunning <command> --help      ${m.helpLines[0]}`,
    `  property-dunning help <command>        ${m.helpLines[1]}`,
    `  property-dunning --version             ${m.helpLines[2]}`,
    "",
    style.bold(m.commands),
    ...COMMAND_NAMES.map((n) => `  ${n.padEnd(w)}  ${m.summaries[n] ?? COMMANDS[n].summary}`),
    "",
    m.ledgers,
    m.colours,
    "",
    style.bold(m.examples),
    "  property-dunning demo",
    "  property-dunning validate examples/green-garden.json",
    "  property-dunning plan --ledger examples/ledger.json --as-of 2026-04-25",
    "",
    style.bold(m.exitCodes),
    ...exitTable(EXIT_CODES),
    "",
    m.reference,
    "",
  ].join("\n");
}
