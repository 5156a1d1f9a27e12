// The bot container's health check (compose.yaml): healthy when the council database at
// COUNCIL_DB exists and takes a write lock within a second. The bot creates the file at start,
// so a missing file means it has not started (or looks elsewhere); a full or read-only volume,
// or a lock another program holds, shows up here before councils go unrecorded.
// Plain JavaScript, so it runs on the image's Node with its production node_modules.
import Database from "better-sqlite3";

const file = process.env.COUNCIL_DB || "data/council.db";
try {
  const db = new Database(file, { fileMustExist: true, timeout: 1000 });
  try {
    // Holds the lock for microseconds; the bot's own writes wait up to 200 ms for it.
    db.exec("BEGIN IMMEDIATE; ROLLBACK");
  } finally {
    db.close();
  }
} catch (error) {
  console.error(`council database ${file} is not writable: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
