/**
 * The policy studio in the browser: a CodeMirror 6 editor with the policy's JSON Schema
 * (completion and descriptions from codemirror-json-schema), the library's own
 * `safeParsePolicy` issues shown live at their paths, the ladder drawn by the timeline's SVG
 * renderer on each valid edit, a forecast of an account, and `verify` in a web worker
 * (verify.ts). Everything the library decides comes from its root entry (`../index.js`), the
 * same code the CLI runs.
 */
import { EditorView, basicSetup } from "codemirror";
import { completionStatus, currentCompletions, startCompletion } from "@codemirror/autocomplete";
import { hoverTooltip } from "@codemirror/view";
import { json, jsonLanguage } from "@codemirror/lang-json";
import { syntaxTree } from "@codemirror/language";
import { lintGutter, setDiagnostics, type Diagnostic } from "@codemirror/lint";
import { jsonCompletion, jsonSchemaHover, stateExtensions } from "codemirror-json-schema";
import { builtinPolicySource, policyJsonSchema, renderTimelineSvg, safeParsePolicy, type BuiltinPolicyId, type Issue, type Policy } from "../index.js";
import { runForecast, sampleAccountText, type SampleAccount } from "./forecast.js";
import { rangeOfPath } from "./json-path.js";
import { issueText, t, UI, type StudioLocale, type UiKey } from "./messages.js";
import { runVerify } from "./verify.js";

const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;

/** What the page knows, readable by people debugging and by the browser test. */
export interface StudioState {
  locale: StudioLocale;
  /** The last valid policy (drawn in the picture). */
  policy?: Policy;
  issues: Issue[];
  /** The picture of the last valid policy, as the timeline's renderer wrote it. */
  svg?: string;
  /** Counts the checks done: a test waits for it to move after an edit. */
  generation: number;
}

const state: StudioState = { locale: "en", issues: [], generation: 0 };

/** A built-in as a starting point: its text with an id and version of its own (a changed copy may not claim the built-in's). */
export function startingText(id: BuiltinPolicyId): string {
  const source = builtinPolicySource(id) as Record<string, unknown>;
  delete source.$schema;
  return `${JSON.stringify({ ...source, id: `my-${id}`, version: "draft-1" }, null, 2)}\n`;
}

function translate(): void {
  document.documentElement.lang = state.locale;
  for (const el of document.querySelectorAll<HTMLElement>("[data-t]")) el.textContent = t(el.dataset.t as UiKey, state.locale);
  for (const b of document.querySelectorAll<HTMLButtonElement>("button[data-lang]")) b.setAttribute("aria-pressed", String(b.dataset.lang === state.locale));
}

function diagnosticsOf(view: EditorView, issues: readonly Issue[]): Diagnostic[] {
  const top = syntaxTree(view.state).topNode;
  const text = (from: number, to: number) => view.state.sliceDoc(from, to);
  return issues.map((issue) => {
    const r = rangeOfPath(top, issue.path, text);
    // A missing field: mark the opening brace of the object that should hold it, not the whole object.
    const to = r.exact ? r.to : Math.min(r.to, r.from + 1);
    return { from: r.from, to, severity: "error", source: issue.code, message: `${issue.path ? `${issue.path}: ` : ""}${issueText(issue, state.locale)}` };
  });
}

function showProblems(view: EditorView): void {
  const list = $("problems");
  list.replaceChildren();
  if (state.issues.length === 0) {
    const li = document.createElement("li");
    li.className = "ok";
    li.textContent = t("noProblems", state.locale);
    list.append(li);
  }
  const diagnostics = diagnosticsOf(view, state.issues);
  state.issues.forEach((issue, i) => {
    const li = document.createElement("li");
    li.dataset.code = issue.code;
    li.dataset.path = issue.path;
    const code = document.createElement("code");
    code.textContent = `${issue.code}${issue.path ? ` @ ${issue.path}` : ""}`;
    li.append(code, issueText(issue, state.locale));
    const d = diagnostics[i]!;
    li.addEventListener("click", () => view.dispatch({ selection: { anchor: d.from, head: d.to }, scrollIntoView: true }));
    list.append(li);
  });
  view.dispatch(setDiagnostics(view.state, diagnostics));
}

function drawLadder(): void {
  const picture = $("picture");
  if (state.policy) {
    state.svg = renderTimelineSvg(state.policy);
    picture.innerHTML = state.svg;
  }
  picture.classList.toggle("stale", state.issues.length > 0);
  $("stale").hidden = state.issues.length === 0 || !state.policy;
}

function check(view: EditorView): void {
  const result = safeParsePolicy(view.state.doc.toString());
  state.issues = result.ok ? [] : result.issues;
  if (result.ok) state.policy = result.value;
  showProblems(view);
  drawLadder();
  // The forecast follows the policy too (its own errors, of the account, show in its place).
  if (result.ok) runForecast(state.policy, state.locale);
  state.generation++;
}

function save(view: EditorView): void {
  const text = view.state.doc.toString();
  const parsed = safeParsePolicy(text);
  const name = `${parsed.ok ? parsed.value.id : "policy"}.json`;
  const a = document.createElement("a");
  a.href = URL.createObjectURL(new Blob([text], { type: "application/json" }));
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
}

function start(): void {
  const schema = policyJsonSchema() as Parameters<typeof stateExtensions>[0];
  let pending: ReturnType<typeof setTimeout> | undefined;
  const view: EditorView = new EditorView({
    doc: startingText("residential"),
    parent: $("editor"),
    extensions: [
      basicSetup,
      json(),
      lintGutter(),
      EditorView.lineWrapping,
      jsonLanguage.data.of({ autocomplete: jsonCompletion() }),
      hoverTooltip(jsonSchemaHover()),
      stateExtensions(schema),
      EditorView.updateListener.of((u) => {
        if (!u.docChanged) return;
        clearTimeout(pending);
        pending = setTimeout(() => check(view), 250);
      }),
    ],
  });
  $("version").textContent = `property-dunning ${(window as unknown as { PD_VERSION?: string }).PD_VERSION ?? ""}`;
  $<HTMLSelectElement>("start").addEventListener("change", (e) => {
    const id = (e.target as HTMLSelectElement).value as BuiltinPolicyId;
    view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: startingText(id) } });
  });
  for (const b of document.querySelectorAll<HTMLButtonElement>("button[data-lang]"))
    b.addEventListener("click", () => {
      state.locale = b.dataset.lang as StudioLocale;
      translate();
      showProblems(view);
      runForecast(state.policy, state.locale);
    });
  $("save").addEventListener("click", () => save(view));
  $<HTMLInputElement>("as-of").value = "2026-03-01";
  $<HTMLTextAreaElement>("account").value = sampleAccountText();
  $<HTMLSelectElement>("sample").addEventListener("change", (e) => {
    $<HTMLTextAreaElement>("account").value = sampleAccountText((e.target as HTMLSelectElement).value as SampleAccount);
    $<HTMLInputElement>("as-of").value = "2026-03-01";
    runForecast(state.policy, state.locale);
  });
  $("run-forecast").addEventListener("click", () => runForecast(state.policy, state.locale));
  $("run-verify").addEventListener("click", () => void runVerify(view.state.doc.toString(), state.locale));
  translate();
  check(view);
  runForecast(state.policy, state.locale);
  // For people debugging in the console and for the browser test: the editor, the state, and what completion offers.
  const completions = () => ({ status: completionStatus(view.state), labels: currentCompletions(view.state).map((c) => c.label) });
  Object.assign(window, { studio: { view, state, check: () => check(view), completions, complete: () => startCompletion(view), labels: UI } });
}

start();
