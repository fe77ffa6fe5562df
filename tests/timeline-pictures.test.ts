/**
 * Every picture in the docs is made by a documented command, and this test makes it again.
 * The README's timeline is account R-0377 of the demo estate: the README prints the two commands,
 * `npm run docs:pictures` runs the same two (after a build), and here they run as printed, in a
 * scratch directory, with `property-dunning` on the PATH as an installed package puts it. The
 * picture they draw must be the committed file byte for byte (an SVG is text: its structure, not
 * its pixels). When the scheduler or the drawing changes, run `npm run docs:pictures` and commit
 * the picture.
 */
import { execFileSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, normalize } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { cliEnv } from "./helpers.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const read = (path: string) => readFileSync(join(root, path), "utf8");
const PICTURE = /\.(svg|png|jpe?g|gif|webp)$/i;

/** The pictures README.md and docs/*.md show, as repository paths. */
function picturesShown(): string[] {
  const pages = ["README.md", ...readdirSync(join(root, "docs")).filter((f) => f.endsWith(".md")).map((f) => `docs/${f}`)];
  const shown = new Set<string>();
  for (const page of pages) {
    const text = read(page);
    for (const m of text.matchAll(/!\[[^\]]*\]\(([^)\s]+)[^)]*\)|<img[^>]*\ssrc="([^"]+)"/g)) {
      const target = (m[1] ?? m[2])!;
      if (/^[a-z]+:/i.test(target)) continue;
      shown.add(normalize(join(dirname(page), target)));
    }
  }
  return [...shown].sort();
}

/** The shell lines of the README's block that follows the words "npm run docs:pictures". */
function readmeCommands(): string[] {
  const readme = read("README.md");
  const at = readme.indexOf("`npm run docs:pictures`");
  expect(at, "README names npm run docs:pictures").toBeGreaterThan(0);
  const block = /```sh\n([\s\S]*?)```/.exec(readme.slice(at))!;
  return block[1]!.trim().split("\n");
}

describe("the docs' pictures", () => {
  /** How each picture is made: the README's block of commands. */
  const MADE_BY: Record<string, string> = {
    "docs/timeline.svg": "README.md, the block after `npm run docs:pictures`",
    "docs/report.png": "tests/report-browser.test.ts, from the demo estate through the commands docs/cli.md prints",
    "docs/studio-ladder.png": "tests/studio-browser.test.ts (docs/studio.md says how)",
    "docs/studio-problems.png": "tests/studio-browser.test.ts (docs/studio.md says how)",
    "docs/studio-verify.png": "tests/studio-browser.test.ts (docs/studio.md says how)",
  };

  it("are each made by a documented command, and no other picture lies in docs/", () => {
    const shown = picturesShown();
    expect(shown).toContain("docs/timeline.svg");
    expect(shown.filter((p) => !(p in MADE_BY)), "pictures without a command that makes them").toEqual([]);
    const lying = readdirSync(join(root, "docs")).filter((f) => PICTURE.test(f)).map((f) => `docs/${f}`);
    expect(lying.filter((p) => !shown.includes(p)), "pictures in docs/ that no page shows").toEqual([]);
  });

  it("npm run docs:pictures runs the README's commands, after a build", () => {
    const lines = readmeCommands();
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^property-dunning demo /);
    expect(lines[1]).toMatch(/^property-dunning timeline --ledger sqlite:\S+ --account R-0377 --as-of 2026-11-23 --out docs\/timeline\.svg$/);
    const script = JSON.parse(read("package.json")).scripts["docs:pictures"];
    expect(script).toBe(["npm run build --silent -- --silent", ...lines.map((l) => l.replace(/^property-dunning /, "node dist/cli.js "))].join(" && "));
  });

  describe("the README's timeline, drawn again", () => {
    const dir = mkdtempSync(join(tmpdir(), "pd-pictures-"));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it("is the committed docs/timeline.svg, byte for byte, from the demo estate's account R-0377", () => {
      // `property-dunning` as npm links a package's bin (pretest built dist/).
      const bin = join(dir, "bin");
      mkdirSync(bin);
      writeFileSync(join(bin, "property-dunning"), `#!/bin/sh\nexec "${process.execPath}" "${join(root, "dist/cli.js")}" "$@"\n`);
      chmodSync(join(bin, "property-dunning"), 0o755);
      const work = join(dir, "work");
      mkdirSync(work);
      const env = cliEnv({ ...process.env, PATH: `${bin}:${process.env.PATH}`, NO_COLOR: "1" });
      const outputs = readmeCommands().map((line) => execFileSync("sh", ["-c", line], { cwd: work, env, encoding: "utf8" }));
      expect(outputs[0]).toContain("built the demo estate in .tmp/pictures/estate.db");
      expect(outputs[1]).toBe("timeline written to docs/timeline.svg\n");
      const drawn = readFileSync(join(work, "docs/timeline.svg"), "utf8");
      expect(drawn).toContain("Account R-0377");
      expect(drawn).toContain(">as of 2026-11-23<");
      // Equal as text, so a stale picture shows the first line that differs.
      const committed = read("docs/timeline.svg");
      if (drawn !== committed) expect(drawn.split("\n"), "docs/timeline.svg is not what `npm run docs:pictures` draws now: run it and commit the picture").toEqual(committed.split("\n"));
      expect(existsSync(join(work, ".tmp/pictures/actions.json"))).toBe(true);
    }, 900_000);
  });
});
