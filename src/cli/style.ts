/**
 * Colours for people at a terminal, and for nobody else: never in a pipe, a file or CI logs
 * unless asked for. FORCE_COLOR wins (as in Node's own `getColorDepth`), then NO_COLOR
 * (https://no-color.org: present and not empty) and TERM=dumb, then whether the stream is a TTY.
 */
export interface Style {
  bold(text: string): string;
  dim(text: string): string;
  red(text: string): string;
  green(text: string): string;
  yellow(text: string): string;
}

/** Whether to colour what is written to `stream`. */
export function colorEnabled(stream: { isTTY?: boolean }, env: Readonly<Record<string, string | undefined>> = process.env): boolean {
  const force = env.FORCE_COLOR;
  if (force !== undefined) return force === "" || force === "1" || force === "2" || force === "3" || force === "true";
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return false;
  if (env.TERM === "dumb") return false;
  return stream.isTTY === true;
}

const sgr = (open: number, close: number) => (text: string) => `\x1b[${open}m${text}\x1b[${close}m`;

const COLOURS: Style = { bold: sgr(1, 22), dim: sgr(2, 22), red: sgr(31, 39), green: sgr(32, 39), yellow: sgr(33, 39) };
export const PLAIN: Style = { bold: (s) => s, dim: (s) => s, red: (s) => s, green: (s) => s, yellow: (s) => s };

export function style(enabled: boolean | undefined): Style {
  return enabled ? COLOURS : PLAIN;
}
