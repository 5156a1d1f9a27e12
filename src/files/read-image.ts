import { imageSize } from "image-size";
import type { ImageAttachment, ImageType } from "./attachment.js";
import { FileRefusedError } from "./file-refused-error.js";
import { gifFirstFrameAsPng } from "./gif-first-frame.js";

export type ImageContent = Pick<ImageAttachment, "width" | "height" | "image">;

/**
 * The image as Ollama takes it. Its size is read from its header, so a small file that would
 * decode to a huge picture (a decompression bomb) is refused before anything decodes it, here
 * or on the GPU box.
 */
export function readImage(name: string, type: ImageType, bytes: Uint8Array, maxPixels: number): ImageContent {
  const { width, height } = dimensionsOf(name, bytes);
  if (width * height > maxPixels) {
    throw new FileRefusedError(
      "too-many-pixels",
      `"${name}" is ${width}×${height} pixels; an image may have at most ${(maxPixels / 1_000_000).toLocaleString("en")} million. Send a smaller copy (a screenshot or an export at a lower size).`,
      name,
    );
  }
  if (type !== "gif") return { width, height, image: { base64: base64Of(bytes), format: type } };
  try {
    return { width, height, image: { base64: gifFirstFrameAsPng(bytes).toString("base64"), format: "png" } };
  } catch (error) {
    throw broken(name, error);
  }
}

function dimensionsOf(name: string, bytes: Uint8Array): { width: number; height: number } {
  try {
    const { width, height } = imageSize(bytes);
    if (width > 0 && height > 0) return { width, height };
    throw new Error(`no dimensions (${width}×${height})`);
  } catch (error) {
    throw broken(name, error);
  }
}

const base64Of = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64");

function broken(name: string, cause: unknown): FileRefusedError {
  return new FileRefusedError(
    "broken-image",
    `"${name}" is a damaged image that cannot be read. Open it and save or screenshot it again, as PNG or JPEG.`,
    name,
    { cause },
  );
}
