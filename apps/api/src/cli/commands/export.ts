import { resolve } from "node:path";
import { exportInteractions, INTERACTION_FORMATS, type InteractionFormat } from "@deepcuts/engine/export/interactions.ts";
import { exportGraph, GRAPH_EXPORT_LIMITS, GRAPH_FORMATS, type GraphFormat } from "@deepcuts/engine/export/graph.ts";
import { exportVectors, VECTOR_FORMATS, VECTOR_MODELS, type VectorFormat } from "@deepcuts/engine/export/vectors.ts";
import type { ExportEntity } from "@deepcuts/engine/export/metadata.ts";
import type { SingleModel } from "@deepcuts/engine/similarity/models.ts";
import { findListener } from "@deepcuts/engine/privacy/delete-listener.ts";
import { writeListenerArchive } from "@deepcuts/engine/privacy/export-listener.ts";
import { numberFlag, parse, UsageError } from "../args.ts";
import { emit, type Command } from "../command.ts";
import { withDatabase } from "../db-session.ts";
import { ProgressBar } from "../progress.ts";

const ENTITIES: Record<string, ExportEntity> = { track: "TRACK", artist: "ARTIST", user: "USER" };
const GRAPH_MODELS: Record<string, SingleModel> = { collaborative: "COLLABORATIVE", text: "TEXT", audio: "AUDIO", "co-mention": "CO_MENTION" };

function oneOf<T extends string>(value: unknown, name: string, allowed: readonly T[], fallback?: T): T {
  if (value === undefined && fallback !== undefined) return fallback;
  if (typeof value !== "string" || !allowed.includes(value as T))
    throw new UsageError(`--${name} must be one of ${allowed.join(", ")}, got '${typeof value === "string" ? value : JSON.stringify(value ?? "")}'`);
  return value as T;
}

export const exportCommand: Command = {
  name: "export",
  summary:
    "export stored vectors (npy, Parquet, CSV, TSV, with ids and metadata), a similarity graph (GEXF, GraphML) or the listener x track interactions for Spark (Parquet)",
  usage:
    "deepcuts export vectors --model als|lmf|text|audio-features|audio-cnn|co-mention [--entity track|artist|user] --format npy|parquet|csv|tsv [--out <file>] [--version <id>] | " +
    `export graph [--model collaborative|text|audio|co-mention] [--entity artist|track] --format gexf|graphml [--k 10] [--min-score 0] [--nodes 2000 (max ${GRAPH_EXPORT_LIMITS.nodes})] [--out <file>] | export interactions --format parquet [--out <file>] | export listener --user <external key|id> [--out <file>] (JSON archive of everything stored about the listener; stdout without --out)  [--json] [--quiet]`,
  async run(argv, ctx) {
    const { values, positionals } = parse(argv, {
      model: { type: "string" },
      entity: { type: "string" },
      format: { type: "string" },
      out: { type: "string" },
      version: { type: "string" },
      k: { type: "string" },
      "min-score": { type: "string" },
      nodes: { type: "string" },
      json: { type: "boolean" },
      quiet: { type: "boolean" },
      user: { type: "string" },
    });
    const [what, extra] = positionals;
    if (extra !== undefined) throw new UsageError(`unexpected argument '${extra}'`);
    if (what === "vectors") {
      const model = oneOf(values.model, "model", Object.keys(VECTOR_MODELS));
      const entity = oneOf(values.entity, "entity", Object.keys(ENTITIES), "track");
      const format = oneOf<VectorFormat>(values.format, "format", VECTOR_FORMATS);
      const out = resolve(typeof values.out === "string" ? values.out : `${model}-${entity}-vectors.${format}`);
      const versionId = values.version === undefined ? undefined : numberFlag(values.version, "version", 0, { min: 1, integer: true });
      const bar = new ProgressBar("export vectors", !values.quiet);
      bar.update("loading vectors", 0, 1);
      const result = await withDatabase(ctx, (db) => exportVectors(db, { model, entity: ENTITIES[entity], format, out, versionId }), { migrate: false });
      bar.done("finished");
      emit(
        ctx,
        Boolean(values.json),
        result,
        () => `wrote ${result.rows} ${entity} vectors of ${result.dimensions} dimensions (${model} version ${result.versionId}): ${result.files.join(", ")}`,
      );
      return 0;
    }
    if (what === "graph") {
      if (values.version !== undefined) throw new UsageError("--version applies to export vectors; export graph uses the active model");
      const model = oneOf(values.model, "model", Object.keys(GRAPH_MODELS), "collaborative");
      const entity = oneOf(values.entity, "entity", ["artist", "track"], "artist");
      const format = oneOf<GraphFormat>(values.format, "format", GRAPH_FORMATS);
      const out = resolve(typeof values.out === "string" ? values.out : `${entity}-${model}-graph.${format}`);
      const input = {
        model: GRAPH_MODELS[model],
        entity: ENTITIES[entity] as "ARTIST" | "TRACK",
        format,
        out,
        k: numberFlag(values.k, "k", 10, { min: 1, max: GRAPH_EXPORT_LIMITS.k, integer: true }),
        minScore: numberFlag(values["min-score"], "min-score", 0, { min: -1, max: 1 }),
        nodes: numberFlag(values.nodes, "nodes", 2000, { min: 2, max: GRAPH_EXPORT_LIMITS.nodes, integer: true }),
      };
      const bar = new ProgressBar("export graph", !values.quiet);
      bar.update("nearest neighbours", 0, 1);
      const result = await withDatabase(ctx, (db) => exportGraph(db, input), { migrate: false });
      bar.done("finished");
      emit(
        ctx,
        Boolean(values.json),
        result,
        () => `wrote a ${entity} graph of ${result.nodes} nodes and ${result.edges} edges (${model} model): ${result.file}`,
      );
      return 0;
    }
    if (what === "interactions") {
      for (const flag of ["model", "entity", "version", "k", "min-score", "nodes"] as const) {
        if (values[flag] !== undefined) throw new UsageError(`--${flag} does not apply to export interactions`);
      }
      const format = oneOf<InteractionFormat>(values.format, "format", INTERACTION_FORMATS);
      const out = resolve(typeof values.out === "string" ? values.out : `interactions.${format}`);
      const bar = new ProgressBar("export interactions", !values.quiet);
      const result = await withDatabase(ctx, (db) => exportInteractions(db, { out, format, onProgress: bar.callback }), { migrate: false });
      bar.done("finished");
      emit(
        ctx,
        Boolean(values.json),
        result,
        () => `wrote ${result.rows} listener x ${result.level} interactions (${result.listeners} listeners, ${result.items} ${result.level}s): ${result.file}`,
      );
      return 0;
    }
    if (what === "listener") {
      for (const flag of ["model", "entity", "version", "k", "min-score", "nodes", "format"] as const) {
        if (values[flag] !== undefined) throw new UsageError(`--${flag} does not apply to export listener (the archive is JSON)`);
      }
      if (typeof values.user !== "string" || values.user === "") throw new UsageError("export listener needs --user <external key or id>");
      const user = values.user;
      const out = typeof values.out === "string" ? resolve(values.out) : null;
      // Without --out the archive goes to stdout, so the summary goes to stderr.
      const bar = new ProgressBar("export listener", !values.quiet);
      const result = await withDatabase(
        ctx,
        async (db) => {
          const listener = await findListener(db, user);
          const written = await writeListenerArchive(db, listener.id, out ?? process.stdout, bar.callback);
          return { userId: listener.id, externalKey: listener.externalKey, file: out, bytes: written.bytes };
        },
        { migrate: false },
      );
      bar.done("finished");
      const summary = () => `wrote the archive of listener ${result.externalKey} (id ${result.userId}): ${result.bytes} bytes${out ? ` to ${out}` : ""}`;
      if (out) emit(ctx, Boolean(values.json), result, summary);
      else if (!values.quiet) ctx.err(summary());
      return 0;
    }
    throw new UsageError(`the first argument must be vectors, graph, interactions or listener, got '${what ?? ""}'`);
  },
};
