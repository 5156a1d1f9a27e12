import net from "node:net";

// A server that writes exact bytes, so that framing, reuse and failures are each what a test
// says and not whatever node:http would send: the stand-in for an Ollama that misbehaves.
// Requests are split by their head and Content-Length only, which is all the worker's client
// sends.

export type Respond = (socket: net.Socket, request: string, index: number) => void;

export interface ScriptedServer {
  url: string;
  connections: net.Socket[];
  requests: string[];
  close(): void;
}

export async function startScriptedServer(
  respond: Respond,
  wrap: (handler: (socket: net.Socket) => void) => net.Server = (handler) => net.createServer(handler),
): Promise<ScriptedServer> {
  const connections: net.Socket[] = [];
  const requests: string[] = [];
  const server = wrap((socket) => {
    connections.push(socket);
    let buffered = "";
    socket.on("data", (bytes) => {
      buffered += bytes.toString("latin1");
      for (;;) {
        const headEnd = buffered.indexOf("\r\n\r\n");
        if (headEnd === -1) return;
        const length = Number(/content-length: (\d+)/i.exec(buffered.slice(0, headEnd))?.[1] ?? 0);
        if (buffered.length < headEnd + 4 + length) return;
        const request = buffered.slice(0, headEnd + 4 + length);
        buffered = buffered.slice(request.length);
        requests.push(request);
        respond(socket, request, requests.length - 1);
      }
    });
    socket.on("error", () => {});
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    connections,
    requests,
    close() {
      for (const socket of connections) socket.destroy();
      server.close();
    },
  };
}

/** A complete response with a JSON body framed by Content-Length. */
export const jsonResponse = (body: string) => `HTTP/1.1 200 OK\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;

/** One chunk of a chunked body. */
export const chunk = (text: string) => `${Buffer.byteLength(text).toString(16)}\r\n${text}\r\n`;
