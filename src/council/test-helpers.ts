import type { ChatRequest } from "../llm/port.js";
import type { CouncilEvent } from "./events.js";
import type { MemberSpec, Preset } from "./preset.js";

// Shared by the engine's tests: a preset in a line, a reviewer that ranks by a fixed
// preference, and a way to collect a run's events.

export function preset(overrides: Partial<Preset> & { members?: MemberSpec[] } = {}): Preset {
  return {
    name: "test",
    members: [
      { name: "Alpha", model: "alpha:1b" },
      { name: "Beta", model: "beta:1b" },
      { name: "Gamma", model: "gamma:1b" },
    ],
    chairman: { model: "chair:8b" },
    strategy: "synthesis",
    review: "ranking",
    debateRounds: 0,
    limits: {
      numPredict: { answer: 100, debate: 100, review: 200, synthesis: 300 },
      numCtx: { default: 4096, byModel: {} },
      callTimeoutMs: 5_000,
      stageTimeoutMs: 10_000,
      maxQuestionChars: 500,
    },
    ...overrides,
  };
}

/** The fenced responses a review prompt shows, in the order shown. */
export function shownResponses(request: ChatRequest): Array<{ label: string; text: string }> {
  // A repair attempt ends with the repair request; the responses are in the first prompt.
  const prompt = request.messages.find((message) => message.role === "user" && message.content.includes("<response"))?.content ?? "";
  return [...prompt.matchAll(/<response id="([A-Z])">\n([\s\S]*?)\n<\/response>/g)].map((match) => ({
    label: match[1] ?? "",
    text: match[2] ?? "",
  }));
}

/** A valid ranking ballot that puts the responses in the order of `preference` (substrings of their text). */
export function ballotBy(preference: readonly string[]) {
  return (request: ChatRequest) => {
    const shown = shownResponses(request);
    const rank = (text: string) => {
      const index = preference.findIndex((word) => text.includes(word));
      return index === -1 ? preference.length : index;
    };
    const ordered = [...shown].sort((a, b) => rank(a.text) - rank(b.text));
    return JSON.stringify({
      critiques: Object.fromEntries(shown.map((response) => [response.label, `critique of ${response.label}`])),
      scores: Object.fromEntries(shown.map((response) => [response.label, 10 - rank(response.text)])),
      ranking: ordered.map((response) => response.label),
    });
  };
}

export function isReview(request: ChatRequest): boolean {
  return request.format !== undefined;
}

export async function collect(events: AsyncIterable<CouncilEvent>): Promise<CouncilEvent[]> {
  const all: CouncilEvent[] = [];
  for await (const event of events) all.push(event);
  return all;
}

export function finished(events: readonly CouncilEvent[]) {
  const last = events.at(-1);
  if (last?.type !== "council-finished") throw new Error(`the last event is ${last?.type}, not council-finished`);
  return last;
}

export function ofType<T extends CouncilEvent["type"]>(events: readonly CouncilEvent[], type: T): Array<Extract<CouncilEvent, { type: T }>> {
  return events.filter((event): event is Extract<CouncilEvent, { type: T }> => event.type === type);
}
