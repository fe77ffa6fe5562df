/**
 * Writing a ledger file safely: writes one at a time, each to a temporary file in the same folder,
 * flushed and renamed over the file; temporary files a crashed writer left are removed. Node only.
 */
import { open, readdir, rename, rm } from "node:fs/promises";
import { basename, dirname, join } from "node:path";

/** Runs writes one at a time, in call order, so that two `record()` calls never interleave. */
export function serial(): <T>(task: () => Promise<T>) => Promise<T> {
  let tail: Promise<unknown> = Promise.resolve();
  return (task) => {
    const run = tail.then(task, task);
    tail = run.catch(() => undefined);
    return run;
  };
}

/** The temporary file name a write of `path` by process `pid` uses; {@link staleTemps} recognises it. */
function tempName(path: string, pid: number): string {
  return `.${basename(path)}.${pid}.${Date.now().toString(36)}.tmp`;
}

/** True when process `pid` is running on this host (or may be: we are not allowed to signal it). */
function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Removes the temporary files a write of `path` left behind when its process was killed before
 * renaming: named as {@link tempName} makes them, by a process that is no longer running (a
 * running one may be writing it right now; its pid is in the name).
 */
async function removeStaleTemps(path: string): Promise<void> {
  const prefix = `.${basename(path)}.`;
  for (const name of await readdir(dirname(path))) {
    if (!name.startsWith(prefix) || !name.endsWith(".tmp")) continue;
    const match = /^(\d+)\.[0-9a-z]+\.tmp$/.exec(name.slice(prefix.length));
    if (match === null) continue;
    const pid = Number(match[1]);
    if (pid !== process.pid && !running(pid)) await rm(join(dirname(path), name), { force: true });
  }
}

/** Writes `text` to `path` atomically: a temporary file in the same directory, flushed, then renamed over it. */
export async function writeAtomically(path: string, text: string): Promise<void> {
  await removeStaleTemps(path);
  const temp = join(dirname(path), tempName(path, process.pid));
  let renamed = false;
  try {
    const handle = await open(temp, "w");
    try {
      await handle.writeFile(text, "utf8");
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, path);
    renamed = true;
  } finally {
    if (!renamed) await rm(temp, { force: true });
  }
}
