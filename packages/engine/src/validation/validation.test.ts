import { describe, expect, it } from "vitest";
import { EARLIEST_INSTANT, InstantError, parseEpochInstant, parseIsoInstant } from "./instant.ts";
import { checkText, TEXT_LIMITS, TextError } from "./text.ts";

const now = new Date("2026-12-05T12:00:00Z");

describe("instants", () => {
  it("accepts ISO 8601 with a zone and keeps the instant", () => {
    expect(parseIsoInstant("2026-03-02T10:00:00Z", "at", now).toISOString()).toBe("2026-03-02T10:00:00.000Z");
    expect(parseIsoInstant("2026-03-02 10:00:00+01:00", "at", now).toISOString()).toBe("2026-03-02T09:00:00.000Z");
    expect(parseIsoInstant("2024-02-29T23:59:59.5-05:00", "at", now).toISOString()).toBe("2024-03-01T04:59:59.500Z");
  });

  it.each([
    ["Jan 2", "ISO 8601"],
    ["2026-03-02", "ISO 8601"],
    ["2026-03-02T10:00:00", "ISO 8601"],
    ["2026-02-30T00:00:00Z", "calendar date"],
    ["2025-02-29T00:00:00Z", "calendar date"],
    ["2100-02-29T00:00:00Z", "calendar date"],
    ["2026-04-31T00:00:00Z", "calendar date"],
    ["2026-13-01T00:00:00Z", "calendar date"],
    ["2400-02-29T00:00:00Z", "no later than"],
    ["2026-01-01T24:00:00Z", "time of day"],
    ["0001-01-01T00:00:00Z", "on or after"],
    ["1900-01-01T00:00:00Z", "on or after"],
    ["2026-12-07T12:00:00Z", "no later than"],
  ])("refuses %s, naming the field", (raw, problem) => {
    expect(() => parseIsoInstant(raw, "events[3].occurredAt", now)).toThrowError(new RegExp(`^events\\[3\\]\\.occurredAt: .*${problem}`));
  });

  it("knows every month's length, leap years included", () => {
    const later = new Date("2030-01-01T00:00:00Z");
    for (let year = 2000; year <= 2029; year++)
      for (let month = 1; month <= 12; month++) {
        const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
        const at = (day: number) => `${year}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}T00:00:00Z`;
        expect(parseIsoInstant(at(days), "at", later).getUTCDate()).toBe(days);
        if (days < 31) expect(() => parseIsoInstant(at(days + 1), "at", later)).toThrow(/calendar date/);
      }
  });

  it("reads epoch seconds and milliseconds where a format says so", () => {
    expect(parseEpochInstant("1767225600", "s", "listened_at", now).toISOString()).toBe("2026-01-01T00:00:00.000Z");
    expect(parseEpochInstant(1767225600000, "ms", "ts", now).toISOString()).toBe("2026-01-01T00:00:00.000Z");
    expect(() => parseEpochInstant("12", "s", "listened_at", now)).toThrow(InstantError);
    expect(() => parseEpochInstant("soon", "s", "listened_at", now)).toThrow(/epoch seconds/);
    expect(EARLIEST_INSTANT.getUTCFullYear()).toBe(2000);
  });
});

describe("text", () => {
  it("accepts ordinary text in any script", () => {
    expect(checkText("Sigur Rós — Ágætis byrjun 🎧", "search", TEXT_LIMITS.search)).toBe("Sigur Rós — Ágætis byrjun 🎧");
    expect(checkText("line one\nline two", "notes", TEXT_LIMITS.note)).toBe("line one\nline two");
  });

  it.each([
    ["a\u0000b", "control characters (U+0000 at 1)"],
    ["a\u001bb", "control characters (U+001B"],
    ["a\u0085b", "control characters (U+0085"],
    ["a\ud800b", "control characters (U+D800"],
    ["two\nlines", "one line"],
    ["x".repeat(201), "at most 200 characters, got 201"],
  ])("refuses %j in a search", (value, problem) => {
    const error = (() => {
      try {
        checkText(value, "search", TEXT_LIMITS.search);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(TextError);
    expect((error as TextError).field).toBe("search");
    expect((error as TextError).message).toContain(problem);
  });

  it("refuses an empty required name", () => {
    expect(() => checkText("  ", "name", TEXT_LIMITS.name)).toThrow(/name: must not be empty/);
  });
});
