/**
 * The studio's words in en and zh-CN: the page's own labels, and what each policy issue code
 * means. An issue is shown as its code's sentence in the chosen language, then the library's own
 * message (which names the value it got), so that nothing the library says is lost in translation.
 */
export type StudioLocale = "en" | "zh-CN";

export const STUDIO_LOCALES: readonly StudioLocale[] = ["en", "zh-CN"];

/** The page's labels. */
export const UI = {
  title: { en: "Policy studio", "zh-CN": "催缴策略工作台" },
  start: { en: "Start from", "zh-CN": "起始模板" },
  save: { en: "Save policy", "zh-CN": "保存策略" },
  problems: { en: "Problems", "zh-CN": "问题" },
  noProblems: { en: "No problems: the policy is valid.", "zh-CN": "没有问题：策略有效。" },
  ladder: { en: "The ladder", "zh-CN": "催缴阶梯" },
  stale: { en: "The picture shows the last valid policy.", "zh-CN": "图示为最近一次有效的策略。" },
  forecast: { en: "Forecast of an account", "zh-CN": "账户预测" },
  account: { en: "Account (JSON, as in a ledger)", "zh-CN": "账户（JSON，与台账相同）" },
  asOf: { en: "From", "zh-CN": "起始日" },
  days: { en: "Days", "zh-CN": "天数" },
  runForecast: { en: "Forecast", "zh-CN": "预测" },
  verify: { en: "Invariants (verify)", "zh-CN": "不变式检验（verify）" },
  runs: { en: "Runs", "zh-CN": "次数" },
  seed: { en: "Seed", "zh-CN": "种子" },
  runVerify: { en: "Run verify", "zh-CN": "运行检验" },
  running: { en: "Running in a web worker…", "zh-CN": "正在 Web Worker 中运行…" },
  allHold: { en: "All invariants hold.", "zh-CN": "所有不变式均成立。" },
  failed: { en: "invariant(s) failed", "zh-CN": "个不变式未通过" },
  counterexample: { en: "Counterexample", "zh-CN": "反例" },
  invalidAccount: { en: "The account cannot be used", "zh-CN": "账户无法使用" },
  invalidPolicy: { en: "Fix the policy's problems first.", "zh-CN": "请先修正策略的问题。" },
  colDay: { en: "Day", "zh-CN": "日期" },
  colStage: { en: "Stage", "zh-CN": "阶段" },
  colChannels: { en: "Channels", "zh-CN": "渠道" },
  colOverdue: { en: "Overdue", "zh-CN": "逾期本金" },
  colLateFee: { en: "Late fee", "zh-CN": "滞纳金" },
  colTotal: { en: "Total", "zh-CN": "合计" },
  colDeadline: { en: "Pay by", "zh-CN": "缴费期限" },
  lateFeesOn: { en: "Late fees on the last day", "zh-CN": "末日滞纳金" },
  review: { en: "a person reviews it first", "zh-CN": "须经人工审核" },
  noActions: { en: "Nothing is planned in this window.", "zh-CN": "此期间没有计划的催缴动作。" },
  sample: { en: "Sample", "zh-CN": "示例账户" },
  sampleStopped: { en: "Stopped paying in March 2026", "zh-CN": "2026年3月起欠费" },
  sampleResidual: { en: "Paid late, a late fee left (elderly owner)", "zh-CN": "逾期后补缴本金、尚余滞纳金（老年业主）" },
  colNotes: { en: "Notes", "zh-CN": "说明" },
  offers: { en: "offered", "zh-CN": "提供" },
  residualStep: { en: "late fee left after the principal", "zh-CN": "本金缴清后尚余的滞纳金" },
  residualWaiver: { en: "waiver: a person confirms it", "zh-CN": "减免：须经人工确认" },
  residualLeft: { en: "Late fee left after the principal was paid", "zh-CN": "本金缴清后尚余滞纳金" },
  residualPlanned: { en: "the policy's residualLateFee plans the rows marked above", "zh-CN": "由策略的 residualLateFee 安排（见上表标注的行）" },
  residualSilent: { en: "this policy plans nothing for it: add residualLateFee (reminders and/or a waiver) to chase or waive it", "zh-CN": "本策略对此没有任何安排：请添加 residualLateFee（提醒和/或减免）" },
  owner: { en: "Owner", "zh-CN": "业主" },
  ownerTags: { en: "tags", "zh-CN": "标签" },
  ownerProtections: { en: "Protections that apply", "zh-CN": "适用的保护措施" },
  ownerNoProtection: { en: "no protection of this policy names these tags", "zh-CN": "本策略没有针对这些标签的保护措施" },
  ownerOneUnit: {
    en: "This forecast is of this unit alone: its owner's tags and the policy's protections apply. Coordinating an owner's several units (one owner-facing action a day, one notice listing every unit, caps counted per owner) needs the ledger: run property-dunning plan on it.",
    "zh-CN": "本预测仅针对此一户：业主标签及策略的保护措施均已适用。同一业主名下多户的协调（每日最多一次面向业主的动作、一份通知列明各户、按业主计算频次上限）需要完整台账：请对台账运行 property-dunning plan。",
  },
  ownerOtherUnits: { en: "other unit(s) of this owner in the pasted ledger are not coordinated here", "zh-CN": "户同一业主的其他房产在粘贴的台账中，此处不作协调" },
} as const satisfies Record<string, Record<StudioLocale, string>>;

export type UiKey = keyof typeof UI;

/** What each issue code of `safeParsePolicy` means; a code not listed shows the library's message alone. */
export const ISSUE_TEXT: Readonly<Record<string, Record<StudioLocale, string>>> = {
  invalid_json: { en: "Not JSON", "zh-CN": "不是合法的 JSON" },
  invalid_type: { en: "Wrong type", "zh-CN": "类型错误" },
  invalid_value: { en: "Not one of the allowed values", "zh-CN": "不是允许的取值" },
  invalid_format: { en: "Wrong format", "zh-CN": "格式错误" },
  invalid_union: { en: "Matches none of the allowed shapes", "zh-CN": "不符合任何允许的结构" },
  unrecognized_keys: { en: "Unknown field", "zh-CN": "未知字段" },
  too_big: { en: "Too big", "zh-CN": "数值过大" },
  too_small: { en: "Too small", "zh-CN": "数值过小" },
  not_finite: { en: "Not a finite number", "zh-CN": "不是有限数值" },
  invalid_number: { en: "Not a valid number", "zh-CN": "不是有效数值" },
  custom: { en: "Not allowed here", "zh-CN": "此处不允许" },
  duplicate_stage: { en: "Two stages share an id", "zh-CN": "阶段 id 重复" },
  unknown_stage: { en: "Names a stage that does not exist", "zh-CN": "引用了不存在的阶段" },
  reserved_stage: { en: "A reserved stage id", "zh-CN": "保留的阶段 id" },
  unknown_fact: { en: "Names a fact the engine does not know", "zh-CN": "引用了未知的事实" },
  invalid_condition: { en: "A condition the engine cannot evaluate", "zh-CN": "无法求值的条件" },
  too_deep: { en: "Nested too deeply", "zh-CN": "嵌套过深" },
  invalid_rrule: { en: "Not a valid recurrence rule", "zh-CN": "不是有效的重复规则（RRULE）" },
  deadline_kind: { en: "Only a written demand has a deadline", "zh-CN": "只有书面催告才有缴费期限" },
  public_legal_step: { en: "A legal step must not be made public", "zh-CN": "法律措施不得公开张贴或公示" },
  forbidden_measure: { en: "A measure the law forbids", "zh-CN": "法律禁止的催缴手段" },
  staff_channel: { en: "A staff step on an owner's channel", "zh-CN": "内部步骤使用了面向业主的渠道" },
  court_before_demand: { en: "Court before a written demand", "zh-CN": "未经书面催告即起诉" },
  terminal_trigger: { en: "A terminal step needs a later trigger", "zh-CN": "终结步骤的触发条件不当" },
  calendar_conflict: { en: "The calendar contradicts itself", "zh-CN": "工作日历自相矛盾" },
  payment_order_basis: { en: "Payment order and late-fee basis disagree", "zh-CN": "冲抵顺序与滞纳金计算基础不一致" },
  builtin_id: { en: "The id of a built-in policy", "zh-CN": "与内置策略 id 冲突" },
  unknown_base: { en: "Extends an unknown policy", "zh-CN": "继承了未知的策略" },
  extends_only: { en: "Not allowed in a policy that extends another", "zh-CN": "继承型策略中不允许此字段" },
  extends_move: { en: "A stage moved in a policy that extends another", "zh-CN": "继承型策略中移动了阶段" },
  cny: { en: "Currency rule", "zh-CN": "币种规则" },
  invalid_policy: { en: "Not a policy", "zh-CN": "不是策略文件" },
};

export function t(key: UiKey, locale: StudioLocale): string {
  return UI[key][locale];
}

/** One issue as a person reads it: the code's sentence in `locale`, then the library's message. */
export function issueText(issue: { code: string; message: string }, locale: StudioLocale): string {
  const known = ISSUE_TEXT[issue.code]?.[locale];
  return known ? `${known}: ${issue.message}` : issue.message;
}
