import { REPEAT_IS_SAME_MS } from "../../config/stop-signals.js";

/**
 * A Ctrl-C handler that counts one press once. Under npm (`npm start`, `npm run council`) a
 * Ctrl-C reaches the process twice: from the terminal, which signals the whole foreground
 * group, and from npm, which forwards the SIGINT it got. A repeat that soon is the same press,
 * so that one Ctrl-C cancels the council without also leaving or quitting.
 */
export function onePress(handler: () => void, now: () => number = () => performance.now()): () => void {
  let acceptedAt = -Infinity;
  return () => {
    const at = now();
    if (at - acceptedAt < REPEAT_IS_SAME_MS) return;
    acceptedAt = at;
    handler();
  };
}
