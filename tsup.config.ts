import { build } from "esbuild";
import { defineConfig } from "tsup";

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
 * ESM + CJS + declarations. Each adapter is its own entry (a subpath export) so that nobody loads
 * a database driver they do not use; drivers stay external.
 */
export default defineConfig({
  entry: {
    index: "src/index.ts",
    "adapters/memory": "src/adapters/memory.ts",
    "adapters/open": "src/adapters/open.ts",
    "adapters/file": "src/adapters/file.ts",
    "adapters/sqlite": "src/adapters/sqlite.ts",
    "adapters/postgres": "src/adapters/postgres.ts",
    "jobs/index": "src/jobs/index.ts",
    "testing/index": "src/testing/index.ts",
    cli: "src/cli/bin.ts",
  },
  format: ["esm", "cjs"],
  dts: true,
  clean: true,
  sourcemap: true,
  target: "node20",
  platform: "node",
  splitting: true,
  shims: true,
  external: ["better-sqlite3", "pg", "pg-boss", "fast-check"],
  onSuccess: buildStudio,
});
