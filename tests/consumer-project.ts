/**
 * A reader's own project, with this checkout installed as it would be published: `npm pack` of
 * the built package, installed offline. The install line a page prints is answered by installing
 * the tarball and, in place of the registry, the package's dependencies and the packages the line
 * names from this checkout's node_modules; `npm_config_offline` makes any other registry request
 * fail, so `npx` must find the installed command. Used by tests/walkthrough.test.ts (getting
 * started, the README) and tests/docs-commands.test.ts (examples/verify-ci.md).
 */
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, realpathSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect } from "vitest";
import { cliEnv } from "./helpers.js";

const root = fileURLToPath(new URL("..", import.meta.url));

/** Packs this checkout (what `files` ships, dist/ built) into `dest`; returns the tarball's path. */
export function packCheckout(dest: string): string {
  expect(existsSync(join(root, "dist/cli.js")), "npm test builds dist/ first").toBe(true);
  const name = execFileSync("npm", ["pack", "--silent", "--pack-destination", dest], { cwd: root, encoding: "utf8", env: cliEnv() }).trim().split("\n").at(-1)!;
  return join(dest, name);
}

/**
 * A bash prelude in which `npm` is npm, except for `install` (the line the page prints, such as
 * `npm install --save-dev property-dunning fast-check`): that installs `tarball` with the line's
 * own options, and the package's dependencies and the other packages the line names from this
 * checkout, offline and without their scripts.
 */
export function npmPrelude(install: string, tarball: string): string {
  const words = install.split(/\s+/).slice(2);
  const options = words.filter((w) => w.startsWith("-"));
  const named = words.filter((w) => !w.startsWith("-") && w !== "property-dunning");
  const dependencies = Object.keys((JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { dependencies: Record<string, string> }).dependencies);
  const local = [tarball, ...[...dependencies, ...named].map((p) => realpathSync(join(root, "node_modules", p)))];
  return `npm() {
  if [ "npm $*" = ${JSON.stringify(install)} ]; then
    command npm install ${options.join(" ")} --no-audit --no-fund --ignore-scripts ${local.map((a) => JSON.stringify(a)).join(" ")}
  else command npm "$@"; fi
}
`;
}

/** The reader's shell: the test's environment without the running npm's own variables, in a neutral locale, no colour, no registry. */
export function consumerEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    ...cliEnv(Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== "FORCE_COLOR" && !k.startsWith("npm_")))),
    NO_COLOR: "1",
    npm_config_offline: "true",
    npm_config_update_notifier: "false",
    ...extra,
  };
}
