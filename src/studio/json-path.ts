/**
 * Where an issue's path (`stages[3].trigger.day`, as `safeParsePolicy` writes it) lies in the
 * editor's text: walked down the JSON syntax tree (@lezer/json), as deep as the path goes. A path
 * that goes further than the text (a missing field) ends at the object that should hold it.
 */
import type { SyntaxNode } from "@lezer/common";

/** `stages[3].trigger.day` → `["stages", 3, "trigger", "day"]`; `[\"a b\"]` segments are JSON strings. */
export function pathSegments(path: string): (string | number)[] {
  const out: (string | number)[] = [];
  const re = /\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]|\.?([A-Za-z_$][\w$]*)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(path)) !== null) {
    if (m[1] !== undefined) out.push(Number(m[1]));
    else if (m[2] !== undefined) out.push(JSON.parse(m[2]) as string);
    else if (m[3] !== undefined) out.push(m[3]);
  }
  return out;
}

const VALUE = new Set(["Object", "Array", "String", "Number", "True", "False", "Null"]);

function values(node: SyntaxNode): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  for (let c = node.firstChild; c; c = c.nextSibling) if (VALUE.has(c.name)) out.push(c);
  return out;
}

/** The range of the node `path` names, or of the deepest node on the way; `text(from, to)` reads the document. */
export function rangeOfPath(top: SyntaxNode, path: string, text: (from: number, to: number) => string): { from: number; to: number; exact: boolean } {
  let node: SyntaxNode | null = top.name === "JsonText" ? (values(top)[0] ?? null) : top;
  if (!node) return { from: 0, to: 0, exact: false };
  for (const segment of pathSegments(path)) {
    let next: SyntaxNode | undefined;
    if (typeof segment === "number" && node.name === "Array") next = values(node)[segment];
    else if (typeof segment === "string" && node.name === "Object") {
      for (let p = node.firstChild; p && !next; p = p.nextSibling) {
        if (p.name !== "Property") continue;
        const name = p.getChild("PropertyName");
        if (!name) continue;
        let key: unknown;
        try {
          key = JSON.parse(text(name.from, name.to));
        } catch {
          continue;
        }
        if (key === segment) next = values(p)[0] ?? p;
      }
    }
    if (!next) return { from: node.from, to: node.to, exact: false };
    node = next;
  }
  return { from: node.from, to: node.to, exact: true };
}
