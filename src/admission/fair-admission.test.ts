import Bottleneck from "bottleneck";
import { setImmediate as nextTurn } from "node:timers/promises";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  AdmissionClosedError,
  CLOSED_RETRY_AFTER_MS,
  createFairAdmission,
  FIRST_HOLD_ESTIMATE_MS,
  type AdmissionRefusal,
  type FairAdmission,
  type FairAdmissionOptions,
  type Ticket,
} from "./fair-admission.js";
import { HOUR_MS } from "./hourly-quota.js";

// Bottleneck hands a job on through a few timer turns (setTimeout 0), so these tests move
// vitest's fake timers to let it finish what it can; the admission's own clock (hold times,
// the rolling hour) is a separate one that moves only when a test says so.

let admission: FairAdmission | undefined;

beforeEach(() => {
  vi.useFakeTimers({ now: 0 });
});

afterEach(async () => {
  await admission?.close();
  admission = undefined;
  vi.useRealTimers();
});

/** Lets bottleneck finish every hand-off it can make now. */
const settle = () => vi.advanceTimersByTimeAsync(1000);

function clock() {
  let time = 0;
  return { now: () => time, advance: (ms: number) => void (time += ms) };
}

function open(options: Partial<FairAdmissionOptions> & Pick<FairAdmissionOptions, "maxInFlight">) {
  admission = createFairAdmission({ maxWaiting: 100, userWaiting: 100, userPerHour: 0, ...options });
  const started: string[] = [];
  const tickets = new Map<string, Ticket>();
  const a = admission;
  return {
    admission: a,
    started,
    /** Enters for `userKey` and records the council's name in `started` when it starts. */
    enter(userKey: string, name: string): Ticket {
      const entry = a.enter(userKey);
      if (!entry.admitted) throw new Error(`${name} refused: ${entry.reason}`);
      entry.started.then(
        () => started.push(name),
        () => {},
      );
      tickets.set(name, entry);
      return entry;
    },
    ticket: (name: string) => tickets.get(name)!,
  };
}

function refusal(entry: Ticket | AdmissionRefusal): Omit<AdmissionRefusal, "admitted"> {
  if (entry.admitted) throw new Error("admitted, expected a refusal");
  return { reason: entry.reason, retryAfterMs: entry.retryAfterMs };
}

describe("createFairAdmission", () => {
  it("refuses options that are not whole numbers in range, naming the option", () => {
    const good = { maxInFlight: 2, maxWaiting: 10, userWaiting: 0, userPerHour: 0 };
    expect(() => (admission = createFairAdmission(good))).not.toThrow();
    for (const [name, value] of [
      ["maxInFlight", 0],
      ["maxInFlight", 1.5],
      ["maxWaiting", 0],
      ["maxWaiting", Number.NaN],
      ["userWaiting", -1],
      ["userPerHour", 0.5],
    ] as const) {
      expect(() => createFairAdmission({ ...good, [name]: value })).toThrow(new RegExp(`^${name} must be an integer`));
      expect(() => createFairAdmission({ ...good, [name]: value })).toThrow(RangeError);
    }
  });

  it("runs at most maxInFlight councils, and starts the next when one leaves", async () => {
    const room = open({ maxInFlight: 2 });
    for (const user of ["ann", "bob", "cat", "dan"]) room.enter(user, user);
    await settle();
    expect(room.started).toEqual(["ann", "bob"]);
    expect([room.admission.inFlight(), room.admission.waiting()]).toEqual([2, 2]);
    room.ticket("ann").leave();
    await settle();
    expect(room.started).toEqual(["ann", "bob", "cat"]);
    expect([room.admission.inFlight(), room.admission.waiting()]).toEqual([2, 1]);
  });

  it("runs one user's councils one after another, in the order they came, even with slots free", async () => {
    const room = open({ maxInFlight: 3 });
    for (const name of ["a1", "a2", "a3"]) room.enter("ann", name);
    await settle();
    expect(room.started).toEqual(["a1"]);
    room.ticket("a1").leave();
    await settle();
    expect(room.started).toEqual(["a1", "a2"]);
    room.ticket("a2").leave();
    await settle();
    expect(room.started).toEqual(["a1", "a2", "a3"]);
  });

  it("serves users in turn: one council entered after five of another user's starts second, not sixth", async () => {
    const room = open({ maxInFlight: 1 });
    for (const name of ["a1", "a2", "a3", "a4", "a5"]) room.enter("ann", name);
    room.enter("bob", "b1");
    for (let i = 0; i < 6; i++) {
      await settle();
      room.ticket(room.started.at(-1)!).leave();
    }
    expect(room.started).toEqual(["a1", "b1", "a2", "a3", "a4", "a5"]);
  });

  it("counts ahead exactly as councils will start, round-robin across users", async () => {
    const room = open({ maxInFlight: 1 });
    room.enter("ann", "a1");
    await settle();
    const names = ["a2", "b1", "a3", "b2", "c1"];
    const users = { a: "ann", b: "bob", c: "cat" } as const;
    for (const name of names) room.enter(users[name[0] as "a" | "b" | "c"], name);
    const ahead = () => Object.fromEntries(names.map((name) => [name, room.ticket(name).ahead()]));
    // a1 runs; b1 and c1 go to the global queue now, a2 when a1 ends, b2 when b1 ends.
    const expected = { b1: 0, c1: 1, a2: 2, b2: 3, a3: 4 };
    expect(ahead()).toEqual(expected);
    await settle();
    expect(ahead()).toEqual(expected);
    expect(room.ticket("a1").ahead()).toBe(0);

    room.ticket("a1").leave();
    await settle();
    expect(ahead()).toEqual({ b1: 0, c1: 0, a2: 1, b2: 2, a3: 3 });
    while (room.started.length < 6) {
      room.ticket(room.started.at(-1)!).leave();
      await settle();
    }
    expect(room.started).toEqual(["a1", "b1", "c1", "a2", "b2", "a3"]);
  });

  it("tells a waiting ticket each new count ahead as councils end, down to 0, and stops after unsubscribe", async () => {
    const room = open({ maxInFlight: 1 });
    room.enter("ann", "ann");
    await settle();
    const bob = room.enter("bob", "bob");
    const cat = room.enter("cat", "cat");
    const dan = room.enter("dan", "dan");
    expect(dan.ahead()).toBe(2);
    const seen: number[] = [];
    dan.onAhead((ahead) => seen.push(ahead));
    const catSeen: number[] = [];
    cat.onAhead((ahead) => catSeen.push(ahead))();
    await settle();
    expect(seen).toEqual([]);

    room.ticket("ann").leave();
    await settle();
    expect(seen).toEqual([1]);
    bob.leave();
    await settle();
    expect(seen).toEqual([1, 0]);
    cat.leave();
    await settle();
    expect(room.started).toEqual(["ann", "bob", "cat", "dan"]);
    expect(seen).toEqual([1, 0]);
    expect(catSeen).toEqual([]);

    // Dan's second waits for his first to end, so a new user's council, which enters the
    // global queue at once, goes before it: the count rises, and falls back if that one leaves.
    const d2 = room.enter("dan", "d2");
    const d2Seen: number[] = [];
    d2.onAhead((ahead) => d2Seen.push(ahead));
    room.enter("eve", "eve").leave();
    await settle();
    expect(d2Seen).toEqual([]);
    room.enter("eve", "eve");
    await settle();
    expect(d2Seen).toEqual([1]);
  });

  it("refuses a user's council beyond userWaiting behind their first, with about one council's hold as the retry", async () => {
    const room = open({ maxInFlight: 2, userWaiting: 1 });
    room.enter("ann", "a1");
    room.enter("ann", "a2");
    expect(refusal(room.admission.enter("ann"))).toEqual({ reason: "user-queue", retryAfterMs: FIRST_HOLD_ESTIMATE_MS });
    room.enter("bob", "b1");
    room.ticket("a2").leave();
    room.enter("ann", "a3");
    await settle();
    expect(room.started).toEqual(["a1", "b1"]);
  });

  it("refuses with full beyond maxWaiting, and a retry of the average hold per turn of maxInFlight councils", async () => {
    const time = clock();
    const room = open({ maxInFlight: 2, maxWaiting: 3, now: time.now });
    for (const user of ["u1", "u2", "u3", "u4", "u5"]) room.enter(user, user);
    // 3 waiting: the new one would start in the second turn of 2; no council has ended yet.
    expect(refusal(room.admission.enter("u6"))).toEqual({ reason: "full", retryAfterMs: 2 * FIRST_HOLD_ESTIMATE_MS });
    await settle();
    time.advance(8000);
    room.ticket("u1").leave();
    room.enter("u6", "u6");
    expect(refusal(room.admission.enter("u7"))).toEqual({ reason: "full", retryAfterMs: 2 * 8000 });
    await settle();
    expect(room.started).toEqual(["u1", "u2", "u3"]);
  });

  it("refuses beyond userPerHour, until the oldest acceptance in the hour is an hour old", () => {
    const time = clock();
    const room = open({ maxInFlight: 1, userPerHour: 2, now: time.now });
    room.enter("ann", "a1").leave();
    time.advance(10 * 60_000);
    room.enter("ann", "a2").leave(); // leaving gives no acceptance back
    time.advance(20 * 60_000);
    expect(refusal(room.admission.enter("ann"))).toEqual({ reason: "user-rate", retryAfterMs: 30 * 60_000 });
    room.enter("bob", "b1");
    time.advance(30 * 60_000 - 1);
    expect(refusal(room.admission.enter("ann"))).toEqual({ reason: "user-rate", retryAfterMs: 1 });
    time.advance(1);
    room.enter("ann", "a3");
    expect(refusal(room.admission.enter("ann"))).toEqual({ reason: "user-rate", retryAfterMs: 10 * 60_000 });
    expect(HOUR_MS).toBe(60 * 60_000);
  });

  it("lets a waiting ticket leave, from either queue: its place is freed and it never starts", async () => {
    const room = open({ maxInFlight: 1 });
    room.enter("ann", "a1");
    await settle();
    for (const [user, name] of [["ann", "a2"], ["ann", "a3"], ["bob", "b1"], ["bob", "b2"], ["cat", "c1"]] as const) room.enter(user, name);
    await settle();
    const ahead = (names: string[]) => names.map((name) => room.ticket(name).ahead());
    expect(ahead(["b1", "c1", "a2", "b2", "a3"])).toEqual([0, 1, 2, 3, 4]);

    const b1 = room.ticket("b1"); // in the global queue
    const a2 = room.ticket("a2"); // in ann's limiter, behind her running a1
    b1.leave();
    b1.leave();
    a2.leave();
    await expect(b1.started).rejects.toThrow(AdmissionClosedError);
    await expect(a2.started).rejects.toThrow(AdmissionClosedError);
    // b2 takes bob's turn at the back of the global queue; a3 still waits for a1 to end.
    expect(ahead(["c1", "b2", "a3"])).toEqual([0, 1, 2]);
    expect(room.admission.waiting()).toBe(3);
    while (room.started.length < 4) {
      room.ticket(room.started.at(-1)!).leave();
      await settle();
    }
    expect(room.started).toEqual(["a1", "c1", "b2", "a3"]);
    expect([room.admission.inFlight(), room.admission.waiting()]).toEqual([1, 0]);
  });

  it("leaves no unhandled rejection behind when a caller drops a waiting ticket without looking at started", async () => {
    vi.useRealTimers();
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => void unhandled.push(reason);
    process.on("unhandledRejection", onUnhandled);
    try {
      admission = createFairAdmission({ maxInFlight: 1, maxWaiting: 5, userWaiting: 0, userPerHour: 0 });
      admission.enter("ann");
      const bob = admission.enter("bob");
      admission.enter("cat");
      if (bob.admitted) bob.leave();
      await admission.close();
      for (let i = 0; i < 5; i++) await nextTurn();
    } finally {
      process.off("unhandledRejection", onUnhandled);
    }
    expect(unhandled).toEqual([]);
  });

  it("on close, turns waiting tickets away and refuses new ones, but lets running councils finish", async () => {
    const room = open({ maxInFlight: 1 });
    const ann = room.enter("ann", "ann");
    await settle();
    const bob = room.enter("bob", "bob");
    const closed = room.admission.close();
    expect(room.admission.close()).toBe(closed);
    await closed;
    const error = await bob.started.catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AdmissionClosedError);
    expect((error as Error).name).toBe("AdmissionClosedError");
    expect(refusal(room.admission.enter("cat"))).toEqual({ reason: "closed", retryAfterMs: CLOSED_RETRY_AFTER_MS });
    expect([room.admission.inFlight(), room.admission.waiting()]).toEqual([1, 0]);

    ann.leave();
    await settle();
    expect(room.started).toEqual(["ann"]);
    expect([room.admission.inFlight(), room.admission.waiting()]).toEqual([0, 0]);
  });

  it("leaks no slot and keeps no idle user's limiter over many enters and leaves, at every stage and twice over", async () => {
    const keyed = vi.spyOn(Bottleneck.Group.prototype, "key");
    const room = open({ maxInFlight: 2 });
    for (let round = 0; round < 30; round++) {
      const tickets = [0, 1, 2, 3].map((i) => room.enter(`user${(round + i) % 3}`, `r${round}-${i}`));
      if (round % 3 === 1) await vi.advanceTimersByTimeAsync(round % 5); // caught part-way along
      if (round % 3 === 2) await settle();
      for (const ticket of round % 2 ? tickets : tickets.reverse()) {
        ticket.leave();
        if (round % 4 === 0) ticket.leave();
      }
    }
    await settle();
    expect([room.admission.inFlight(), room.admission.waiting()]).toEqual([0, 0]);
    expect((keyed.mock.contexts[0] as Bottleneck.Group).keys()).toEqual([]);
    keyed.mockRestore();
    const before = room.started.length;
    for (const user of ["x", "y", "z"]) room.enter(user, user);
    await settle();
    expect(room.started.slice(before)).toEqual(["x", "y"]);
  });
});
