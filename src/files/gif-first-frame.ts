import { GifReader } from "omggif";
import { PNG } from "pngjs";

/**
 * A GIF's first frame as PNG bytes. Ollama's own image decoders (Go's image package with PNG,
 * JPEG and WEBP registered) take no GIF, so an animated or still GIF goes to the models as the
 * frame a chat shows first. Called after the pixel bound is checked: the frame is decoded whole.
 */
export function gifFirstFrameAsPng(bytes: Uint8Array): Buffer {
  const reader = new GifReader(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  const png = new PNG({ width: reader.width, height: reader.height });
  // Pixels the frame does not cover stay transparent, as a viewer shows them.
  reader.decodeAndBlitFrameRGBA(0, png.data);
  return PNG.sync.write(png);
}
