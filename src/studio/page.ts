/**
 * The studio's one HTML file: the page's frame and styles, the app script (CodeMirror and the
 * library's root entry, bundled for the browser as an IIFE) and the worker's script (the root
 * entry with the proof kit and fast-check), both inlined so that the file opens from `file://`
 * with no network. The worker's text sits in a `text/plain` script and is started from a Blob.
 */

/** Text put inside a `<script>`: nothing in it may end the element early. */
function scriptText(code: string): string {
  return code.replace(/<\/(script)/gi, "<\\/$1").replace(/<!--/g, "<\\!--");
}

export interface StudioAssets {
  /** The app bundle (dist/studio/app.js). */
  app: string;
  /** The worker bundle (dist/studio/worker.js). */
  worker: string;
  /** The library's version, shown in the page. */
  version: string;
}

const STYLE = `
*{box-sizing:border-box}
body{margin:0;font:14px/1.45 system-ui,"Noto Sans CJK SC","PingFang SC","Microsoft YaHei",sans-serif;color:#1f2328;background:#f6f7f9}
header{display:flex;gap:12px;align-items:center;padding:8px 16px;background:#24292f;color:#fff;flex-wrap:wrap}
header h1{font-size:17px;margin:0 12px 0 0}
header .version{opacity:.7;font-size:12px}
header label{display:flex;gap:6px;align-items:center}
header .spacer{flex:1}
button,select,input{font:inherit}
button{padding:4px 12px;border:1px solid #8c959f;border-radius:6px;background:#fff;color:#1f2328;cursor:pointer}
button[aria-pressed=true]{background:#0969da;color:#fff;border-color:#0969da}
main,.lower{display:grid;grid-template-columns:minmax(420px,5fr) 7fr;gap:12px;padding:12px}
section{background:#fff;border:1px solid #d0d7de;border-radius:8px;padding:10px 12px;min-width:0}
section h2{font-size:15px;margin:0 0 8px}
#editor .cm-editor{height:640px;border:1px solid #d0d7de;font-size:13px}
#problems{list-style:none;margin:0;padding:0;max-height:180px;overflow:auto}
#problems li{padding:3px 6px;border-left:3px solid #cf222e;margin:2px 0;background:#fff5f5;cursor:pointer}
#problems li.ok{border-color:#1a7f37;background:#f0fff4;cursor:default}
#problems code{font-size:12px;color:#57606a;margin-right:6px}
#picture svg,#account-picture svg,#counterexample svg{width:100%;height:auto;display:block}
#picture.stale{opacity:.45}
.note{color:#57606a;font-size:12px}
.wide{grid-column:1 / -1}
textarea{width:100%;height:150px;font:12px/1.4 ui-monospace,monospace}
table{border-collapse:collapse;font-size:13px;margin-top:8px}
td,th{border-bottom:1px solid #d8dee4;padding:3px 8px;text-align:left;white-space:nowrap}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
tr.fail td{color:#cf222e;font-weight:600}
tr.pass td:nth-child(2){color:#1a7f37}
pre{white-space:pre-wrap;font-size:12px;background:#f6f8fa;padding:8px;max-height:260px;overflow:auto}
.row{display:flex;gap:10px;align-items:center;flex-wrap:wrap;margin:6px 0}
.cm-tooltip.cm-tooltip-hover{max-width:420px;padding:6px 8px}
`;

const BODY = `
<div id="top">
<header>
  <h1 data-t="title">Policy studio</h1><span class="version" id="version"></span>
  <label><span data-t="start">Start from</span>
    <select id="start"><option value="residential">residential</option><option value="commercial">commercial</option><option value="relative">relative</option></select></label>
  <span class="spacer"></span>
  <span role="group" aria-label="language"><button id="lang-en" data-lang="en" aria-pressed="true">EN</button> <button id="lang-zh" data-lang="zh-CN" aria-pressed="false">中文</button></span>
  <button id="save" data-t="save">Save policy</button>
</header>
<main>
  <section><div id="editor"></div></section>
  <div>
    <section><h2 data-t="problems">Problems</h2><ul id="problems"></ul></section>
    <section style="margin-top:12px"><h2 data-t="ladder">The ladder</h2><div id="picture"></div><p class="note" id="stale" hidden data-t="stale"></p></section>
  </div>
</main>
</div>
<div class="lower">
  <section class="wide" id="forecast-section"><h2 data-t="forecast">Forecast of an account</h2>
    <div class="row"><label><span data-t="asOf">From</span> <input id="as-of" type="date"></label>
      <label><span data-t="days">Days</span> <input id="days" type="number" min="1" max="1500" value="400" style="width:6em"></label>
      <label><span data-t="sample">Sample</span> <select id="sample"><option value="stopped" data-t="sampleStopped">Stopped paying in March 2026</option><option value="residual" data-t="sampleResidual">Paid late, a late fee left (elderly owner)</option></select></label>
      <button id="run-forecast" data-t="runForecast">Forecast</button></div>
    <label><span data-t="account">Account</span><textarea id="account" spellcheck="false"></textarea></label>
    <div id="forecast"></div><div id="account-picture"></div>
  </section>
  <section class="wide" id="verify-section"><h2 data-t="verify">Invariants (verify)</h2>
    <div class="row"><label><span data-t="runs">Runs</span> <input id="runs" type="number" min="1" max="10000" value="50" style="width:6em"></label>
      <label><span data-t="seed">Seed</span> <input id="seed" type="number" value="1" style="width:8em"></label>
      <button id="run-verify" data-t="runVerify">Run verify</button></div>
    <div id="verify"></div><div id="counterexample"></div>
  </section>
</div>
`;

/** The whole page. */
export function studioPage(assets: StudioAssets): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline' blob:; worker-src blob:; style-src 'unsafe-inline'; img-src data: blob:; connect-src 'none'">
<title>property-dunning policy studio</title>
<style>${STYLE}</style>
</head>
<body>${BODY}
<script type="text/plain" id="pd-worker">${scriptText(assets.worker)}</script>
<script>window.PD_VERSION=${JSON.stringify(assets.version)};</script>
<script>${scriptText(assets.app)}</script>
</body>
</html>
`;
}
