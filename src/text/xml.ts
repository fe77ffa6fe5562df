/**
 * Markup for XML and HTML (the timeline's SVG, the report's page): ledger text as character data
 * or a double-quoted attribute value, never as markup.
 */
import { xmlChars } from "./safe-text.js";

/** XML text content: characters XML does not allow become U+FFFD (`xmlChars`); `&`, `<`, `>` are escaped. */
export function escapeText(text: string): string {
  return xmlChars(text).replace(/[&<>]/g, (c) => (c === "&" ? "&amp;" : c === "<" ? "&lt;" : "&gt;"));
}

/** XML attribute values (always double-quoted): also `"` and `'`. */
export function escapeAttr(text: string): string {
  return escapeText(text).replace(/"/g, "&quot;").replace(/'/g, "&#39;");
}

/**
 * One self-contained HTML page: `body` and `css` as given, the title escaped, and a
 * Content-Security-Policy that lets the browser load nothing (no script, font, image or link
 * from anywhere, inline styles and data: images only), so that the page opens from a file,
 * offline, and a ledger's text can never make it fetch or run anything.
 */
export function selfContainedPage(page: { lang: string; title: string; css: string; body: string }): string {
  return `<!DOCTYPE html>
<html lang="${escapeAttr(page.lang)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>${escapeText(page.title)}</title>
<style>${page.css}</style>
</head>
<body>
${page.body}
</body>
</html>
`;
}
