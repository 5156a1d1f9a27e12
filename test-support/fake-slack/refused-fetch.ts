// A refused connection, which a listening fake cannot give: a fetch that sends the first
// matching requests to a closed port on 127.0.0.1 (the real undici error, "fetch failed" caused
// by ECONNREFUSED) and every other request where it was going. For web-api's `fetch` option, or
// in place of globalThis.fetch before a WebClient is built (it keeps the fetch it found).
import { freePort } from "../free-port.js";

export interface RefusingFetch {
  fetch: typeof globalThis.fetch;
  /** Requests refused so far. */
  readonly refused: number;
}

export async function fetchRefusing(matches: (url: string) => boolean, times = 1, through: typeof globalThis.fetch = globalThis.fetch): Promise<RefusingFetch> {
  const closed = `http://127.0.0.1:${await freePort()}/`;
  let refused = 0;
  const fetch: typeof globalThis.fetch = (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    if (refused < times && matches(url)) {
      refused += 1;
      return through(closed, init);
    }
    return through(input, init);
  };
  return {
    fetch,
    get refused() {
      return refused;
    },
  };
}
