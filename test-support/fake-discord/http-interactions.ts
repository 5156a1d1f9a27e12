// Discord's side of HTTP interactions: it signs each interaction with the application's Ed25519
// key (timestamp + body), POSTs it to the Interactions Endpoint URL, and takes the HTTP answer
// as the interaction's callback. Here that answer is handed to the fake's own callback route,
// so the bot's later webhook edits find the message Discord would have made. `post` sends the
// same signed bytes again, as an attacker or a proxy replaying a captured request would: its
// answer goes back to the sender, never to Discord.
import { generateKeyPairSync, type KeyObject, sign } from "node:crypto";

export interface SignedInteraction {
  /** The interaction's id and token, read from the payload. */
  id: string;
  token: string;
  body: string;
  headers: Record<string, string>;
}

export interface EndpointAnswer {
  status: number;
  /** The answer's body as text ("" when none). */
  text: string;
}

export function createInteractionSender(fake: { restBase: string }) {
  const { publicKey, privateKey } = generateKeyPairSync("ed25519");
  const publicKeyHex = (publicKey.export({ format: "der", type: "spki" }) as Buffer).subarray(-32).toString("hex");

  async function post(url: string, signed: SignedInteraction): Promise<EndpointAnswer> {
    const response = await fetch(url, { method: "POST", headers: signed.headers, body: signed.body, signal: AbortSignal.timeout(10_000) });
    return { status: response.status, text: await response.text() };
  }

  return {
    /** DISCORD_PUBLIC_KEY for the bot: the public half of this sender's key. */
    publicKeyHex,
    /** Signs as Discord does; `timestamp` (seconds) and another `key` are for requests the bot must refuse. */
    sign(payload: { id: string; token: string }, options: { timestamp?: number; key?: KeyObject } = {}): SignedInteraction {
      const body = JSON.stringify(payload);
      const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
      const signature = sign(null, Buffer.from(`${timestamp}${body}`), options.key ?? privateKey).toString("hex");
      return {
        id: payload.id,
        token: payload.token,
        body,
        headers: { "Content-Type": "application/json", "User-Agent": "Discord-Interactions/1.0 (+https://discord.com)", "X-Signature-Ed25519": signature, "X-Signature-Timestamp": String(timestamp) },
      };
    },
    post,
    /** As Discord delivers: post, then apply a 200 answer as the interaction's callback. */
    async deliver(url: string, signed: SignedInteraction): Promise<EndpointAnswer> {
      const answer = await post(url, signed);
      if (answer.status === 200) {
        const callback = await fetch(`${fake.restBase}/v10/interactions/${signed.id}/${signed.token}/callback`, {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: answer.text,
        });
        if (!callback.ok) throw new Error(`fake-discord: the endpoint's answer was refused as a callback (${callback.status}): ${await callback.text()}`);
      }
      return answer;
    },
  };
}

export type InteractionSender = ReturnType<typeof createInteractionSender>;
