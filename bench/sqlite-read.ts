/**
 * Streaming throughput and memory of the SQLite ledger.
 *
 *   npx tsx bench/sqlite-read.ts [accounts=100000] [--keep]
 *
 * Writes N synthetic accounts (24 monthly charges, ~23 payments, a few tags and actions each)
 * into a temporary SQLite file in batches of 10,000, then streams them back in a fresh child
 * process (so its peak RSS is the reader's alone): whole, as 4 shards one after another,
 * resumed from the middle, and once more through `normalizeAccount`, the scheduler's validator.
 * Prints accounts/s and peak RSS (`process.resourceUsage().maxRSS`). The file is removed
 * afterwards unless --keep is given.
 */
import { fork } from "node:child_process";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { sqliteLedger } from "../src/adapters/sqlite.js";
import type { ReadOptions } from "../src/ledger/adapter.js";
import { type AccountSnapshot } from "../src/ledger/account.js";
import { normalizeAccount } from "../src/ledger/check-account.js";

const CHARGES = 24;

type Row = [pass: string, accounts: string, time: string, rate: string, rss: string, note: string];

function pad(n: number, width: number): string {
  return String(n).padStart(width, "0");
}

function idOf(i: number): string {
  return `A-${pad(i, 7)}`;
}

function synthetic(i: number): AccountSnapshot {
  const id = idOf(i);
  const fee = 15_000 + ((i * 7919) % 25_000);
  const charges = [];
  const payments = [];
  for (let m = 0; m < CHARGES; m++) {
    const year = 2024 + Math.floor(m / 12);
    const month = pad((m % 12) + 1, 2);
    charges.push({ id: `fee-${year}-${month}`, period: `${year}-${month}`, dueOn: `${year}-${month}-01`, amountMinor: fee });
    if (m < 20 || i % 5 !== 0) payments.push({ id: `pay-${pad(m, 3)}`, on: `${year}-${month}-${pad(5 + (i % 20), 2)}`, amountMinor: fee });
  }
  const tags = i % 17 === 0 ? ["elderly"] : i % 41 === 0 ? ["hardship", "disabled"] : undefined;
  const actions = i % 5 === 0 ? [{ id: `act-${i}`, stage: "reminder", on: "2025-11-03", covers: [`${id}:fee-2025-09`] }] : [];
  return {
    id,
    segment: i % 50 === 0 ? "commercial" : "residential",
    unit: `${1 + (i % 40)}-${1 + (i % 3)}-${1 + (i % 18)}0${1 + (i % 2)}`,
    owner: tags === undefined ? { name: "王秀英" } : { name: "李建国", tags },
    charges,
    payments,
    actions,
  };
}

const mb = (kb: number): string => `${(kb / 1024).toFixed(0)} MB`;
const num = (n: number): string => n.toLocaleString("en-US");

function row(pass: string, accounts: number, seconds: number, note = ""): Row {
  return [pass, num(accounts), `${seconds.toFixed(2)} s`, `${num(Math.round(accounts / seconds))}/s`, mb(process.resourceUsage().maxRSS), note];
}

/** Child process: stream the file and send the rows back. */
async function readPhase(file: string, count: number): Promise<Row[]> {
  const rows: Row[] = [row("(reader process started)", 0, 1)];
  rows[0]![1] = rows[0]![2] = rows[0]![3] = "";
  const reader = await sqliteLedger(file, { readonly: true });
  const pass = async (label: string, options: ReadOptions[], validate = false): Promise<void> => {
    let n = 0;
    let charges = 0;
    let bad = 0;
    const start = performance.now();
    for (const o of options)
      for await (const entry of reader.accounts(o)) {
        n++;
        if (!entry.ok) bad++;
        else {
          charges += entry.account.charges.length;
          if (validate && !normalizeAccount(entry.account).ok) bad++;
        }
      }
    rows.push(row(label, n, (performance.now() - start) / 1000, `${num(charges)} charges${bad ? `, ${bad} bad` : ""}`));
  };
  await pass("stream all", [{}]);
  await pass("stream all (again)", [{}]);
  await pass("4 shards, one after another", [0, 1, 2, 3].map((index) => ({ shard: { index, count: 4 } })));
  await pass("resume after the middle id", [{ after: idOf(Math.floor(count / 2)) }]);
  await pass("stream all + normalizeAccount", [{}], true);
  await reader.close();
  return rows;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const readIndex = args.indexOf("--read");
  if (readIndex >= 0) {
    const rows = await readPhase(args[readIndex + 1]!, Number(args[readIndex + 2]));
    process.send!(rows);
    return;
  }
  const count = Number(args.find((a) => /^\d+$/.test(a)) ?? 100_000);
  const keep = args.includes("--keep");
  const dir = mkdtempSync(join(tmpdir(), "pd-bench-"));
  const file = join(dir, "ledger.db");
  try {
    const writer = await sqliteLedger(file);
    const start = performance.now();
    const batch = 10_000;
    for (let first = 0; first < count; first += batch) {
      const accounts: AccountSnapshot[] = [];
      for (let i = first; i < Math.min(count, first + batch); i++) accounts.push(synthetic(i));
      await writer.writeAccounts(accounts);
    }
    await writer.close();
    const rows: Row[] = [row("write (writeAccounts, batches of 10k)", count, (performance.now() - start) / 1000, "writer process")];

    const child = fork(fileURLToPath(import.meta.url), ["--read", file, String(count)], { execArgv: process.execArgv });
    rows.push(
      ...(await new Promise<Row[]>((resolve, reject) => {
        child.once("message", (m) => resolve(m as Row[]));
        child.once("error", reject);
        child.once("exit", (code) => reject(new Error(`reader exited with ${code}`)));
      })),
    );

    console.log(`\nSQLite ledger: ${num(count)} accounts × ${CHARGES} charges, file ${(statSync(file).size / 1048576).toFixed(0)} MB, Node ${process.version}\n`);
    const head: Row = ["pass", "accounts", "time", "rate", "peak RSS", ""];
    const widths = head.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
    const fmt = (r: readonly string[]): string => r.map((cell, c) => (c === 0 || c === 5 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join("  ").trimEnd();
    console.log(fmt(head));
    console.log(widths.map((w) => "-".repeat(w)).join("  "));
    for (const r of rows) console.log(fmt(r));
    if (keep) console.log(`\nkept ${file}`);
  } finally {
    if (!keep) rmSync(dir, { recursive: true, force: true });
  }
}

await main();
