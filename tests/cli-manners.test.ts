/**
 * CLI manners (#19 "The first hour", item 3), through the built CLI as a user meets it (`npm test`
 * builds first): --version, "did you mean" for a mistyped command, option and stage kind, invalid
 * JSON by line and column, a missing file by name, a day the calendar does not have.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { cliEnv, spawnCli } from "./helpers.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const CLI = join(root, "dist/cli.js");
const dir = mkdtempSync(join(tmpdir(), "pd-cli-manners-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function run(...args: string[]) {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !["FORCE_COLOR", "NO_COLOR", "CI", "TERM", "LANG", "LC_ALL", "LC_MESSAGES"].includes(k)));
  const r = spawnCli(process.execPath, [CLI, ...args], { cwd: root, env: clean });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe("--version", () => {
  it("prints the version of package.json, as --version and as -v, and exits 0", () => {
    const { version } = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { version: string };
    for (const flag of ["--version", "-v"]) expect(run(flag), flag).toEqual({ code: 0, out: `property-dunning ${version}\n`, err: "" });
  });

  it("is named in the global help", () => {
    expect(run("--help").out).toMatch(/--version .*\(-v too\)/);
  });
});

describe("did you mean", () => {
  it("names the command a mistyped one was meant to be, and still exits 2 with the usage hint", () => {
    const r = run("paln", "--ledger", "examples/ledger.json");
    expect(r.code).toBe(2);
    expect(r.err).toContain('unknown command "paln" (did you mean "plan"?)');
    expect(r.err).toContain("Run property-dunning --help for usage.");
    expect(run("valdiate", "x.json").err).toContain('(did you mean "validate"?)');
    expect(run("frobnicate").err).not.toContain("did you mean"); // nothing is near: no guess
  });

  it("names the option a mistyped one was meant to be, among the command's own options", () => {
    const r = run("plan", "--ledgr", "examples/ledger.json");
    expect(r.code).toBe(2);
    expect(r.err).toContain('plan: unknown option --ledgr (did you mean "--ledger"?)');
    expect(run("explain", "--ledger", "examples/ledger.json", "--acount", "A-1201").err).toContain('(did you mean "--account"?)');
    // --as-of belongs to plan, not to validate: validate's own options are all that is offered
    expect(run("validate", "examples/green-garden.json", "--as-of", "2026-01-01").err).not.toContain("did you mean");
  });

  it("names the stage kind a mistyped one was meant to be, beside the list of every kind", () => {
    const file = join(dir, "kind.json");
    writeFileSync(file, JSON.stringify({ extends: "residential", id: "k", version: "1", stages: [{ id: "dunning_notice", kind: "dunningNotise" }] }));
    const r = run("validate", file);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/stages\[0\]\.kind: must be one of "\w+", .*"dunningNotice".* \(got "dunningNotise"; did you mean "dunningNotice"\?\)/);
    for (const kind of ["billingNotice", "finalNotice", "lawyerLetter", "writeOff"]) expect(r.err).toContain(`"${kind}"`);
  });
});

describe("files", () => {
  it("reports JSON that does not parse by line and column, naming the file", () => {
    const file = join(dir, "comma.json");
    // The comma after "1" is missing: the next property starts on line 4, column 3.
    writeFileSync(file, '{\n  "extends": "residential",\n  "version": "1"\n  "id": "x"\n}\n');
    const r = run("validate", file);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`${file}: invalid policy (1 problem)`);
    expect(r.err).toContain("not JSON: line 4, column 3: expected ',' or '}' after a property value");
    // The same through --policy, and for an actions file
    expect(run("plan", "--ledger", "examples/ledger.json", "--policy", file, "--as-of", "2026-04-25").err).toContain("not JSON: line 4, column 3");
    const actions = join(dir, "actions.json");
    writeFileSync(actions, "[\n  {},\n  {]\n");
    const recorded = run("record", "--ledger", join(dir, "ledger.jsonl"), "--actions", actions);
    expect(recorded.code).toBe(1);
    expect(recorded.err).toContain(`${actions}: invalid actions file`);
    expect(recorded.err).toContain("not JSON: line 3, column 4: expected a double-quoted property name");
  });

  it("reports a file that is not there as 'file not found: <path>', exit 1, for every kind of input", () => {
    const missing = join(dir, "no-such.json");
    for (const args of [
      ["validate", missing],
      ["verify", missing],
      ["plan", "--ledger", missing, "--as-of", "2026-04-25"],
      ["plan", "--ledger", join(dir, "no-such.jsonl"), "--as-of", "2026-04-25"],
      ["plan", "--ledger", `sqlite:${join(dir, "no-such.db")}`, "--as-of", "2026-04-25"],
      ["plan", "--ledger", "examples/ledger.json", "--policy", missing, "--as-of", "2026-04-25"],
      ["report", "--ledger", missing, "--as-of", "2026-04-25"],
      ["record", "--ledger", "examples/ledger.json", "--actions", missing],
    ]) {
      const r = run(...args);
      expect(r.code, args.join(" ")).toBe(1);
      expect(r.err, args.join(" ")).toMatch(/file not found: \S*no-such\.(json|jsonl|db)\n/);
      expect(r.err, args.join(" ")).not.toContain("ENOENT");
    }
  });
});

describe("dates", () => {
  it("tells a day the calendar does not have from a date written wrongly", () => {
    const plan = (asOf: string) => run("plan", "--ledger", "examples/ledger.json", "--as-of", asOf);
    // 2026 is not a leap year (not divisible by 4): February has 28 days; 2028 is, so it has 29.
    expect(plan("2026-02-30")).toMatchObject({ code: 2, err: expect.stringContaining('--as-of: not a day of the calendar: February 2026 has 28 days (got "2026-02-30")') });
    expect(plan("2026-02-29").err).toContain("February 2026 has 28 days");
    expect(plan("2028-02-30").err).toContain("February 2028 has 29 days");
    expect(plan("2026-04-31").err).toContain("April 2026 has 30 days");
    expect(plan("2026-13-01").err).toContain("not a day of the calendar: there is no month 13");
    expect(plan("2026-2-3")).toMatchObject({ code: 2, err: expect.stringContaining('--as-of: must be a date YYYY-MM-DD (got "2026-2-3")') });
    expect(plan("2028-02-29").code).toBe(0); // a real day, planned
  });
});

describe("report --help", () => {
  it("describes report's own exit codes, not plan's", () => {
    const help = run("report", "--help").out;
    const exits = help.slice(help.indexOf("Exit codes:"));
    expect(exits).toMatch(/^\s+0 {2}the report is written$/m);
    expect(exits).toMatch(/^\s+3 {2}the report is written, but some accounts were skipped and are not counted in it/m);
    expect(exits).not.toContain("planned");
  });
});

describe("messages in Chinese (zh-CN)", () => {
  const runWith = (env: Record<string, string>, ...args: string[]) => {
    const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !["FORCE_COLOR", "NO_COLOR", "CI", "TERM", "LANG", "LC_ALL", "LC_MESSAGES"].includes(k)));
    const r = spawnCli(process.execPath, [CLI, ...args], { cwd: root, env: clean, locale: env });
    return { code: r.status, out: r.stdout, err: r.stderr };
  };

  it("with --lang zh-CN, anywhere on the line: the usage and the common errors, exit codes unchanged", () => {
    const help = runWith({}, "--lang", "zh-CN", "--help");
    expect(help.code).toBe(0);
    for (const text of ["用法：", "命令：", "示例：", "退出码：", "检查催缴方案文件并列出各阶段", "收缴率"]) expect(help.out).toContain(text);
    expect(runWith({}, "paln", "--lang=zh-CN")).toMatchObject({ code: 2, err: expect.stringContaining('没有这个命令："paln"（是不是要输入 "plan"？）') });
    expect(runWith({}, "--lang", "zh-CN", "plan", "--ledgr", "x").err).toContain('没有这个选项：--ledgr（是不是要输入 "--ledger"？）');
    expect(runWith({}, "--lang", "zh-CN", "validate", join(dir, "nope.json"))).toMatchObject({ code: 1, err: expect.stringContaining(`找不到文件：${join(dir, "nope.json")}`) });
    // 2026 is not a leap year: February has 28 days
    expect(runWith({}, "--lang", "zh-CN", "plan", "--ledger", "examples/ledger.json", "--as-of", "2026-02-30").err).toContain("--as-of: 日历上没有这一天：2026 年 2 月只有 28 天");
  });

  it("from the locale (LANG=zh_CN.UTF-8, LC_ALL first) when --lang is not given; --lang wins; English otherwise", () => {
    expect(runWith({ LANG: "zh_CN.UTF-8" }, "paln").err).toContain("没有这个命令");
    expect(runWith({ LANG: "en_US.UTF-8", LC_ALL: "zh_CN.UTF-8" }, "paln").err).toContain("没有这个命令");
    expect(runWith({ LANG: "zh_CN.UTF-8" }, "--lang", "en", "paln").err).toContain('unknown command "paln"');
    expect(runWith({ LANG: "zh_TW.UTF-8" }, "paln").err).toContain('unknown command "paln"'); // Traditional Chinese is not zh-CN
    expect(runWith({}, "paln").err).toContain('unknown command "paln"');
  });

  it("refuses a language it does not have, naming those it has", () => {
    expect(runWith({}, "--lang", "fr", "--help")).toMatchObject({ code: 2, err: expect.stringContaining('--lang: must be en or zh-CN (got "fr")') });
  });
});

describe("a spawned CLI in the tests (tests/helpers.ts, cliEnv)", () => {
  it("speaks English on a zh_CN machine unless the test asks for Chinese: LANG, LC_ALL, LC_MESSAGES and LANGUAGE of the machine are set aside", () => {
    const zhMachine = { ...process.env, LANG: "zh_CN.UTF-8", LC_ALL: "zh_CN.UTF-8", LC_MESSAGES: "zh_CN.UTF-8", LANGUAGE: "zh_CN:zh" };
    const english = spawnCli(process.execPath, [CLI, "paln"], { cwd: root, env: zhMachine });
    expect(english.stderr).toContain('unknown command "paln"');
    expect(cliEnv(zhMachine)).toMatchObject({ LANG: "C.UTF-8" });
    for (const name of ["LC_ALL", "LC_MESSAGES", "LANGUAGE"]) expect(cliEnv(zhMachine)).not.toHaveProperty(name);
    const asked = spawnCli(process.execPath, [CLI, "paln"], { cwd: root, env: zhMachine, locale: { LC_ALL: "zh_CN.UTF-8" } });
    expect(asked.stderr).toContain("没有这个命令");
  });
});

describe("the language in-process", () => {
  it("is English unless the caller passes an environment or --lang: a library caller's process locale does not change main's words", async () => {
    const { main } = await import("../src/cli/main.js");
    const call = async (argv: string[], env?: Record<string, string>) => {
      let err = "";
      await main(argv, { out: () => undefined, err: (s) => void (err += s), ...(env ? { env } : {}) });
      return err;
    };
    expect(await call(["paln"])).toContain('unknown command "paln"');
    expect(await call(["paln"], { LANG: "zh_CN.UTF-8" })).toContain("没有这个命令");
    expect(await call(["paln", "--lang", "zh-CN"])).toContain("没有这个命令");
  });
});
