#!/usr/bin/env node
/**
 * `npm run site` (after `npm run build`): the docs site, in `site/` (git-ignored), as GitHub Pages
 * publishes it (.github/workflows/pages.yml):
 * - README.md as `index.html`, CHANGELOG.md, every `docs/*.md`, and every Markdown file they link
 *   (examples/verify-ci.md, …), rendered by markdown-it, each link rewritten to the page or file it
 *   names inside the site, headings given GitHub's ids so `cli.md#exit-codes` still lands;
 * - the pictures and example files the pages link, copied at their own paths; a linked folder
 *   (`examples/`) gets a listing page;
 * - `studio.html`, the file `property-dunning studio --out` writes (the CLI itself writes it);
 * - the API reference, TypeDoc with typedoc.json's settings, in `api/`.
 * No ledger is published: a linked file that is one (a JSON object with `accounts`, or a
 * database) is named as a repository path, not copied. A link to a file that does not exist, or
 * outside the repository, is reported (file, link) and the build fails (exit 1) after writing the
 * rest; nothing is skipped in silence. `--out <dir>` writes elsewhere: a new or empty folder, or
 * one an earlier build wrote (it holds the `.nojekyll` this writes), never the checkout or a
 * folder that holds it (a usage error, exit 2), since the folder is emptied first.
 */
import { execFileSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { isAbsolute, join, posix, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import MarkdownIt from "markdown-it";

const root = fileURLToPath(new URL("..", import.meta.url));
const outAt = process.argv.indexOf("--out");
const out = resolve(outAt > 0 ? process.argv[outAt + 1] ?? "site" : join(root, "site"));
const problems = [];

/** Where a repository file is published: `README.md` is the site's front page; other Markdown becomes `.html`. */
const siteName = (path) => (path === "README.md" ? "index.html" : path.endsWith(".md") ? `${path.slice(0, -3)}.html` : path);
/** A path from one published file to another, as a link in the first. */
const linkFrom = (page, target) => posix.relative(posix.dirname(page), target) || posix.basename(target);

/** A ledger is never published, made-up or not: a database, or JSON whose top level holds `accounts`. */
function isLedger(path) {
  if (/\.(db|sqlite3?)$/i.test(path)) return true;
  if (!path.endsWith(".json")) return false;
  try {
    const value = JSON.parse(readFileSync(join(root, path), "utf8"));
    return typeof value === "object" && value !== null && "accounts" in value;
  } catch {
    return false;
  }
}

/** GitHub's heading ids (github-slugger): lower case, punctuation dropped, spaces as hyphens, repeats numbered. */
function slugger() {
  const seen = new Map();
  return (text) => {
    const base = text.toLowerCase().trim().replace(/[^\p{L}\p{M}\p{N}\p{Pc}\- ]/gu, "").replace(/ /g, "-");
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    return n === 0 ? base : `${base}-${n}`;
  };
}

const pages = new Map(); // repository path of a Markdown file → its title, once rendered
const folders = new Set(); // repository folders linked as such
const queue = ["README.md", "CHANGELOG.md", ...readdirSync(join(root, "docs")).filter((f) => f.endsWith(".md")).sort().map((f) => `docs/${f}`)];
const copies = new Set();

/**
 * A link or image source of the page `from` (a repository path), as it reads in the site; or a
 * repository path to name in text when the target is not published (a ledger).
 */
function resolveLink(href, from) {
  if (/^[a-z][a-z0-9+.-]*:/i.test(href) || href.startsWith("//") || href.startsWith("#")) return { href };
  const hash = href.indexOf("#");
  const [path, fragment] = hash < 0 ? [href, ""] : [href.slice(0, hash), href.slice(hash)];
  const target = posix.normalize(posix.join(posix.dirname(from), decodeURIComponent(path)));
  if (target.startsWith("../") || posix.isAbsolute(target)) {
    problems.push(`${from}: link ${href}: outside the repository`);
    return { href };
  }
  const file = join(root, target);
  if (!existsSync(file)) {
    problems.push(`${from}: link ${href}: no such file (${target})`);
    return { href };
  }
  const page = siteName(from);
  if (statSync(file).isDirectory()) {
    const folder = target.replace(/\/$/, "");
    folders.add(folder);
    return { href: linkFrom(page, `${folder}/index.html`) + fragment };
  }
  if (isLedger(target)) return { unpublished: target };
  if (target.endsWith(".md")) queue.push(target);
  else copies.add(target);
  return { href: linkFrom(page, siteName(target)) + fragment };
}

const md = new MarkdownIt({ html: true, linkify: false });
// Links, images and heading ids, rewritten once the page is parsed (env.from: the page's repository path).
md.core.ruler.push("site", (state) => {
  const slug = slugger();
  state.tokens.forEach((token, i) => {
    if (token.type === "heading_open") {
      const inline = state.tokens[i + 1];
      const text = inline.children.filter((c) => c.type === "text" || c.type === "code_inline").map((c) => c.content).join("");
      token.attrSet("id", slug(text));
      if (token.tag === "h1" && state.env.title === undefined) state.env.title = text;
    }
    if (token.type !== "inline") return;
    token.children.forEach((child, j) => {
      if (child.type === "image") child.attrSet("src", resolveLink(child.attrGet("src"), state.env.from).href);
      if (child.type !== "link_open") return;
      const to = resolveLink(child.attrGet("href"), state.env.from);
      if (to.href !== undefined) return child.attrSet("href", to.href);
      // A ledger: the link's text stays, with the repository path the reader can open in a checkout.
      child.type = "html_inline";
      child.content = `<span class="unpublished" title="${md.utils.escapeHtml(to.unpublished)}, in the repository">`;
      const close = token.children.slice(j).find((c) => c.type === "link_close");
      close.type = "html_inline";
      close.content = ` <small>(a ledger: in the repository, not on this site)</small></span>`;
    });
  });
});

const CSS = `
body { font-family: "DejaVu Sans", "Liberation Sans", Arial, Helvetica, "Noto Sans CJK SC", sans-serif; margin: 0; color: #0f172a; line-height: 1.5; }
nav { background: #0f172a; padding: 8px 24px; display: flex; flex-wrap: wrap; gap: 4px 18px; }
nav a { color: #e2e8f0; text-decoration: none; font-size: 14px; }
main { max-width: 980px; margin: 0 auto; padding: 8px 24px 48px; }
pre { background: #f1f5f9; padding: 10px 12px; overflow-x: auto; font-size: 13px; }
code { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 0.92em; }
table { border-collapse: collapse; font-size: 14px; }
th, td { border: 1px solid #cbd5e1; padding: 4px 8px; text-align: left; vertical-align: top; }
img { max-width: 100%; border: 1px solid #e2e8f0; }
.unpublished code { color: #475569; }
`;

const NAV = [
  ["Home", "index.html"],
  ["Getting started", "docs/getting-started.html"],
  ["Concepts", "docs/concepts.html"],
  ["Command line", "docs/cli.html"],
  ["Policy reference", "docs/policy-reference.html"],
  ["Recipes", "docs/recipes.html"],
  ["Policy studio", "studio.html"],
  ["API reference", "api/index.html"],
];

function page(at, title, body) {
  const nav = NAV.map(([text, href]) => `<a href="${linkFrom(at, href)}">${text}</a>`).join("\n");
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${md.utils.escapeHtml(title === "property-dunning" ? title : `${title} · property-dunning`)}</title>
<style>${CSS}</style>
</head>
<body>
<nav>
${nav}
</nav>
<main>
${body}</main>
</body>
</html>
`;
}

function write(path, text) {
  mkdirSync(posix.dirname(join(out, path)), { recursive: true });
  writeFileSync(join(out, path), text);
}

// The folder is emptied first: only one this script wrote, or an empty one; never the checkout or above it.
const rootFromOut = relative(out, root);
const holdsRoot = rootFromOut === "" || (!rootFromOut.startsWith("..") && !isAbsolute(rootFromOut));
const ours = !existsSync(out) || readdirSync(out).length === 0 || existsSync(join(out, ".nojekyll"));
if (holdsRoot || !ours) {
  process.stderr.write(`site: --out ${out}: ${holdsRoot ? "holds the checkout" : "is neither empty nor a folder an earlier site build wrote (no .nojekyll)"}; the folder is emptied first, so give a new or empty one\n`);
  process.exit(2);
}
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

while (queue.length > 0) {
  const from = queue.shift();
  if (pages.has(from)) continue;
  pages.set(from, "");
  const env = { from };
  const html = md.render(readFileSync(join(root, from), "utf8"), env);
  pages.set(from, env.title ?? from);
  write(siteName(from), page(siteName(from), env.title ?? from, html));
}

for (const folder of [...folders].sort()) {
  const at = `${folder}/index.html`;
  const items = readdirSync(join(root, folder), { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((entry) => {
      const path = `${folder}/${entry.name}`;
      if (entry.isDirectory()) return `<li>${md.utils.escapeHtml(entry.name)}/ (in the repository)</li>`;
      if (isLedger(path)) return `<li><span class="unpublished">${md.utils.escapeHtml(entry.name)} (a ledger, in the repository)</span></li>`;
      if (path.endsWith(".md") && !pages.has(path)) problems.push(`${at}: ${path} is listed but not rendered`);
      if (!path.endsWith(".md")) copies.add(path);
      return `<li><a href="${linkFrom(at, siteName(path))}">${md.utils.escapeHtml(entry.name)}</a></li>`;
    });
  write(at, page(at, `${folder}/`, `<h1>${md.utils.escapeHtml(folder)}/</h1>\n<ul>\n${items.join("\n")}\n</ul>\n`));
}

for (const path of copies) {
  mkdirSync(posix.dirname(join(out, path)), { recursive: true });
  copyFileSync(join(root, path), join(out, path));
}

// The studio as the command line writes it, and the API reference with typedoc.json's settings (warnings are errors).
const cli = join(root, "dist/cli.js");
if (!existsSync(cli)) problems.push("studio.html: dist/cli.js is not built: run npm run build first");
else execFileSync(process.execPath, [cli, "studio", "--out", join(out, "studio.html")], { cwd: root, stdio: ["ignore", "ignore", "inherit"] });
execFileSync(process.execPath, [join(root, "node_modules/typedoc/bin/typedoc"), "--out", join(out, "api"), "--logLevel", "Warn"], { cwd: root, stdio: ["ignore", "inherit", "inherit"] });
// GitHub Pages serves the files as they are (no Jekyll, which would hide names that begin with _).
writeFileSync(join(out, ".nojekyll"), "");

if (problems.length > 0) {
  for (const p of problems) process.stderr.write(`site: ${p}\n`);
  process.exitCode = 1;
} else process.stdout.write(`site written to ${posix.relative(process.cwd(), out) || "."}: ${pages.size} pages, ${copies.size} files, studio.html, api/\n`);
