import { parsePolicy } from "./src/rules/parse.ts";
import { builtinPolicySource } from "./src/rules/builtins.ts";
import { createScheduler } from "./src/schedule/scheduler.ts";
for (const seg of ["residential", "commercial"] as const) {
  const s = createScheduler(parsePolicy(builtinPolicySource(seg)));
  const acct = { id: "A-1", segment: seg, charges: [{ id: "c1", period: "2026-03", dueOn: "2026-03-01", amountMinor: 30000 }], payments: [], actions: [] as any[] };
  const f = s.forecast(acct, "2026-03-01", "2027-06-01");
  console.log(seg, f.map((a) => `${a.plannedOn} ${a.stage} ${a.kind} [${a.channels}] ${a.deadlineOn ?? ""} ${a.requiresReview ? "REVIEW" : ""} covers=${a.covers.map(c=>c.key)}`).join("\n"));
  const late = s.forecast(acct, "2026-05-10", "2026-12-01");
  console.log("late start", late.map((a) => `${a.plannedOn} ${a.stage} covers=${a.covers.map(c=>c.key)}`).join("\n"));
}
