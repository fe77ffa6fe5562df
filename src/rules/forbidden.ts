/**
 * Collection measures no policy may contain. Civil Code art. 944 (3): the property service
 * provider "不得采取停止供电、供水、供热、供燃气等方式催交物业费"; local property-management
 * regulations also ban rationing supply and blocking gates, lifts, home entry or parking (e.g.
 * 北京市物业管理条例 art. 75, 上海市住宅物业管理规定 art. 62: 不得以停止或者限制供水、供电、
 * 供热、供燃气以及限制业主出入等方式催交). There is no stage kind or channel for any of them;
 * this check makes an attempt fail with the reason, not with "must be one of …", and catches one
 * written into a stage's id, title or notes under other words.
 *
 * Text is normalised first (see `normalise`) so that width, case, traditional characters,
 * invisible joiners and `snake_case`/`camelCase` do not hide a word.
 */
import { formatPath, type Issue } from "./errors.js";

// Chinese verbs of stopping (停, 断, 暂停, 切断, 关闭, 限制, 拉…) and what they may stop.
const ZH_STOP = "(?:停止|暂停|中止|终止|切断|断开|关闭|限制|停|断|切|关|限|掐|拉)(?:掉|了|断)?";
// Not when the word goes on as another word: 电话 (telephone: 不断电话催收), 水费 (the water fee),
// 电表, 电价, 水单.
const ZH_SUPPLY = "(?:供应|供给|供)?(?:水|电|暖气?|热|燃气|天然气|煤气|气)(?![费话表价单])";
const ZH_BAR = "(?:限制|禁止|不准|不许|阻止|阻拦|拒绝|不让)(?:业主|住户|其|车辆)?";
// English: a verb of stopping, then (after "off", "the", "their" …) what it stops; or the thing, then the stopping.
const EN_STOP = "(?:cut|cuts|cutting|cutoff|stop|stops|stopping|suspend|suspends|suspending|suspension|disconnect|disconnects|disconnecting|disconnection|shut|shuts|shutting|shutoff|turn|turning|switch|switching|block|blocks|blocking|lock|locks|locking|lockout|deny|denies|denying|restrict|restricts|restricting|ration|rations|rationing|limit|limits|limiting|disable|disables|disabling|deactivate|deactivates|deactivating|terminate|terminates|terminating|withhold|withholds|withholding|interrupt|interrupts|interrupting|bar|bars|barring)";
const EN_FILLER = "(?:\\s(?:off|out|down|the|their|his|her|of|to|a|an|owner|owners|s|tenant|tenants))*";
const EN_AFTER = "(?:cutoff|cut off|cut|shutoff|shut off|off|lockout|lock out|lock|lockdown|disconnection|disconnect|suspension|block|blocking|ban|restriction|denial)";
const en = (things: string) => [`\\b${EN_STOP}${EN_FILLER}\\s${things}\\b`, `\\b${things}\\s${EN_AFTER}\\b`];

/**
 * The vocabulary, one row per measure: patterns over normalised text, Chinese (matched with
 * spaces and punctuation removed) and English (words separated by single spaces). Add a word here.
 */
export const FORBIDDEN_MEASURES: ReadonlyArray<{ measure: string; zh: readonly string[]; en: readonly string[] }> = [
  {
    measure: "cutting or rationing water, electricity, heating or gas",
    zh: [`${ZH_STOP}${ZH_SUPPLY}`, "(?:拉|关|断)电?闸"],
    en: en("(?:water|electricity|electric|electrical|power|heat|heating|gas|supply|supplies|utility|utilities)"),
  },
  {
    measure: "stopping or locking lifts",
    zh: ["(?:锁|停|关停?|禁用|停用|限制|封)(?:掉|了)?电?梯", "电梯(?:停用|停运|锁闭|锁定|禁用|封停|限制)"],
    en: en("(?:lift|lifts|elevator|elevators)"),
  },
  {
    measure: "blocking gates, access cards or home entry",
    zh: [
      "(?:锁|封|堵)(?:住|死|上)?门",
      "(?:关闭|停用|禁用|注销|冻结|封锁|锁定|关停|限制)(?:业主|住户)?的?门禁",
      "门禁卡?(?:停用|禁用|注销|冻结|失效|关闭|限制)",
      `${ZH_BAR}(?:出入|进出|进入|入户|回家|通行|入内)`,
    ],
    // "access" alone is data-protection language ("limit access to personal data"): only the
    // access to a place, or the owner's.
    en: [
      ...en("(?:gate|gates|entry|access card|access cards|key card|key cards|(?:home|building|estate|owner|owners|tenant|tenants|resident|residents) access|access to (?:the |their |his |her )?(?:home|building|estate|flat|apartment|unit|premises|lift|lifts|elevator|gate|gates|car park|parking))"),
      "\\b(?:lock|locks|locking|block|blocks|blocking|seal|seals|sealing|bar|bars|barring)(?:\\s(?:the|their|his|her|owner|owners|s))*\\s(?:door|doors|home|flat|apartment)\\b",
    ],
  },
  {
    measure: "barring parking",
    zh: ["停车场(?:禁入|禁止进入|封锁|封闭|关闭|限制)", `${ZH_BAR}(?:停车|停放|入场)`, "(?:锁|封|占)(?:住|上)?(?:车位|车库)", "车辆禁入"],
    en: en("(?:parking|car park|car parks|garage|parking space|parking spaces)"),
  },
];

const ZH = new RegExp(FORBIDDEN_MEASURES.flatMap((m) => m.zh).join("|"));
const EN = new RegExp(FORBIDDEN_MEASURES.flatMap((m) => m.en).join("|"));

/** Traditional → simplified, for the characters the vocabulary uses (停電, 斷水, 關閉門禁 …). */
const SIMPLIFIED: Readonly<Record<string, string>> = {
  電: "电", 斷: "断", 氣: "气", 暫: "暂", 關: "关", 閉: "闭", 門: "门", 鎖: "锁", 車: "车", 場: "场", 熱: "热",
  應: "应", 給: "给", 閘: "闸", 進: "进", 戶: "户", 終: "终", 銷: "销", 註: "注", 凍: "冻", 結: "结", 運: "运",
  開: "开", 業: "业", 讓: "让", 許: "许", 準: "准", 擋: "挡", 攔: "拦", 庫: "库", 位: "位", 燃: "燃", 煤: "煤",
};
const TRADITIONAL = new RegExp(`[${Object.keys(SIMPLIFIED).join("")}]`, "g");

/**
 * The form words are matched in: NFKC (full width → ASCII), Unicode format characters (zero-width
 * joiners, bidi marks, soft hyphens) removed, camelCase split, lower case, the vocabulary's
 * traditional characters simplified, `_` `-` and other punctuation as spaces.
 *
 * @example normalise("ＳＴＯＰ_Ｗater") // "stop water"
 * @example normalise("lift_lockOut")   // "lift lock out"
 */
export function normalise(text: string): string {
  return text
    .normalize("NFKC")
    .replace(/\p{Cf}/gu, "")
    .replace(/(\p{Ll}|\d)(\p{Lu})/gu, "$1 $2")
    .toLowerCase()
    .replace(TRADITIONAL, (c) => SIMPLIFIED[c]!)
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim();
}

/** True when `text` names a measure Civil Code art. 944 or local rules forbid, in either language. */
export function namesForbiddenMeasure(text: string): boolean {
  const words = normalise(text);
  return EN.test(words) || ZH.test(words.replace(/ /g, ""));
}

export const FORBIDDEN_MEASURE_MESSAGE =
  "cutting or rationing water, electricity, heating or gas, or blocking gates, lifts, home entry or parking to collect fees is forbidden (Civil Code art. 944; local property-management regulations): no policy may contain it";

/** The free text of a stage: what it says it is, what it is called, why it exists. */
const STAGE_TEXT = ["id", "kind", "title", "description", "source"] as const;

/**
 * Issues for every text of every stage in a policy file (raw JSON, before the schema) that names
 * a forbidden measure: its id, kind, title, description, source, channels and the `name` of
 * each of its conditions.
 */
export function forbiddenMeasures(json: unknown): Issue[] {
  const stages = (json as { stages?: unknown } | null)?.stages;
  if (!Array.isArray(stages)) return [];
  const issues: Issue[] = [];
  const check = (text: unknown, path: PropertyKey[]) => {
    if (typeof text === "string" && namesForbiddenMeasure(text)) issues.push({ code: "forbidden_measure", path: formatPath(path), message: FORBIDDEN_MEASURE_MESSAGE });
  };
  stages.forEach((stage: unknown, i) => {
    if (!stage || typeof stage !== "object") return;
    const s = stage as Record<string, unknown>;
    for (const field of STAGE_TEXT) check(s[field], ["stages", i, field]);
    if (Array.isArray(s.channels)) s.channels.forEach((c, j) => check(c, ["stages", i, "channels", j]));
    // Condition names, with an explicit stack (the depth check has already bounded it).
    const stack: Array<{ node: unknown; path: PropertyKey[] }> = [{ node: s.conditions, path: ["stages", i, "conditions"] }];
    while (stack.length > 0) {
      const { node, path } = stack.pop()!;
      if (Array.isArray(node)) node.forEach((c, j) => stack.push({ node: c, path: [...path, j] }));
      else if (node && typeof node === "object") {
        const c = node as Record<string, unknown>;
        check(c.name, [...path, "name"]);
        for (const k of ["all", "any", "not"]) if (Object.hasOwn(c, k)) stack.push({ node: c[k], path: [...path, k] });
      }
    }
  });
  return issues;
}
