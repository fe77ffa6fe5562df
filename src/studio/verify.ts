/**
 * `verify` in the page: the edited policy is sent to a web worker (worker.ts, started from the
 * text of the page's `#pd-worker` script), which runs every invariant of the proof kit. Each
 * result is a row; a failure shows its counterexample day by day (the kit's own text) and drawn
 * as the account's timeline (the scheduler's forecast of the shrunk account, the timeline's SVG).
 */
import { createScheduler, renderTimelineSvg, safeParsePolicy } from "../index.js";
import { issueText, t, type StudioLocale } from "./messages.js";
import type { VerifyReply, VerifyRequest } from "./verify-protocol.js";

let worker: Worker | undefined;

function startWorker(): Worker {
  const source = document.getElementById("pd-worker")!.textContent ?? "";
  return new Worker(URL.createObjectURL(new Blob([source], { type: "text/javascript" })));
}

function ask(request: VerifyRequest): Promise<VerifyReply> {
  // One run at a time: a run still going is ended and its worker replaced.
  worker?.terminate();
  const w = (worker = startWorker());
  return new Promise((resolve) => {
    w.onmessage = (e: MessageEvent<VerifyReply>) => resolve(e.data);
    w.onerror = (e) => resolve({ type: "error", message: e.message || "the worker failed to start" });
    w.postMessage(request);
  });
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, text?: string, className?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (className) node.className = className;
  return node;
}

/** Runs the invariants on `policyText` and shows the outcome in `#verify` and `#counterexample`. */
export async function runVerify(policyText: string, locale: StudioLocale): Promise<void> {
  const out = document.getElementById("verify")!;
  const picture = document.getElementById("counterexample")!;
  out.dataset.status = "running";
  out.replaceChildren(el("p", t("running", locale), "note"));
  picture.replaceChildren();
  const runs = Number((document.getElementById("runs") as HTMLInputElement).value) || 50;
  const seed = Number((document.getElementById("seed") as HTMLInputElement).value) || 0;
  const reply = await ask({ policyText, runs, seed });
  if (reply.type === "invalid") {
    out.replaceChildren(el("p", t("invalidPolicy", locale)), ...reply.issues.map((i) => el("p", `${i.path}: ${issueText(i, locale)}`, "note")));
    out.dataset.status = "invalid";
    return;
  }
  if (reply.type === "error") {
    out.replaceChildren(el("pre", reply.message));
    out.dataset.status = "error";
    return;
  }
  const table = el("table");
  table.id = "verify-table";
  const head = table.createTHead().insertRow();
  for (const h of ["invariant", "result", "runs", "ms", "kind"]) head.append(el("th", h));
  for (const r of reply.results) {
    const row = table.createTBody().insertRow();
    row.className = r.ok ? "pass" : "fail";
    row.dataset.invariant = r.name;
    for (const v of [r.name, r.ok ? "pass" : "FAIL", String(r.runs), String(r.ms), r.scope]) row.append(el("td", v));
  }
  const failed = reply.results.filter((r) => !r.ok);
  const summary = failed.length === 0 ? t("allHold", locale) : `${failed.length} ${t("failed", locale)}: ${failed.map((r) => r.name).join(", ")} (seed ${reply.seed})`;
  out.replaceChildren(el("p", summary, failed.length ? "" : "note"), table);
  const first = failed[0];
  if (first && !first.ok) {
    out.append(
      el("h3", `${t("counterexample", locale)} — ${first.name}: ${first.description}`),
      el("p", first.error),
      el("pre", `${first.from} → ${first.to}${first.asOf ? `, ${first.asOf}` : ""}\n${first.timeline}\n\nreproduce: --seed ${first.seed} (path ${first.path})`),
    );
    const parsed = safeParsePolicy(policyText);
    if (parsed.ok) {
      try {
        const forecast = createScheduler(parsed.value).forecast(first.counterexample, first.from, first.to);
        picture.innerHTML = renderTimelineSvg(parsed.value, { forecast, account: first.counterexample, from: first.from });
      } catch (error) {
        picture.replaceChildren(el("p", String((error as Error).message), "note"));
      }
    }
  }
  out.dataset.status = failed.length === 0 ? "pass" : "fail";
}
