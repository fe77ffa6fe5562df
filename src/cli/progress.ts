/**
 * The progress line of a long plan: `planned 120,000 accounts…` on stderr, rewritten in place,
 * only when stderr is a terminal. Never in a pipe, a log or CI, so that JSON on stdout and logs
 * stay clean; throttled by account count (not by the clock), so it costs nothing per account.
 */
export interface ProgressStream {
  isTTY?: boolean;
  write(text: string): unknown;
}

export interface ProgressMeter {
  /** `accounts` planned so far. */
  tick(accounts: number): void;
  /** Erases the line, if one was drawn. */
  done(): void;
}

/** Accounts between two updates of the line. */
export const PROGRESS_EVERY = 5000;

export function progressMeter(stream: ProgressStream = process.stderr, every = PROGRESS_EVERY): ProgressMeter {
  const tty = stream.isTTY === true;
  let last = 0;
  return {
    tick(accounts) {
      if (!tty || accounts - last < every) return;
      last = accounts;
      stream.write(`\rplanned ${accounts.toLocaleString("en-US")} accounts…`);
    },
    done() {
      if (tty && last > 0) stream.write("\r\x1b[K");
      last = 0;
    },
  };
}
