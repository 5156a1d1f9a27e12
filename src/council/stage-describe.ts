import type { ImageAttachment } from "../files/index.js";
import { callModel } from "./model-call.js";
import type { ChatMessage } from "../llm/port.js";
import { fence } from "./prompts.js";
import { callContext, chatOptions, KEEP_ALIVE, type Session } from "./session.js";

// Before the members answer about an image, a member that can see it describes it, so that
// every member answers about the same image (those that cannot see read the description), and
// the reviewers, the chairman and later follow-ups, which read text, can weigh the answers.
// Each image is described at once; its call is the card's short extra step.

/** Enough for the text in a screenshot and what it shows; a description is not an essay. */
export const DESCRIPTION_TOKENS = 500;

export interface ImageDescription {
  name: string;
  text: string;
}

/** The descriptions written, in the images' order; an image whose description failed has none (the event says why). */
export async function describeImages(session: Session, images: readonly ImageAttachment[], describer: { name: string; model: string }): Promise<ImageDescription[]> {
  const signal = AbortSignal.any([session.signal, AbortSignal.timeout(session.preset.limits.stageTimeoutMs)]);
  const described = await Promise.all(
    images.map(async (image): Promise<ImageDescription | null> => {
      const outcome = await callModel(
        session.members,
        {
          model: describer.model,
          messages: describeImageMessages(session.asked, image.image.base64),
          // Temperature 0: a description is read by everyone, so it is the model's most likely one.
          options: chatOptions(session, describer.model, DESCRIPTION_TOKENS, 0),
          keepAlive: KEEP_ALIVE,
        },
        callContext(session, "answers", signal),
      );
      const base = { image: image.name, member: describer.name, model: describer.model };
      const text = outcome.ok ? outcome.text.trim() : "";
      if (!outcome.ok || text === "") {
        const reason = outcome.ok ? { kind: "error" as const, message: "it wrote nothing" } : outcome.reason;
        session.emit({ type: "image-not-described", ...base, reason });
        return null;
      }
      session.emit({ type: "image-described", ...base, sha256: image.sha256, text, wallMs: outcome.stats.wallMs, stats: outcome.stats });
      return { name: image.name, text };
    }),
  );
  return described.filter((description): description is ImageDescription => description !== null);
}

/**
 * Asks a member that can see for a description of an image, for the members that cannot see
 * it, the reviewers and the chairman: what a reader needs to answer the question about it.
 */
function describeImageMessages(question: string, image: string): ChatMessage[] {
  return [
    {
      role: "user",
      content: [
        "Describe this image for someone who cannot see it and must answer a question about it. First every piece of text in it, word for word; then what it shows: objects, layout, numbers in charts or tables, code, error messages. Facts only, no opinions.",
        fence("question", "", question),
      ].join("\n"),
      images: [image],
    },
  ];
}
