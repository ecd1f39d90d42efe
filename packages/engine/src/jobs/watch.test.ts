import { describe, expect, it } from "vitest";
import { watchIntervalMs, watchStream } from "./watch.ts";

/** A source that pushes by hand, counting its listeners. */
function source<T>() {
  const listeners = new Set<(value: T) => void>();
  return {
    listeners,
    push: (value: T) => listeners.forEach((l) => l(value)),
    subscribe: (listener: (value: T) => void) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

const take = async <T>(it: AsyncIterator<T>, n: number) => {
  const out: T[] = [];
  for (let i = 0; i < n; i++) out.push((await it.next()).value as T);
  return out;
};

describe("watchStream", () => {
  it("sends the initial values, then what is pushed, keeping what arrives while the consumer is busy", async () => {
    const s = source<number>();
    const stream = watchStream(s.subscribe, { initial: [1, 2] });
    s.push(3);
    s.push(4);
    expect(await take(stream, 4)).toEqual([1, 2, 3, 4]);
    const later = stream.next();
    s.push(5);
    expect(await later).toEqual({ value: 5, done: false });
    await stream.return!();
    expect(s.listeners.size).toBe(0);
    expect(await stream.next()).toEqual({ value: undefined, done: true });
  });

  it("ends after the value that satisfies `until`, and drops its listener then", async () => {
    const s = source<string>();
    const stream = watchStream(s.subscribe, { initial: ["RUNNING"], until: (v) => v === "SUCCEEDED" });
    s.push("RUNNING 2");
    s.push("SUCCEEDED");
    s.push("ignored");
    expect(s.listeners.size).toBe(0);
    expect(await take(stream, 3)).toEqual(["RUNNING", "RUNNING 2", "SUCCEEDED"]);
    expect((await stream.next()).done).toBe(true);
  });

  it("an initial value that already satisfies `until` ends it at once, without listening", async () => {
    const s = source<string>();
    const stream = watchStream(s.subscribe, { initial: ["FAILED", "later"], until: (v) => v === "FAILED" });
    expect(s.listeners.size).toBe(0);
    expect(await take(stream, 1)).toEqual(["FAILED"]);
    expect((await stream.next()).done).toBe(true);
  });
});

describe("DEEPCUTS_SUBSCRIPTION_POLL_MS", () => {
  it("defaults to 250 ms and refuses what is not a whole number from 20 to 60000, naming the variable", () => {
    expect(watchIntervalMs({})).toBe(250);
    expect(watchIntervalMs({ DEEPCUTS_SUBSCRIPTION_POLL_MS: "1000" })).toBe(1000);
    for (const bad of ["10", "0.5", "fast", "60001"])
      expect(() => watchIntervalMs({ DEEPCUTS_SUBSCRIPTION_POLL_MS: bad })).toThrow(/DEEPCUTS_SUBSCRIPTION_POLL_MS must be .* got '/);
  });
});
