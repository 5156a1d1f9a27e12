// Where each admitted council stands, kept beside bottleneck rather than read from it:
// bottleneck counts jobs, but cannot say whose job is where or in what order they will start,
// and it updates its counts a few timer turns late, while a refusal or an "ahead" count must
// be answered at once. The admission moves an entry each time bottleneck moves its job, so the
// ledger mirrors bottleneck's queues.

export type EntryState =
  /** First in its user's line; its user's limiter is about to hand it to the global queue. */
  | "entering"
  /** Behind the first in its user's line, in that user's limiter. */
  | "waiting"
  /** In the global queue. */
  | "queued"
  | "running"
  | "gone";

export interface LedgerEntry {
  readonly state: EntryState;
  /** Councils that will start before this one; 0 once it runs. */
  readonly ahead: number;
}

export interface AdmissionLedger {
  add(userKey: string): LedgerEntry;
  /** Its user's limiter has scheduled it on the global limiter. */
  queue(entry: LedgerEntry): void;
  /** The global limiter has given it a slot. */
  start(entry: LedgerEntry): void;
  /** Takes it out wherever it stands; true when it was its user's last. */
  remove(entry: LedgerEntry): boolean;
  /** Calls `listener` with each new `ahead` until the entry is removed; returns an unsubscribe. */
  onAhead(entry: LedgerEntry, listener: (ahead: number) => void): () => void;
  /** The user's entries not yet removed, running or not. */
  userCount(userKey: string): number;
  running(): number;
  waiting(): number;
}

interface Entry extends LedgerEntry {
  readonly userKey: string;
  state: EntryState;
  ahead: number;
  /** Its user's entries in admission order; the first is entering, queued or running, the rest wait. */
  readonly line: Entry[];
  readonly listeners: Set<(ahead: number) => void>;
  /** The count the listeners last saw. */
  announced: number;
}

export function createAdmissionLedger(): AdmissionLedger {
  const lines = new Map<string, Entry[]>();
  // Sets keep insertion order: the global queue's order, the order in which users' next
  // councils became due, and the order in which running councils started.
  const queued = new Set<Entry>();
  const entering = new Set<Entry>();
  const running = new Set<Entry>();
  let size = 0;
  const changed = new Set<Entry>();

  // Replays what bottleneck will do: each user has at most one job in the global FIFO queue, and
  // once that job has had its turn the user's next joins the back. Councils about to enter the
  // queue count as already at its back; the next councils of users whose council runs join after
  // them, in the order those councils started (a guess at which ends first). One pass numbers
  // every waiting entry: its place in the replay is how many start before it.
  function recount(): void {
    const order: { line: Entry[]; index: number }[] = [];
    for (const entry of queued) order.push({ line: entry.line, index: 0 });
    for (const entry of entering) order.push({ line: entry.line, index: 0 });
    for (const entry of running) if (entry.line.length > 1) order.push({ line: entry.line, index: 1 });
    for (let position = 0; position < order.length; position++) {
      const { line, index } = order[position]!;
      setAhead(line[index]!, position);
      if (index + 1 < line.length) order.push({ line, index: index + 1 });
    }
    for (const entry of running) setAhead(entry, 0);
  }

  function setAhead(entry: Entry, ahead: number): void {
    if (entry.ahead === ahead) return;
    entry.ahead = ahead;
    if (entry.listeners.size === 0) return;
    if (changed.size === 0) queueMicrotask(announce);
    changed.add(entry);
  }

  // Listeners run after the change that moved them, never inside it: a listener that throws, enters
  // or leaves then cannot leave a move half done, or fail a bottleneck job that holds a slot.
  function announce(): void {
    const batch = [...changed];
    changed.clear();
    for (const entry of batch) {
      if (entry.state === "gone" || entry.ahead === entry.announced) continue;
      entry.announced = entry.ahead;
      for (const listener of [...entry.listeners]) listener(entry.ahead);
    }
  }

  function own(entry: LedgerEntry): Entry {
    return entry as Entry;
  }

  return {
    add(userKey) {
      let line = lines.get(userKey);
      if (!line) lines.set(userKey, (line = []));
      const state = line.length === 0 ? "entering" : "waiting";
      const entry: Entry = { userKey, state, ahead: 0, announced: 0, line, listeners: new Set() };
      line.push(entry);
      if (entry.state === "entering") entering.add(entry);
      size += 1;
      recount();
      entry.announced = entry.ahead;
      return entry;
    },
    queue(ledgerEntry) {
      const entry = own(ledgerEntry);
      entering.delete(entry);
      queued.add(entry);
      entry.state = "queued";
      recount();
    },
    start(ledgerEntry) {
      const entry = own(ledgerEntry);
      queued.delete(entry);
      running.add(entry);
      entry.state = "running";
      recount();
    },
    remove(ledgerEntry) {
      const entry = own(ledgerEntry);
      const { line } = entry;
      const index = line.indexOf(entry);
      line.splice(index, 1);
      queued.delete(entry);
      entering.delete(entry);
      running.delete(entry);
      entry.state = "gone";
      entry.listeners.clear();
      size -= 1;
      const next = line[0];
      if (index === 0 && next) {
        next.state = "entering";
        entering.add(next);
      }
      if (line.length === 0) lines.delete(entry.userKey);
      recount();
      return line.length === 0;
    },
    onAhead(ledgerEntry, listener) {
      const entry = own(ledgerEntry);
      if (entry.state === "gone") return () => {};
      if (entry.listeners.size === 0) entry.announced = entry.ahead;
      entry.listeners.add(listener);
      return () => void entry.listeners.delete(listener);
    },
    userCount: (userKey) => lines.get(userKey)?.length ?? 0,
    running: () => running.size,
    waiting: () => size - running.size,
  };
}
