/** A fixed "today" so that worlds built in tests are reproducible on any day. */
export const TEST_NOW = new Date("2026-11-25T00:00:00.000Z");
export const DAY_MS = 86_400_000;
