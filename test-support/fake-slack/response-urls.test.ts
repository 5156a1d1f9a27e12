// response_url: up to 5 uses within 30 minutes (then 404 used_url / expired_url, and Bolt's
// respond() throws), ephemeral by default, in_channel as a channel message; every post recorded.
import { describe, expect, it } from "vitest";
import { captured, useFakeSlack } from "./test-helpers.js";
import type { FakeSlack } from "./types.js";

const harness = useFakeSlack();

const post = (url: string, body: unknown) => fetch(url, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });

async function commandUrl(fake: FakeSlack): Promise<string> {
  return fake.slashCommand({ text: "q" }).response_url;
}

describe("response_url", () => {
  it("takes 5 posts, then answers 404 used_url and shows nothing more", async () => {
    const fake = await harness.start();
    const url = await commandUrl(fake);
    const statuses: number[] = [];
    for (let i = 1; i <= 6; i++) statuses.push((await post(url, { text: `reply ${i}` })).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 404]);
    const refused = await post(url, { text: "reply 7" });
    expect(await refused.text()).toBe("used_url");
    expect(fake.ephemerals.map((e) => e.text)).toEqual(["reply 1", "reply 2", "reply 3", "reply 4", "reply 5"]);
    expect(fake.responses.map((r) => r.error)).toEqual([undefined, undefined, undefined, undefined, undefined, "used_url", "used_url"]);
  });

  it("expires 30 minutes after the command (on the fake clock)", async () => {
    const fake = await harness.start();
    const url = await commandUrl(fake);
    expect((await post(url, { text: "early" })).status).toBe(200);
    fake.advanceTime(30 * 60_000 + 1);
    const late = await post(url, { text: "late" });
    expect([late.status, await late.text()]).toEqual([404, "expired_url"]);
  });

  it("posts in_channel replies as channel messages, refuses empty ones and unknown ids", async () => {
    const fake = await harness.start();
    const url = await commandUrl(fake);
    expect((await post(url, { text: "for everyone", response_type: "in_channel" })).status).toBe(200);
    expect(fake.messagesIn(fake.channelId)).toMatchObject([{ text: "for everyone", user: fake.botUserId, source: "response_url" }]);
    const empty = await post(url, { response_type: "ephemeral" });
    expect([empty.status, await empty.text()]).toEqual([400, "no_text"]);
    const unknown = await post(`${fake.url}/response/nope`, { text: "x" });
    expect(unknown.status).toBe(404);
    expect(fake.responses.map((r) => [r.status, r.responseType])).toEqual([
      [200, "in_channel"],
      [400, "ephemeral"],
      [404, "ephemeral"],
    ]);
  });

  it("makes Bolt's respond() throw once the uses are spent", async () => {
    const fake = await harness.start({ responseUrlMaxUses: 2 });
    const app = await harness.socketApp(fake);
    const outcome = captured<unknown[]>((resolve) =>
      app.command("/council", async ({ ack, respond }) => {
        await ack();
        const results: unknown[] = [];
        for (const text of ["one", "two", "three"]) results.push(await respond({ text }).then((r) => r.status, (e: unknown) => e));
        resolve(results);
      }),
    );
    await fake.sendSlashCommand({ text: "q" });
    const [first, second, third] = await outcome;
    expect([first, second]).toEqual([200, 200]);
    expect(third).toMatchObject({ code: "slack_bolt_respond_error" });
  });
});
