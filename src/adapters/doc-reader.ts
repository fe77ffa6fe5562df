/**
 * Reading the text of a checked copy (format in `account-doc.ts`): a cursor over its tab- and
 * newline-separated fields.
 */

export const TAB = "\t";
export const NL = "\n";

/** A cursor over one copy. Malformed text throws, naming the copy as unreadable. */
export class Reader {
  constructor(
    readonly text: string,
    public at: number,
  ) {}

  /** The text up to the next `separator`, which it then skips. */
  until(separator: string): string {
    const end = this.text.indexOf(separator, this.at);
    if (end < 0) throw this.broken();
    const value = this.text.slice(this.at, end);
    this.at = end + 1;
    return value;
  }

  /** A decimal integer (optionally negative) ending at `separator`; `empty` for an empty field. */
  int(separator: number, empty?: number): number {
    const { text } = this;
    let i = this.at;
    const negative = text.charCodeAt(i) === MINUS;
    if (negative) i++;
    const start = i;
    let value = 0;
    for (;;) {
      const c = text.charCodeAt(i);
      if (c === separator) break;
      const digit = c - ZERO;
      if (!(digit >= 0 && digit <= 9)) throw this.broken();
      value = value * 10 + digit;
      i++;
    }
    this.at = i + 1;
    if (i === start) {
      if (empty === undefined || negative) throw this.broken();
      return empty;
    }
    return negative ? -value : value;
  }

  /** A list field: `-`, or a count and that many items. */
  list(last: boolean): string[] | undefined {
    const end = last ? NL_CODE : TAB_CODE;
    const first = this.text.charCodeAt(this.at);
    if (first === MINUS) {
      if (this.text.charCodeAt(this.at + 1) !== end) throw this.broken();
      this.at += 2;
      return undefined;
    }
    // A count has no leading zero: one that starts with 0 is the empty list, which ends the field.
    if (first === ZERO) {
      this.int(end);
      return [];
    }
    const n = this.int(TAB_CODE);
    const items = new Array<string>(n);
    for (let k = 0; k < n; k++) items[k] = this.until(k === n - 1 && last ? NL : TAB);
    return items;
  }

  broken(): Error {
    return new Error(`its checked copy (accounts.doc) is unreadable at character ${this.at}`);
  }
}

export const MINUS = 45;
const ZERO = 48;
export const TAB_CODE = 9;
export const NL_CODE = 10;
