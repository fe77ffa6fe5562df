/**
 * The import graph of `src`, read with TypeScript's own pre-processor (`ts.preProcessFile`:
 * static imports, `import type`, re-exports, dynamic `import()`), for the tests that hold the
 * layout to its rules: no import cycles (no-cycles.test.ts), each folder to what it may import
 * (layers.test.ts).
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, posix } from "node:path";
import ts from "typescript";

export const SRC = join(import.meta.dirname, "..", "src");

/** Every `.ts` file under `dir`, as paths relative to it with `/` separators. */
export function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((f) => f.endsWith(".ts"))
    .map((f) => f.split(/[\\/]/).join("/"))
    .sort();
}

/** `src`'s files, path → text. */
export function readSources(dir = SRC): Map<string, string> {
  return new Map(sourceFiles(dir).map((f) => [f, readFileSync(join(dir, f), "utf8")]));
}

/** What a file imports: the files among `sources` (`./x.js` is `x.ts` or `x/index.ts`), and the packages and built-ins by name. */
export interface Imports {
  local: string[];
  bare: string[];
}

/** Each file's imports, among `sources` (path → text). */
export function importsBy(sources: ReadonlyMap<string, string>): Map<string, Imports> {
  const out = new Map<string, Imports>();
  for (const [file, text] of sources) {
    const imports: Imports = { local: [], bare: [] };
    for (const { fileName } of ts.preProcessFile(text, true, true).importedFiles) {
      if (!fileName.startsWith(".")) {
        imports.bare.push(fileName);
        continue;
      }
      const target = posix.normalize(posix.join(posix.dirname(file), fileName)).replace(/\.js$/, "");
      const found = [`${target}.ts`, `${target}/index.ts`].find((f) => sources.has(f));
      if (found !== undefined) imports.local.push(found);
    }
    out.set(file, imports);
  }
  return out;
}

/** The files each file imports, among `sources`. */
export function importGraph(sources: ReadonlyMap<string, string>): Map<string, string[]> {
  return new Map([...importsBy(sources)].map(([file, { local }]) => [file, local]));
}
