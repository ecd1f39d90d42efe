import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { mirexKeyScore, readAudioLabels, tempoMatch } from "./labels.ts";

describe("audio labels", () => {
  it("reads quoted cells and empty (unknown) cells", async () => {
    const dir = mkdtempSync(join(tmpdir(), "labels-"));
    const file = join(dir, "labels.csv");
    writeFileSync(file, 'path,tempo_bpm,key,mode,meter,note\na.ogg,97,D,minor,3/4,"tapped, twice"\nb.wav,,,,,\n');
    expect(await readAudioLabels(file)).toEqual([
      { path: "a.ogg", tempoBpm: 97, key: "D", mode: "minor", meter: "3/4" },
      { path: "b.wav", tempoBpm: null, key: null, mode: null, meter: null },
    ]);
    writeFileSync(file, "path,tempo_bpm,key,mode,genre\nc.wav,92,A,minor,lo-fi\n");
    expect(await readAudioLabels(file)).toEqual([{ path: "c.wav", tempoBpm: 92, key: "A", mode: "minor", meter: null }]);
    writeFileSync(file, "path,tempo_bpm,key,mode,meter\na.ogg,fast,G,major,\n");
    await expect(readAudioLabels(file)).rejects.toThrow(`${file}:2: tempo_bpm must be a number in (0, 1000), got 'fast'`);
    // Read by csv-parse: a quoted cell across lines, CRLF, a byte order mark; a row after blank lines keeps its line number.
    writeFileSync(file, '\uFEFFpath,tempo_bpm,key,mode,note\r\n"d ""live"".wav",120,E,major,"two\r\nlines"\r\n\r\ne.wav,0,E,major,\r\n');
    await expect(readAudioLabels(file)).rejects.toThrow(`${file}:5: tempo_bpm must be a number in (0, 1000), got '0'`);
    writeFileSync(file, 'path,tempo_bpm,key,mode\n"d ""live"".wav",120,E,major\n');
    expect(await readAudioLabels(file)).toEqual([{ path: 'd "live".wav', tempoBpm: 120, key: "E", mode: "major", meter: null }]);
    writeFileSync(file, 'path,tempo_bpm,key,mode\nf.wav,90,"C,major\n');
    await expect(readAudioLabels(file)).rejects.toThrow(`${file}:`);
  });

  it("scores keys by the MIREX weights", () => {
    const c = { key: "C", mode: "major" as const };
    expect(mirexKeyScore(c, { key: "C", mode: "major" })).toBe(1);
    expect(mirexKeyScore(c, { key: "G", mode: "major" })).toBe(0.5);
    expect(mirexKeyScore(c, { key: "F", mode: "major" })).toBe(0);
    expect(mirexKeyScore(c, { key: "A", mode: "minor" })).toBe(0.3);
    expect(mirexKeyScore({ key: "A", mode: "minor" }, c)).toBe(0.3);
    expect(mirexKeyScore(c, { key: "C", mode: "minor" })).toBe(0.2);
    expect(mirexKeyScore({ key: "F#", mode: "minor" }, { key: "Gb", mode: "minor" })).toBe(1);
  });

  it("matches tempo within 4% at the exact octave or allowing x1/3, 1/2, 2, 3", () => {
    expect(tempoMatch(124, 120)).toEqual({ exact: true, withOctaveErrors: true });
    expect(tempoMatch(60.5, 120)).toEqual({ exact: false, withOctaveErrors: true });
    expect(tempoMatch(360, 120)).toEqual({ exact: false, withOctaveErrors: true });
    expect(tempoMatch(80, 120)).toEqual({ exact: false, withOctaveErrors: false });
  });
});
