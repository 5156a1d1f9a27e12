import type { Ballot, FailureReason, RankingRow, VerdictSource } from "../council/events.js";
import type { UsageSummary } from "../council/usage.js";
import type { DocumentAttachment, ImageAttachment } from "../files/index.js";
import type { CouncilSummary } from "./council-summary.js";

// What the store keeps of one council: enough to show it again, to give a follow-up its
// context, and to tell after a restart which cards still say "thinking".

export type RecordStatus = "queued" | "running" | "completed" | "partial" | "failed" | "interrupted";

export interface MemberRecord {
  name: string;
  model: string;
  status: "thinking" | "answered" | "failed";
  answer?: string;
  error?: FailureReason;
}

export interface NewCouncil {
  id: string;
  /** "discord", "slack" or "console": which adapter can show it again. */
  platform: string;
  /** The platform's id of whoever asked. */
  asker: string;
  question: string;
  preset: string;
  /** The conversation a follow-up would be asked in (a Discord thread, a Slack channel:ts). */
  threadKey?: string;
}

export interface CouncilRecord extends NewCouncil {
  status: RecordStatus;
  reason?: string;
  /** Where the platform shows it (message ids); only its adapter reads it. */
  place?: unknown;
  members: MemberRecord[];
  ballots: Ballot[];
  ranking?: { rows: RankingRow[]; consensus: number | null };
  verdict?: { text: string; by?: VerdictSource };
  usage?: UsageSummary;
  latency?: { totalMs?: number; byStage: Record<string, number> };
  createdAt: number;
  startedAt?: number;
  finishedAt?: number;
}

export interface FinishedCouncil {
  status: Exclude<RecordStatus, "queued" | "running">;
  reason?: string;
  members: MemberRecord[];
  verdict?: CouncilRecord["verdict"];
  usage?: UsageSummary;
  latency?: CouncilRecord["latency"];
  /** What the statistics read of it; absent for a council that never ran. */
  summary?: CouncilSummary;
}

/**
 * A file a council was asked about, as the store keeps it: everything known of it but an
 * image's bytes, and for an image the description a member wrote of it, if one was written
 * (only when some member of that council could not see).
 */
export type FileRecord = DocumentAttachment | (Omit<ImageAttachment, "image"> & { description?: string });
