import type { PriorTurn } from "../../src/council/prompts.js";

// What a council thread has said so far, so a follow-up asked in it can be given the earlier
// question and final answer as context. Kept in memory for the threads most recently used.

const DEFAULT_CAPACITY = 1000;

export interface ThreadMemory {
  remember(threadKey: string, turn: PriorTurn): void;
  /** The thread's turns, oldest first; empty for a thread this bot did not start. */
  recall(threadKey: string): PriorTurn[];
  has(threadKey: string): boolean;
}

export function createThreadMemory(capacity = DEFAULT_CAPACITY): ThreadMemory {
  const threads = new Map<string, PriorTurn[]>();
  return {
    remember(threadKey, turn) {
      const turns = [...(threads.get(threadKey) ?? []), turn];
      // Re-inserting moves the thread to the end: the map's order is recency of use.
      threads.delete(threadKey);
      threads.set(threadKey, turns);
      if (threads.size > capacity) threads.delete(threads.keys().next().value as string);
    },
    recall: (threadKey) => [...(threads.get(threadKey) ?? [])],
    has: (threadKey) => threads.has(threadKey),
  };
}
