// Shared by the fake platforms' failNext: scripted failures for the next matching calls, each
// counted against its `times`.

export interface FaultScript<Matcher, Call, Fault extends { times?: number }> {
  add(matcher: Matcher, fault: Fault): void;
  /** The fault for this call, counting it against its `times`, or undefined. */
  take(call: Call): Fault | undefined;
  clear(): void;
}

/** `check` throws, naming the fake, when a fault cannot be scripted (a status the fake cannot send). */
export function createFaultScript<Matcher, Call, Fault extends { times?: number }>(
  matches: (matcher: Matcher, call: Call) => boolean,
  check: (fault: Fault) => void,
): FaultScript<Matcher, Call, Fault> {
  const entries: { matcher: Matcher; fault: Fault; left: number }[] = [];
  return {
    add(matcher, fault) {
      check(fault);
      entries.push({ matcher, fault, left: fault.times ?? 1 });
    },
    take(call) {
      const entry = entries.find((e) => e.left > 0 && matches(e.matcher, call));
      if (!entry) return undefined;
      entry.left--;
      return entry.fault;
    },
    clear() {
      entries.length = 0;
    },
  };
}
