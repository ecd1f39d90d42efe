import { describe, expect, it } from "vitest";
import { weekStartFor, weekStartsAnywhere } from "./week.ts";

describe("weekStartFor", () => {
  it("is the local Monday", () => {
    // Wednesday 2026-11-25 12:00 UTC.
    expect(weekStartFor(new Date("2026-11-25T12:00:00Z"), "UTC")).toBe("2026-11-23");
  });

  it("follows the listener's time zone across the Sunday/Monday boundary", () => {
    // Sunday 2026-11-29 23:30 UTC is already Monday 2026-11-30 in Tokyo, still Sunday in New York.
    const instant = new Date("2026-11-29T23:30:00Z");
    expect(weekStartFor(instant, "Asia/Tokyo")).toBe("2026-11-30");
    expect(weekStartFor(instant, "America/New_York")).toBe("2026-11-23");
    expect(weekStartFor(instant, "UTC")).toBe("2026-11-23");
  });

  it("treats Monday 00:00 local as the start of the new week", () => {
    expect(weekStartFor(new Date("2026-11-30T00:00:00+09:00"), "Asia/Tokyo")).toBe("2026-11-30");
    expect(weekStartFor(new Date("2026-11-29T23:59:59+09:00"), "Asia/Tokyo")).toBe("2026-11-23");
  });
});

describe("weekStartsAnywhere", () => {
  it("holds every zone's weekStartFor, around the Sunday/Monday boundary and mid-week", () => {
    const zones = Intl.supportedValuesOf("timeZone");
    // Monday begins at Sunday 10:00 UTC in Kiritimati (UTC+14) and at Monday 12:00 UTC at UTC-12.
    for (const instant of [
      "2026-11-29T09:59:00Z",
      "2026-11-29T10:00:00Z",
      "2026-11-29T23:30:00Z",
      "2026-11-30T11:59:00Z",
      "2026-11-30T12:00:00Z",
      "2026-12-02T12:00:00Z",
    ]) {
      const now = new Date(instant);
      const anywhere = weekStartsAnywhere(now);
      expect(anywhere.length).toBeLessThanOrEqual(2);
      for (const zone of [...zones, "Etc/GMT+12", "Etc/GMT-14"]) expect(anywhere, `${zone} at ${instant}`).toContain(weekStartFor(now, zone));
    }
    expect(weekStartsAnywhere(new Date("2026-11-29T10:00:00Z"))).toEqual(["2026-11-23", "2026-11-30"]);
    expect(weekStartsAnywhere(new Date("2026-12-02T12:00:00Z"))).toEqual(["2026-11-30"]);
  });
});
