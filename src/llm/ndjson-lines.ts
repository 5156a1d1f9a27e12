/**
 * The lines of an NDJSON body, each whole even when the network split it across chunks (or
 * split a multi-byte character), blank lines skipped. A last line without its newline counts.
 */
export async function* ndjsonLines(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  let pending = "";
  for await (const chunk of chunks) {
    pending += decoder.decode(chunk, { stream: true });
    let newline = pending.indexOf("\n");
    while (newline >= 0) {
      const line = pending.slice(0, newline).trim();
      pending = pending.slice(newline + 1);
      if (line !== "") yield line;
      newline = pending.indexOf("\n");
    }
  }
  const last = (pending + decoder.decode()).trim();
  if (last !== "") yield last;
}
