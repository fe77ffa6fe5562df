/**
 * `npm run demo:jobs` twice at once (two terminals, two CI jobs on one PostgreSQL server): each run
 * has a queue database and an estate of its own, so neither empties the other's queue nor plans
 * the other's shards, and both end with exactly the single-process plan's actions, each once.
 * Each run drops its database at the end. Needs PD_POSTGRES_URL and the built CLI (`npm run build`).
 */
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { cliEnv } from "./helpers.js";

const PG_URL = process.env.PD_POSTGRES_URL || undefined;
const root = fileURLToPath(new URL("..", import.meta.url));
const env = cliEnv({ ...Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== "FORCE_COLOR")), NO_COLOR: "1" });

function demoJobs(): Promise<{ status: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["scripts/demo-jobs.mjs"], { cwd: root, env, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (d) => (output += String(d)));
    child.stderr.on("data", (d) => (output += String(d)));
    child.once("exit", (status) => resolve({ status, output }));
  });
}

describe.skipIf(PG_URL === undefined)("npm run demo:jobs, two at once", () => {
  it("both runs send exactly the single-process plan's actions, each once, each in a queue database of its own, dropped at the end", async () => {
    const runs = await Promise.all([demoJobs(), demoJobs()]);
    const databases = runs.map(({ output }) => /queue database postgres:\/\/\S+\/(property_dunning_jobs_demo_\w+)/.exec(output)?.[1]);
    for (const { status, output } of runs) {
      expect(status, output).toBe(0);
      expect(output).toMatch(/shards +4 done, 0 failed, of 4/);
      expect(output).toMatch(/the outbox \(pd_jobs\.outbox\) holds (\d+) actions; the single-process plan \1: the same ids, each once/);
    }
    expect(databases[0]).toBeDefined();
    expect(databases[1]).toBeDefined();
    expect(databases[0]).not.toBe(databases[1]);
    const client = new pg.Client({ connectionString: PG_URL });
    await client.connect();
    const left = (await client.query<{ datname: string }>("SELECT datname FROM pg_database WHERE datname = ANY($1)", [databases])).rows;
    await client.end();
    expect(left).toEqual([]);
  }, 900_000);
});
