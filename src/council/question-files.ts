import type { Attachment } from "../files/index.js";
import { fitDocuments, imagesOf, modelsThatSee, questionWithFiles } from "./attachments.js";
import type { Session } from "./session.js";
import { describeImages, type ImageDescription } from "./stage-describe.js";

/**
 * Takes a question's files into the council before anyone answers: the card learns what they
 * are, a member that can see describes each image, and from then on every prompt carries the
 * documents and the descriptions, while the members that can see also get the images.
 */
export async function takeInFiles(session: Session, attachments: readonly Attachment[]): Promise<void> {
  if (attachments.length === 0) return;
  const documents = fitDocuments(attachments, session.asked, session.preset);
  session.emit({ type: "attachments", files: documents.shown });
  const images = imagesOf(attachments);
  let descriptions: ImageDescription[] = [];
  if (images.length > 0) {
    const seeing = await modelsThatSee(
      session.members,
      session.preset.members.map((member) => member.model),
    );
    const describer = session.preset.members.find((member) => seeing.has(member.model));
    if (describer) descriptions = await describeImages(session, images, describer);
    else session.notes.push("no member's model can see images, so the images were not read");
    session.images = { base64: images.map((image) => image.image.base64), seeingModels: seeing };
  }
  session.question = questionWithFiles(session.asked, documents.text, descriptions);
}
