// One line of `npm run doctor`: what was checked, how it went and, when it failed, what to do.
// Platform-free: the checks of each chat adapter produce the same lines.

export type CheckStatus = "pass" | "fail" | "warn" | "skip";

export interface CheckLine {
  status: CheckStatus;
  text: string;
  /** What to do about it: set on every failure, and on warnings that have a remedy. */
  fix?: string;
}

export const pass = (text: string): CheckLine => ({ status: "pass", text });
export const fail = (text: string, fix: string): CheckLine => ({ status: "fail", text, fix });
export const warn = (text: string, fix?: string): CheckLine => ({ status: "warn", text, ...(fix && { fix }) });
/** Not checked, and not a failure: a platform that is not configured, say. */
export const skip = (text: string): CheckLine => ({ status: "skip", text });
