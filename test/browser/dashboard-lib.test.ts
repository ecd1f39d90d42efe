// The dashboard's pure helpers (no browser): number formats, the map's geometry, downloads, taste and history.
import { describe, expect, it } from "vitest";
import { count, delta, duration, metric, metricValue, percent, playlistSummary } from "../../apps/dashboard/src/lib/format.ts";
import { compareWeeks, tasteProfile } from "../../apps/dashboard/src/lib/taste.ts";
import { historyCurves } from "../../apps/dashboard/src/lib/history.ts";
import { headlineMetrics, previousVersion, versionSeries } from "../../apps/dashboard/src/lib/model-metrics.ts";
import { toGexf, toTsv } from "../../apps/dashboard/src/lib/downloads.ts";
import { bucketsByColour, closestTo, fitTransform, PointGrid, project, step } from "../../apps/dashboard/src/lib/map-draw.ts";
import { interval, outcomeValue, rowOf, seriesByVersion, weeksOf, type OutcomeRow } from "../../apps/dashboard/src/lib/outcomes.ts";
import { COLOUR_BY, COLOUR_FIELDS, PROJECTION_QUERY } from "../../apps/dashboard/src/lib/map-colours.ts";
import { saveBlendVariables } from "../../apps/dashboard/src/lib/blend-form.ts";
import { modelsToTrain, TRAINABLE_MODELS } from "../../apps/dashboard/src/lib/training.ts";
import { defaultBlendConstraints, defaultBlendWeights } from "@deepcuts/models/blend/weights";
import { TRAINABLE } from "@deepcuts/engine/training/train.ts";

describe("numbers for people", () => {
  it("writes integers without decimals and measures to 3 significant digits", () => {
    expect(count(3000)).toBe("3,000");
    expect(count(2.6)).toBe("3");
    expect(metric(0.123456)).toBe("0.123");
    expect(metric(0.000123456)).toBe("0.000123");
    expect(metricValue(3000)).toBe("3,000");
    expect(metricValue(0.26649)).toBe("0.266");
    expect(percent(0.1234)).toBe("12.3%");
    expect(delta(0.0123)).toBe("+0.0123");
    expect(delta(-0.5)).toBe("-0.5");
    expect(delta(0)).toBe("0");
  });

  it("writes durations as people say them", () => {
    expect(duration(350)).toBe("0.35 s");
    expect(duration(42_000)).toBe("42 s");
    expect(duration(14 * 60_000)).toBe("14 min");
    expect(duration(123 * 60_000)).toBe("2 hr 3 min");
    expect(playlistSummary(30, 123 * 60_000)).toBe("30 songs, 2 hr 3 min");
  });
});

describe("the map's geometry", () => {
  const xs = Float32Array.from([0, 1, 2, 1, 1]);
  const ys = Float32Array.from([0, 0, 0, 1, -1]);
  const t = fitTransform(xs, ys, 220, 220, 10);
  const { sx, sy } = project(xs, ys, t);

  it("fits the points into the canvas, y up", () => {
    expect([sx[0], sx[2]]).toEqual([10, 210]);
    expect(sy[3]).toBeLessThan(sy[4]);
  });

  it("steps to the nearest point in the arrow's direction, and stays at the edge", () => {
    expect(step(sx, sy, 0, "right")).toBe(1);
    expect(step(sx, sy, 1, "right")).toBe(2);
    expect(step(sx, sy, 1, "up")).toBe(3);
    expect(step(sx, sy, 1, "down")).toBe(4);
    expect(step(sx, sy, 0, "left")).toBe(0);
    expect(closestTo(sx, sy, 110, 110)).toBe(1);
  });

  it("finds the point under the pointer, and none too far away", () => {
    const grid = new PointGrid(sx, sy, 220, 220);
    expect(grid.nearest(sx[3] + 3, sy[3] - 2, 8)).toBe(3);
    expect(grid.nearest(60, 60, 8)).toBe(-1);
  });

  it("buckets points by colour, the ones without a value first", () => {
    expect(bucketsByColour([1, 0, 1, 2], 3, [2]).map((b) => Array.from(b))).toEqual([[3], [1], [0, 2]]);
  });
});

describe("downloads", () => {
  it("keeps TSV rows in their columns", () => {
    expect(
      toTsv(
        ["id", "label"],
        [
          [1, "a\tb\nc"],
          [2, null],
        ],
      ),
    ).toBe("id\tlabel\n1\ta b c\n2\t\n");
  });

  it("writes GEXF with escaped labels, positions and colours", () => {
    const gexf = toGexf(
      [
        { id: 1, label: `Rock & "Roll" <live>`, x: 0.5, y: -1, colour: "#1f6f5c" },
        { id: 2, label: "b" },
      ],
      [{ source: 1, target: 2, score: 0.5 }],
      "test",
    );
    expect(gexf).toContain(`label="Rock &amp; &quot;Roll&quot; &lt;live&gt;"`);
    expect(gexf).toContain(`<viz:position x="0.5" y="-1" z="0"/><viz:color r="31" g="111" b="92"/>`);
    expect(gexf).toContain(`<edge id="0" source="1" target="2" weight="0.5"/>`);
  });
});

describe("taste and weeks", () => {
  const artist = (id: number, genre: string | null, terms: [string, number][]) => ({ id, genre, topTerms: terms.map(([term, weight]) => ({ term, weight })) });
  it("sums genre shares and weights terms by plays", () => {
    const profile = tasteProfile({
      topArtists: {
        totalPlays: 10,
        artists: [
          {
            share: 0.5,
            artist: artist(1, "techno", [
              ["dark", 1],
              ["warm", 0.2],
            ]),
          },
          { share: 0.3, artist: artist(2, "techno", [["warm", 1]]) },
          { share: 0.2, artist: artist(3, null, []) },
        ],
      },
    });
    expect(profile.genres).toEqual([
      { label: "techno", share: 0.8 },
      { label: "no genre", share: 0.2 },
    ]);
    expect(profile.terms.map((t) => t.label)).toEqual(["dark", "warm"]);
    expect(profile.terms[1].share).toBeCloseTo(0.4 / 0.5, 12);
  });

  it("compares two weeks by track", () => {
    const item = (id: number, artist: string) => ({ track: { id, artist: { name: artist } } });
    const diff = compareWeeks([item(1, "a"), item(2, "b"), item(3, "c")], [item(2, "b"), item(4, "a")]);
    expect([diff.kept.length, diff.onlyShown.length, diff.onlyOther.length, diff.sharedArtists]).toEqual([1, 2, 1, 2]);
  });
});

describe("model versions", () => {
  const versions = [
    { id: 1, kind: "ALS", status: "READY", metrics: { "recall@20": 0.2, "ndcg@20": 0.1, coverage: 0.5, items: 3000 } },
    { id: 2, kind: "ALS", status: "FAILED", metrics: null },
    { id: 3, kind: "ALS", status: "READY", metrics: { "recall@20": 0.25, "ndcg@20": 0.12, coverage: 0.4, items: 3000 } },
    { id: 4, kind: "TEXT", status: "READY", metrics: { dims: 200, documents: 10, terms: 50, tracksWithText: 7 } },
  ];
  it("compares with the version active before (else the previous READY one) of the same kind, and draws a series only from two", () => {
    expect(previousVersion(versions, versions[2])?.id).toBe(1);
    expect(previousVersion(versions, versions[0])).toBeNull();
    // With activation times: the version active before it, even when a newer one was trained and never activated.
    const activated = [
      { id: 1, kind: "ALS", status: "READY", activatedAt: "2026-12-01T10:00:00.000Z" },
      { id: 2, kind: "ALS", status: "READY", activatedAt: null },
      { id: 3, kind: "ALS", status: "READY", activatedAt: "2026-12-03T10:00:00.000Z" },
      { id: 4, kind: "ALS", status: "READY", activatedAt: "2026-12-02T10:00:00.000Z" },
    ];
    expect(previousVersion(activated, activated[2])?.id).toBe(4);
    expect(previousVersion(activated, activated[3])?.id).toBe(1);
    expect(previousVersion(activated, activated[0])).toBeNull();
    expect(previousVersion(activated, activated[1])?.id).toBe(1);
    expect(versionSeries(versions, "ALS", "recall@20")).toEqual([
      { at: 1, value: 0.2 },
      { at: 3, value: 0.25 },
    ]);
    expect(headlineMetrics(versions[2])).toEqual(["recall@20", "ndcg@20", "coverage"]);
    expect(headlineMetrics(versions[3])).toEqual(["documents", "tracksWithText", "terms"]);
  });

  it("reads ALS and audio histories as named curves, measures first", () => {
    const als = historyCurves([
      { phase: "holdout", iteration: 1, seconds: 0.1 },
      { phase: "validation", iteration: 1, loss: 0.3, "recall@20": 0.1, "ndcg@20": 0.05 },
      { phase: "validation", iteration: 2, loss: 0.2, "recall@20": 0.2, "ndcg@20": 0.07 },
    ]);
    expect(als.map((c) => c.id)).toEqual(["validation recall@20", "validation ndcg@20", "loss", "holdout seconds"]);
    expect(als[0].points).toEqual([
      { at: 1, value: 0.1 },
      { at: 2, value: 0.2 },
    ]);
    const audio = historyCurves([
      { epoch: 1, trainLoss: 1, valLoss: 2 },
      { epoch: 2, trainLoss: 0.5, valLoss: Number.NaN },
    ]);
    expect(audio.map((c) => [c.id, c.step, c.points.length])).toEqual([
      ["loss", "epoch", 2],
      ["validation loss", "epoch", 1],
    ]);
  });
});

describe("outcome metrics", () => {
  const row = (
    weekStart: string,
    blendVersion: number,
    source: string,
    metric: OutcomeRow["metric"],
    value: number,
    lower: number | null = null,
    upper: number | null = null,
  ): OutcomeRow => ({ weekStart, blendVersion, source, metric, value, lower, upper, n: 10, computedAt: "2026-12-05T00:00:00Z" });
  const rows = [
    row("2026-11-30", 2, "all", "REACH", 0.6, 0.5, 0.7),
    row("2026-11-23", 1, "all", "REACH", 0.4, 0.3, 0.5),
    row("2026-11-30", 1, "all", "REACH", 0.5, 0.4, 0.6),
    row("2026-11-30", 1, "text", "REACH", 0.2, 0.1, 0.3),
    row("2026-11-30", 1, "all", "HIDES", 7, 7, 7),
  ];

  it("lines up each blend version's weeks oldest first, for one metric and source", () => {
    expect(weeksOf(rows)).toEqual(["2026-11-23", "2026-11-30"]);
    const series = seriesByVersion(rows, "REACH", "all");
    expect(series.map((s) => [s.version, s.points.map((p) => p.weekStart)])).toEqual([
      [1, ["2026-11-23", "2026-11-30"]],
      [2, ["2026-11-30"]],
    ]);
    expect(seriesByVersion(rows, "REACH", "audio")).toEqual([]);
    expect(rowOf(rows, "2026-11-30", 1, "text", "REACH")?.value).toBe(0.2);
    expect(rowOf(rows, "2026-11-23", 2, "all", "REACH")).toBeNull();
  });

  it("writes shares as percentages with their interval, and hides as a count without one", () => {
    expect(outcomeValue("REACH", 0.5)).toBe("50%");
    expect(interval(rows[0])).toBe("50%–70%");
    expect(outcomeValue("HIDES", 7)).toBe("7");
    expect(interval(rows[4])).toBeNull();
  });
});

describe("the Vectors map's projection query", () => {
  it("is one the API's schema answers, asking for every colouring's fields", async () => {
    const { buildSchema, parse, validate } = await import("graphql");
    const { readFileSync } = await import("node:fs");
    const schema = buildSchema(readFileSync(new URL("../../apps/api/schema.graphql", import.meta.url), "utf8"));
    expect(validate(schema, parse(PROJECTION_QUERY)).map((e) => e.message)).toEqual([]);
    for (const colour of COLOUR_BY) for (const field of COLOUR_FIELDS[colour]) expect(PROJECTION_QUERY, colour).toMatch(new RegExp(`\\b${field}\\b`));
    // A field the schema lacks would be refused: the check above can fail.
    expect(validate(schema, parse(PROJECTION_QUERY.replace("topTag", "topTags"))).length).toBeGreaterThan(0);
  });
});

/** The API's schema as the dashboard's types are generated from it. */
async function apiSchema() {
  const { buildSchema } = await import("graphql");
  const { readFileSync } = await import("node:fs");
  return buildSchema(readFileSync(new URL("../../apps/api/schema.graphql", import.meta.url), "utf8"));
}

describe("the Blend editor's save form", () => {
  /** The form as the editor sends it: every weight and rule as text, a switch as "true"/"false". */
  const editorForm = (changes: Record<string, string> = {}) => {
    const form = new FormData();
    for (const [name, value] of Object.entries(defaultBlendWeights)) form.set(`weights.${name}`, String(value));
    for (const [name, value] of Object.entries(defaultBlendConstraints)) form.set(`constraints.${name}`, String(value));
    form.set("note", "  exploration 5  ");
    for (const [name, value] of Object.entries(changes)) form.set(name, value);
    return form;
  };

  it("sends every playlist rule the API's input takes, exploration slots included", async () => {
    const { isInputObjectType } = await import("graphql");
    const input = (await apiSchema()).getType("BlendConstraintsInput");
    if (!isInputObjectType(input)) throw new Error("schema.graphql has no BlendConstraintsInput");
    const variables = saveBlendVariables(editorForm({ "constraints.explorationSlots": "5", "constraints.excludeSkipped": "false" }));
    expect(Object.keys(variables.constraints).sort()).toEqual(Object.keys(input.getFields()).sort());
    expect(variables).toEqual({
      weights: defaultBlendWeights,
      constraints: { ...defaultBlendConstraints, explorationSlots: 5, excludeSkipped: false },
      note: "exploration 5",
    });
  });

  it("refuses a form without a number for a rule, naming it", () => {
    const form = editorForm();
    form.delete("constraints.explorationSlots");
    expect(() => saveBlendVariables(form)).toThrow("constraints.explorationSlots must be a number, got ''");
  });
});

describe("the Training page's models", () => {
  it("lists every model the API trains, named and ordered as `deepcuts train` names them", async () => {
    const { isEnumType } = await import("graphql");
    const trainable = (await apiSchema()).getType("TrainableModel");
    if (!isEnumType(trainable)) throw new Error("schema.graphql has no TrainableModel");
    expect(Object.keys(TRAINABLE_MODELS).sort()).toEqual(
      trainable
        .getValues()
        .map((v) => v.name)
        .sort(),
    );
    expect(Object.values(TRAINABLE_MODELS).map((m) => m.name)).toEqual([...TRAINABLE]);
  });

  it("sends the ticked models as the API's enum values, co-mention as CO_MENTION", () => {
    const form = new FormData();
    for (const name of ["popularity", "co-mention"]) form.append("model", name);
    expect(modelsToTrain(form)).toEqual(["POPULARITY", "CO_MENTION"]);
    form.append("model", "co_mention");
    expect(() => modelsToTrain(form)).toThrow("model must be one of popularity, als, lmf, text, co-mention, audio, got 'co_mention'");
    expect(() => modelsToTrain(new FormData())).toThrow("tick at least one model to train");
  });
});
