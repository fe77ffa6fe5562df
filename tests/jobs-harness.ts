/**
 * What the pg-boss cases beyond tests/jobs.test.ts share: a queue database and a ledger copy per
 * case, worker *processes* (`node --import tsx`) running startWorker with a sender that appends
 * each action it accepts (`action id <tab> pid`) to a file — the vendor's callback, counted — and
 * may be slow (ms per action) or refuse an account's actions a number of times.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { openLedger } from "../src/adapters/open.js";
import { ensureDemoEstate } from "../src/demo/estate.js";
import { plan } from "../src/ledger/plan.js";

export const PG_URL = process.env.PD_POSTGRES_URL || undefined;
export const root = fileURLToPath(new URL("..", import.meta.url));
export const AS_OF = "2026-11-25";

const WORKER = `
import { appendFileSync, existsSync, readFileSync } from "node:fs";
import { startWorker } from ${JSON.stringify(join(root, "src/jobs/index.ts"))};
const [queue, sentFile, msPerAction, refuseAccount, refusals] = process.argv.slice(2);
let refused = 0;
const worker = await startWorker({
  queue,
  checkpointEvery: 5,
  engine: { pollingIntervalSeconds: 0.5, maintenanceIntervalSeconds: 1, cronMonitorIntervalSeconds: 1, cronWorkerIntervalSeconds: 1 },
  sender: {
    async send(action) {
      if (refuseAccount && action.accountId === refuseAccount && refused < Number(refusals)) {
        refused++;
        throw new Error("the gateway refused " + action.accountId);
      }
      if (Number(msPerAction) > 0) await new Promise((r) => setTimeout(r, Number(msPerAction)));
      appendFileSync(sentFile, action.id + "\\t" + process.pid + "\\n");
    },
  },
  log: (line) => process.stderr.write(line + "\\n"),
});
process.on("SIGTERM", () => void worker.stop({ timeoutMs: 5000 }).then(() => process.exit(0)));
process.stdout.write("ready\\n");
`;

export interface Harness {
  /** The single-process plan's action ids, sorted; and every account id. */
  expected: string[];
  accountIds: string[];
  scenario(name: string): Promise<{ queue: string; ledger: string; sentFile: string }>;
  startWorkers(count: number, queue: string, sentFile: string, extra?: string[]): Promise<ChildProcess[]>;
  stopWorkers(workers: ChildProcess[]): Promise<void>;
  /** Each worker's stderr so far (for a failing assertion's message). */
  logs(): string;
  sent(file: string): [string, string][];
  close(): Promise<void>;
}

export async function harness(): Promise<Harness> {
  const dir = mkdtempSync(join(tmpdir(), "pd-jobs-h-"));
  const prefix = `pd_jobs_${randomBytes(3).toString("hex")}`;
  const pristine = join(dir, "estate.db");
  const workerScript = join(dir, "worker.mts");
  writeFileSync(workerScript, WORKER);
  const databases: string[] = [];
  const children: ChildProcess[] = [];
  let logs = "";
  const admin = async (text: string) => {
    const c = new pg.Client({ connectionString: PG_URL });
    await c.connect();
    try {
      await c.query(text);
    } finally {
      await c.end();
    }
  };
  await ensureDemoEstate(pristine, { asOf: AS_OF, seed: 17, residentialUnits: 240, shops: 12, historyUntil: "2026-11-01" });
  const expected: string[] = [];
  const accountIds: string[] = [];
  const ledger = await openLedger(`sqlite:${pristine}`, { readonly: true });
  try {
    for await (const event of plan(ledger, { asOf: AS_OF })) {
      accountIds.push(event.accountId);
      if (event.type === "planned") expected.push(...event.actions.map((a) => a.id));
    }
  } finally {
    await ledger.close();
  }
  expected.sort();

  const stopWorkers = async (workers: ChildProcess[]) => {
    await Promise.all(
      workers.map(
        (w) =>
          new Promise<void>((resolve) => {
            if (w.exitCode !== null || w.signalCode !== null) return resolve();
            w.once("exit", () => resolve());
            w.kill("SIGTERM");
          }),
      ),
    );
  };

  return {
    expected,
    accountIds,
    async scenario(name) {
      const db = `${prefix}_${name}`;
      databases.push(db);
      await admin(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
      await admin(`CREATE DATABASE ${db}`);
      const ledgerFile = join(dir, `${name}.db`);
      copyFileSync(pristine, ledgerFile);
      return { queue: PG_URL!.replace(/\/[^/?]*(\?.*)?$/, `/${db}$1`), ledger: `sqlite:${ledgerFile}`, sentFile: join(dir, `${name}.sent`) };
    },
    startWorkers(count, queue, sentFile, extra = []) {
      return Promise.all(
        Array.from({ length: count }, () => {
          const child = spawn(process.execPath, ["--import", "tsx", workerScript, queue, sentFile, ...extra], { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
          children.push(child);
          child.stderr!.on("data", (d) => (logs += `[${child.pid}] ${String(d)}`));
          return new Promise<ChildProcess>((resolve, reject) => {
            child.stdout!.once("data", () => resolve(child));
            child.once("exit", (code) => reject(new Error(`worker exited with ${code} before it was ready:\n${logs}`)));
          });
        }),
      );
    },
    stopWorkers,
    logs: () => logs,
    sent: (file) => (existsSync(file) ? readFileSync(file, "utf8").split("\n").filter(Boolean).map((l) => l.split("\t") as [string, string]) : []),
    async close() {
      await stopWorkers(children);
      for (const db of databases) await admin(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`).catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
