/**
 * CLI manners, as a user meets them through the built CLI (`npm test` builds first): every
 * command's --help, unknown options, no colour and no progress line outside a terminal; the
 * colour and progress rules as units; docs/cli.md and the README agree with the commands.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { COMMANDS, COMMAND_NAMES, EXIT_CODES, parseOptionsOf, type CommandName } from "../src/cli/help.js";
import { progressMeter, progressText, PROGRESS_EVERY_MS } from "../src/cli/progress.js";
import { planLedger } from "../src/cli/plan-ledger.js";
import { sqliteLedger } from "../src/adapters/sqlite.js";
import { colorEnabled } from "../src/cli/style.js";
import { spawnCli } from "./helpers.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const CLI = join(root, "dist/cli.js");
const dir = mkdtempSync(join(tmpdir(), "pd-cli-help-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The built CLI with stdout and stderr piped, and no colour asked for either way. */
function run(args: string[], env: Record<string, string> = {}) {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !["FORCE_COLOR", "NO_COLOR", "CI", "TERM", "LANG", "LC_ALL", "LC_MESSAGES"].includes(k)));
  const r = spawnCli(process.execPath, [CLI, ...args], { cwd: root, env: clean, locale: env });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** What users are told each command accepts; written out here so that dropping one from the help fails. */
const EXPECTED_OPTIONS: Record<CommandName, string[]> = {
  validate: ["--help"],
  plan: ["--ledger", "--policy", "--as-of", "--format", "--out", "--help"],
  explain: ["--ledger", "--account", "--policy", "--as-of", "--to", "--format", "--help"],
  record: ["--ledger", "--actions", "--on", "--help"],
  verify: ["--runs", "--seed", "--help"],
  timeline: ["--out", "--policy", "--ledger", "--account", "--as-of", "--help"],
  report: ["--ledger", "--as-of", "--policy", "--format", "--section", "--out-dir", "--bom", "--lang", "--target", "--help"],
  demo: ["--db", "--as-of", "--out", "--help"],
  worker: ["--queue", "--concurrency", "--sender", "--help"],
  run: ["--queue", "--ledger", "--as-of", "--shards", "--policy", "--detach", "--format", "--help"],
  impact: ["--from", "--to", "--ledger", "--as-of", "--days", "--format", "--help"],
  studio: ["--out", "--help"],
};

/** Splits a documented command line into arguments (no quoting is used in the docs' examples). */
function argsOf(commandLine: string): string[] {
  return commandLine
    .replace(/\s+#.*$/, "")
    .replace(/[[\]]/g, "")
    .trim()
    .split(/\s+/)
    .slice(1);
}

const ESC = "\x1b";

describe("--help on every command", () => {
  it("covers every command", () => {
    expect([...COMMAND_NAMES].sort()).toEqual(Object.keys(EXPECTED_OPTIONS).sort());
  });

  for (const command of Object.keys(EXPECTED_OPTIONS) as CommandName[]) {
    it(`${command} --help exits 0 with its usage, options, examples and exit codes; -h and help ${command} say the same`, () => {
      const r = run([command, "--help"]);
      expect(r.code).toBe(0);
      expect(r.err).toBe("");
      expect(r.out).toContain(`Usage:\n  property-dunning ${command}`);
      const optionsSection = r.out.slice(r.out.indexOf("Options:"), r.out.indexOf("Examples:"));
      for (const option of EXPECTED_OPTIONS[command]) expect(optionsSection).toMatch(new RegExp(`(^|\\s)${option}\\b`, "m"));
      const examples = r.out.slice(r.out.indexOf("Examples:"), r.out.indexOf("Exit codes:")).split("\n").filter((l) => l.startsWith(`  property-dunning ${command}`));
      expect(examples.length).toBeGreaterThanOrEqual(2);
      const codes = [...r.out.slice(r.out.indexOf("Exit codes:")).matchAll(/^\s+(\d+)\s{2}\S/gm)].map((m) => Number(m[1]));
      expect(codes).toContain(0);
      expect(codes).toContain(2);
      for (const c of codes) expect(EXIT_CODES.map(([k]) => k)).toContain(c);
      expect(run([command, "-h"]).out).toBe(r.out);
      expect(run(["help", command]).out).toBe(r.out);
    });
  }

  it("every example in the help is accepted by its command's parser", () => {
    for (const command of COMMAND_NAMES)
      for (const { command: line } of COMMANDS[command].examples) {
        expect(line.split(/\s+/)[1], line).toBe(command);
        expect(() => parseArgs({ args: argsOf(line).slice(1), options: parseOptionsOf(command), allowPositionals: true, strict: true }), line).not.toThrow();
      }
  });

  it("--help with no command lists every command and the exit codes, exit 0; no arguments at all is a usage error, exit 2", () => {
    const r = run(["--help"]);
    expect(r.code).toBe(0);
    for (const command of COMMAND_NAMES) expect(r.out).toMatch(new RegExp(`^  ${command}\\s`, "m"));
    for (const [code] of EXIT_CODES) expect(r.out).toMatch(new RegExp(`^\\s+${code}\\s{2}\\S`, "m"));
    const bare = run([]);
    expect(bare.code).toBe(2);
    expect(bare.out).toBe("");
    expect(bare.err).toContain("Commands:");
  });
});

describe("usage errors", () => {
  for (const command of COMMAND_NAMES) {
    it(`${command} --frobnicate exits 2 naming the option and where to look`, () => {
      const r = run([command, "--frobnicate"]);
      expect(r.code).toBe(2);
      expect(r.out).toBe("");
      expect(r.err).toContain(`property-dunning: ${command}: unknown option --frobnicate`);
      expect(r.err).toContain(`property-dunning ${command} --help`);
    });
  }

  it("an option of another command is unknown here, a missing value is named, and so are an unknown command and help topic", () => {
    const other = run(["validate", "examples/green-garden.json", "--ledger", "examples/ledger.json"]);
    expect(other.code).toBe(2);
    expect(other.err).toContain("unknown option --ledger");
    const missing = run(["plan", "--ledger"]);
    expect(missing.code).toBe(2);
    expect(missing.err).toContain("option --ledger needs a value");
    expect(run(["frobnicate"])).toMatchObject({ code: 2, err: expect.stringContaining('unknown command "frobnicate"') });
    expect(run(["help", "frobnicate"])).toMatchObject({ code: 2, err: expect.stringContaining('unknown command "frobnicate"') });
    expect(run(["plan", "--ledger", "examples/ledger.json", "extra"])).toMatchObject({ code: 2, err: expect.stringContaining('unexpected argument "extra"') });
  });

  it("a ledger that does not exist is invalid input naming the file; one of no known kind is a usage error; neither a crash", () => {
    expect(run(["plan", "--ledger", join(dir, "missing.json")])).toMatchObject({ code: 1, err: expect.stringContaining(`file not found: ${join(dir, "missing.json")}`) });
    expect(run(["plan", "--ledger", "ledger.txt"])).toMatchObject({ code: 2, err: expect.stringContaining('unknown ledger "ledger.txt"') });
  });
});

describe("colours: only on a terminal", () => {
  const bad = join(dir, "bad-policy.json");
  writeFileSync(bad, JSON.stringify({ extends: "residential", id: "Bad", version: "1" }));
  const runs: [string, string[]][] = [
    ["help", ["plan", "--help"]],
    ["a valid policy", ["validate", "examples/green-garden.json"]],
    ["an invalid policy", ["validate", bad]],
    ["a plan", ["plan", "--ledger", "examples/ledger.json", "--as-of", "2026-04-25"]],
    ["a usage error", ["plan", "--frobnicate"]],
  ];

  it("writes no escape sequence to a pipe", () => {
    for (const [what, args] of runs) {
      const r = run(args);
      expect(r.out + r.err, what).not.toContain(ESC);
    }
  });

  it("FORCE_COLOR colours a pipe (so the check above has something to catch); NO_COLOR alone leaves it plain", () => {
    const forced = run(["validate", "examples/green-garden.json"], { FORCE_COLOR: "1" });
    expect(forced.out).toContain(`${ESC}[32mvalid${ESC}[39m`);
    expect(run([], { FORCE_COLOR: "1" }).err).toContain(`${ESC}[1mUsage:`);
    expect(run(["validate", bad], { FORCE_COLOR: "1" }).err).toContain(`${ESC}[31m`);
    expect(run(["validate", "examples/green-garden.json"], { FORCE_COLOR: "0" }).out).not.toContain(ESC);
  });

  it("follows FORCE_COLOR, then NO_COLOR and TERM=dumb, then whether the stream is a terminal", () => {
    const tty = { isTTY: true };
    const pipe = {};
    expect(colorEnabled(tty, {})).toBe(true);
    expect(colorEnabled(pipe, {})).toBe(false);
    expect(colorEnabled(tty, { NO_COLOR: "1" })).toBe(false);
    expect(colorEnabled(tty, { NO_COLOR: "" })).toBe(true); // no-color.org: present and not empty
    expect(colorEnabled(tty, { TERM: "dumb" })).toBe(false);
    expect(colorEnabled(pipe, { FORCE_COLOR: "1" })).toBe(true);
    expect(colorEnabled(pipe, { FORCE_COLOR: "1", NO_COLOR: "1" })).toBe(true);
    expect(colorEnabled(tty, { FORCE_COLOR: "0" })).toBe(false);
  });
});

describe("the progress line of a long plan", () => {
  function fakeStream(isTTY: boolean) {
    const writes: string[] = [];
    return { writes, stream: { isTTY, write: (s: string) => void writes.push(s) } };
  }
  /** A clock the test moves: `ms` from the start. */
  function fakeClock() {
    const clock = { ms: 0, now: () => clock.ms };
    return clock;
  }

  it("on a terminal: redrawn by the clock, four times a second, with the count, the total's share, the rate and the time left; then erased", () => {
    const { writes, stream } = fakeStream(true);
    const clock = fakeClock();
    const meter = progressMeter(stream, { now: clock.now });
    meter.setTotal(1000);
    // One account every 10 ms: 100 a second, so 1,000 take 10 s.
    for (let n = 1; n <= 60; n++) {
      clock.ms = 10 * n;
      meter.tick(n);
    }
    meter.done();
    expect(PROGRESS_EVERY_MS).toBe(250);
    expect(writes).toEqual([
      // 250 ms: 25 planned of 1,000 (2.5%, shown 2%), 975 left at 100 a second: 9.75 s, said as 10 s
      "\rplanned 25 of 1,000 accounts (2%) · 100 a second · about 10 s left\x1b[K",
      // 500 ms: 50 of 1,000 (5%), 950 left: 9.5 s, said as 10 s
      "\rplanned 50 of 1,000 accounts (5%) · 100 a second · about 10 s left\x1b[K",
      "\r\x1b[K",
    ]);
  });

  it("without a total (a file ledger): the count and the rate", () => {
    const { writes, stream } = fakeStream(true);
    const clock = fakeClock();
    const meter = progressMeter(stream, { now: clock.now });
    clock.ms = 400;
    meter.tick(2000); // 2,000 in 0.4 s: 5,000 a second
    expect(writes).toEqual(["\rplanned 2,000 accounts… · 5,000 a second\x1b[K"]);
  });

  it("the number of redraws follows the clock, not the count: a million accounts in a second draw four lines", () => {
    const { writes, stream } = fakeStream(true);
    const clock = fakeClock();
    const meter = progressMeter(stream, { now: clock.now });
    for (let n = 1; n <= 1_000_000; n++) {
      clock.ms = n / 1000;
      meter.tick(n);
    }
    expect(writes).toHaveLength(4); // at 250, 500, 750 and 1,000 ms
    expect(writes[3]).toContain("planned 1,000,000 accounts… · 1,000,000 a second");
  });

  it("says the time left in minutes and hours as a person would", () => {
    expect(progressText(30_000, 120_000, 10_000)).toBe("planned 30,000 of 120,000 accounts (25%) · 3,000 a second · about 30 s left");
    // 1,000 a second, 125,000 left: 125 s = 2 min 5 s
    expect(progressText(5_000, 130_000, 5_000)).toBe("planned 5,000 of 130,000 accounts (3%) · 1,000 a second · about 2 min 5 s left");
    // 100 a second, 380,000 left: 3,800 s = 1 h 3 min 20 s, said as 1 h 3 min
    expect(progressText(1_000, 381_000, 10_000)).toContain("about 1 h 3 min left");
    // more read than the total said (rows added meanwhile): never past 100%, no time left
    expect(progressText(1_010, 1_000, 1_000)).toBe("planned 1,010 of 1,000 accounts (100%) · 1,010 a second");
  });

  it("writes nothing to a stream that is not a terminal, nor when the plan was done before the first redraw", () => {
    const pipe = fakeStream(false);
    const clock = fakeClock();
    const meter = progressMeter(pipe.stream, { now: clock.now });
    for (let n = 1; n <= 1000; n++) {
      clock.ms = 10 * n;
      meter.tick(n);
    }
    meter.done();
    expect(pipe.writes).toEqual([]);
    const short = fakeStream(true);
    const quick = fakeClock();
    const shortMeter = progressMeter(short.stream, { now: quick.now });
    for (let n = 1; n <= 24; n++) {
      quick.ms = 10 * n; // done at 240 ms
      shortMeter.tick(n);
    }
    shortMeter.done();
    expect(short.writes).toEqual([]);
  });

  it("takes its total from a SQLite ledger (one COUNT) and shows it while planning it", async () => {
    const file = join(dir, "count.db");
    const sqlite = await sqliteLedger(file);
    await sqlite.writeAccounts(["A-1", "A-2", "A-3"].map((id) => ({ id, segment: "residential", charges: [{ id: "c1", period: "2026-03", dueOn: "2026-03-01", amountMinor: 30000 }] })));
    expect(await sqlite.count!()).toBe(3);
    await sqlite.close();
    const { writes, stream } = fakeStream(true);
    let ms = 0;
    // Each reading of the clock is 300 ms later: every account redraws the line.
    await planLedger(`sqlite:${file}`, { policy: undefined, asOf: "2026-03-25", err: () => {}, progress: stream, now: () => (ms += 300) }, () => {});
    expect(writes[0]).toMatch(/^\rplanned 1 of 3 accounts \(33%\)/);
    expect(writes.at(-2)).toMatch(/^\rplanned 3 of 3 accounts \(100%\)/);
    expect(writes.at(-1)).toBe("\r\x1b[K");
  });

  const ledger = join(dir, "big.jsonl");
  // Enough that planning them takes well over the first redraw (250 ms) on any machine.
  const accounts = 30_000;
  writeFileSync(
    ledger,
    Array.from({ length: accounts }, (_, i) => JSON.stringify({ id: `A-${String(i).padStart(5, "0")}`, charges: [{ id: "c1", period: "2026-03", dueOn: "2026-03-01", amountMinor: 30000 }] })).join("\n") + "\n",
  );

  it("is absent from the piped output of a plan long enough to show it on a terminal", () => {
    const r = run(["plan", "--ledger", ledger, "--as-of", "2026-03-25", "--format", "json"]);
    expect(r.code).toBe(0);
    expect(r.err).toBe("");
    expect(JSON.parse(r.out)).toHaveLength(accounts); // one dunning notice each: stdout is pure JSON
  });
});

// util-linux `script` gives the CLI a pseudo-terminal, as a person's shell would.
const SCRIPT = ["/usr/bin/script", "/bin/script"].find((p) => existsSync(p));

describe.skipIf(!SCRIPT)("the progress line on a terminal (through `script`)", () => {
  it("shows on stderr and is erased, while the JSON goes to the file", () => {
    const ledger = join(dir, "big.jsonl");
    const out = join(dir, "actions.json");
    const command = [process.execPath, CLI, "plan", "--ledger", ledger, "--as-of", "2026-03-25", "--format", "json", "--out", out].map((a) => `'${a}'`).join(" ");
    const r = spawnCli(SCRIPT!, ["-qec", command, "/dev/null"], { cwd: root, env: { ...process.env, NO_COLOR: "1" } });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/\rplanned [\d,]+ accounts… · [\d,]+ a second\x1b\[K/); // a JSON Lines file: no total
    expect(r.stdout.endsWith("\r\x1b[K")).toBe(true);
    expect(JSON.parse(readFileSync(out, "utf8"))).toHaveLength(30_000);
  });
});

describe("docs/cli.md and the README agree with the commands", () => {
  const reference = readFileSync(join(root, "docs/cli.md"), "utf8");

  it("docs/cli.md has a section per command naming its options and examples, and the exit codes table", () => {
    for (const command of COMMAND_NAMES) {
      const start = reference.indexOf(`\n## ${command}\n`);
      expect(start, `## ${command}`).toBeGreaterThan(0);
      const next = reference.indexOf("\n## ", start + 1);
      const section = reference.slice(start, next < 0 ? undefined : next);
      for (const o of COMMANDS[command].options) expect(section, `${command} --${o.name}`).toContain(`--${o.name}`);
      for (const e of COMMANDS[command].examples) expect(section).toContain(e.command);
    }
    for (const [code, meaning] of EXIT_CODES) expect(reference).toContain(`| ${code} | ${meaning} |`);
  });

  it("every property-dunning command line in README and docs uses only options its command accepts", () => {
    const files = ["README.md", ...readdirSync(join(root, "docs")).filter((f) => f.endsWith(".md")).map((f) => `docs/${f}`)];
    let checked = 0;
    for (const file of files) {
      const text = readFileSync(join(root, file), "utf8");
      for (const block of text.matchAll(/```sh[^\n]*\n([\s\S]*?)```/g))
        for (const line of block[1]!.split("\n")) {
          const m = /^(?:npx )?(property-dunning (\w+).*)$/.exec(line.trim());
          if (!m) continue;
          const command = m[2]!;
          expect(COMMAND_NAMES, `${file}: ${line}`).toContain(command);
          const args = argsOf(m[1]!).slice(1).filter((a) => a !== "…");
          expect(() => parseArgs({ args, options: parseOptionsOf(command as CommandName), allowPositionals: true, strict: true }), `${file}: ${line}`).not.toThrow();
          checked++;
        }
    }
    expect(checked).toBeGreaterThan(10);
    expect(readFileSync(join(root, "README.md"), "utf8")).toContain("(docs/cli.md)");
  });
});
