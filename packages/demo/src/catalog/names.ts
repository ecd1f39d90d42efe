/** Word lists for made-up names: artists, titles, listeners, hometowns, time zones. */
import type { Random } from "@deepcuts/models/core";
import { pick } from "../draw.ts";

const ADJECTIVES = ["Velvet", "Paper", "Silver", "Hollow", "Golden", "Quiet", "Electric", "Broken",
  "Crystal", "Neon", "Wild", "Pale", "Crimson", "Lunar", "Static", "Violet", "Distant", "Amber",
  "Glass", "Northern", "Secret", "Faded", "Burning", "Frozen", "Midnight", "Hidden", "Copper",
  "Sleepy", "Marble", "Endless", "Tiny", "Restless"];
const NOUNS = ["Owls", "Lanterns", "Rivers", "Machines", "Satellites", "Wolves", "Orchards",
  "Harbors", "Ghosts", "Engines", "Tides", "Gardens", "Comets", "Mirrors", "Foxes", "Signals",
  "Cathedrals", "Pylons", "Canyons", "Moths", "Sparrows", "Anchors", "Echoes", "Cities", "Hours",
  "Waves", "Forests", "Radios", "Horses", "Islands", "Tigers", "Letters"];
const FIRST_NAMES = ["Nadia", "Tomas", "Ines", "Kofi", "Mara", "Jonah", "Aiko", "Luca", "Priya",
  "Sven", "Leila", "Mateo", "Hana", "Emeka", "Clara", "Yusuf", "Freya", "Diego", "Amara", "Felix",
  "Noor", "Oskar", "Zoe", "Ravi", "Elena", "Kai", "Ingrid", "Malik", "Sofia", "Theo", "Yara",
  "Bruno", "Lina", "Arjun", "Maya", "Idris", "Greta", "Omar", "Vera", "Samir"];
const LAST_NAMES = ["Kessler", "Okafor", "Lindqvist", "Moreau", "Tanaka", "Alvarez", "Novak",
  "Haddad", "Brennan", "Costa", "Nakamura", "Osei", "Fischer", "Reyes", "Kowalski", "Dubois",
  "Mensah", "Larsen", "Romano", "Petrova", "Quinn", "Sato", "Varga", "Holm", "Bianchi", "Adeyemi"];
const DJ_PREFIXES = ["DJ", "MC", "Lil", "Young", "Big", "Saint", "Kid", "Professor"];
const TITLE_WORDS = ["Midnight", "Static", "Paper", "Lanterns", "Summer", "Rain", "Satellite",
  "Heart", "Ocean", "Signal", "Highway", "Ghost", "Mirror", "Fever", "Gold", "Window", "Glass",
  "River", "Dust", "Neon", "Bloom", "Echo", "Winter", "Shadow", "Harbor", "Silver", "Orbit",
  "Wire", "Honey", "Smoke", "Velvet", "Horizon", "Ember", "Tide", "Lights", "Dancer", "Telephone",
  "Garden", "Motel", "Sunday", "Cathedral", "Pulse", "Candle", "Driftwood", "Comet", "Static"];
const TITLE_PATTERNS: ((random: Random) => string)[] = [
  (r) => `${pick(TITLE_WORDS, r)} ${pick(TITLE_WORDS, r)}`,
  (r) => `The ${pick(TITLE_WORDS, r)}`,
  (r) => `${pick(TITLE_WORDS, r)} in ${pick(TITLE_WORDS, r)}`,
  (r) => `${pick(ADJECTIVES, r)} ${pick(TITLE_WORDS, r)}`,
  (r) => `${pick(TITLE_WORDS, r)}`,
  (r) => `Song for ${pick(FIRST_NAMES, r)}`,
  (r) => `${pick(TITLE_WORDS, r)} (${pick(["Reprise", "Interlude", "Night Version", "Demo", "Dub"], r)})`,
];

export const CITIES = ["Manchester", "Glasgow", "Montreal", "Portland", "Berlin", "Detroit",
  "Chicago", "Bristol", "Melbourne", "Lagos", "Tokyo", "Reykjavik", "Brooklyn", "Atlanta",
  "Leeds", "Gothenburg", "Toronto", "Austin", "Lisbon", "Seoul", "Cape Town", "Mexico City",
  "Sheffield", "Minneapolis", "Dublin", "Athens", "Marseille", "Sao Paulo", "Osaka", "Nashville"];

/** IANA zones with their standard-time offsets in minutes (DST is ignored when shaping the
 * hour of day at which people listen: it moves the curve by an hour at most). */
export const TIME_ZONES: { zone: string; offsetMinutes: number }[] = [
  { zone: "America/Los_Angeles", offsetMinutes: -480 }, { zone: "America/Denver", offsetMinutes: -420 },
  { zone: "America/Chicago", offsetMinutes: -360 }, { zone: "America/New_York", offsetMinutes: -300 },
  { zone: "America/Mexico_City", offsetMinutes: -360 }, { zone: "America/Sao_Paulo", offsetMinutes: -180 },
  { zone: "America/Toronto", offsetMinutes: -300 }, { zone: "Europe/London", offsetMinutes: 0 },
  { zone: "Europe/Dublin", offsetMinutes: 0 }, { zone: "Europe/Berlin", offsetMinutes: 60 },
  { zone: "Europe/Paris", offsetMinutes: 60 }, { zone: "Europe/Madrid", offsetMinutes: 60 },
  { zone: "Europe/Stockholm", offsetMinutes: 60 }, { zone: "Africa/Lagos", offsetMinutes: 60 },
  { zone: "Africa/Johannesburg", offsetMinutes: 120 }, { zone: "Europe/Istanbul", offsetMinutes: 180 },
  { zone: "Asia/Kolkata", offsetMinutes: 330 }, { zone: "Asia/Jakarta", offsetMinutes: 420 },
  { zone: "Asia/Shanghai", offsetMinutes: 480 }, { zone: "Asia/Tokyo", offsetMinutes: 540 },
  { zone: "Australia/Sydney", offsetMinutes: 600 }, { zone: "Pacific/Auckland", offsetMinutes: 720 },
];

/** A band, a person or a producer alias; the caller makes names unique. */
export function artistName(random: Random): string {
  const r = random();
  if (r < 0.4) return `The ${pick(ADJECTIVES, random)} ${pick(NOUNS, random)}`;
  if (r < 0.6) return `${pick(ADJECTIVES, random)} ${pick(NOUNS, random)}`;
  if (r < 0.85) return `${pick(FIRST_NAMES, random)} ${pick(LAST_NAMES, random)}`;
  return `${pick(DJ_PREFIXES, random)} ${pick(LAST_NAMES, random)}`;
}

export function trackTitle(random: Random): string {
  return pick(TITLE_PATTERNS, random)(random);
}

export function listenerName(random: Random): string {
  return `${pick(FIRST_NAMES, random)} ${pick(LAST_NAMES, random).charAt(0)}.`;
}
