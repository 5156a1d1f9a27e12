import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import Database from "better-sqlite3";
import { migrate } from "./migrations.js";

// Opens (creating it and its folder if need be) the SQLite file that holds the councils.

/**
 * better-sqlite3 is synchronous: while another process holds the write lock, a write blocks
 * the whole bot for up to this long before giving up with SQLITE_BUSY. Short, because a
 * council must keep answering even when its record cannot be written.
 */
export const BUSY_TIMEOUT_MS = 200;

export class StoreOpenError extends Error {
  override readonly name = "StoreOpenError";
}

export function openDatabase(path: string): Database.Database {
  const file = path === ":memory:" ? path : resolve(path);
  let db: Database.Database | undefined;
  try {
    if (file !== ":memory:") mkdirSync(dirname(file), { recursive: true });
    db = new Database(file, { timeout: BUSY_TIMEOUT_MS });
    // WAL lets readers (a follow-up's context) go on while a record is written, and survives a kill.
    db.pragma("journal_mode = WAL");
    db.pragma("synchronous = NORMAL");
    // SQLite's default page cache is 16 MB per connection. The bot's writes touch a few pages,
    // while /council-stats reads every summary of its period once: with the default, a year's
    // summaries stayed in the bot's memory after one look. 2 MB keeps the hot pages; a scan
    // reads the rest through the system's file cache, which costs little more.
    db.pragma("cache_size = -2000");
    migrate(db);
    return db;
  } catch (error) {
    db?.close();
    throw new StoreOpenError(`COUNCIL_DB: cannot open the council database at ${file}: ${(error as Error).message}. Set COUNCIL_DB to a writable file path.`, { cause: error });
  }
}
