/**
 * SIGTERM and SIGINT for `property-dunning worker`, held from the process's first line (bin.ts)
 * rather than from when the worker command has loaded: a stop that comes while the CLI is still
 * loading or connecting (an orchestrator scaling down, Ctrl-C) is kept and honoured as a clean
 * stop (exit 0), never the default death by signal (143). No imports: it must load first.
 */
let received: NodeJS.Signals | undefined;
let holding = false;
const listeners = new Set<(signal: NodeJS.Signals) => void>();

function onSignal(signal: NodeJS.Signals): void {
  received ??= signal;
  for (const listener of listeners) listener(signal);
}

/** Starts holding SIGTERM and SIGINT (once per process; later calls do nothing). */
export function holdStopSignals(): void {
  if (holding) return;
  holding = true;
  process.on("SIGTERM", onSignal);
  process.on("SIGINT", onSignal);
}

/** Lets go of the signals (the default handling again). */
export function releaseStopSignals(): void {
  if (!holding) return;
  holding = false;
  received = undefined;
  listeners.clear();
  process.off("SIGTERM", onSignal);
  process.off("SIGINT", onSignal);
}

/** The stop signal received so far, if any. */
export function stopSignal(): NodeJS.Signals | undefined {
  return received;
}

/** Resolves with the first stop signal (at once, when one came already). */
export function nextStop(): Promise<NodeJS.Signals> {
  if (received) return Promise.resolve(received);
  return new Promise((resolve) => {
    const listener = (signal: NodeJS.Signals) => {
      listeners.delete(listener);
      resolve(signal);
    };
    listeners.add(listener);
  });
}
