/**
 * A shard's count of accounts planned and skipped, each account once however often its shard is
 * retried, and the cursor a checkpoint may save with it.
 *
 * Why counting plan()'s events is not enough: plan() resumes from a cursor that may lag behind
 * what it has already yielded. An owner's units are planned together, and every event of the
 * owner but the last carries the cursor just before the owner's first unit (so that a retry
 * reads the whole owner again, never half of it); a row reported meanwhile carries that cursor
 * too. A checkpoint that saved "every event counted so far" with such a cursor counted those
 * accounts twice after a retry (the journal kept their actions from being sent twice, but the
 * run reported the counts).
 *
 * What this does instead: it watches the shard's stream as plan() reads it ({@link ShardTally.tap}),
 * in the ledger's order, and notes each account's outcome when plan() yields it
 * ({@link ShardTally.note}). A checkpoint ({@link ShardTally.checkpoint}) folds into the saved
 * counts exactly the accounts read up to the cursor it saves, the ones a retry will not read
 * again, and keeps the others for a later checkpoint: a retry from that cursor reads each of them
 * again and counts it then, once. The cursor saved is plan()'s, but never one past an account
 * plan() has read and not yet yielded (that account would be lost to a retry).
 *
 * Memory: one small record per account read past the saved cursor: as many as plan() holds back.
 */
import type { LedgerAdapter, LedgerEntry, ReadOptions } from "../ledger/adapter.js";
import type { PlanEvent } from "../ledger/plan.js";

interface Read {
  cursor: string;
  /** How plan() yielded it; undefined while it has not (a unit waiting for its owner). */
  outcome?: PlanEvent["type"];
}

export interface TallyCheckpoint {
  /** The cursor to save: a retry reads every account after it, and none before. null: none yet (read from the start). */
  cursor: string | null;
  planned: number;
  skipped: number;
}

export class ShardTally {
  /** Accounts read, in the ledger's order: those past the saved cursor from `reads[head]` on. */
  private reads: Read[] = [];
  private head = 0;
  /** The read sequence number of `reads[0]` (0: the first account this attempt read). */
  private first = 0;
  /** Read sequence numbers by cursor, for the reads kept. */
  private readonly seqOfCursor = new Map<string, number>();
  /** Reads plan() has not yielded yet, by account id (an id read twice is reported twice: first in, first out). */
  private readonly unyielded = new Map<string, Read[]>();
  private saved: TallyCheckpoint;

  /** `saved`: what the shard's last checkpoint stored (its cursor is where this attempt reads from). */
  constructor(saved: TallyCheckpoint) {
    this.saved = { ...saved };
  }

  /** The ledger as plan() reads it, every entry noted on the way in the order read. */
  tap(ledger: LedgerAdapter): LedgerAdapter {
    const reads = (options?: ReadOptions) => this.watch(ledger.accounts(options));
    return { accounts: reads, record: (actions) => ledger.record(actions), close: () => ledger.close() };
  }

  private async *watch(entries: AsyncIterable<LedgerEntry>): AsyncGenerator<LedgerEntry> {
    for await (const entry of entries) {
      const read: Read = { cursor: entry.cursor };
      this.seqOfCursor.set(entry.cursor, this.first + this.reads.length);
      this.reads.push(read);
      const id = entry.ok ? entry.account.id : entry.accountId;
      const waiting = this.unyielded.get(id);
      if (waiting) waiting.push(read);
      else this.unyielded.set(id, [read]);
      yield entry;
    }
  }

  /** plan() yielded this account: planned or skipped. */
  note(event: PlanEvent): void {
    const waiting = this.unyielded.get(event.accountId);
    const read = waiting?.shift();
    if (waiting?.length === 0) this.unyielded.delete(event.accountId);
    // An account plan() yields without having read it (no adapter does): counted now, as read before any cursor.
    if (read) read.outcome = event.type;
    else this.saved[event.type === "planned" ? "planned" : "skipped"]++;
  }

  /**
   * What a checkpoint at plan()'s cursor `cursor` (the last event's) saves: the counts of every
   * account read up to it, and the cursor itself; or, when plan() has yet to yield an account
   * read before it, the cursor of the read just before that account, with the counts up to there.
   * Those reads are forgotten: they are counted, and a retry will not read them again.
   */
  checkpoint(cursor: string): TallyCheckpoint {
    // "" reads from the start (the entries an adapter reports before the first id carry it): nothing is behind it.
    const upTo = cursor === "" ? undefined : this.seqOfCursor.get(cursor);
    const end = upTo === undefined ? this.head - 1 : upTo - this.first;
    let last = this.head - 1;
    while (last < end && this.reads[last + 1]!.outcome !== undefined) {
      const read = this.reads[++last]!;
      this.saved[read.outcome === "planned" ? "planned" : "skipped"]++;
      if (this.seqOfCursor.get(read.cursor) === this.first + last) this.seqOfCursor.delete(read.cursor);
    }
    if (last >= this.head) {
      this.saved.cursor = this.reads[last]!.cursor;
      this.head = last + 1;
      // The counted reads are dropped now and then, not at every checkpoint (a copy of what is left each time).
      if (this.head > 4096 && this.head * 2 > this.reads.length) {
        this.reads = this.reads.slice(this.head);
        this.first += this.head;
        this.head = 0;
      }
    }
    return { ...this.saved };
  }

  /** The counts so far, each account read once (for the log line when the shard is done). */
  get counts(): { planned: number; skipped: number } {
    let planned = this.saved.planned;
    let skipped = this.saved.skipped;
    for (let i = this.head; i < this.reads.length; i++)
      if (this.reads[i]!.outcome === "planned") planned++;
      else if (this.reads[i]!.outcome === "skipped") skipped++;
    return { planned, skipped };
  }
}
