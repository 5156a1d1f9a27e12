import { createServer, type Server, type Socket } from "node:net";
import { webApi } from "@slack/bolt";
import { afterEach, describe, expect, it } from "vitest";
import { fetchRefusing } from "../../test-support/fake-slack/refused-fetch.js";
import { BOT_TOKEN, quietLogger, useFakeSlack } from "../../test-support/fake-slack/test-helpers.js";
import { DeliveryError } from "../shared/delivery-error.js";
import { createSlackClients, CREATING_METHODS } from "./slack-clients.js";
import { mayHaveBeenApplied, neverReachedSlack } from "./slack-retry-policy.js";
import { classify } from "./slack-api.js";

// The two clients against the fake Slack: a call that creates something is sent again only when
// it never reached Slack; every other call keeps web-api's retries.

const harness = useFakeSlack();

function clientsFor(slackApiUrl: string, extra: Partial<webApi.WebClientOptions> = {}) {
  const options = { slackApiUrl, rejectRateLimitedCalls: true, retryConfig: webApi.retryPolicies.rapidRetryPolicy, logger: quietLogger(), ...extra };
  return createSlackClients(new webApi.WebClient(BOT_TOKEN, options), BOT_TOKEN, options);
}

/** A server that reads each request and then acts: resets the connection, or never answers. */
const rawServers: Server[] = [];
const rawSockets = new Set<Socket>();
async function rawServer(onRequest: (socket: Socket) => void): Promise<{ url: string; requests: () => number }> {
  let requests = 0;
  const server = createServer((socket) => {
    rawSockets.add(socket);
    socket.once("data", () => {
      requests += 1;
      onRequest(socket);
    });
  });
  rawServers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}/api/`, requests: () => requests };
}
afterEach(() => {
  for (const socket of rawSockets) socket.destroy();
  rawSockets.clear();
  for (const server of rawServers.splice(0)) server.close();
});

describe("which client a method takes", () => {
  it("sends the methods that create something through the careful client, the rest through the retrying one", () => {
    const clients = clientsFor("http://127.0.0.1:1/api/");
    const [retrying, careful] = clients.all;
    for (const method of ["chat.postMessage", "chat.postEphemeral", "files.completeUploadExternal"]) expect(clients.for(method)).toBe(careful);
    for (const method of ["chat.update", "conversations.open", "files.getUploadURLExternal", "auth.test"]) expect(clients.for(method)).toBe(retrying);
    expect([...CREATING_METHODS].sort()).toEqual(["chat.postEphemeral", "chat.postMessage", "files.completeUploadExternal"]);
  });
});

describe("a call that creates something", () => {
  it("is not sent again after Slack wrote it and answered a 5xx: one message, and the caller gets the error", async () => {
    const fake = await harness.start();
    fake.failNext("chat.postMessage", { status: 500, afterApplying: true });
    const post = clientsFor(fake.apiUrl).for("chat.postMessage").chat.postMessage({ channel: fake.channelId, text: "once" });
    const error = await post.then(() => undefined, (failure: unknown) => failure);
    expect(error).toMatchObject({ code: webApi.ErrorCode.HTTPError, statusCode: 500 });
    expect(fake.callsTo("chat.postMessage")).toHaveLength(1);
    expect(fake.messagesIn(fake.channelId).map((message) => message.text)).toEqual(["once"]);
    expect(mayHaveBeenApplied(classify(error))).toBe(true);
  });

  it("is sent again when the connection was refused, so it never reached Slack", async () => {
    const fake = await harness.start();
    const refusing = await fetchRefusing((url) => url.endsWith("/chat.postMessage"));
    const clients = clientsFor(fake.apiUrl, { fetch: refusing.fetch });
    await expect(clients.for("chat.postMessage").chat.postMessage({ channel: fake.channelId, text: "once" })).resolves.toMatchObject({ ok: true });
    expect(refusing.refused).toBe(1);
    expect(fake.messagesIn(fake.channelId).map((message) => message.text)).toEqual(["once"]);
  });

  it("is not sent again after a reset connection or a timeout, which may come after Slack read it", async () => {
    const reset = await rawServer((socket) => socket.resetAndDestroy());
    await expect(clientsFor(reset.url).for("chat.postMessage").chat.postMessage({ channel: "C1", text: "x" })).rejects.toMatchObject({ code: webApi.ErrorCode.RequestError });
    expect(reset.requests()).toBe(1);
    const silent = await rawServer(() => {});
    await expect(clientsFor(silent.url, { timeout: 200 }).for("chat.postMessage").chat.postMessage({ channel: "C1", text: "x" })).rejects.toMatchObject({ code: webApi.ErrorCode.RequestError });
    expect(silent.requests()).toBe(1);
  });

  it("shares an upload once when its completion is answered with a 5xx after sharing it", async () => {
    const fake = await harness.start();
    fake.failNext("files.completeUploadExternal", { status: 502, afterApplying: true });
    const upload = clientsFor(fake.apiUrl).for("files.completeUploadExternal").filesUploadV2({ channel_id: fake.channelId, file: Buffer.from("png"), filename: "t.png", title: "T" });
    await expect(upload).rejects.toMatchObject({ statusCode: 502 });
    expect(fake.callsTo("files.completeUploadExternal")).toHaveLength(1);
    expect(fake.messagesIn(fake.channelId).filter((message) => message.files !== undefined)).toHaveLength(1);
  });
});

describe("a call that may be repeated", () => {
  it("keeps web-api's retries after a 5xx and a reset", async () => {
    const fake = await harness.start();
    const clients = clientsFor(fake.apiUrl);
    const { ts = "" } = await clients.for("chat.postMessage").chat.postMessage({ channel: fake.channelId, text: "v0" });
    fake.failNext("chat.update", { status: 503, afterApplying: true, times: 2 });
    await expect(clients.for("chat.update").chat.update({ channel: fake.channelId, ts, text: "v1" })).resolves.toMatchObject({ ok: true });
    expect(fake.callsTo("chat.update").map((call) => call.status)).toEqual([503, 503, 200]);
    expect(fake.message(fake.channelId, ts)?.text).toBe("v1");

    const reset = await rawServer((socket) => socket.resetAndDestroy());
    await expect(clientsFor(reset.url, { retryConfig: { retries: 2, minTimeout: 0, maxTimeout: 1 } }).for("chat.update").chat.update({ channel: "C1", ts: "1.0", text: "x" })).rejects.toMatchObject({
      code: webApi.ErrorCode.RequestError,
    });
    expect(reset.requests()).toBe(3);
  });
});

describe("neverReachedSlack", () => {
  const refused = (code: string) => Object.assign(new Error(`connect ${code}`), { code });
  const fetchFailed = (cause: Error) => new TypeError("fetch failed", { cause });

  it("is true for a connection never made, through web-api's and our wrappers", () => {
    for (const code of ["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH", "UND_ERR_CONNECT_TIMEOUT"]) {
      const wrapped = new webApi.WebAPIRequestError(fetchFailed(refused(code)));
      expect(neverReachedSlack(wrapped), code).toBe(true);
      expect(mayHaveBeenApplied(classify(wrapped)), code).toBe(false);
    }
    // Every address of a host refused (IPv6 then IPv4, say).
    expect(neverReachedSlack(fetchFailed(new AggregateError([refused("ECONNREFUSED"), refused("ECONNREFUSED")])))).toBe(true);
  });

  it("is false for anything that may have reached Slack", () => {
    expect(neverReachedSlack(new webApi.WebAPIRequestError(fetchFailed(refused("ECONNRESET"))))).toBe(false);
    expect(neverReachedSlack(new webApi.WebAPIRequestError(fetchFailed(refused("UND_ERR_SOCKET"))))).toBe(false);
    expect(neverReachedSlack(new webApi.WebAPIRequestError(new DOMException("The operation was aborted due to timeout", "TimeoutError")))).toBe(false);
    expect(neverReachedSlack(fetchFailed(new AggregateError([refused("ECONNREFUSED"), refused("ECONNRESET")])))).toBe(false);
    expect(neverReachedSlack(new Error("plain"))).toBe(false);
    expect(neverReachedSlack(undefined)).toBe(false);
    expect(mayHaveBeenApplied(new DeliveryError("invalid"))).toBe(false);
    expect(mayHaveBeenApplied(new DeliveryError("transient"))).toBe(true);
  });
});
