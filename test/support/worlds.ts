import type { DemoWorld } from "@deepcuts/demo";

/**
 * Puts every listener of a demo world in one time zone (London, UTC+0 in winter). The demo
 * world spreads its listeners from UTC-8 to UTC+13, so from Sunday 11:00 to Monday 08:00 UTC (in
 * December) their "this week" is two weeks at once (week.ts: each listener's week is their own): a test that
 * generates playlists at the real time and counts one week of them would fail in those hours.
 * Listeners in many zones have their own tests (packages/engine/src/weekly/week.test.ts,
 * test/weekly/playlist-read.test.ts); the events are left as they are.
 */
export function inOneTimeZone(world: DemoWorld, zone = "Europe/London"): DemoWorld {
  for (const user of world.users) user.timeZone = zone;
  return world;
}
