import type { DeliberationView } from "./council/view.js";

// The last failures worth an admin's attention (members that failed, councils that failed,
// messages that could not be shown), newest first, for /council-health.

export interface RecentError {
  at: Date;
  where: string;
  message: string;
}

export function createRecentErrors(capacity = 10) {
  const errors: RecentError[] = [];

  function record(where: string, message: string): void {
    errors.unshift({ at: new Date(), where, message });
    errors.length = Math.min(errors.length, capacity);
  }

  /**
   * What went wrong in a finished council: its failed members, or the council itself. A
   * council its caller cancelled (a deleted card, Ctrl-C) or a shutdown interrupted had nothing
   * wrong with it: its members' calls stopped because they were told to, and listing them
   * would push real failures out of the admin's view.
   */
  function recordCouncil(view: DeliberationView): void {
    if (view.cancelled || view.status === "interrupted") return;
    for (const member of view.members) {
      if (member.status === "failed" && member.error) record(`${member.name} (${member.model})`, member.error.message);
    }
    if (view.status === "failed" && view.reason) record("council", view.reason);
  }

  return { record, recordCouncil, list: (): readonly RecentError[] => errors };
}

export type RecentErrors = ReturnType<typeof createRecentErrors>;
