/** @deepcuts/demo: a seeded, deterministic music world with known answers (see docs/demo-world.md). */
export type * from "./types.ts";
export { generateWorld } from "./world.ts";
export { DEMO_PRESS_HOST } from "./text/articles.ts";
export { WORLD_SCALES, type GenerateWorldOptions } from "./options.ts";
export { events, type EventRange } from "./events/events.ts";
export { renderTrackAudio, DEFAULT_SAMPLE_RATE, DEFAULT_CLIP_SECONDS, type RenderOptions } from "./audio/render.ts";
export { encodeWav, wavByteLength, WAV_HEADER_BYTES } from "./audio/wav.ts";
export { writeWorldAudio, writeWorldLabels, labelsCsv, type WriteAudioOptions } from "./audio/write.ts";
export {
  listenerSimulator,
  simulatorDefaults,
  type ListenerSimulator,
  type ServedSlot,
  type SimulatedEvent,
  type SimulatedKind,
  type SimulatorOptions,
} from "./simulate/listeners.ts";
