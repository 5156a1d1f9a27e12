import { resolve } from "node:path";
import { openDatabase } from "../store/open-database.js";
import { type CheckLine, fail, pass } from "./check-line.js";

// COUNCIL_DB opened as the bot opens it (its folder created, its schema brought up to date),
// then the write lock taken and given back at once: a write is possible, and nothing changes.

export function checkDatabase(path: string): CheckLine {
  try {
    const db = openDatabase(path);
    try {
      db.exec("BEGIN IMMEDIATE; ROLLBACK");
    } finally {
      db.close();
    }
    return pass(`the council database ${resolve(path)} can be written (COUNCIL_DB)`);
  } catch (error) {
    const reason = (error as Error).cause instanceof Error ? ((error as Error).cause as Error).message : (error as Error).message;
    return fail(
      `the council database ${resolve(path)} cannot be written: ${reason}`,
      "set COUNCIL_DB to a file in a folder this user may write (the folder is created), or free the disk, or stop the program that holds the file",
    );
  }
}
