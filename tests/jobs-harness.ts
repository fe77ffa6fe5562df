/**
 * What the pg-boss cases share (jobs, jobs-lease, jobs-cron tests): a small estate of the demo's
 * kind and its single-process plan, a queue database and a ledger copy per case, worker
 * *processes* (`node --import tsx`) running startWorker with a sender that appends each action it
 * accepts (`action id <tab> pid`) to a file — the vendor's callback, counted — and behaves as a
 * case asks (`WorkerBehaviour`: slow, refusing an account, hanging mid-shard).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { openLedger } from "../src/adapters/open.js";
import { sqliteLedger } from "../src/adapters/sqlite.js";
import type { AccountSnapshot } from "../src/ledger/account.js";
import { ensureDemoEstate, generateEstate, withHistory } from "../src/demo/estate.js";
import { plan } from "../src/ledger/plan.js";

export const PG_URL = process.env.PD_POSTGRES_URL || undefined;
export const root = fileURLToPath(new URL("..", import.meta.url));
export const AS_OF = "2026-11-25";

/** How a test's worker behaves: slow senders, a gateway that refuses an account, a worker that hangs mid-shard. */
export interface WorkerBehaviour {
  /** Milliseconds the sender takes per action (a batch: per action in it). */
  msPerAction?: number;
  /** The gateway refuses this account's actions, `times` times (every time when absent). */
  refuse?: { account: string; times?: number };
  /** Hangs after handing over this many actions, having written its pid to `hungFile` (the test kills it there, mid-shard). */
  hangAfter?: number;
  hungFile?: string;
  /** The sender takes actions in batches (sendMany, one write per batch), as the outbox does; `hangAfter` then counts batches. */
  batch?: boolean;
  /** Events between checkpoints (default 5). */
  checkpointEvery?: number;
}

const WORKER = `
import { appendFileSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { startWorker } from ${JSON.stringify(join(root, "src/jobs/index.ts"))};
const [queue, sentFile, behaviour] = process.argv.slice(2);
const { msPerAction = 0, refuse, hangAfter, hungFile, batch, checkpointEvery = 5 } = JSON.parse(behaviour);
let refused = 0;
let handed = 0;
const sentIds = () => (existsSync(sentFile) ? readFileSync(sentFile, "utf8").split("\\n").map((l) => l.split("\\t")[0]) : []);
const worker = await startWorker({
  queue,
  checkpointEvery,
  engine: { pollingIntervalSeconds: 0.5, maintenanceIntervalSeconds: 1, cronMonitorIntervalSeconds: 1, cronWorkerIntervalSeconds: 1 },
  sender: {
    async send(action) {
      if (refuse && action.accountId === refuse.account && (refuse.times === undefined || refused < refuse.times)) {
        refused++;
        throw new Error("the gateway refused " + action.accountId);
      }
      if (msPerAction > 0) await new Promise((r) => setTimeout(r, msPerAction));
      appendFileSync(sentFile, action.id + "\\t" + process.pid + "\\n");
      if (hangAfter !== undefined && ++handed >= hangAfter) {
        writeFileSync(hungFile, String(process.pid));
        await new Promise(() => {});
      }
    },
    ...(batch
      ? {
          async sendMany(items) {
            if (msPerAction > 0) await new Promise((r) => setTimeout(r, msPerAction * items.length));
            appendFileSync(sentFile, items.map((i) => i.action.id + "\\t" + process.pid + "\\n").join(""));
            if (hangAfter !== undefined && ++handed >= hangAfter) {
              writeFileSync(hungFile, String(process.pid));
              await new Promise(() => {});
            }
          },
        }
      : {}),
    // After a worker died holding an action: the file says whether it went out.
    delivered: (action) => sentIds().includes(action.id),
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
  /** A fresh queue database and a fresh copy of the ledger for one case. */
  scenario(name: string): Promise<{ queue: string; ledger: string; sentFile: string; hungFile: string }>;
  startWorkers(count: number, queue: string, sentFile: string, behaviour?: WorkerBehaviour): Promise<ChildProcess[]>;
  stopWorkers(workers: ChildProcess[]): Promise<void>;
  /** Each worker's stderr so far (for a failing assertion's message). */
  logs(): string;
  sent(file: string): [string, string][];
  /** The rows of one query on a queue database. */
  rowsOf(url: string, text: string): Promise<Record<string, unknown>[]>;
  close(): Promise<void>;
}

/** The estate's accounts as a case wants them (owners of several units, estates): given the generated ones, returns the ledger's. */
export type EstateAdjustment = (accounts: AccountSnapshot[]) => AccountSnapshot[];

const ESTATE = { asOf: AS_OF, seed: 17, residentialUnits: 240, shops: 12, historyUntil: "2026-11-01" };

export async function harness(options: { adjust?: EstateAdjustment } = {}): Promise<Harness> {
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
  if (options.adjust === undefined) await ensureDemoEstate(pristine, ESTATE);
  else {
    const written = await sqliteLedger(pristine);
    await written.writeAccounts(options.adjust(withHistory(generateEstate(ESTATE), ESTATE.historyUntil)));
    await written.close();
  }
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
      return { queue: PG_URL!.replace(/\/[^/?]*(\?.*)?$/, `/${db}$1`), ledger: `sqlite:${ledgerFile}`, sentFile: join(dir, `${name}.sent`), hungFile: join(dir, `${name}.hung`) };
    },
    startWorkers(count, queue, sentFile, behaviour = {}) {
      return Promise.all(
        Array.from({ length: count }, () => {
          const child = spawn(process.execPath, ["--import", "tsx", workerScript, queue, sentFile, JSON.stringify(behaviour)], { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
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
    async rowsOf(url, text) {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      try {
        return (await c.query(text)).rows;
      } finally {
        await c.end();
      }
    },
    sent: (file) => (existsSync(file) ? readFileSync(file, "utf8").split("\n").filter(Boolean).map((l) => l.split("\t") as [string, string]) : []),
    async close() {
      await stopWorkers(children);
      for (const db of databases) await admin(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`).catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
