import { defineConfig } from "tsup";

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
});
