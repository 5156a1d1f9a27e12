import type { CallStats } from "../../src/council/usage.js";
import type { CouncilPresenter } from "./follow-council.js";
import { toCouncilJson } from "./json-result.js";
import { renderLiveFrame } from "./live-frame.js";
import { createLiveScreen, type TerminalOutput } from "./live-screen.js";
import { plainEventLines } from "./plain-lines.js";

// The three ways the console shows a council: a live frame on a terminal, plain lines on a
// pipe, one JSON object for scripts.

export function presenterFor(out: TerminalOutput, options: { json: boolean }): CouncilPresenter {
  if (options.json) return jsonPresenter(out);
  return out.isTTY ? livePresenter(out) : plainPresenter(out);
}

function livePresenter(out: TerminalOutput): CouncilPresenter {
  const screen = createLiveScreen(out, renderLiveFrame);
  return {
    event: (_event, view) => screen.update(view),
    close: (view) => screen.finish(view),
  };
}

function plainPresenter(out: TerminalOutput): CouncilPresenter {
  return {
    event(event, view) {
      for (const line of plainEventLines(event, view)) out.write(`${line}\n`);
    },
    close() {},
  };
}

function jsonPresenter(out: TerminalOutput): CouncilPresenter {
  // The view keeps a member's completion tokens and wall time but not its prompt tokens, so
  // the call behind each answer is kept here; a revision replaces the first answer's call.
  const answerCalls = new Map<string, CallStats>();
  return {
    event(event) {
      if (event.type === "member-answered") answerCalls.set(event.member, event.stats);
    },
    close(view) {
      out.write(`${JSON.stringify(toCouncilJson(view, answerCalls), null, 2)}\n`);
    },
  };
}
