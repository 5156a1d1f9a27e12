import type { Database } from "better-sqlite3";
import type { Ballot, RankingRow } from "../council/events.js";
import type { MemberRecord } from "./council-record.js";
import { peerReviewOf } from "./peer-review.js";

// Councils recorded before the statistics existed keep their ballots whole: their peer reviews
// are derived once, at the upgrade, so the leaderboard starts from the history a user already
// has. Their model calls were never recorded one by one; the per-call figures start now.

export function backfillPeerReviews(db: Database): void {
  const rows = db.prepare("SELECT id, members, ballots, ranking FROM councils WHERE ballots IS NOT NULL AND peer_review IS NULL").iterate() as IterableIterator<{
    id: string;
    members: string | null;
    ballots: string;
    ranking: string | null;
  }>;
  const update = db.prepare("UPDATE councils SET peer_review = ? WHERE id = ?");
  const reviews: Array<[string, string]> = [];
  for (const row of rows) {
    const members = row.members === null ? [] : (JSON.parse(row.members) as MemberRecord[]);
    const ranking = row.ranking === null ? undefined : (JSON.parse(row.ranking) as { rows: RankingRow[]; consensus: number | null });
    reviews.push([JSON.stringify(peerReviewOf(members, JSON.parse(row.ballots) as Ballot[], ranking)), row.id]);
  }
  // SQLite allows no write through a statement while another one is still being read.
  for (const [review, id] of reviews) update.run(review, id);
}
