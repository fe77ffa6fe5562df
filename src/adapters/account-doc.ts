/**
 * The checked copy of an account's lists that a storage may keep beside its rows (the SQLite
 * ledger keeps one per account in `accounts.doc`): the charges, payments and recorded actions
 * exactly as `normalizeAccount` made them, plus their sums, as one line-based text.
 *
 * Reading an account from its rows costs far more than planning it: 24 charges, 24 payments and
 * 24 actions gathered into JSON, parsed, then checked and converted date by date. The copy is
 * written once, when the rows change, from an account that passed the checks; reading it back
 * needs no parsing of dates and no checks, and is lazy: the sums come first, so the planner
 * tells a paid-up account (most of them) without decoding any list (see `Account.totals`).
 *
 * Format `pd2` (tab-separated fields, one record per line; no value may hold a tab or a newline,
 * so an account with one simply gets no copy and is read from its rows):
 *
 *     pd2 ⇥ accountId ⇥ billed ⇥ paid ⇥ lastPaidOn ⇥ charges ⇥ payments ⇥ actions ⇥ offset of the actions ⇥ body length ⏎
 *     chargeId ⇥ period ⇥ month ⇥ due ⇥ amount ⏎               (one per charge, planning order)
 *     paymentId ⇥ on ⇥ amount ⏎                                 (one per payment)
 *     actionId ⇥ stage ⇥ on ⇥ conversation ⇥ covers ⇥ channels ⏎ (one per action)
 *
 * An action's cover of its own stage is written from the `@` on (`@fee-2026-03`), and an id that
 * is the account id, a colon and the only cover (the id `plan()` gives) is left empty.
 * Days are epoch days, months month indexes (integers); `lastPaidOn` is empty when there is no
 * payment; `conversation` is `1`, `0` or empty (not recorded); a list is `-` when absent, or its
 * length followed by its items.
 */
import type { Channel } from "../rules/kinds.js";
import type { Hold } from "../schedule/hold-types.js";
import type { Account, AccountSnapshot, AccountTotals, Charge, ChargeSnapshot, Payment, PaymentSnapshot, Recorded, RecordedAction } from "../schedule/account.js";
import { formatDay } from "../schedule/civil-date.js";
import { NL, NL_CODE, Reader, TAB, TAB_CODE } from "./doc-reader.js";

/** The first field of every copy in this format; a copy that does not start with it is ignored. */
export const DOC_VERSION = "pd2";

function clean(text: string): boolean {
  return text.indexOf(TAB) < 0 && text.indexOf(NL) < 0;
}

function list(items: readonly string[] | undefined): string | undefined {
  if (items === undefined) return "-";
  for (const item of items) if (!clean(item)) return undefined;
  return items.length === 0 ? "0" : `${items.length}${TAB}${items.join(TAB)}`;
}

/**
 * Covers of the action's own stage without it (`@fee-2026-03` for `dunning_notice@fee-2026-03`
 * on a dunning notice); null when a cover of another stage starts with `@` and so could not be
 * told apart (such an account is read from its rows).
 */
function shortCovers(stage: string, covers: readonly string[] | undefined): string[] | undefined | null {
  if (covers === undefined) return undefined;
  const out: string[] = [];
  for (const key of covers) {
    if (key.startsWith(stage) && key.charCodeAt(stage.length) === AT) out.push(key.slice(stage.length));
    else if (key.charCodeAt(0) === AT) return null;
    else out.push(key);
  }
  return out;
}

/** Covers as {@link shortCovers} wrote them, whole again. */
function fullCovers(stage: string, covers: string[] | undefined): string[] | undefined {
  if (covers !== undefined) for (let k = 0; k < covers.length; k++) if (covers[k]!.charCodeAt(0) === AT) covers[k] = stage + covers[k]!;
  return covers;
}

const AT = 64; // "@"

/**
 * The copy of a checked account. `conversationOf` gives each action's `conversation` as the
 * ledger holds it (`undefined` when not recorded), which the checked account keeps only as a
 * boolean. Undefined when a value holds a tab or a newline, or a sum passes 2^53 (it would not
 * read back exactly): such an account is read from its rows.
 */
export function encodeAccountDoc(account: Account, conversationOf: (actionId: string) => boolean | undefined): string | undefined {
  if (!clean(account.id)) return undefined;
  let billed = 0;
  let paid = 0;
  let lastPaidOn = -Infinity;
  let body = "";
  for (const c of account.charges) {
    if (!clean(c.id) || !clean(c.period)) return undefined;
    billed += c.amount;
    body += `${c.id}${TAB}${c.period}${TAB}${c.month}${TAB}${c.due}${TAB}${c.amount}${NL}`;
  }
  for (const p of account.payments) {
    if (!clean(p.id)) return undefined;
    paid += p.amount;
    if (p.on > lastPaidOn) lastPaidOn = p.on;
    body += `${p.id}${TAB}${p.on}${TAB}${p.amount}${NL}`;
  }
  const actionsAt = body.length;
  for (const a of account.actions) {
    const short = shortCovers(a.stage, a.covers);
    const covers = short === null ? undefined : list(short);
    const channels = list(a.channels);
    if (!clean(a.id) || !clean(a.stage) || covers === undefined || channels === undefined) return undefined;
    // The id plan() gives an action is the account id, a colon and its only cover: left out.
    const id = a.covers?.length === 1 && a.id === `${account.id}:${a.covers[0]}` ? "" : a.id;
    const conversation = conversationOf(a.id);
    body += `${id}${TAB}${a.stage}${TAB}${a.on}${TAB}${conversation === undefined ? "" : conversation ? 1 : 0}${TAB}${covers}${TAB}${channels}${NL}`;
  }
  if (!Number.isSafeInteger(billed) || !Number.isSafeInteger(paid)) return undefined;
  const last = lastPaidOn === -Infinity ? "" : String(lastPaidOn);
  const counts = `${account.charges.length}${TAB}${account.payments.length}${TAB}${account.actions.length}`;
  return `${DOC_VERSION}${TAB}${account.id}${TAB}${billed}${TAB}${paid}${TAB}${last}${TAB}${counts}${TAB}${actionsAt}${TAB}${body.length}${NL}${body}`;
}

/** One copy being read: its text, where its parts start, and its lists once decoded. */
interface DocState {
  accountId: string;
  doc: string;
  bodyAt: number;
  actionsAt: number;
  counts: readonly [charges: number, payments: number, actions: number];
  charges?: Charge[];
  payments?: Payment[];
  actions?: Recorded[];
  /** `conversation` as stored, by action position. */
  conversations?: (boolean | undefined)[];
  shown?: { charges?: ChargeSnapshot[]; payments?: PaymentSnapshot[]; actions?: RecordedAction[] };
}

function decodeBilling(state: DocState): void {
  const { doc, bodyAt, counts } = state;
  const b = new Reader(doc, bodyAt);
  const charges = new Array<Charge>(counts[0]);
  for (let i = 0; i < counts[0]; i++) charges[i] = { id: b.until(TAB), period: b.until(TAB), month: b.int(TAB_CODE), due: b.int(TAB_CODE), amount: b.int(NL_CODE) };
  const payments = new Array<Payment>(counts[1]);
  for (let i = 0; i < counts[1]; i++) payments[i] = { id: b.until(TAB), on: b.int(TAB_CODE), amount: b.int(NL_CODE) };
  if (b.at !== bodyAt + state.actionsAt) throw b.broken();
  state.charges = charges;
  state.payments = payments;
}

function decodeLog(state: DocState): void {
  const { doc, counts } = state;
  const a = new Reader(doc, state.bodyAt + state.actionsAt);
  const actions = new Array<Recorded>(counts[2]);
  const conversations = new Array<boolean | undefined>(counts[2]);
  for (let i = 0; i < counts[2]; i++) {
    const shortId = a.until(TAB);
    const stage = a.until(TAB);
    const on = a.int(TAB_CODE);
    const said = a.int(TAB_CODE, -1);
    const covers = fullCovers(stage, a.list(false));
    const channels = a.list(true) as Channel[] | undefined;
    const id = shortId === "" ? `${state.accountId}:${covers![0]!}` : shortId;
    conversations[i] = said === -1 ? undefined : said === 1;
    actions[i] = { id, stage, on, covers, channels, conversation: said === 1 };
  }
  if (a.at !== doc.length) throw a.broken();
  state.actions = actions;
  state.conversations = conversations;
}

const chargesOf = (s: DocState): Charge[] => s.charges ?? (decodeBilling(s), s.charges!);
const paymentsOf = (s: DocState): Payment[] => s.payments ?? (decodeBilling(s), s.payments!);
const actionsOf = (s: DocState): Recorded[] => s.actions ?? (decodeLog(s), s.actions!);

/** Where a lazily read object keeps its copy's state (a symbol, not enumerable). */
const STATE = Symbol("property-dunning.doc");
type Lazy = { [STATE]: DocState };

/**
 * Enumerable getters, the same functions for every object: V8 then gives all such objects one
 * hidden class (getters made per object would give each its own, kept in the old generation,
 * which makes every young object they reach survive collection).
 */
function lazyList<T>(read: (s: DocState) => T, write: (s: DocState, value: T) => void): PropertyDescriptor {
  return {
    get(this: Lazy) {
      return read(this[STATE]);
    },
    set(this: Lazy, value: T) {
      write(this[STATE], value);
    },
    enumerable: true,
    configurable: true,
  };
}

/** `target` with the state hidden (not enumerable: equality and spreading never see it) and the list getters. */
function lazyLists<T extends object>(target: T, state: DocState, lists: PropertyDescriptorMap): T {
  Object.defineProperty(target, STATE, { value: state });
  return Object.defineProperties(target, lists);
}

/**
 * The checked account of a copy. Its lists are getters of the class (cheaper to make than own
 * getters; only the planner reads this object, and it never spreads an account).
 */
class DocAccount implements Account {
  readonly #state: DocState;
  readonly #totals: AccountTotals;
  constructor(
    state: DocState,
    readonly id: string,
    readonly snapshot: AccountSnapshot,
    readonly holds: Hold[],
    readonly optOuts: ReadonlySet<Channel>,
    totals: AccountTotals,
  ) {
    this.#state = state;
    this.#totals = totals;
  }
  /** A getter like the lists, so that a spread (which drops the lists) cannot carry sums that no longer agree. */
  get totals(): AccountTotals {
    return this.#totals;
  }
  get charges(): Charge[] {
    return chargesOf(this.#state);
  }
  get payments(): Payment[] {
    return paymentsOf(this.#state);
  }
  get actions(): Recorded[] {
    return actionsOf(this.#state);
  }
}

/** The snapshot's lists: decoded on first read; assigning one replaces it, as on a plain snapshot. */
const SNAPSHOT_LISTS: PropertyDescriptorMap = {
  charges: lazyList(
    (s) => ((s.shown ??= {}).charges ??= chargesOf(s).map((c) => ({ id: c.id, period: c.period, dueOn: formatDay(c.due), amountMinor: c.amount }))),
    (s, value) => void ((s.shown ??= {}).charges = value),
  ),
  payments: lazyList(
    (s) => ((s.shown ??= {}).payments ??= paymentsOf(s).map((p) => ({ id: p.id, on: formatDay(p.on), amountMinor: p.amount }))),
    (s, value) => void ((s.shown ??= {}).payments = value),
  ),
  actions: lazyList(
    (s) => ((s.shown ??= {}).actions ??= actionsOf(s).map((x, i) => recordedSnapshot(x, s.conversations![i]))),
    (s, value) => void ((s.shown ??= {}).actions = value),
  ),
};

/**
 * The snapshot of an account whose lists come from its copy, and, when its own fields passed
 * the checks, the checked account for planning. `header` is the account's own fields as read
 * (segment, unit, owner, holds, opt-outs; its lists are ignored), `checked` what
 * `normalizeAccount` made of them. The lists are decoded on first use, each at most once, and
 * the snapshot's lists from the same decoding, so a caller that never reads them never pays.
 * The snapshot's lists are own enumerable getters, so spreading it or writing it as JSON works.
 * Throws when the copy's first line is unreadable; a list that is throws when first read.
 */
export function readAccountDoc(doc: string, header: AccountSnapshot, checked: Account | undefined): { snapshot: AccountSnapshot; account?: Account } {
  const r = new Reader(doc, DOC_VERSION.length + 1);
  if (!doc.startsWith(DOC_VERSION) || doc.charCodeAt(DOC_VERSION.length) !== TAB_CODE) throw r.broken();
  const owner = r.until(TAB);
  if (owner !== header.id) throw new Error(`its checked copy (accounts.doc) is account ${JSON.stringify(owner)}'s`);
  const totals: AccountTotals = { billedMinor: r.int(TAB_CODE), paidMinor: r.int(TAB_CODE), lastPaidOn: r.int(TAB_CODE, -Infinity) };
  const counts = [r.int(TAB_CODE), r.int(TAB_CODE), r.int(TAB_CODE)] as const;
  const actionsAt = r.int(TAB_CODE);
  const bodyLength = r.int(NL_CODE);
  // A cheap check of the whole copy now: a cut or padded one is refused before anyone relies on it.
  if (doc.length !== r.at + bodyLength || (bodyLength > 0 && doc.charCodeAt(doc.length - 1) !== NL_CODE)) throw r.broken();
  const state: DocState = { accountId: header.id, doc, bodyAt: r.at, actionsAt, counts };

  // Built from a literal, the lists, then the fields the account has (not by spreading `header`):
  // so every snapshot takes the same few hidden classes and stays a fast object.
  const snapshot = lazyLists({ id: header.id }, state, SNAPSHOT_LISTS) as AccountSnapshot;
  if (header.segment !== undefined) snapshot.segment = header.segment;
  if (header.unit !== undefined) snapshot.unit = header.unit;
  if (header.owner !== undefined) snapshot.owner = header.owner;
  if (header.holds !== undefined) snapshot.holds = header.holds;
  if (header.optOuts !== undefined) snapshot.optOuts = header.optOuts;
  if (checked === undefined) {
    // Read now: this account is reported from its snapshot, so a broken list must show here.
    chargesOf(state);
    actionsOf(state);
    return { snapshot };
  }
  const account = new DocAccount(state, checked.id, snapshot, checked.holds, checked.optOuts, totals);
  return { snapshot, account };
}

function recordedSnapshot(x: Recorded, conversation: boolean | undefined): RecordedAction {
  const out: RecordedAction = { id: x.id, stage: x.stage, on: formatDay(x.on) };
  // Copies: a caller changing the snapshot must not change what the checked account plans with.
  if (x.covers !== undefined) out.covers = [...x.covers];
  if (x.channels !== undefined) out.channels = [...x.channels];
  if (conversation !== undefined) out.conversation = conversation;
  return out;
}
