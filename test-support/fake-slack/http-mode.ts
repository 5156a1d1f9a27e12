// HTTP mode: POSTs a signed event or slash command to the app (Bolt's HTTPReceiver listens on
// /slack/events) the way Slack does, with X-Slack-Retry-Num / X-Slack-Retry-Reason on retries,
// and records the answer's status, body and latency (Slack gives up after 3 s and retries).
import type { FakeClock } from "./clock.js";
import { signedRequest } from "./signing.js";
import type { HttpDelivery, PostSignedOptions } from "./types.js";
import type { WaitList } from "../fake-kit/waits.js";

export function createDeliveries(clock: FakeClock, waits: WaitList, ackDeadlineMs: number) {
  const deliveries: HttpDelivery[] = [];
  let nextId = 1;
  const stamped = <T extends { timestamp?: number }>(options: T): T & { timestamp: number } => ({ ...options, timestamp: options.timestamp ?? Math.floor(clock.now() / 1000) });

  return {
    deliveries,
    sign: (body: Parameters<typeof signedRequest>[0], options: Parameters<typeof signedRequest>[1]) => signedRequest(body, stamped(options)),
    async post(url: string, body: Parameters<typeof signedRequest>[0], options: PostSignedOptions): Promise<HttpDelivery> {
      const signed = signedRequest(body, stamped(options));
      const headers: Record<string, string> = {
        ...signed.headers,
        ...(options.signature === undefined ? {} : { "X-Slack-Signature": options.signature }),
        ...(options.retryNum === undefined ? {} : { "X-Slack-Retry-Num": String(options.retryNum), "X-Slack-Retry-Reason": options.retryReason ?? "http_timeout" }),
        "User-Agent": "Slackbot 1.0 (+https://api.slack.com/robots)",
        ...options.headers,
      };
      const sentAt = clock.now();
      const started = performance.now();
      const response = await fetch(url, { method: "POST", headers, body: signed.body, signal: AbortSignal.timeout(options.timeoutMs ?? 10_000) });
      const responseText = await response.text();
      const latencyMs = Math.round(performance.now() - started);
      let responseJson: unknown;
      try {
        responseJson = responseText === "" ? undefined : (JSON.parse(responseText) as unknown);
      } catch {
        responseJson = undefined;
      }
      const delivery: HttpDelivery = {
        id: nextId++,
        url,
        body: signed.body,
        headers,
        sentAt,
        answeredAt: clock.now(),
        latencyMs,
        status: response.status,
        responseText,
        ...(responseJson === undefined ? {} : { responseJson }),
        late: latencyMs > ackDeadlineMs,
      };
      deliveries.push(delivery);
      waits.notify();
      return delivery;
    },
  };
}
