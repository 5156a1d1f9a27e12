// The upload URLs files.getUploadURLExternal hands out (files.slack.com/upload/v1/... on
// Slack): a POST of the file's bytes, raw or as the file part of a multipart form (web-api
// sends a form with one part), answered 200 "OK - <bytes>". The bytes may be sent again until
// the file is completed. The fake refuses what Slack leaves undocumented: an unknown or
// completed upload (404), a body whose size is not the announced length (400), another method
// than POST (405).
import type { IncomingMessage, ServerResponse } from "node:http";
import type { World } from "./world.js";

export const UPLOAD_PATH = "/upload/v1/";

async function fileBytes(raw: Buffer, contentType: string | undefined): Promise<Uint8Array | undefined> {
  if (!contentType?.toLowerCase().startsWith("multipart/form-data")) return new Uint8Array(raw);
  // The platform's own multipart parser (undici's, behind Response#formData).
  const form = await new Response(raw, { headers: { "content-type": contentType } }).formData();
  for (const value of form.values()) if (typeof value !== "string") return new Uint8Array(await value.arrayBuffer());
  return undefined;
}

export async function handleUpload(world: World, req: IncomingMessage, res: ServerResponse, path: string, raw: Buffer): Promise<void> {
  const text = (status: number, body: string) => void res.writeHead(status, { "Content-Type": "text/plain; charset=utf-8" }).end(body);
  if ((req.method ?? "GET").toUpperCase() !== "POST") return text(405, "method_not_allowed");
  const file = world.files.find((candidate) => new URL(candidate.uploadUrl).pathname === path);
  if (!file || file.completed) return text(404, "not_found");
  const data = await fileBytes(raw, req.headers["content-type"]).catch(() => undefined);
  if (data === undefined) return text(400, "no_file_data");
  if (data.length !== file.length) return text(400, `length_mismatch: announced ${file.length} bytes, received ${data.length}`);
  file.data = data;
  return text(200, `OK - ${data.length}`);
}
