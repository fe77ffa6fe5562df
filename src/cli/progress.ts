/**
 * The progress line of a long plan on stderr, rewritten in place, only when stderr is a
 * terminal: `planned 12,000 of 120,000 accounts (10%) · 4,000 a second · about 27 s left`. Never
 * in a pipe, a log or CI, so that JSON on stdout and logs stay clean. Redrawn by the clock (every
 * `everyMs`, four times a second), not by a count, so that a slow ledger still shows life and a
 * fast one does not flicker; a plan done before the first redraw shows nothing at all. The clock
 * is an argument (tests give their own); it is read once per account, which costs nothing beside
 * planning it.
 */
export interface ProgressStream {
  isTTY?: boolean;
  write(text: string): unknown;
}

export interface ProgressMeter {
  /** `accounts` planned so far. */
  tick(accounts: number): void;
  /** How many accounts the ledger holds, when it can tell (`LedgerAdapter.count`): the line then shows the share done and the time left. */
  setTotal(total: number | undefined): void;
  /** Erases the line, if one was drawn. */
  done(): void;
}

export interface ProgressOptions {
  /** Milliseconds from some fixed start (default `performance.now`). */
  now?: () => number;
  /** Milliseconds between two redraws (default {@link PROGRESS_EVERY_MS}). */
  everyMs?: number;
}

/** Milliseconds between two redraws of the line: a few times a second, as a person reads it. */
export const PROGRESS_EVERY_MS = 250;

export function progressMeter(stream: ProgressStream = process.stderr, options: ProgressOptions = {}): ProgressMeter {
  const tty = stream.isTTY === true;
  const now = options.now ?? (() => performance.now());
  const every = options.everyMs ?? PROGRESS_EVERY_MS;
  const started = tty ? now() : 0;
  let next = started + every;
  let drawn = false;
  let total: number | undefined;
  return {
    tick(accounts) {
      if (!tty) return;
      const t = now();
      if (t < next) return;
      next = t + every;
      drawn = true;
      stream.write(`\r${progressText(accounts, total, t - started)}\x1b[K`);
    },
    setTotal(n) {
      total = n;
    },
    done() {
      if (tty && drawn) stream.write("\r\x1b[K");
      drawn = false;
    },
  };
}

const count = (n: number) => Math.round(n).toLocaleString("en-US");

/**
 * The line's text: how many, of how many and what share when the total is known, the rate so far,
 * and the time left at that rate.
 *
 * @example progressText(30_000, 120_000, 10_000) // => "planned 30,000 of 120,000 accounts (25%) · 3,000 a second · about 30 s left"
 */
export function progressText(accounts: number, total: number | undefined, elapsedMs: number): string {
  const rate = elapsedMs > 0 ? (accounts * 1000) / elapsedMs : 0;
  const pace = rate > 0 ? ` · ${count(rate)} a second` : "";
  if (total === undefined || total <= 0) return `planned ${count(accounts)} accounts…${pace}`;
  const share = Math.min(100, Math.floor((accounts * 100) / total));
  const left = rate > 0 && total > accounts ? ` · about ${duration((total - accounts) / rate)} left` : "";
  return `planned ${count(accounts)} of ${count(total)} accounts (${share}%)${pace}${left}`;
}

/** Seconds as a person says them: `8 s`, `2 min 5 s`, `1 h 3 min`. */
function duration(seconds: number): string {
  const s = Math.ceil(seconds);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min${s % 60 ? ` ${s % 60} s` : ""}`;
  return `${Math.floor(s / 3600)} h${Math.floor((s % 3600) / 60) ? ` ${Math.floor((s % 3600) / 60)} min` : ""}`;
}
