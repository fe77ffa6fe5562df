/**
 * The command line's own words in English and in Simplified Chinese (zh-CN), in one table: the
 * global usage and the common errors (an unknown command or option, a file not found, a day the
 * calendar does not have). The language is `--lang en|zh-CN` anywhere on the command line, else
 * LC_ALL, LC_MESSAGES or LANG (`zh_CN.UTF-8`, `zh-CN`), else English. Policy problems keep their
 * English messages (their codes and paths are the same in any language).
 */
export const CLI_LANGS = ["en", "zh-CN"] as const;
export type CliLang = (typeof CLI_LANGS)[number];

interface Messages {
  unknownCommand: (quoted: string) => string;
  unknownOption: (option: string) => string;
  didYouMean: (quoted: string) => string;
  runHelp: (command: string) => string;
  fileNotFound: (path: string) => string;
  malformedDate: string;
  got: (quoted: string) => string;
  noSuchMonth: (month: number) => string;
  noSuchDay: (year: number, month: number, days: number) => string;
  title: string;
  usage: string;
  commands: string;
  examples: string;
  exitCodes: string;
  helpLines: readonly [string, string, string];
  ledgers: string;
  colours: string;
  reference: string;
  /** Each command's one-line summary, by command name (English: help.ts's own). */
  summaries: Readonly<Record<string, string>>;
}

const MONTHS_EN = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

export const MESSAGES = {
  en: {
    unknownCommand: (c) => `unknown command ${c}`,
    unknownOption: (o) => `unknown option ${o}`,
    didYouMean: (w) => ` (did you mean ${w}?)`,
    runHelp: (c) => `Run property-dunning ${c}--help for usage.`,
    fileNotFound: (p) => `file not found: ${p}`,
    malformedDate: "must be a date YYYY-MM-DD",
    got: (v) => ` (got ${v})`,
    noSuchMonth: (m) => `not a day of the calendar: there is no month ${m}`,
    noSuchDay: (y, m, d) => `not a day of the calendar: ${MONTHS_EN[m - 1]} ${y} has ${d} days`,
    title: "property-dunning — plan fee-collection (物业费催缴) actions from a policy and a ledger",
    usage: "Usage:",
    commands: "Commands:",
    examples: "Examples:",
    exitCodes: "Exit codes:",
    helpLines: ["the command's options, examples and exit codes", "the same", "the version installed (-v too)"],
    ledgers: 'A ledger is a JSON file ({ "accounts": [...] }), a JSON Lines file (*.jsonl), sqlite:<path> or postgres://…',
    colours: "Colours appear on a terminal only; NO_COLOR=1 turns them off, FORCE_COLOR=1 forces them on. --lang zh-CN: messages in Chinese.",
    reference: "Reference: docs/cli.md",
    summaries: {},
  },
  "zh-CN": {
    unknownCommand: (c) => `没有这个命令：${c}`,
    unknownOption: (o) => `没有这个选项：${o}`,
    didYouMean: (w) => `（是不是要输入 ${w}？）`,
    runHelp: (c) => `用法见 property-dunning ${c}--help。`,
    fileNotFound: (p) => `找不到文件：${p}`,
    malformedDate: "日期须写作 YYYY-MM-DD",
    got: (v) => `（输入的是 ${v}）`,
    noSuchMonth: (m) => `日历上没有这一天：没有 ${m} 月`,
    noSuchDay: (y, m, d) => `日历上没有这一天：${y} 年 ${m} 月只有 ${d} 天`,
    title: "property-dunning — 按催缴方案和台账安排物业费催缴行动",
    usage: "用法：",
    commands: "命令：",
    examples: "示例：",
    exitCodes: "退出码：",
    helpLines: ["该命令的选项、示例和退出码", "同上", "已安装的版本（也可用 -v）"],
    ledgers: '台账可以是 JSON 文件（{ "accounts": [...] }）、JSON Lines 文件（*.jsonl）、sqlite:<路径> 或 postgres://…',
    colours: "只在终端上显示颜色；NO_COLOR=1 关闭，FORCE_COLOR=1 强制开启。--lang en：英文提示。",
    reference: "参考文档：docs/cli.md",
    summaries: {
      validate: "检查催缴方案文件并列出各阶段",
      plan: "列出台账中每个账户某一天应做的催缴行动",
      explain: "单个账户：滞纳金、今天应做什么及原因、若不再缴费的后续安排",
      record: "记录已执行的行动，避免重复安排",
      verify: "用公平与升级的不变式（性质测试）检验催缴方案",
      timeline: "把方案的催缴阶梯或单个账户的历史与预测画成独立的 HTML 或 SVG 文件",
      report: "收缴率、欠费账龄、各阶段、暂停催缴和临近诉讼时效的欠费",
      demo: "生成演示小区（SQLite，如尚无）并安排今天的行动",
      worker: "从队列（PostgreSQL 上的 pg-boss）领取分片任务：安排、交付并记录",
      run: "把台账某一天的安排作为分片任务排队，等待完成并输出结果",
    },
  },
} as const satisfies Record<CliLang, Messages>;

let current: CliLang = "en";

/** The language of this run's messages (main sets it once from the command line and the environment). */
export function messages(): Messages {
  return MESSAGES[current];
}

export function setCliLang(lang: CliLang): void {
  current = lang;
}

export function isCliLang(value: string): value is CliLang {
  return (CLI_LANGS as readonly string[]).includes(value);
}

/**
 * `--lang X` / `--lang=X` taken out of the arguments (the commands never see it), or the locale
 * of the environment. `explicit` when the command line gave it: `report` then writes its tables in
 * that language too (the environment's locale changes messages only, never a report's data). An unknown `--lang` is returned as `invalid` for main to refuse.
 */
export function cliLangOf(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): { lang: CliLang; args: string[]; invalid?: string; explicit?: true } {
  const args: string[] = [];
  let given: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "--lang") given = argv[++i] ?? "";
    else if (a.startsWith("--lang=")) given = a.slice("--lang=".length);
    else args.push(a);
  }
  if (given !== undefined) {
    const lang = CLI_LANGS.find((l) => l.toLowerCase() === given!.replace("_", "-").toLowerCase());
    return lang ? { lang, args, explicit: true } : { lang: "en", args, invalid: given };
  }
  const locale = env.LC_ALL || env.LC_MESSAGES || env.LANG || "";
  return { lang: /^zh[-_](CN|Hans|SG)/i.test(locale) || /^zh$/i.test(locale.split(".")[0]!) ? "zh-CN" : "en", args };
}
