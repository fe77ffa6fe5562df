/** Test helpers for the SQLite ledger. */
import Database from "better-sqlite3";

/** Runs SQL on the ledger file through a separate connection, as a vendor's system would. */
export function tamper(file: string, sql: string): void {
  const db = new Database(file);
  try {
    db.exec(sql);
  } finally {
    db.close();
  }
}
