import type { IncomingMessage, ServerResponse } from "node:http";
import { GraphQLError } from "graphql";
import { pipeChunks, type Chunks } from "@deepcuts/engine/export/chunks.ts";
import { buildExportGraph, graphFileLines, GRAPH_CONTENT_TYPES, GRAPH_EXPORT_LIMITS, GRAPH_FORMATS } from "@deepcuts/engine/export/graph.ts";
import { prepareVectorExport, VECTOR_CONTENT_TYPES, VECTOR_FORMATS, VECTOR_MODELS } from "@deepcuts/engine/export/vectors.ts";
import type { ExportEntity } from "@deepcuts/engine/export/metadata.ts";
import type { SingleModel } from "@deepcuts/engine/similarity/models.ts";
import { ServiceError } from "@deepcuts/engine/service-error.ts";
import type { ApiContext } from "../graphql/context.ts";
import { hasRole } from "../roles/roles.ts";
import { HttpError, sendError } from "./respond.ts";

/** The download routes: `GET /export/vectors` and `GET /export/graph`. */
export const EXPORT_PATHS = ["/export/vectors", "/export/graph"] as const;

const ENTITIES: Record<string, ExportEntity> = { track: "TRACK", artist: "ARTIST", user: "USER" };
const GRAPH_MODELS: Record<string, SingleModel> = { collaborative: "COLLABORATIVE", text: "TEXT", audio: "AUDIO", "co-mention": "CO_MENTION" };
const SERVICE_STATUS: Record<ServiceError["code"], number> = { BAD_USER_INPUT: 400, NOT_FOUND: 404, MODEL_NOT_READY: 409, FORBIDDEN: 403 };

/**
 * Vector and graph downloads, the HTTP twin of `deepcuts export vectors|graph`: the same engine
 * functions produce the file, streamed to the response (the stored vectors are in memory once,
 * as for the CLI). Curator and admin keys only; a bad parameter is a 400 naming it. GET and
 * HEAD only, without side effects, so no CSRF rule is needed beyond the key's preflight.
 */
export async function handleExport(req: IncomingMessage, res: ServerResponse, url: URL, context: () => Promise<ApiContext>): Promise<void> {
  const method = (req.method ?? "GET").toUpperCase();
  if (method !== "GET" && method !== "HEAD") return sendError(res, 405, "METHOD_NOT_ALLOWED", `GET ${url.pathname}`, { allow: "GET, HEAD" });
  let ctx: ApiContext;
  try {
    ctx = await context();
  } catch (error) {
    if (error instanceof GraphQLError) return sendError(res, 401, "UNAUTHENTICATED", error.message);
    throw error;
  }
  if (!ctx.viewer) return sendError(res, 401, "UNAUTHENTICATED", "send an API key as 'Authorization: Bearer <key>'");
  if (!hasRole(ctx.viewer.role, "CURATOR")) return sendError(res, 403, "FORBIDDEN", "exports need a curator or admin key");
  try {
    const download = url.pathname === "/export/vectors" ? await vectorDownload(ctx, url.searchParams) : await graphDownload(ctx, url.searchParams);
    res.writeHead(200, {
      "content-type": download.contentType,
      "content-disposition": `attachment; filename="${download.filename}"`,
      "cache-control": "no-store",
      "x-content-type-options": "nosniff",
    });
    if (method === "HEAD") {
      res.end();
      return;
    }
    await pipeChunks(res, download.chunks);
    res.end();
  } catch (error) {
    if (error instanceof HttpError) return sendError(res, error.status, error.code, error.message);
    if (error instanceof ServiceError) return sendError(res, SERVICE_STATUS[error.code], error.code, error.message);
    throw error;
  }
}

interface Download {
  filename: string;
  contentType: string;
  chunks: Chunks;
}

async function vectorDownload(ctx: ApiContext, params: URLSearchParams): Promise<Download> {
  known(params, ["model", "entity", "format", "version"]);
  const model = oneOf(params, "model", Object.keys(VECTOR_MODELS));
  const entity = oneOf(params, "entity", Object.keys(ENTITIES), "track");
  const format = oneOf(params, "format", VECTOR_FORMATS);
  const version = params.get("version");
  const versionId = version === null ? undefined : integer("version", version, 1, 2 ** 31 - 1);
  const prepared = await prepareVectorExport(ctx.db, { model, entity: ENTITIES[entity], versionId });
  return {
    filename: `${model}-${entity}-vectors-v${prepared.versionId}.${format}`,
    contentType: VECTOR_CONTENT_TYPES[format],
    chunks: prepared.file(format),
  };
}

async function graphDownload(ctx: ApiContext, params: URLSearchParams): Promise<Download> {
  known(params, ["model", "entity", "format", "k", "minScore", "nodes"]);
  const model = oneOf(params, "model", Object.keys(GRAPH_MODELS), "collaborative");
  const entity = oneOf(params, "entity", ["artist", "track"], "artist");
  const format = oneOf(params, "format", GRAPH_FORMATS);
  const k = params.has("k") ? integer("k", params.get("k")!, 1, GRAPH_EXPORT_LIMITS.k) : 10;
  const nodes = params.has("nodes") ? integer("nodes", params.get("nodes")!, 2, GRAPH_EXPORT_LIMITS.nodes) : 2000;
  const minScoreText = params.get("minScore");
  const minScore = minScoreText === null ? 0 : Number(minScoreText);
  if (minScoreText !== null && (minScoreText.trim() === "" || !(minScore >= -1 && minScore <= 1)))
    throw badParameter("minScore", `must be a number in -1..1, got '${minScoreText}'`);
  const graph = await buildExportGraph(ctx.db, { model: GRAPH_MODELS[model], entity: ENTITIES[entity] as "ARTIST" | "TRACK", k, nodes, minScore });
  return { filename: `${entity}-${model}-graph.${format}`, contentType: GRAPH_CONTENT_TYPES[format], chunks: graphFileLines(graph, format) };
}

const badParameter = (name: string, problem: string) => new HttpError(400, "BAD_USER_INPUT", `${name}: ${problem}`);

function known(params: URLSearchParams, names: string[]): void {
  for (const name of params.keys()) if (!names.includes(name)) throw badParameter(name, `unknown parameter (known: ${names.join(", ")})`);
  for (const name of names) if (params.getAll(name).length > 1) throw badParameter(name, "given more than once");
}

function oneOf<T extends string>(params: URLSearchParams, name: string, allowed: readonly T[], fallback?: T): T {
  const value = params.get(name);
  if (value === null && fallback !== undefined) return fallback;
  if (value === null) throw badParameter(name, `required, one of ${allowed.join(", ")}`);
  if (!allowed.includes(value as T)) throw badParameter(name, `must be one of ${allowed.join(", ")}, got '${value.slice(0, 100)}'`);
  return value as T;
}

function integer(name: string, text: string, min: number, max: number): number {
  const value = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max) throw badParameter(name, `must be an integer ${min}..${max}, got '${text.slice(0, 100)}'`);
  return value;
}
