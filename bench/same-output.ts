/**
 * Prints what the library makes of a portfolio, so that a change meant to be faster can be shown
 * to change nothing: `npx tsx bench/same-output.ts --mix realistic --size 20k > before.txt`, then
 * the same after the change, then `cmp before.txt after.txt`. One line per account: the JSON of
 * every action `dueActions` plans for it (checking included, with the segment's built-in policy as
 * `plan()` picks it); then, for the first 2,000 accounts, the same account damaged in each of a
 * fixed list of ways (a field removed, of the wrong type, a date that is no date, an id repeated…),
 * with the issues `normalizeAccount` reports for it (or the checked account, when it still passes).
 */
import { normalizeAccount } from "../src/ledger/check-account.js";
import { schedulerPicker } from "../src/ledger/plan.js";
import { portfolio, mixAsOf, selectMix } from "./portfolio.js";

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1]! : fallback;
}
const mix = arg("--mix", "realistic");
const sizeText = arg("--size", "20k");
const n = Math.round(Number.parseFloat(sizeText) * (/k$/i.test(sizeText) ? 1e3 : /m$/i.test(sizeText) ? 1e6 : 1));
selectMix(mix, n);
const asOf = mixAsOf();
const pick = schedulerPicker();
const out: string[] = [];
const flush = () => void (process.stdout.write(out.join("")), (out.length = 0));

for (const s of portfolio(n)) {
  out.push(`${s.id} ${JSON.stringify(pick(s.segment).dueActions(s, asOf))}\n`);
  if (out.length >= 1000) flush();
}

/** Ways to damage an account: each returns a changed deep copy (or undefined when it does not apply). */
type Damage = (a: any) => void;
const first = (list: unknown) => (Array.isArray(list) && list.length > 0 ? list[0] : undefined);
const last = (list: unknown) => (Array.isArray(list) && list.length > 0 ? list[list.length - 1] : undefined);
const DAMAGES: Record<string, Damage> = {
  "no id": (a) => delete a.id,
  "charges not a list": (a) => (a.charges = {}),
  "charge not an object": (a) => (a.charges[0] = "x"),
  "charge id empty": (a) => first(a.charges) && (a.charges[0].id = ""),
  "charge id repeated": (a) => a.charges.length > 1 && (a.charges[1].id = a.charges[0].id),
  "charge period bad": (a) => first(a.charges) && (a.charges[0].period = "2026-13"),
  "charge dueOn bad": (a) => last(a.charges) && (last(a.charges).dueOn = "2026-02-30"),
  "charge dueOn number": (a) => first(a.charges) && (a.charges[0].dueOn = 20513),
  "charge amount negative": (a) => first(a.charges) && (a.charges[0].amountMinor = -1),
  "charge amount fraction": (a) => first(a.charges) && (a.charges[0].amountMinor = 1.5),
  "charges unsafe sum": (a) => a.charges.length > 1 && (a.charges[0].amountMinor = a.charges[1].amountMinor = Number.MAX_SAFE_INTEGER),
  "charges reversed": (a) => a.charges.reverse(),
  "payments not a list": (a) => (a.payments = "x"),
  "payment id repeated": (a) => a.payments?.length > 1 && (a.payments[1].id = a.payments[0].id),
  "payment id number": (a) => first(a.payments) && (a.payments[0].id = 7),
  "payment on bad": (a) => first(a.payments) && (a.payments[0].on = "2026-1-01"),
  "payment zero": (a) => first(a.payments) && (a.payments[0].amountMinor = 0),
  "payments reversed": (a) => a.payments?.reverse(),
  "payment not an object": (a) => first(a.payments) && (a.payments[0] = null),
  "actions not a list": (a) => (a.actions = 3),
  "action not an object": (a) => first(a.actions) && (a.actions[0] = []),
  "action id empty": (a) => first(a.actions) && (a.actions[0].id = ""),
  "action stage number": (a) => first(a.actions) && (a.actions[0].stage = 1),
  "action on bad": (a) => first(a.actions) && (a.actions[0].on = "tomorrow"),
  "action covers bad": (a) => first(a.actions) && (a.actions[0].covers = [1]),
  "action covers absent": (a) => first(a.actions) && delete a.actions[0].covers,
  "action channels bad": (a) => first(a.actions) && (a.actions[0].channels = ["fax"]),
  "action conversation bad": (a) => first(a.actions) && (a.actions[0].conversation = "yes"),
  "action conversation null": (a) => first(a.actions) && (a.actions[0].conversation = null),
  "actions reversed": (a) => a.actions?.reverse(),
  "owner not an object": (a) => (a.owner = "x"),
  "owner tags bad": (a) => (a.owner = { tags: [1] }),
  "segment bad": (a) => (a.segment = "industrial"),
  "optOuts bad": (a) => (a.optOuts = ["fax"]),
  "optOuts sms": (a) => (a.optOuts = ["sms"]),
  "holds not a list": (a) => (a.holds = {}),
  "hold type bad": (a) => (a.holds = [{ type: "amnesty", id: "h" }]),
  "hold dispute": (a) => (a.holds = [{ type: "dispute", id: "d1", openedOn: "2026-10-01", severity: "minor" }]),
  "hold dispute bad": (a) => (a.holds = [{ type: "dispute", id: "", openedOn: "2026-10-32", severity: "huge", resolvedOn: 5 }]),
  "hold plan unresolved": (a) => (a.holds = [{ type: "installmentPlan", id: "p", agreedOn: "2026-10-01", charges: ["nope", a.charges[0]?.period ?? "x"], instalments: [{ dueOn: "2026-12-01", amountMinor: 100 }] }]),
  "hold plan empty": (a) => (a.holds = [{ type: "installmentPlan", id: "p", agreedOn: "2026-10-01", charges: [], instalments: [] }]),
  "hold promise backwards": (a) => (a.holds = [{ type: "promiseToPay", id: "q", madeOn: "2026-10-05", promisedOn: "2026-10-01", amountMinor: 0 }]),
  "hold manual no reason": (a) => (a.holds = [{ type: "manual", id: "m", from: "2026-10-01", scope: "some", reason: " " }]),
  "not an object": () => undefined,
};

let i = 0;
for (const s of portfolio(Math.min(n, 2_000))) {
  for (const [name, damage] of Object.entries(DAMAGES)) {
    const copy = JSON.parse(JSON.stringify(s));
    const input = name === "not an object" ? [copy] : (damage(copy), copy);
    const r = normalizeAccount(input);
    const shown = r.ok ? { ok: true, charges: r.account.charges, payments: r.account.payments, actions: r.account.actions, holds: r.account.holds.map((h) => ("charges" in h ? { ...h, charges: [...h.charges] } : h)), optOuts: [...r.account.optOuts] } : r;
    out.push(`${s.id} ${name} ${JSON.stringify(shown)}\n`);
  }
  if (++i % 50 === 0) flush();
}
flush();
