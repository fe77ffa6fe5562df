/**
 * `property-dunning studio --out studio.html`: writes the policy studio, one self-contained page
 * that opens from `file://` with no network (docs/studio.md). The page's scripts are built by
 * `npm run build` (tsup.config.ts, `buildStudio`: CodeMirror and the library's root entry,
 * and the worker with the proof kit) into `dist/studio/`; this command inlines them.
 */
import { readFile } from "node:fs/promises";
import { extname } from "node:path";
import { studioPage } from "../studio/page.js";
import { UsageError, writeOut, type CliIo } from "./common.js";

/** Where the built scripts are: beside the built CLI (dist/studio/), or dist/studio/ of the checkout when run from src/. */
const ASSET_DIRS = [new URL("./studio/", import.meta.url), new URL("../../dist/studio/", import.meta.url)];

async function readAssets(): Promise<{ app: string; worker: string; version: string } | undefined> {
  for (const dir of ASSET_DIRS) {
    try {
      const [app, worker, pkg] = await Promise.all([readFile(new URL("app.js", dir), "utf8"), readFile(new URL("worker.js", dir), "utf8"), readFile(new URL("../../package.json", dir), "utf8")]);
      return { app, worker, version: (JSON.parse(pkg) as { version: string }).version };
    } catch {
      // Not here: the next place.
    }
  }
  return undefined;
}

/** Exit codes: 0 written; 2 a usage error, or the page's scripts are not built. */
export async function studioCommand(args: { out: string }, io: CliIo): Promise<number> {
  const ext = extname(args.out).toLowerCase();
  if (ext !== ".html" && ext !== ".htm") throw new UsageError(`--out must end in .html (got ${JSON.stringify(args.out)})`);
  const assets = await readAssets();
  if (!assets) {
    io.err("studio: the page's scripts are not built (dist/studio/app.js and worker.js): run npm run build\n");
    return 2;
  }
  await writeOut(args.out, studioPage(assets));
  io.out(`studio written to ${args.out} (open it in a browser; it needs no network)\n`);
  return 0;
}
