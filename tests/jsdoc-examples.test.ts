/**
 * Every JSDoc `@example` of the public API runs, and says what it returns (issue 16 item 5).
 *
 * The examples are those on the declarations each entry of package.json `exports` offers
 * (functions, classes, constants, and the members of exported interfaces and classes, such as
 * `Scheduler.dueActions`). An example is TypeScript run with the root entry's and its own entry's
 * exports in scope (top-level `await` allowed, the working directory is the repository). The
 * convention for a stated output: a line `expression // => expected`, where `expected` is a
 * JavaScript value on the same line; the test evaluates both and compares them deeply
 * (`toEqual`). Every example states at least one output, so an example cannot silently rot
 * into decoration. docs/holidays.md's example follows the same convention and runs here too.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import tsupConfig from "../tsup.config.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const OUTPUT = " // => ";

type Conditional = { import: { default: string } };
const pkg = JSON.parse(readFileSync(`${root}/package.json`, "utf8")) as { exports: Record<string, string | Conditional> };
// tsup.config.ts may hold several builds (the library's ESM and CJS); their entries together.
const sources: Record<string, string> = Object.assign({}, ...[tsupConfig].flat().map((c) => (c as { entry: Record<string, string> }).entry));
/** The code entries of package.json `exports`, each with its source file (as tsup builds it). */
const entries = Object.entries(pkg.exports).flatMap(([subpath, target]) => {
  if (typeof target === "string") return [];
  const built = /^\.\/dist\/(.+)\.js$/.exec(target.import.default)![1]!;
  return [{ subpath, source: sources[built]! }];
});

interface Example {
  /** `file:line` of the `@example` tag, and the name it documents. */
  where: string;
  name: string;
  subpath: string;
  code: string;
}

/** The `@example`s on what each public entry exports, each once. */
function publicExamples(): Example[] {
  const program = ts.createProgram(
    entries.map((e) => `${root}/${e.source}`),
    { module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, target: ts.ScriptTarget.ES2022, skipLibCheck: true, noEmit: true },
  );
  const checker = program.getTypeChecker();
  const seen = new Set<string>();
  const out: Example[] = [];
  const visit = (declaration: ts.Declaration, name: string, subpath: string): void => {
    for (const tag of ts.getJSDocTags(declaration)) {
      if (tag.tagName.text !== "example") continue;
      const file = tag.getSourceFile();
      const where = `${file.fileName.slice(root.length)}:${file.getLineAndCharacterOfPosition(tag.getStart()).line + 1}`;
      if (seen.has(where)) continue;
      seen.add(where);
      out.push({ where, name, subpath, code: ts.getTextOfJSDocComment(tag.comment) ?? "" });
    }
  };
  for (const { subpath, source } of entries) {
    const file = program.getSourceFile(`${root}/${source}`)!;
    for (const symbol of checker.getExportsOfModule(checker.getSymbolAtLocation(file)!)) {
      const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
      for (const declaration of target.declarations ?? []) {
        visit(declaration, symbol.name, subpath);
        if (ts.isInterfaceDeclaration(declaration) || ts.isClassDeclaration(declaration)) {
          for (const member of declaration.members) visit(member, `${symbol.name}.${member.name?.getText() ?? ""}`, subpath);
        }
      }
    }
  }
  return out;
}

/** The example as the body of an async function: each `expr // => expected` line becomes a check. */
export function toProgram(code: string): { body: string; checks: number } {
  let checks = 0;
  const lines = code.split("\n").map((line, i) => {
    const at = line.indexOf(OUTPUT);
    if (at < 0) return line;
    checks++;
    const expression = line.slice(0, at).trim().replace(/;$/, "");
    const expected = line.slice(at + OUTPUT.length).trim();
    return `__check(${i + 1}, ${JSON.stringify(expression)}, (${expression}), (${expected}));`;
  });
  const js = ts.transpileModule(lines.join("\n"), { compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext } }).outputText;
  return { body: js.replace(/^export \{\};\s*$/m, ""), checks };
}

const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor as new (...args: string[]) => (...values: unknown[]) => Promise<void>;

async function run(example: Example): Promise<{ checks: number }> {
  const scope: Record<string, unknown> = { ...(await import(`${root}/src/index.ts`)) };
  Object.assign(scope, await import(`${root}/${entries.find((e) => e.subpath === example.subpath)!.source}`));
  const { body, checks } = toProgram(example.code);
  const check = (line: number, expression: string, actual: unknown, expected: unknown) => {
    expect(actual, `${example.where} (${example.name}), example line ${line}: ${expression}`).toEqual(expected);
  };
  await new AsyncFunction(...Object.keys(scope), "__check", body)(...Object.values(scope), check);
  return { checks };
}

/**
 * Examples not run, and why. `property-dunning/jobs` is reworked on another branch (issue 17);
 * its examples need a PostgreSQL queue and still state outputs in the old `// value` form.
 * The list can only shrink: a name here must still have an example.
 */
const NOT_RUN: Record<string, string> = {
  startRun: "needs a PostgreSQL queue",
  startWorker: "needs a PostgreSQL queue",
  scheduleNightly: "needs a PostgreSQL queue",
  lastNightOf: "pure, but states its output as `// value`: to convert on the issue 17 branch",
};

const examples = publicExamples();

describe("JSDoc @example of the public API", () => {
  it("finds the examples of the main functions", () => {
    const names = new Set(examples.map((e) => e.name));
    for (const name of ["parsePolicy", "safeParsePolicy", "plan", "Scheduler.dueActions", "renderNotice", "deadlineOn", "deadlineAfter", "contactWindow", "computeLateFees", "openLedger"]) {
      expect(names, name).toContain(name);
    }
  });

  it("skips only the examples it names, each of which still exists", () => {
    const names = new Set(examples.map((e) => e.name));
    for (const name of Object.keys(NOT_RUN)) expect(names, name).toContain(name);
  });

  for (const example of examples.filter((e) => !Object.hasOwn(NOT_RUN, e.name))) {
    it(`${example.name} (${example.where}) gives the output it states`, async () => {
      const { checks } = await run(example);
      expect(checks, "an example states at least one output (`expression // => value`)").toBeGreaterThan(0);
    });
  }

  it("docs/holidays.md's example gives the outputs it states", async () => {
    const page = readFileSync(`${root}/docs/holidays.md`, "utf8");
    const code = /```ts\n([\s\S]*?)```/.exec(page)![1]!;
    // The page imports from the package; here the root entry is in scope already.
    const { checks } = await run({ where: "docs/holidays.md", name: "docs/holidays.md", subpath: ".", code: code.replace(/^import .* from "property-dunning";$/m, "") });
    expect(checks).toBe(4);
  });

  it("a stated output that is wrong fails", async () => {
    const wrong: Example = { where: "mutant", name: "deadlineOn", subpath: ".", code: 'deadlineOn("2026-10-01", { holidays: "CN" }) // => "2026-10-01"' };
    await expect(run(wrong)).rejects.toThrow(/expected '2026-10-08' to deeply equal '2026-10-01'/);
  });
});
