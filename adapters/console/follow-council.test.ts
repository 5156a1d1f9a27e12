import { describe, expect, it } from "vitest";
import type { CouncilEvent } from "../../src/council/events.js";
import type { DeliberationView } from "../../src/council/view.js";
import { type CouncilPresenter, followCouncil } from "./follow-council.js";
import { completedCouncil, fold } from "../../test-support/scripted-councils.js";

function recorder() {
  const seen: Array<{ type: string; status: string }> = [];
  const closed: DeliberationView[] = [];
  const presenter: CouncilPresenter = {
    event: (event, view) => seen.push({ type: event.type, status: view.status }),
    close: (view) => closed.push(view),
  };
  return { presenter, seen, closed };
}

async function* stream(events: CouncilEvent[], failure?: Error) {
  yield* events;
  if (failure) throw failure;
}

describe("followCouncil", () => {
  it("hands every event to the presenter with the view that includes it, and returns the final view", async () => {
    const events = completedCouncil();
    const { presenter, seen, closed } = recorder();
    const view = await followCouncil(stream(events), presenter);
    expect(view).toEqual(fold(events));
    expect(seen.map((step) => step.type)).toEqual(events.map((event) => event.type));
    expect(seen.at(-1)?.status).toBe("completed");
    expect(closed).toEqual([view]);
  });

  it("still closes the presenter with what there was when the events break off", async () => {
    const events = completedCouncil().slice(0, 4);
    const { presenter, closed } = recorder();
    await expect(followCouncil(stream(events, new Error("engine bug")), presenter)).rejects.toThrow("engine bug");
    expect(closed).toEqual([fold(events)]);
  });

  it("does not close the presenter when nothing came at all", async () => {
    const { presenter, closed } = recorder();
    await expect(followCouncil(stream([], new Error("engine bug")), presenter)).rejects.toThrow("engine bug");
    expect(closed).toEqual([]);
  });
});
