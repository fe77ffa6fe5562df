/**
 * Headless Chromium for the browser tests (Debian's `chromium`, see scripts/install-chromium.sh):
 * running it on a page, and reading the PNG screenshots it writes. Without chromium a browser
 * test is skipped locally and fails when CI is set.
 */
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { inflateSync } from "node:zlib";
import { expect } from "vitest";

export const CHROMIUM = process.env.PD_CHROMIUM ?? "/usr/bin/chromium";
export const HAVE_CHROMIUM = existsSync(CHROMIUM);
export const IN_CI = Boolean(process.env.CI);

export function chromium(args: string[], userDataDir: string): Promise<{ stdout: string; stderr: string }> {
  const flags = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    `--user-data-dir=${userDataDir}`,
  ];
  return new Promise((resolve, reject) => {
    execFile(CHROMIUM, [...flags, ...args], { timeout: 60_000, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) =>
      error ? reject(new Error(`chromium failed: ${error.message}\n${stderr}`)) : resolve({ stdout, stderr }),
    );
  });
}

/**
 * Whether this run rewrites the screenshots in docs/ (`PD_WRITE_PICTURES=1`, as docs/studio.md and
 * docs/cli.md print it). Without it a browser test still makes each picture and checks it, but in
 * its own temporary folder, so `npm test` leaves the working tree as it found it.
 */
export const WRITE_PICTURES = process.env.PD_WRITE_PICTURES === "1";

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/**
 * Checks a screenshot a test made (a PNG, not empty, of a real size; `size` when the test knows
 * it), and when asked (WRITE_PICTURES) writes it over `docs/<name>`. Returns the decoded picture.
 */
export async function keepPicture(png: Buffer, name: string, size?: { width: number; height: number }): Promise<ReturnType<typeof decodePng>> {
  expect(png.length, `${name}: an empty screenshot`).toBeGreaterThan(PNG_SIGNATURE.length);
  expect(png.subarray(0, 8).equals(PNG_SIGNATURE), `${name}: not a PNG`).toBe(true);
  const picture = decodePng(png);
  if (size) expect([picture.width, picture.height], name).toEqual([size.width, size.height]);
  else {
    expect(picture.width, `${name}: width`).toBeGreaterThan(100);
    expect(picture.height, `${name}: height`).toBeGreaterThan(100);
  }
  if (WRITE_PICTURES) await writeFile(join(fileURLToPath(new URL("../docs/", import.meta.url)), name), png);
  return picture;
}

/** Decodes an 8-bit RGB/RGBA PNG (what Chromium writes) into rows of pixels. */
export function decodePng(png: Buffer): { width: number; height: number; channels: number; pixel: (x: number, y: number) => [number, number, number] } {
  let offset = 8;
  let width = 0;
  let height = 0;
  let channels = 0;
  const idat: Buffer[] = [];
  while (offset < png.length) {
    const length = png.readUInt32BE(offset);
    const type = png.toString("latin1", offset + 4, offset + 8);
    const data = png.subarray(offset + 8, offset + 8 + length);
    if (type === "IHDR") {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      expect(data[8], "bit depth").toBe(8);
      channels = data[9] === 6 ? 4 : data[9] === 2 ? 3 : 0;
      expect(channels, "colour type RGB or RGBA").toBeGreaterThan(0);
      expect(data[12], "not interlaced").toBe(0);
    } else if (type === "IDAT") idat.push(data);
    else if (type === "IEND") break;
    offset += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  const out = Buffer.alloc(height * stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]!;
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    for (let i = 0; i < stride; i++) {
      const a = i >= channels ? out[y * stride + i - channels]! : 0;
      const b = y > 0 ? out[(y - 1) * stride + i]! : 0;
      const c = i >= channels && y > 0 ? out[(y - 1) * stride + i - channels]! : 0;
      let v = line[i]!;
      if (filter === 1) v += a;
      else if (filter === 2) v += b;
      else if (filter === 3) v += (a + b) >> 1;
      else if (filter === 4) {
        const p = a + b - c;
        const pa = Math.abs(p - a);
        const pb = Math.abs(p - b);
        const pc = Math.abs(p - c);
        v += pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      }
      out[y * stride + i] = v & 0xff;
    }
  }
  return { width, height, channels, pixel: (x, y) => [out[y * stride + x * channels]!, out[y * stride + x * channels + 1]!, out[y * stride + x * channels + 2]!] };
}
