export type * from "./types.ts";
export { generateWorld } from "./world.ts";
export { WORLD_SCALES, type GenerateWorldOptions } from "./options.ts";
export { events, type EventRange } from "./events/events.ts";
