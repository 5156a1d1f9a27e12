import type { CouncilRefusal } from "../../src/council-service.js";
import { formatDuration } from "./text.js";

/** What a user is told, privately, when a council is not taken: why, and when to try again. */
export function refusalText(refusal: CouncilRefusal): string {
  if (refusal.kind === "question") return refusal.message;
  const wait = formatDuration(Math.max(1000, Math.ceil(refusal.retryAfterMs / 1000) * 1000));
  switch (refusal.kind) {
    case "user-queue":
      return `You already have questions waiting for the council. Ask this one once one of them is answered, in about ${wait}.`;
    case "user-rate":
      return `You have asked the council as many questions as one person may in an hour. You can ask again in ${wait}.`;
    case "full":
      return `The council's queue is full right now. Please try again in about ${wait}.`;
    case "closed":
      return `The council is restarting. Please ask again in about ${wait}.`;
  }
}
