import { readFile } from "node:fs/promises";
import decodeBytes from "audio-decode";
import { CorruptAudioError, UnsupportedAudioError } from "./errors.ts";

/** Decoded audio, down-mixed to one channel. */
export interface DecodedAudio {
  samples: Float32Array;
  sampleRate: number;
}

/** Container signatures we accept; anything else is rejected before the decoder sees it. */
function sniffFormat(bytes: Uint8Array): "wav" | "ogg" | "flac" | "mp3" | null {
  const ascii = (at: number, length: number) => String.fromCharCode(...bytes.subarray(at, at + length));
  if (bytes.length >= 12 && ascii(0, 4) === "RIFF" && ascii(8, 4) === "WAVE") return "wav";
  if (bytes.length >= 4 && ascii(0, 4) === "OggS") return "ogg";
  if (bytes.length >= 4 && ascii(0, 4) === "fLaC") return "flac";
  if (bytes.length >= 3 && ascii(0, 3) === "ID3") return "mp3";
  // An MPEG audio frame starts with an 11-bit sync word and layer bits not equal to 00.
  if (bytes.length >= 2 && bytes[0] === 0xff && (bytes[1] & 0xe0) === 0xe0 && (bytes[1] & 0x06) !== 0) return "mp3";
  return null;
}

/**
 * Decodes WAV, OGG Vorbis, MP3 or FLAC (bytes, or a file path) to mono Float32 at the file's
 * own sample rate. Channels are averaged. Throws UnsupportedAudioError for other formats and
 * CorruptAudioError when decoding fails or yields no samples; `label` names the input in errors.
 */
export async function decodeAudio(input: Uint8Array | string, label?: string): Promise<DecodedAudio> {
  const name = label ?? (typeof input === "string" ? input : "audio bytes");
  const bytes = typeof input === "string" ? new Uint8Array(await readFile(input)) : input;
  const format = sniffFormat(bytes);
  if (!format) {
    throw new UnsupportedAudioError(`${name}: not WAV, OGG Vorbis, MP3 or FLAC (${bytes.length} bytes, no known header)`);
  }
  let decoded: { channelData: Float32Array[]; sampleRate: number };
  try {
    decoded = await decodeBytes(bytes);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    if (/unknown|unsupported/i.test(reason)) throw new UnsupportedAudioError(`${name}: ${format} stream not supported: ${reason}`);
    throw new CorruptAudioError(`${name}: ${format} data could not be decoded: ${reason}`);
  }
  const channels = decoded?.channelData ?? [];
  const length = channels[0]?.length ?? 0;
  if (!channels.length || length === 0 || !(decoded.sampleRate > 0)) {
    throw new CorruptAudioError(`${name}: ${format} data decoded to no samples`);
  }
  const samples = downmix(channels, length);
  for (let i = 0; i < samples.length; i++) {
    if (!Number.isFinite(samples[i])) throw new CorruptAudioError(`${name}: decoded sample ${i} is ${samples[i]}`);
  }
  return { samples, sampleRate: decoded.sampleRate };
}

function downmix(channels: Float32Array[], length: number): Float32Array {
  if (channels.length === 1) return channels[0];
  const mono = new Float32Array(length);
  for (const channel of channels) {
    for (let i = 0; i < length; i++) mono[i] += channel[i];
  }
  const scale = 1 / channels.length;
  for (let i = 0; i < length; i++) mono[i] *= scale;
  return mono;
}
