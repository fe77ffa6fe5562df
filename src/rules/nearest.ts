/**
 * "Did you mean …?": the nearest of some known words to one that was mistyped. One helper for
 * every place that knows a closed list of words: the CLI's commands and options (src/cli/main.ts,
 * in the run's language), and the policy's enums (a stage kind, a channel) through the
 * validator's message (issues.ts).
 */

/**
 * Edit distance (Damerau–Levenshtein, optimal string alignment: an insertion, a deletion, a
 * substitution or two neighbouring letters swapped each cost 1), case ignored.
 *
 * @example editDistance("dunningNotise", "dunningNotice") // => 1
 * @example editDistance("paln", "plan") // => 1 (a swap)
 */
export function editDistance(a: string, b: string): number {
  const s = a.toLowerCase();
  const t = b.toLowerCase();
  // Three rows of the table are enough: the swap looks two rows back.
  let before = new Array<number>(t.length + 1).fill(0);
  let previous = Array.from({ length: t.length + 1 }, (_, j) => j);
  for (let i = 1; i <= s.length; i++) {
    const current = [i];
    for (let j = 1; j <= t.length; j++) {
      const cost = s[i - 1] === t[j - 1] ? 0 : 1;
      let d = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      if (i > 1 && j > 1 && s[i - 1] === t[j - 2] && s[i - 2] === t[j - 1]) d = Math.min(d, before[j - 2]! + 1);
      current.push(d);
    }
    [before, previous] = [previous, current];
  }
  return previous[t.length]!;
}

/**
 * The known word nearest to `word`, when it is near enough to be a slip of the keyboard rather
 * than another word: at most a third of the word's letters off (at least 1, at most 3). The first
 * listed wins a tie; none when nothing is that close or `word` is itself known.
 *
 * @example nearestWord("dunningNotise", ["reminder", "dunningNotice", "finalNotice"]) // => "dunningNotice"
 * @example nearestWord("--ledgr", ["--ledger", "--policy"]) // => "--ledger"
 * @example nearestWord("lawsuit", ["reminder", "finalNotice"]) // => undefined
 */
export function nearestWord(word: string, known: readonly string[]): string | undefined {
  if (known.includes(word)) return undefined;
  const limit = Math.min(3, Math.max(1, Math.floor(word.length / 3)));
  let best: string | undefined;
  let bestDistance = limit + 1;
  for (const candidate of known) {
    const d = editDistance(word, candidate);
    if (d < bestDistance) (best = candidate), (bestDistance = d);
  }
  return best;
}
