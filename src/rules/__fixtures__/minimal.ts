/** The smallest complete policy: one billing notice by SMS. Tests copy it and break one thing. */
export const minimal = {
  id: "estate",
  version: "1",
  timeZone: "Asia/Shanghai",
  currency: { code: "CNY", minorDigits: 2 },
  billingCycle: { rrule: "FREQ=MONTHLY;BYMONTHDAY=1" },
  stages: [{ id: "bill", kind: "billingNotice", channels: ["sms"], trigger: { type: "dueDate", offsetDays: 0 } }],
};
