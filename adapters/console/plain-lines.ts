import type { CouncilEvent } from "../../src/council/events.js";
import type { DeliberationView } from "../../src/council/view.js";
import { oneLine, printable } from "./format.js";
import { fileLines, footerSegments, memberStatus, rankingSummary, stageLine, verdictHeading } from "../shared/view-text.js";

// Output for a pipe or a log file: plain lines, no ANSI, one line per notable event, then the
// answer and the footer. Token deltas print nothing: a log of every token helps nobody.

/** The lines one event adds, given the view after it. */
export function plainEventLines(event: CouncilEvent, view: DeliberationView): string[] {
  switch (event.type) {
    case "council-started": {
      const members = event.members.map((member) => `${member.name} (${member.model})`).join(", ");
      const chairman = event.chairman ? `, chairman ${event.chairman}` : "";
      return [`Council "${event.preset}" (${event.strategy}, ${event.review} review): ${members}${chairman}`];
    }
    case "attachments":
      return fileLines(view);
    case "image-described":
    case "image-not-described":
      return fileLines(view).slice(-1);
    case "stage-started":
      return [stageLine(view)];
    case "member-answered":
    case "member-failed": {
      const member = view.members.find((each) => each.name === event.member);
      if (!member) return [];
      // A failed revision leaves the earlier answer standing, so the member is still "answered".
      if (event.type === "member-failed" && member.status === "answered") {
        return [`${member.name} could not revise its answer: ${oneLine(event.error.message)}`];
      }
      return [`${member.name} ${memberStatus(member)}`];
    }
    case "ballot": {
      const { ballot } = event;
      if (ballot.abstained) return [`${ballot.reviewer} abstained${ballot.reason ? `: ${oneLine(ballot.reason)}` : ""}`];
      const ranked = ballot.ranking.map((name) => (ballot.scores[name] === undefined ? name : `${name} ${ballot.scores[name]}`));
      return [`${ballot.reviewer} ranked ${ranked.join(" > ")}${ballot.repaired ? " (after a repair)" : ""}`];
    }
    case "ranking":
      return [rankingSummary(event, view.review)];
    case "verdict":
      return ["", `${verdictHeading(view)}:`, printable(event.text.trim()), ""];
    case "warning":
      return [`Warning: ${oneLine(event.message)}`];
    case "council-finished": {
      const { tokens, time } = footerSegments(view);
      return [stageLine(view), ...[tokens, time].filter((segments) => segments.length > 0).map((segments) => segments.join(" · "))];
    }
    default:
      return [];
  }
}
