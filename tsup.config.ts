import { build } from "esbuild";
import { readdir, readFile, writeFile } from "node:fs/promises";
import { dirname, isAbsolute, join, relative } from "node:path";
import { defineConfig, type Options } from "tsup";

/**
 * The policy studio's page scripts (src/studio/, docs/studio.md), after the library's build:
 * CodeMirror with the library's root entry, and the verify worker with the proof kit and
 * fast-check, each one IIFE for the browser with everything inside. `property-dunning studio`
 * inlines them into one HTML file.
 */
async function buildStudio(): Promise<void> {
  for (const [name, entry] of [
    ["app", "src/studio/main.ts"],
    ["worker", "src/studio/worker.ts"],
  ] as const)
    await build({
      entryPoints: [entry],
      outfile: `dist/studio/${name}.js`,
      bundle: true,
      platform: "browser",
      format: "iife",
      target: "es2022",
      minify: true,
      define: { "process.env.NODE_ENV": JSON.stringify("production") },
      logLevel: "warning",
    });
}

/**
 * The CommonJS maps as they would be on any machine. tsup turns esbuild's split ESM chunks into
 * CommonJS with sucrase, whose map names the chunk by its absolute path (`/home/…/dist/index.cjs`,
 * for the lines sucrase adds, and as the map's `file`); merged with esbuild's map, that path stays in
 * `sources` and `file`, and so in the tarball. Both are rewritten relative to the map (`index.cjs`),
 * as every other source is (tests/package.test.ts checks the packed maps).
 */
async function relativeMapSources(dir = "dist"): Promise<void> {
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !entry.name.endsWith(".map")) continue;
    const file = join(entry.parentPath, entry.name);
    const map = JSON.parse(await readFile(file, "utf8")) as { sources: string[]; file?: string };
    if (!map.sources.some(isAbsolute) && !(map.file && isAbsolute(map.file))) continue;
    const fromMap = (path: string) => (isAbsolute(path) ? relative(dirname(file), path).split("\\").join("/") : path);
    map.sources = map.sources.map(fromMap);
    if (map.file) map.file = fromMap(map.file);
    await writeFile(file, JSON.stringify(map));
  }
}

/**
 * The library as ESM + CJS + declarations; the CLI as ESM only. Each adapter is its own entry (a
 * subpath export) so that nobody loads a database driver they do not use; drivers stay external.
 *
 * The `property-dunning` bin is `dist/cli.js` (ESM); nothing requires a CommonJS CLI, so the CJS
 * build leaves the CLI and its code out, and the CLI has no declarations (nobody imports it).
 * The ESM build holds library and CLI together, so they share chunks (one copy of the code).
 *
 * The two builds run in parallel and tsup cleans per build (each would delete the other's
 * files), so neither cleans: `npm run build` empties `dist/` first (the `prebuild` script).
 * Importing this file has no side effect (tests/api-surface.test.ts reads its entries).
 */
const library = {
  index: "src/index.ts",
  "adapters/memory": "src/adapters/memory.ts",
  "adapters/open": "src/adapters/open.ts",
  "adapters/file": "src/adapters/file.ts",
  "adapters/sqlite": "src/adapters/sqlite.ts",
  "adapters/postgres": "src/adapters/postgres.ts",
  "jobs/index": "src/jobs/index.ts",
  "testing/index": "src/testing/index.ts",
};

const shared: Options = {
  clean: false,
  sourcemap: true,
  target: "node20",
  platform: "node",
  splitting: true,
  shims: true,
  external: ["better-sqlite3", "pg", "pg-boss", "fast-check"],
};

export default defineConfig([
  { ...shared, entry: { ...library, cli: "src/cli/bin.ts" }, format: ["esm"], dts: { entry: library }, onSuccess: buildStudio },
  { ...shared, entry: library, format: ["cjs"], dts: { entry: library }, onSuccess: () => relativeMapSources() },
]);
