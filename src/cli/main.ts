/**
 * The `property-dunning` command: a thin shell over the public API. Anything it does, a vendor
 * can do in code with `parsePolicy`, `createScheduler`, `plan` and an adapter.
 *
 * Each command accepts exactly the options its help names (src/cli/help.ts). Exit codes, the same
 * for every command (EXIT_CODES, docs/cli.md): 0 done; 1 invalid input; 2 usage error; 3 planned,
 * but some accounts were skipped (reported on stderr); 70 internal error (bin.ts).
 */
import { parseArgs } from "node:util";
import { isPropertyDunningError } from "../rules/errors.js";
import { demoCommand, explainCommand, lines, planCommand, recordCommand, str, strs, validateCommand, type Values } from "./commands.js";
import { checkDate, InvalidInput, packageVersion, stylesOf, today, UnreadableFile, UsageError, type CliIo } from "./common.js";
import { COMMAND_NAMES, COMMANDS, commandHelp, globalHelp, isCommandName, parseOptionsOf, type CommandName } from "./help.js";
import { nearestWord } from "../rules/nearest.js";
import { CLI_LANGS, cliLangOf, messages, setCliLang } from "./messages.js";
import { loadPolicyArgs } from "./policy-arg.js";
import { terminalText } from "../text/index.js";
import { colorEnabled } from "./style.js";

export type { CliIo } from "./common.js";

const STDIO: CliIo = {
  out: (s) => process.stdout.write(s),
  outDrained: () => new Promise((resolve) => process.stdout.once("drain", resolve)),
  err: (s) => process.stderr.write(s),
  color: { out: colorEnabled(process.stdout), err: colorEnabled(process.stderr) },
  progress: process.stderr,
  env: process.env,
};

/** "(did you mean …?)" in the run's language, or nothing when no known word is near. */
function nearest(word: string, known: readonly string[]): string {
  const near = nearestWord(word, known);
  return near === undefined ? "" : messages().didYouMean(JSON.stringify(near));
}

/** parseArgs' own messages name the option; ours also say which command and where to look. */
function usageMessage(command: CommandName | undefined, error: Error & { code?: string }): string {
  const where = command ?? "";
  const option = /'([^']+)'/.exec(error.message)?.[1];
  if (error.code === "ERR_PARSE_ARGS_UNKNOWN_OPTION" && option?.startsWith("--workers"))
    return `${where}: unknown option --workers (removed: planning on threads did not pay, docs/performance.md "Workers"; to spread a plan over processes or machines, run it as jobs: docs/scale-out.md)`;
  if (error.code === "ERR_PARSE_ARGS_UNKNOWN_OPTION" && option) {
    const known = command ? COMMANDS[command].options.map((o) => `--${o.name}`) : [];
    return `${where}: ${messages().unknownOption(option)}${nearest(option.split("=")[0]!, known)}`;
  }
  if (error.code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE" && option) return `${where}: option ${option.replace(/ <value>$/, "")} needs a value`;
  if (error.code === "ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL" && option) return `${where}: unexpected argument ${JSON.stringify(option)}`;
  return command ? `${command}: ${error.message}` : error.message;
}

export async function main(argv: string[], io: CliIo = STDIO): Promise<number> {
  const { lang, args, invalid, explicit } = cliLangOf(argv, io.env ?? {});
  setCliLang(lang);
  const m = messages();
  const [first, ...rest] = args;
  const styles = stylesOf(io);
  const { errLine } = lines(io);
  if (invalid !== undefined) {
    errLine(styles.err.red(`property-dunning: --lang: must be ${CLI_LANGS.join(" or ")} (got ${JSON.stringify(invalid)})`));
    errLine(m.runHelp(""));
    return 2;
  }
  if (first === undefined) {
    io.err(globalHelp(styles.err));
    return 2;
  }
  if (first === "--help" || first === "-h" || (first === "help" && rest.length === 0)) {
    io.out(globalHelp(styles.out));
    return 0;
  }
  if (first === "--version" || first === "-v") {
    io.out(`property-dunning ${packageVersion()}\n`);
    return 0;
  }
  const command = first === "help" ? rest[0] : first;
  const fail = (message: string) => {
    errLine(styles.err.red(`property-dunning: ${message}`));
    errLine(m.runHelp(isCommandName(command) ? `${command} ` : ""));
    return 2;
  };
  if (!isCommandName(command)) return fail(`${m.unknownCommand(JSON.stringify(command))}${nearest(command ?? "", COMMAND_NAMES)}`);
  if (first === "help") {
    if (rest.length > 1) return fail(`help: takes one command (got ${rest.slice(1).map((a) => JSON.stringify(a)).join(" ")} after ${command})`);
    io.out(commandHelp(command, styles.out));
    return 0;
  }
  try {
    const { values, positionals } = parseArgs({ args: rest, allowPositionals: true, options: parseOptionsOf(command), strict: true }) as { values: Values; positionals: string[] };
    if (values.help) {
      io.out(commandHelp(command, styles.out));
      return 0;
    }
    // What the help names is what is accepted: a positional, the required options, the formats of --format.
    const spec = COMMANDS[command];
    const takes = spec.positional ? 1 : 0;
    if (positionals.length > takes) throw new UsageError(`unexpected argument ${JSON.stringify(positionals[takes])}`);
    const required = spec.options.filter((o) => o.required);
    if (required.some((o) => !values[o.name])) throw new UsageError(`${required.map((o) => `--${o.name}`).join(" and ")} ${required.length > 1 ? "are" : "is"} required`);
    const format = str(values, "format") ?? "table";
    const formats = spec.options.find((o) => o.name === "format")?.value?.split("|") ?? ["table"];
    if (!formats.includes(format)) throw new UsageError(`--format: must be ${formats.join(", ").replace(/, ([^,]*)$/, " or $1")} (got ${JSON.stringify(format)})`);
    switch (command) {
      case "validate": {
        if (!positionals[0]) throw new UsageError("name a policy file");
        return await validateCommand(positionals[0], io);
      }
      case "plan":
        return await planCommand(values, format, io);
      case "explain":
        return await explainCommand(values, format, io);
      case "record":
        return await recordCommand(values, io);
      case "demo":
        return await demoCommand(values, io);
      case "verify": {
        if (!positionals[0]) throw new UsageError("name a policy file (or residential, commercial, relative)");
        const int = (flag: string, v: string | undefined) => {
          if (v === undefined) return undefined;
          if (!/^-?\d+$/.test(v)) throw new UsageError(`${flag}: must be a whole number (got ${JSON.stringify(v)})`);
          return Number(v);
        };
        const { verifyCommand } = await import("./verify.js");
        return await verifyCommand(positionals[0], { runs: int("--runs", str(values, "runs")), seed: int("--seed", str(values, "seed")) }, { ...io, color: io.color?.out ?? false });
      }
      case "report": {
        const policy = await loadPolicyArgs(strs(values, "policy"));
        const asOf = checkDate("--as-of", str(values, "as-of")) ?? today(policy?.first.timeZone);
        const { reportCommand, reportOptions } = await import("./report.js");
        return await reportCommand({ ledger: str(values, "ledger")!, asOf, ...reportOptions(explicit ? { ...values, lang } : values, str(values, "format")), ...(policy ? { policy } : {}) }, io);
      }
      case "worker":
        return await (await import("./jobs.js")).workerCommand(values, io);
      case "run":
        return await (await import("./jobs.js")).runCommand(values, format, io);
      case "impact":
        return await (await import("./impact.js")).impactCommand(values, format, io);
      case "studio":
        return await (await import("./studio.js")).studioCommand({ out: str(values, "out")! }, io);
      case "timeline": {
        const policy = await loadPolicyArgs(strs(values, "policy"));
        const { timelineCommand } = await import("./timeline.js");
        return await timelineCommand(
          { ...(policy ? { policy } : {}), ledger: str(values, "ledger"), account: str(values, "account"), asOf: checkDate("--as-of", str(values, "as-of")), out: str(values, "out")! },
          io,
        );
      }
    }
  } catch (error) {
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith("ERR_PARSE_ARGS")) return fail(usageMessage(command, error as Error));
    // A ledger file that is missing or unreadable surfaces when it is first read, deep in an adapter.
    const sys = error as NodeJS.ErrnoException;
    const unreadable = typeof sys.syscall === "string" && typeof sys.path === "string" ? new UnreadableFile(sys.path, sys.code ?? sys.message) : error;
    if (unreadable instanceof InvalidInput || isPropertyDunningError(unreadable)) {
      // Lines may quote ledger or actions-file text (an account id): escaped line by line.
      const [head, ...details] = (unreadable as Error).message.split("\n").map(terminalText);
      errLine([styles.err.red(head!), ...details].join("\n"));
      return 1;
    }
    throw error;
  }
}
