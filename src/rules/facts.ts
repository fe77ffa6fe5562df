/**
 * The facts a stage's conditions can read. The scheduler computes each of them for the account
 * (and, for charge stages, the charge) on the day it plans; a condition naming any other fact
 * is rejected when the policy is loaded, so a typo cannot silently make a stage never fire.
 */
export const FACTS = {
  segment: "The account's segment: \"residential\" or \"commercial\" (or undefined).",
  tags: "The owner's tags, an array of strings such as [\"elderly\"]. Use `contains` / `doesNotContain`.",
  arrearsMonths: "Whole months from the due date of the oldest unpaid charge to the planning day (0 when nothing is overdue).",
  overdueMinor: "Total unpaid principal of charges past their due date, in minor units.",
  overdueCharges: "How many charges are past their due date and unpaid.",
  daysOverdue: "Days since the due date of the oldest unpaid charge (0 when nothing is overdue).",
  chargeAmountMinor: "For charge stages: the charge's billed amount, in minor units (undefined for arrears stages).",
  chargeUnpaidMinor: "For charge stages: what is still unpaid of the charge, in minor units.",
  chargeDaysOverdue: "For charge stages: days since the charge's due date (negative before it).",
  chargePeriod: "For charge stages: the billing period, YYYY-MM.",
  chargeMonthOfYear: "For charge stages: the billing month, 1–12.",
  stageCount: "How many times this stage has already been carried out for the account.",
  openDisputes: "How many disputes are open on the planning day.",
  brokenPromises: "How many promises to pay the owner has broken (the agreed date passed with the balance unpaid).",
  onInstallmentPlan: "True while the owner keeps an installment plan.",
  collectionPaused: "True while a hold pauses what presses for payment (an open dispute, a promise to pay before its day): a stage whose kind only informs is not held by it, and can wait too with `collectionPaused` `equal` false.",
} as const;

export type FactName = keyof typeof FACTS;
export const FACT_NAMES = Object.keys(FACTS) as FactName[];

/**
 * Facts whose value is always a list. `in`/`notIn` against another fact call that fact's
 * `indexOf`, and the engine throws when it has none (a number, or undefined for an arrears
 * stage's chargePeriod): only these facts, without a path, can stand there.
 */
export const LIST_FACTS: ReadonlySet<FactName> = new Set(["tags"]);
