/**
 * Text for people, on every output: ledger text escaped for a terminal, XML (SVG, HTML) and JSON
 * (safe-text.ts), markup escaped for XML and HTML (xml.ts), and plain tables (table.ts).
 */
export { terminalText, xmlChars, jsonText, CONTROL_CLASS, BIDI_CLASS, LONE_SURROGATE } from "./safe-text.js";
export { escapeText, escapeAttr, selfContainedPage } from "./xml.js";
export { table, accountIssuesText, terminalIssues } from "./table.js";
