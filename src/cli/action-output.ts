/**
 * The actions of a plan written as they are planned, never held: JSON (exactly the text
 * `jsonText(actions, 2)` gives for the whole array, written piece by piece), JSON Lines (one
 * action a line), or for the table the counts its summary needs and the first rows. Memory is one
 * account's actions and a write buffer, however many actions the plan has.
 */
import { closeSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from "node:fs";
import { dirname } from "node:path";
import { jsonText } from "../text/index.js";
import type { PlannedAction } from "../schedule/ladder/action.js";
import { UsageError } from "./common.js";
import { addTo, type ActionTally } from "./format.js";

/** Where one output's actions go, account by account, then `end()`. */
export interface ActionSink {
  add(actions: readonly PlannedAction[]): void;
  end(): void;
}

/**
 * Text collected into chunks of about 64 KiB before each write: few system calls, bounded memory.
 * `blocked` is true once a write returned `false` (a stream's "my queue is full"): the caller then
 * waits for the stream to drain before planning more, so a slow reader slows the plan instead of
 * filling memory.
 */
export function buffered(write: (text: string) => unknown, size = 1 << 16): { write: (text: string) => void; flush: () => void; blocked: boolean } {
  let pending = "";
  const out = {
    blocked: false,
    write(text: string) {
      pending += text;
      if (pending.length >= size) out.flush();
    },
    flush() {
      if (pending && write(pending) === false) out.blocked = true;
      pending = "";
    },
  };
  return out;
}

/**
 * The JSON array `jsonText(actions, 2)` prints, written account by account: each account's
 * actions are printed as one array, whose elements JSON.stringify already indents one level, so
 * its text between `[\n` and `\n]` is those elements as the whole array holds them; they go
 * between `[`, `,` and `]` as JSON.stringify places them. (One call per account, not per action
 * plus a re-indenting pass.)
 */
export function jsonArraySink(write: (text: string) => void): ActionSink {
  let first = true;
  return {
    add(actions) {
      if (actions.length === 0) return;
      const text = jsonText(actions, 2);
      write(`${first ? "[\n" : ",\n"}${text.slice(2, -2)}`);
      first = false;
    },
    end: () => write(first ? "[]\n" : "\n]\n"),
  };
}

/** One action a line, compact (`jsonText` escapes U+2028 and U+2029, so a line is a line to every reader). */
export function jsonLinesSink(write: (text: string) => void): ActionSink {
  return {
    add(actions) {
      for (const action of actions) write(`${jsonText(action)}\n`);
    },
    end: () => undefined,
  };
}

export function tallyActions(): ActionTally & ActionSink {
  const tally: ActionTally & ActionSink = {
    count: 0,
    overdue: new Map(),
    byKind: new Map(),
    add(actions) {
      for (const a of actions) {
        let k = tally.byKind.get(a.kind);
        if (!k) tally.byKind.set(a.kind, (k = { count: 0, overdue: new Map(), channels: new Map() }));
        k.count++;
        addTo(k.overdue, a);
        // Carried in another unit's notice (sentWith): counted as an action, but nothing goes out on its channels.
        if (a.sentWith === undefined) for (const c of a.channels) k.channels.set(c, (k.channels.get(c) ?? 0) + 1);
        tally.count++;
        addTo(tally.overdue, a);
      }
    },
    end: () => undefined,
  };
  return tally;
}

/** The first `limit` actions, for a table a person reads; the rest are only counted (`tallyActions`). */
export function firstActions(limit: number): { actions: PlannedAction[] } & ActionSink {
  const kept: PlannedAction[] = [];
  return {
    actions: kept,
    add(actions) {
      for (const a of actions) if (kept.length < limit) kept.push(a);
    },
    end: () => undefined,
  };
}

/** Every sink gets every account's actions. */
export function allOf(...sinks: ActionSink[]): ActionSink {
  return {
    add: (actions) => sinks.forEach((s) => s.add(actions)),
    end: () => sinks.forEach((s) => s.end()),
  };
}

/**
 * `--out`: a file written as the plan goes, under a temporary name beside it and renamed when
 * complete, so that a plan that fails half-way never leaves half a file under the name asked for
 * (nor clobbers the last complete one). Opened before planning starts: a file that cannot be
 * written is a usage error at once, not after an hour of planning.
 */
export function outFile(path: string): { write: (text: string) => void; commit: () => void; abort: () => void } {
  const partial = `${path}.${process.pid}.partial`;
  let fd: number;
  try {
    mkdirSync(dirname(path), { recursive: true });
    fd = openSync(partial, "w");
  } catch (error) {
    throw new UsageError(`cannot write ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  const out = buffered((text) => writeSync(fd, text));
  let open = true;
  const close = () => {
    if (open) closeSync(fd);
    open = false;
  };
  return {
    write: out.write,
    commit() {
      out.flush();
      close();
      try {
        renameSync(partial, path);
      } catch (error) {
        rmSync(partial, { force: true });
        throw new UsageError(`cannot write ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
      }
    },
    abort() {
      close();
      rmSync(partial, { force: true });
    },
  };
}
