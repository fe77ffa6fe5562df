/**
 * The report's words in English and Chinese (zh-CN): headings, section names, column labels and
 * the names of buckets, holds, ladders and states, in one table. A stage kind's name comes from
 * its row (`STAGE_KIND_TABLE[kind].label`, the glossary's word). The ids (`collection`,
 * `basis_points`, `residential`) stay English in JSON and in the `--section` names, whatever the
 * language: programs read those.
 */
import { STAGE_KIND_TABLE, type StageKind } from "../rules/kinds.js";
import { InvalidArgumentError } from "../rules/errors.js";

export type ReportLang = "en" | "zh-CN";
export const REPORT_LANGS: readonly ReportLang[] = ["en", "zh-CN"];

/** Every text of the report; `{name}` is filled in by `say`. */
const MESSAGES = {
  // The page and the table's head.
  reportTitle: { en: "Fee collection report", "zh-CN": "物业费收缴报告" },
  head: { en: "Report on {asOf} ({currency}): {read} accounts read, {skipped} skipped, {withOverdue} in arrears, {overdue} overdue", "zh-CN": "{asOf} 报告（{currency}）：读取 {read} 户，跳过 {skipped} 户，欠费 {withOverdue} 户，逾期金额 {overdue}" },
  headRate: { en: "Collection rate {from} to {to}: {rate} ({paid} of {billed})", "zh-CN": "收缴率 {from} 至 {to}：{rate}（应收 {billed}，实收 {paid}）" },
  target: { en: "target {rate}", "zh-CN": "目标 {rate}" },
  noTarget: { en: "no target set (--target)", "zh-CN": "未设目标（--target）" },
  generated: { en: "Made by property-dunning from the ledger; nothing on this page is loaded from elsewhere.", "zh-CN": "由 property-dunning 根据台账生成；本页不从任何其他地方加载内容。" },
  // Section titles.
  collection: { en: "Collection rate, charges due {from} to {to}, paid by {asOf}", "zh-CN": "收缴率：{from} 至 {to} 到期的费用，截至 {asOf} 的实收" },
  monthly: { en: "Collection rate by month: charges due in each month, paid by {asOf}", "zh-CN": "按月收缴率：各月到期的费用，截至 {asOf} 的实收" },
  aging: { en: "Arrears aging on {asOf} (days overdue)", "zh-CN": "{asOf} 欠费账龄（逾期天数）" },
  stages: { en: "Accounts in arrears by last recorded stage, in ladder order", "zh-CN": "欠费户按最近一次催缴阶段（按催缴流程顺序）" },
  holds: { en: "Holds in force on {asOf}", "zh-CN": "{asOf} 生效中的暂停催缴" },
  terminal: { en: "Accounts at the end of the road on {asOf} (a terminal stage carried out, not reopened)", "zh-CN": "{asOf} 已进入终局的账户（已执行终局阶段，未重新开启）" },
  limitation: { en: "Debts reaching their limitation date within {days} days ({expired} unpaid charge(s) already expired)", "zh-CN": "{days} 天内到达诉讼时效的欠费（另有 {expired} 笔未缴费用已过时效）" },
  review: { en: "For a person's review: {count} recorded action(s) inside a hold that pauses them", "zh-CN": "待人工复核：{count} 条记录在暂停期内执行的催缴" },
  skipped: { en: "Skipped accounts", "zh-CN": "跳过的账户" },
  // Column labels.
  col_segment: { en: "segment", "zh-CN": "业态" },
  col_month: { en: "month", "zh-CN": "月份" },
  col_charges: { en: "charges", "zh-CN": "费用笔数" },
  col_billed: { en: "billed", "zh-CN": "应收" },
  col_paid: { en: "paid", "zh-CN": "实收" },
  col_unpaid: { en: "unpaid", "zh-CN": "未收" },
  col_rate: { en: "rate", "zh-CN": "收缴率" },
  col_bucket: { en: "bucket", "zh-CN": "账龄" },
  col_accounts: { en: "accounts", "zh-CN": "户数" },
  col_amount: { en: "amount", "zh-CN": "金额" },
  col_ladder: { en: "ladder", "zh-CN": "流程" },
  col_stage: { en: "stage", "zh-CN": "阶段" },
  col_kind: { en: "kind", "zh-CN": "类型" },
  col_overdue: { en: "overdue", "zh-CN": "逾期金额" },
  col_hold: { en: "hold", "zh-CN": "暂停" },
  col_count: { en: "count", "zh-CN": "数量" },
  col_state: { en: "state", "zh-CN": "状态" },
  col_account: { en: "account", "zh-CN": "账户" },
  col_unit: { en: "unit", "zh-CN": "房号" },
  col_owner: { en: "owner", "zh-CN": "业主" },
  col_charge: { en: "charge", "zh-CN": "费用" },
  col_due: { en: "due", "zh-CN": "到期日" },
  col_ends: { en: "ends", "zh-CN": "时效截止" },
  col_days_left: { en: "days_left", "zh-CN": "剩余天数" },
  col_reason: { en: "reason", "zh-CN": "原因" },
  col_action: { en: "action", "zh-CN": "催缴记录" },
  col_on: { en: "on", "zh-CN": "日期" },
  col_hold_type: { en: "hold_type", "zh-CN": "暂停类型" },
  col_hold_from: { en: "hold_from", "zh-CN": "暂停起" },
  col_hold_to: { en: "hold_to", "zh-CN": "暂停止" },
  col_hold_recorded: { en: "hold_recorded", "zh-CN": "暂停登记日" },
  // Row names.
  total: { en: "total", "zh-CN": "合计" },
  residential: { en: "residential", "zh-CN": "住宅" },
  commercial: { en: "commercial", "zh-CN": "商业" },
  estateSegment: { en: "estate {estate}, {segment}", "zh-CN": "项目 {estate} {segment}" },
  bucketOver365: { en: "over 365", "zh-CN": "365天以上" },
  days: { en: "{range} days", "zh-CN": "{range} 天" },
  noAction: { en: "no action recorded yet", "zh-CN": "尚无催缴记录" },
  neverActioned: { en: "(never actioned)", "zh-CN": "（尚未催缴）" },
  ladder_charge: { en: "each charge", "zh-CN": "单笔费用" },
  ladder_arrears: { en: "arrears", "zh-CN": "长期欠费" },
  ladder_limitation: { en: "limitation", "zh-CN": "诉讼时效" },
  ladder_hold: { en: "holds", "zh-CN": "暂停跟进" },
  ladder_unknown: { en: "not in the policy", "zh-CN": "不在现行策略中" },
  hold_accounts: { en: "accounts on hold", "zh-CN": "暂停催缴户数" },
  hold_dispute_major: { en: "dispute major", "zh-CN": "重大异议" },
  hold_dispute_important: { en: "dispute important", "zh-CN": "重要异议" },
  hold_dispute_minor: { en: "dispute minor", "zh-CN": "一般异议" },
  hold_plan: { en: "installment plan kept", "zh-CN": "分期计划履行中" },
  hold_promise: { en: "promise pending", "zh-CN": "约定缴费未到期" },
  hold_manual: { en: "manual", "zh-CN": "人工暂停" },
  state_collectionAgency: { en: "collection agency", "zh-CN": "委托催收" },
  state_legalAction: { en: "lawsuit or arbitration", "zh-CN": "诉讼或仲裁" },
  state_writtenOff: { en: "written off", "zh-CN": "已核销" },
  // The page's own words.
  onHoldOverdue: { en: "{accounts} accounts on hold, {overdue} overdue", "zh-CN": "暂停催缴 {accounts} 户，逾期金额 {overdue}" },
  inArrears: { en: "accounts in arrears", "zh-CN": "欠费户数" },
  nothing: { en: "None.", "zh-CN": "无。" },
  daysLeft: { en: "{days} days left", "zh-CN": "剩 {days} 天" },
} as const satisfies Record<string, Record<ReportLang, string>>;

export type MessageKey = keyof typeof MESSAGES;

/** The message `key` in `lang`, each `{name}` replaced by `vars[name]`. */
export function say(lang: ReportLang, key: MessageKey, vars: Readonly<Record<string, string | number>> = {}): string {
  return MESSAGES[key][lang].replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));
}

/** A stage kind's name in `lang` (the glossary's word for zh-CN). */
export function kindLabel(lang: ReportLang, kind: StageKind): string {
  return STAGE_KIND_TABLE[kind].label[lang];
}

/** `lang` checked: one of `REPORT_LANGS`. */
export function reportLang(lang: string | undefined): ReportLang {
  if (lang === undefined) return "en";
  if ((REPORT_LANGS as readonly string[]).includes(lang)) return lang as ReportLang;
  throw new InvalidArgumentError("invalid_option", "lang", `lang must be ${REPORT_LANGS.join(" or ")} (got ${JSON.stringify(lang)})`);
}
