import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { completedCouncil, failedCouncil, fold } from "../../test-support/scripted-councils.js";
import { captureLogs } from "../../test-support/log-capture.js";
import { DeliveryError } from "./delivery-error.js";
import type { LiveCouncilResult } from "./live-council.js";
import { postTimeline, TIMELINE_CAPTION, type TimelineImage } from "./timeline-image.js";

// Which ended councils get their timeline, and what a failed post costs: a log line, nothing more.

const silent = pino({ level: "silent" });
const shown = (events = completedCouncil()): LiveCouncilResult => ({ view: fold(events), card: { delivered: true } });

describe("the timeline image", () => {
  it("is posted once for a council that ended after its calls, as a PNG with its caption and description", async () => {
    const posted: TimelineImage[] = [];
    expect(await postTimeline(shown(), async (image) => void posted.push(image), silent)).toBe(true);
    expect(posted).toHaveLength(1);
    expect(posted[0]).toMatchObject({ fileName: "timeline.png", caption: TIMELINE_CAPTION, description: "Timeline of the council's 7 model calls by stage." });
    expect(posted[0]?.png.subarray(0, 4)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47]));
  });

  it("is left out for a council that called nothing, one interrupted, or one whose thread is gone", async () => {
    const post = async () => {
      throw new Error("must not post");
    };
    // Every member failed before any call was timed: the view has no call to draw.
    expect(await postTimeline(shown(failedCouncil()), post, silent)).toBe(false);
    const interrupted = shown([...completedCouncil().slice(0, -1), { type: "interrupted", reason: "the bot stopped" }]);
    expect(await postTimeline(interrupted, post, silent)).toBe(false);
    expect(await postTimeline({ ...shown(), detailsStopped: new DeliveryError("gone") }, post, silent)).toBe(false);
  });

  it("logs a post the platform refused and tries no more", async () => {
    const logs = captureLogs();
    let tries = 0;
    const refused = async () => {
      tries += 1;
      throw new DeliveryError("transient");
    };
    expect(await postTimeline(shown(), refused, logs.logger)).toBe(false);
    expect(tries).toBe(1);
    expect(logs.entries().find((entry) => entry.msg === "the council's timeline could not be posted")).toMatchObject({ level: 40, kind: "transient" });
  });
});
