#!/usr/bin/env node
import { holdStopSignals } from "./jobs-signals.js";

const args = process.argv.slice(2);
// A worker is stopped cleanly by SIGTERM at any moment, even while the CLI loads (jobs-signals.ts).
if (args[0] === "worker") holdStopSignals();

/**
 * The reader went away (`| head -1`, a closed terminal): the rest of the output has nowhere to go.
 * Stop quietly with 141, what a shell reports for a command killed by SIGPIPE (Node ignores the
 * signal and reports EPIPE instead), so that `set -o pipefail` sees what it sees for `cat`.
 */
const EXIT_BROKEN_PIPE = 141; // EXIT_CODES in help.ts
for (const stream of [process.stdout, process.stderr])
  stream.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code !== "EPIPE") throw error;
    process.exit(EXIT_BROKEN_PIPE);
  });

// Loaded after the signals are held: loading the commands takes a while.
import("./main.js").then(({ main }) => main(args)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`property-dunning: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 70;
  },
);
