import { describe, expect, it } from "vitest";
import { createScriptedLlm } from "../../test-support/scripted-llm.js";
import type { Attachment, DocumentAttachment, ImageAttachment } from "../files/index.js";
import type { ChatRequest } from "../llm/port.js";
import { fitDocuments, IMAGE_TOKENS } from "./attachments.js";
import { DESCRIPTION_TOKENS } from "./stage-describe.js";
import { createCouncilEngine, QuestionRejectedError } from "./engine.js";
import { ballotBy, collect, finished, isReview, ofType, preset } from "./test-helpers.js";
import { reduce, emptyView } from "./view.js";

// A question's files in a real deliberation (scripted models): documents in every prompt,
// images to the members that can see and a description to everyone else.

const REPORT: DocumentAttachment = {
  kind: "document",
  name: "report.pdf",
  type: "pdf",
  size: 20_480,
  sha256: "ab".repeat(32),
  pages: 2,
  characters: { total: 40, used: 40 },
  text: "Revenue grew 12% in the third quarter.",
};
const PHOTO: ImageAttachment = {
  kind: "image",
  name: "screenshot.png",
  type: "png",
  size: 1024,
  sha256: "cd".repeat(32),
  width: 800,
  height: 600,
  image: { base64: "iVBORw0KGgo=", format: "png" },
};
const DESCRIPTION = "A terminal showing: Error: ENOENT no such file config.json";

const userText = (request: ChatRequest) => request.messages.filter((message) => message.role === "user").map((message) => message.content).join("\n");
const isDescribe = (request: ChatRequest) => userText(request).startsWith("Describe this image");

function scripts(answer: (model: string) => string) {
  const member = (model: string) => (request: ChatRequest) => (isReview(request) ? ballotBy(["alpha", "beta", "gamma"])(request) : isDescribe(request) ? DESCRIPTION : answer(model));
  return { "alpha:1b": member("alpha:1b"), "beta:1b": member("beta:1b"), "gamma:1b": member("gamma:1b"), "chair:8b": "The final answer." };
}

async function run(attachments: Attachment[], capabilities: Record<string, string[]> = {}) {
  const llm = createScriptedLlm(scripts((model) => `answer from ${model.split(":")[0]}`), { capabilities });
  const engine = createCouncilEngine({ members: llm.client, chairman: llm.client, random: () => 0.5 });
  const events = await collect(engine.runCouncil("What does it say?", preset(), { attachments }));
  return { llm, engine, events };
}

describe("a question's files in the council", () => {
  it("puts a document, fenced, into every member's, reviewer's and the chairman's prompt, and shows it on the card", async () => {
    const { llm, events } = await run([REPORT]);
    expect(finished(events).status).toBe("completed");
    for (const call of llm.calls) {
      expect(userText(call.request)).toContain('<document name="report.pdf" type="pdf" pages="2">\nRevenue grew 12% in the third quarter.\n</document>');
      expect(userText(call.request)).toContain("What does it say?");
    }
    expect(llm.calls.filter((call) => isReview(call.request))).toHaveLength(3);
    expect(llm.calls.some((call) => call.request.model === "chair:8b")).toBe(true);
    // The card shows the question as asked, and the file.
    const view = events.reduce(reduce, emptyView());
    expect(view.question).toBe("What does it say?");
    expect(view.files).toEqual([{ name: "report.pdf", type: "pdf", size: 20_480, pages: 2, characters: { total: 40, used: 40 } }]);
  });

  it("sends an image to the members that can see, and its description, written first by one of them, to the others and the reviewers", async () => {
    const { llm, events } = await run([PHOTO], { "beta:1b": ["completion", "vision"] });
    expect(finished(events).status).toBe("completed");
    const describe = llm.calls.filter((call) => isDescribe(call.request));
    expect(describe.map((call) => call.request.model)).toEqual(["beta:1b"]);
    expect(describe[0]?.request.messages[0]?.images).toEqual([PHOTO.image.base64]);
    expect(describe[0]?.request.options.temperature).toBe(0);
    const answers = llm.calls.filter((call) => !isDescribe(call.request) && !isReview(call.request) && call.request.model !== "chair:8b");
    expect(answers.map((call) => [call.request.model, call.request.messages.at(-1)?.images])).toEqual([
      ["alpha:1b", undefined],
      ["beta:1b", [PHOTO.image.base64]],
      ["gamma:1b", undefined],
    ]);
    // Everyone who reads text reads the description, the members that see included.
    for (const call of llm.calls.filter((each) => !isDescribe(each.request))) {
      expect(userText(call.request)).toContain(`<image-description name="screenshot.png">\n${DESCRIPTION}\n</image-description>`);
    }
    const [described] = ofType(events, "image-described");
    expect(described).toMatchObject({ image: "screenshot.png", sha256: PHOTO.sha256, member: "Beta", model: "beta:1b", text: DESCRIPTION });
    // The description's tokens count in the council's usage.
    expect(finished(events).usage.calls).toBe(llm.calls.length);
    const view = events.reduce(reduce, emptyView());
    expect(view.descriptions).toEqual([{ image: "screenshot.png", member: "Beta", model: "beta:1b", wallMs: expect.any(Number) }]);
  });

  it("refuses an image before anything runs when no member can see, naming the preset's models and ones that could", async () => {
    const llm = createScriptedLlm({});
    const engine = createCouncilEngine({ members: llm.client, chairman: llm.client });
    const refusal = engine.checkAttachments(preset(), [PHOTO]);
    await expect(refusal).rejects.toBeInstanceOf(QuestionRejectedError);
    await expect(refusal).rejects.toThrow("None of this preset's models can see images (alpha:1b, beta:1b, gamma:1b), so nothing was asked. Use a preset that seats a vision model, such as llava, gemma3 or qwen2.5vl");
    await expect(engine.checkAttachments(preset(), [REPORT])).resolves.toBeUndefined();
    await expect(createCouncilEngine({ members: createScriptedLlm({}, { capabilities: { "gamma:1b": ["vision"] } }).client, chairman: llm.client }).checkAttachments(preset(), [PHOTO])).resolves.toBeUndefined();
    expect(llm.calls).toHaveLength(0);
  });
});

describe("fitting documents to the council's smallest context", () => {
  it("keeps short documents whole and cuts a long one, keeping its start and end, saying how much and why", () => {
    const long: DocumentAttachment = { ...REPORT, name: "log.txt", type: "log", pages: undefined, text: `START ${"x".repeat(40_000)} END`, characters: { total: 40_010, used: 40_010 } };
    const small = preset({ limits: { ...preset().limits, numCtx: { default: 8192, byModel: { "gamma:1b": 2048 } } } });
    const fitted = fitDocuments([REPORT, long], "Why did it fail?", small);
    expect(fitted.text).toContain(REPORT.text);
    expect(fitted.text).toMatch(/<document name="log.txt" type="log">\nSTART x+\n\n\[… \d+ characters left out here …\]\n\nx+ END\n<\/document>/);
    expect(fitted.shown[0]?.cutToFit).toBeUndefined();
    expect(fitted.shown[1]?.cutToFit).toEqual({ keptCharacters: expect.any(Number), model: "gamma:1b", numCtx: 2048 });
    // Half of what 2048 tokens leave after the answer, the question and the fixed parts, at 3.5 characters a token.
    expect(fitted.shown[1]?.cutToFit?.keptCharacters).toBeLessThanOrEqual(Math.floor(((2048 - 100 - 5 - 512) / 2) * 3.5));
    expect(fitted.shown[1]?.cutToFit?.keptCharacters).toBeGreaterThan(2000);
  });

  it("leaves room for each image and its description before it fits the documents", () => {
    const long: DocumentAttachment = { ...REPORT, name: "log.txt", type: "log", pages: undefined, text: "x".repeat(40_000), characters: { total: 40_000, used: 40_000 } };
    const kept = (attachments: Attachment[]) => fitDocuments(attachments, "Why did it fail?", preset()).shown[0]?.cutToFit?.keptCharacters ?? 0;
    const alone = kept([long]);
    // Each image takes half its room from the documents: the other half came from what the reviews and the synthesis add.
    const perImage = ((IMAGE_TOKENS + DESCRIPTION_TOKENS) / 2) * 3.5;
    expect(alone - kept([long, PHOTO])).toBeCloseTo(perImage, -1);
    expect(alone - kept([long, PHOTO, { ...PHOTO, name: "second.png" }])).toBeCloseTo(2 * perImage, -1);
  });

  it("keeps a file's name from closing its tag", () => {
    const fitted = fitDocuments([{ ...REPORT, name: 'a"><b>.pdf' }], "q", preset());
    expect(fitted.text).toContain('<document name="a___b_.pdf" type="pdf" pages="2">');
  });
});
