import type { CouncilEvent } from "../../src/council/events.js";
import { type DeliberationView, emptyView, reduce } from "../../src/council/view.js";

// Folds a council's events into the view and hands each step to a presenter; the console's
// only loop over the engine's events.

export interface CouncilPresenter {
  /** Called after each event with the view that includes it. */
  event(event: CouncilEvent, view: DeliberationView): void;
  /** Called once with the last view, whether the council finished, was cut off or threw; not at all if no event came. */
  close(view: DeliberationView): void;
}

export async function followCouncil(events: AsyncIterable<CouncilEvent>, presenter: CouncilPresenter): Promise<DeliberationView> {
  let view = emptyView();
  let seenAny = false;
  try {
    for await (const event of events) {
      view = reduce(view, event);
      seenAny = true;
      presenter.event(event, view);
    }
  } finally {
    if (seenAny) presenter.close(view);
  }
  return view;
}
