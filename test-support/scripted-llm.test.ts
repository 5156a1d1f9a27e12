// The engine tests' scripted LLM answers capabilities per model and, like the router, refuses
// images for a model that cannot see, so a council that sends one to the wrong member fails.
import { describe, expect, it } from "vitest";
import { ModelCannotSeeError } from "../src/llm/errors.js";
import type { ChatPart, ChatRequest } from "../src/llm/port.js";
import { createScriptedLlm } from "./scripted-llm.js";

const ask = (model: string, images?: string[]): ChatRequest => ({
  model,
  messages: [{ role: "user", content: "What is in this picture?", ...(images && { images }) }],
  options: { num_ctx: 2048, num_predict: 64 },
});

async function text(parts: AsyncIterable<ChatPart>): Promise<string> {
  let answer = "";
  for await (const part of parts) if (part.type === "delta") answer += part.text;
  return answer;
}

describe("the scripted LLM and images", () => {
  const signal = new AbortController().signal;

  it("answers capabilities as scripted, completion only by default", async () => {
    const { client } = createScriptedLlm({}, { capabilities: { eye: ["completion", "vision"] } });
    expect(await client.capabilities("eye")).toEqual(["completion", "vision"]);
    expect(await client.capabilities("other")).toEqual(["completion"]);
  });

  it("passes images to a model that can see and refuses them for one that cannot, recording both calls", async () => {
    const { client, calls } = createScriptedLlm({ eye: "a cat", blind: "no idea" }, { capabilities: { eye: ["completion", "vision"] } });

    expect(await text(client.chat(ask("eye", ["iVBO"]), { signal }))).toBe("a cat");
    await expect(text(client.chat(ask("blind", ["iVBO"]), { signal }))).rejects.toBeInstanceOf(ModelCannotSeeError);
    expect(await text(client.chat(ask("blind"), { signal }))).toBe("no idea");

    expect(calls.map((call) => [call.request.model, call.request.messages[0]?.images])).toEqual([
      ["eye", ["iVBO"]],
      ["blind", ["iVBO"]],
      ["blind", undefined],
    ]);
  });
});
