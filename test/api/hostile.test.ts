import { describe, expect, it } from "vitest";
import { postgresUnavailable, type Target } from "../support/databases.ts";
import { gql, useApiWorld, type ApiWorld, type GqlResponse } from "./support.ts";

/**
 * A hostile but careful client, driven by the LIVE schema: every query and mutation, every
 * argument, under every role, with foreign cursors and ids, NUL and control characters,
 * maximal and over-long strings and lists, impossible and ancient dates. It fails on any
 * INTERNAL_SERVER_ERROR, any HTML or stack trace in a response, any row written by a refused
 * request, and any listener-scoped answer holding another listener's data.
 */
const skipPostgres = await postgresUnavailable();

type Role = "none" | "listener" | "otherListener" | "curator" | "admin";
const ROLES: Role[] = ["none", "listener", "otherListener", "curator", "admin"];

interface TypeRef {
  kind: string;
  name: string | null;
  ofType: TypeRef | null;
}
interface InputValue {
  name: string;
  description: string | null;
  type: TypeRef;
  defaultValue: string | null;
}
interface Field {
  name: string;
  args: InputValue[];
  type: TypeRef;
}
interface SchemaType {
  kind: string;
  name: string;
  fields: Field[] | null;
  inputFields: InputValue[] | null;
  enumValues: { name: string }[] | null;
}

const INTROSPECTION = `{ __schema { queryType { name } mutationType { name } types {
  kind name
  fields { name type { ...T } args { name description defaultValue type { ...T } } }
  inputFields { name description defaultValue type { ...T } }
  enumValues { name }
} } }
fragment T on __Type { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name } } } } }`;

/** Tables a refused request must leave as they were. */
const TABLES = [
  "users",
  "artists",
  "tracks",
  "listening_events",
  "user_track_stats",
  "user_artist_stats",
  "blend_configs",
  "api_keys",
  "jobs",
  "weekly_playlists",
  "playlist_items",
  "model_versions",
  "documents",
];

/** Mutations whose successful call starts background work that writes later: only their refusals are sent. */
const STARTS_BACKGROUND_WORK = new Set(["startTraining", "startWeeklyGeneration"]);

const named = (t: TypeRef): TypeRef => (t.ofType ? named(t.ofType) : t);
const isNonNull = (t: TypeRef) => t.kind === "NON_NULL";
const isList = (t: TypeRef): boolean => (t.kind === "NON_NULL" ? isList(t.ofType!) : t.kind === "LIST");
const sdl = (t: TypeRef): string => (t.kind === "NON_NULL" ? `${sdl(t.ofType!)}!` : t.kind === "LIST" ? `[${sdl(t.ofType!)}]` : t.name!);
/** The limit the schema states in an argument's description ("At most 200 characters", "At most 500 items"). */
const statedLimit = (description: string | null, unit: "characters" | "items") => {
  const m = new RegExp(`at most (\\d+) ${unit}`, "i").exec(description ?? "");
  return m ? Number(m[1]) : null;
};

interface Context {
  w: ApiWorld;
  types: Map<string, SchemaType>;
  cursors: string[];
  blendId: number;
  blendVersion: number;
  spareKeyId: number;
  /** A stopped experiment (control: the active blend; candidate: the walk's blend version). */
  experimentId: number;
}

/** An ordinary value for an argument, by its name and type: what a well-behaved client sends. */
function normalValue(c: Context, arg: InputValue, op: string): unknown {
  const type = named(arg.type);
  if (isList(arg.type)) {
    if (arg.name === "models") return ["POPULARITY"];
    if (arg.name === "seeds") return [c.w.trackIds[0]];
    return [normalScalarOrInput(c, { ...arg, type: type }, op)];
  }
  return normalScalarOrInput(c, arg, op);
}

function normalScalarOrInput(c: Context, arg: InputValue, op: string): unknown {
  const type = named(arg.type);
  const schemaType = c.types.get(type.name!)!;
  if (schemaType.kind === "INPUT_OBJECT") {
    return Object.fromEntries(schemaType.inputFields!.map((f) => [f.name, normalScalarOrInput(c, f, op)]));
  }
  if (schemaType.kind === "ENUM") {
    if (arg.name === "role") return "LISTENER";
    if (arg.name === "model") return "COLLABORATIVE";
    if (arg.name === "kind" && type.name === "EventKind") return "STREAM";
    return schemaType.enumValues![0].name;
  }
  switch (arg.name) {
    case "after":
      return null;
    // Forward paging only: `last` or `before` beside `first` is refused by design.
    case "last":
      return null;
    case "before":
      return null;
    case "url":
      return `https://example.org/hostile-${Math.random().toString(36).slice(2, 10)}.xml`;
    case "ids":
      return globalIdOf("User", c.w.userIds[0]);
    // deleteListener on listener 0 would take the walk's own keys with it: it deletes listener 2.
    case "userId":
      return op === "deleteListener" ? c.w.userIds[2] : c.w.userIds[0];
    case "trackId":
      return op === "markNotForMe" ? null : c.w.trackIds[0];
    case "artistId":
      return op === "markNotForMe" ? c.w.artistIds[1] : op === "similarArtists" || op === "coMentionedArtists" ? c.w.artistIds[0] : null;
    case "candidateVersion":
      return c.blendVersion;
    case "alpha":
      return 0.05;
    case "power":
      return 0.8;
    case "minimumEffect":
      return 0.02;
    case "id":
      return op === "activateModelVersion"
        ? c.w.alsVersionId
        : op === "activateBlendConfig"
          ? c.blendId
          : op === "revokeApiKey"
            ? c.spareKeyId
            : op === "experimentResults" || op === "stopExperiment"
              ? c.experimentId
              : op === "user"
                ? c.w.userIds[0]
                : op === "track"
                  ? c.w.trackIds[0]
                  : op === "artist"
                    ? c.w.artistIds[0]
                    : op === "node"
                      ? globalIdOf("User", c.w.userIds[0])
                      : 999_999;
    case "first":
      return 5;
    case "eventId":
      return `hostile-${Math.random().toString(36).slice(2, 10)}`;
    case "occurredAt":
      return new Date(Date.now() - 3600_000).toISOString();
    case "msPlayed":
      return 1000;
    case "weekStart":
      return c.w.weekStart;
    case "name":
      return "hostile client";
    case "note":
      return "hostile note";
    case "sample":
      return 20;
    case "k":
      return 2;
    case "depth":
      return 1;
    case "maxNodes":
      return 20;
    case "minScore":
      return 0;
    case "seed":
      return 1;
    case "playlistSize":
      return 10;
    case "artistCap":
      return 3;
    case "knownArtistShare":
      return 0.5;
    case "diversity":
      return 0.2;
    case "excludeSkipped":
      return true;
  }
  if (arg.defaultValue !== null) return undefined;
  switch (type.name) {
    case "Int":
      return 1;
    case "Float":
      return 0.5;
    case "Boolean":
      return true;
    case "String":
      return "hostile";
    default:
      return null;
  }
}

const STRING_ATTACKS = (limit: number | null) => [
  { label: "NUL", value: "a\u0000b", refused: true },
  { label: "escape", value: "\u001b[31mred", refused: true },
  { label: "C1 control", value: "x\u0085y", refused: true },
  { label: "lone surrogate", value: "x\ud800y", refused: true },
  { label: "line break", value: "two\nlines", refused: false },
  { label: "wildcards", value: "%_\\' OR 1=1 --", refused: false },
  { label: "unicode", value: "Sigur Rós 🎧", refused: false },
  ...(limit === null
    ? []
    : [
        { label: "maximal", value: "x".repeat(limit), refused: false },
        { label: "over-long", value: "x".repeat(limit + 1), refused: true },
      ]),
  { label: "100k", value: "y".repeat(100_000), refused: true },
];
const INT_ATTACKS = [0, -1, 2147483647, 999_999];
/** A Relay global id as the API issues it: "<Type>:<database id>" in base64url. */
const globalIdOf = (type: string, id: number) => Buffer.from(`${type}:${id}`).toString("base64url");
const FLOAT_ATTACKS = [-1e308, 1e308, 1e-320];
const DATE_ATTACKS = ["2026-02-30T00:00:00Z", "0001-01-01T00:00:00Z", "1900-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "2026-13-01T00:00:00Z", "yesterday"];

interface Variant {
  label: string;
  variables: Record<string, unknown>;
  mustRefuse?: { field: string };
}

/** One variant per hostile value of each argument (and of each field of an input argument), the rest left ordinary. */
function variants(c: Context, field: Field, op: string): Variant[] {
  const base: Record<string, unknown> = Object.fromEntries(field.args.map((a) => [a.name, normalValue(c, a, op)]));
  const out: Variant[] = [{ label: "ordinary", variables: base }];
  const put = (label: string, name: string, value: unknown, mustRefuse?: { field: string }) =>
    out.push({ label: `${name}=${label}`, variables: { ...base, [name]: value }, mustRefuse });
  for (const arg of field.args) {
    const type = named(arg.type);
    const schemaType = c.types.get(type.name!)!;
    if (isList(arg.type)) {
      const items = statedLimit(arg.description, "items");
      const one = (base[arg.name] as unknown[])[0];
      const item = () =>
        arg.name === "events"
          ? { ...(one as object), eventId: `hostile-${Math.random().toString(36).slice(2, 10)}` }
          : arg.name === "seeds"
            ? c.w.trackIds[0]
            : one;
      put("empty", arg.name, []);
      if (items !== null) {
        if (arg.name !== "seeds") put("maximal", arg.name, Array.from({ length: items }, item));
        put("over-long", arg.name, Array.from({ length: items + 1 }, item), { field: arg.name });
      }
      if (schemaType.kind === "INPUT_OBJECT") {
        for (const f of schemaType.inputFields!) {
          for (const v of fieldAttacks(c, f, op))
            put(
              `[0].${f.name}=${v.label}`,
              arg.name,
              [{ ...(one as object), [f.name]: v.value }],
              v.refused ? { field: `${arg.name}[0].${f.name}` } : undefined,
            );
        }
      } else if (type.name === "String") {
        for (const v of STRING_ATTACKS(statedLimit(arg.description, "characters")))
          put(`[0]=${v.label}`, arg.name, [v.value], v.refused ? { field: `${arg.name}[0]` } : undefined);
      } else if (type.name === "Int") {
        for (const v of INT_ATTACKS) put(`[0]=${v}`, arg.name, [v]);
      }
      continue;
    }
    if (schemaType.kind === "INPUT_OBJECT") {
      for (const f of schemaType.inputFields!) {
        for (const v of fieldAttacks(c, f, op)) put(`.${f.name}=${v.label}`, arg.name, { ...(base[arg.name] as object), [f.name]: v.value });
      }
      continue;
    }
    for (const v of fieldAttacks(c, arg, op)) put(v.label, arg.name, v.value, v.refused ? { field: arg.name } : undefined);
  }
  return out;
}

function fieldAttacks(c: Context, arg: InputValue, op: string): { label: string; value: unknown; refused?: boolean }[] {
  const type = named(arg.type);
  const attacks: { label: string; value: unknown; refused?: boolean }[] = [];
  if (!isNonNull(arg.type)) attacks.push({ label: "null", value: null });
  switch (type.name) {
    case "String":
      attacks.push(...STRING_ATTACKS(statedLimit(arg.description, "characters")));
      if (arg.name === "after") attacks.push(...c.cursors.map((cursor, i) => ({ label: `foreign cursor ${i}`, value: cursor })));
      break;
    case "Int":
      attacks.push(...INT_ATTACKS.map((v) => ({ label: String(v), value: v })));
      // Foreign listener ids where an id names a listener (elsewhere a small id could be one of the walk's own keys).
      if (arg.name === "userId" || (arg.name === "id" && op === "user"))
        attacks.push({ label: "other listener", value: c.w.userIds[1] }, { label: "third listener", value: c.w.userIds[2] });
      break;
    case "Float":
      attacks.push(...FLOAT_ATTACKS.map((v) => ({ label: String(v), value: v })));
      break;
    case "DateTimeISO":
      attacks.push(...DATE_ATTACKS.map((v) => ({ label: v, value: v })));
      break;
    case "Boolean":
      attacks.push({ label: "string", value: "yes" });
      break;
    case "ID":
      // Global ids of other listeners' rows, of an unknown row, an edited one, and no id at all.
      attacks.push(
        { label: "other listener", value: globalIdOf("User", c.w.userIds[1]) },
        { label: "other listener's playlist", value: globalIdOf("WeeklyPlaylist", c.w.playlistId) },
        { label: "unknown row", value: globalIdOf("Track", 2147483647) },
        { label: "not an id", value: "%00'; DROP TABLE users; --" },
        { label: "100k", value: "y".repeat(100_000) },
      );
      break;
    default:
      if (c.types.get(type.name!)?.kind === "ENUM") attacks.push({ label: "unknown enum", value: "DROP_TABLE" });
  }
  return attacks;
}

/** A selection of the field's type: scalars, and objects two levels deep (fields needing arguments left out). */
function selection(c: Context, type: TypeRef, depth = 0): string {
  const t = c.types.get(named(type).name!)!;
  if (t.kind !== "OBJECT" && t.kind !== "INTERFACE") return "";
  const parts = ["__typename"];
  for (const f of t.fields!) {
    if (f.args.some((a) => isNonNull(a.type) && a.defaultValue === null)) continue;
    const inner = c.types.get(named(f.type).name!)!;
    if (inner.kind === "OBJECT" || inner.kind === "INTERFACE") {
      if (depth < 2) parts.push(`${f.name} { ${selection(c, f.type, depth + 1)} }`);
    } else {
      parts.push(f.name);
    }
  }
  return parts.join(" ");
}

function operationText(c: Context, kind: "query" | "mutation", field: Field): string {
  // A variable for a defaulted argument carries the same default, so leaving it out is allowed.
  const vars = field.args.map((a) => `$${a.name}: ${sdl(a.type)}${a.defaultValue !== null ? ` = ${a.defaultValue}` : ""}`).join(", ");
  const args = field.args.map((a) => `${a.name}: $${a.name}`).join(", ");
  const sel = selection(c, field.type);
  return `${kind}${vars ? `(${vars})` : ""} { ${field.name}${args ? `(${args})` : ""}${sel ? ` { ${sel} }` : ""} }`;
}

/** Values in the answer that belong to a listener other than `own`: User objects and `userId` fields. */
function foreignListenerData(data: unknown, own: number): string[] {
  const found: string[] = [];
  const walk = (v: unknown, path: string) => {
    if (Array.isArray(v)) return v.forEach((x, i) => walk(x, `${path}[${i}]`));
    if (!v || typeof v !== "object") return;
    const o = v as Record<string, unknown>;
    // A User's `id` is its global id; the database id is `databaseId` (the selection asks for every scalar).
    if (o.__typename === "User" && typeof o.databaseId === "number" && o.databaseId !== own) found.push(`${path}: User ${o.databaseId}`);
    if (o.__typename === "User" && typeof o.id === "string" && o.id !== globalIdOf("User", own)) found.push(`${path}: User ${o.id}`);
    if (typeof o.userId === "number" && o.userId !== own) found.push(`${path}.userId ${o.userId}`);
    for (const [k, x] of Object.entries(o)) walk(x, `${path}.${k}`);
  };
  walk(data, "data");
  return found;
}

async function tableCounts(w: ApiWorld): Promise<Record<string, number>> {
  const rows = await w.t.db.query<Record<string, number>>(`SELECT ${TABLES.map((t) => `(SELECT count(*)::int FROM ${t}) AS ${t}`).join(", ")}`);
  return rows[0];
}

describe.each<Target>(["embedded", "postgres"])("a hostile client walking the live schema on %s", (target) => {
  const skip = target === "postgres" && skipPostgres !== null;
  let w: ApiWorld;
  useApiWorld(target, skip, (world) => (w = world));

  it.skipIf(skip)(
    `gets no internal error, no internals, no writes when refused, and no other listener's data ${skip ? skipPostgres : ""}`,
    async () => {
      const intro = await gql(w.api.url, INTROSPECTION, {}, w.keys.admin);
      expect(intro.body.errors).toBeUndefined();
      const schema = intro.body.data!.__schema as { queryType: { name: string }; mutationType: { name: string }; types: SchemaType[] };
      const types = new Map(schema.types.map((t) => [t.name, t]));
      const keyOf: Record<Role, string | undefined> = {
        none: undefined,
        listener: w.keys.listener,
        otherListener: w.keys.otherListener,
        curator: w.keys.curator,
        admin: w.keys.admin,
      };
      const ownId: Partial<Record<Role, number>> = { listener: w.userIds[0], otherListener: w.userIds[1] };

      // Cursors issued to other keys and other queries, to be sent where they do not belong.
      const cursor = async (query: string, variables: Record<string, unknown>, key: string) => {
        const r = await gql(w.api.url, query, variables, key);
        return (Object.values(r.body.data ?? {})[0] as { pageInfo?: { endCursor: string | null } } | null)?.pageInfo?.endCursor ?? null;
      };
      const cursors = [
        await cursor(`{ users(first:1){ pageInfo{ endCursor } } }`, {}, w.keys.curator),
        await cursor(`{ tracks(first:1){ pageInfo{ endCursor } } }`, {}, w.keys.admin),
        await cursor(`query($u:Int!){ weeklyPlaylists(userId:$u, first:1){ pageInfo{ endCursor } } }`, { u: w.userIds[0] }, w.keys.listener),
        Buffer.from(`id:${w.userIds[1]}`).toString("base64url"),
      ].filter((x): x is string => x !== null);
      expect(cursors.length).toBe(4);
      const blend = await gql(
        w.api.url,
        `mutation($w:BlendWeightsInput!,$c:BlendConstraintsInput!){ createBlendConfig(weights:$w, constraints:$c){ id: databaseId version } }`,
        {
          w: { collaborative: 1, text: 0.5, audio: 0, popularity: 0.1, novelty: 0 },
          c: { playlistSize: 10, artistCap: 3, knownArtistShare: 0.5, diversity: 0.2, excludeSkipped: true },
        },
        w.keys.curator,
      );
      const spare = await gql(w.api.url, `mutation($u:Int){ createApiKey(name:"spare", role:LISTENER, userId:$u){ id } }`, { u: w.userIds[3] }, w.keys.admin);
      const made = blend.body.data!.createBlendConfig as { id: number; version: number };
      // A second version to be the experiments' candidate (the first may be the one serving).
      const candidate = await gql(
        w.api.url,
        `mutation($w:BlendWeightsInput!,$c:BlendConstraintsInput!){ createBlendConfig(weights:$w, constraints:$c){ version } }`,
        {
          w: { collaborative: 1, text: 0.2, audio: 0, popularity: 0.1, novelty: 0 },
          c: { playlistSize: 10, artistCap: 3, knownArtistShare: 0.5, diversity: 0.2, excludeSkipped: true },
        },
        w.keys.curator,
      );
      const candidateVersion = (candidate.body.data!.createBlendConfig as { version: number }).version;
      // An experiment to read and stop (stopping is idempotent); the walk's createExperiment starts another.
      const experiment = await gql(
        w.api.url,
        `mutation($v:Int!){ createExperiment(input:{ name:"walk", design:AB, candidateVersion:$v }){ databaseId } }`,
        { v: candidateVersion },
        w.keys.curator,
      );
      expect(experiment.body.errors).toBeUndefined();
      const experimentId = (experiment.body.data!.createExperiment as { databaseId: number }).databaseId;
      await gql(w.api.url, `mutation($id:Int!){ stopExperiment(id:$id){ status } }`, { id: experimentId }, w.keys.curator);
      const c: Context = {
        w,
        types,
        cursors,
        blendId: made.id,
        blendVersion: candidateVersion,
        experimentId,
        spareKeyId: (spare.body.data!.createApiKey as { id: number }).id,
      };

      const problems: string[] = [];
      const answered = new Set<string>();
      let requests = 0;
      for (const [kind, rootName] of [
        ["query", schema.queryType.name],
        ["mutation", schema.mutationType.name],
      ] as const) {
        for (const field of types.get(rootName)!.fields!) {
          const text = operationText(c, kind, field);
          for (const variant of variants(c, field, field.name)) {
            for (const role of ROLES) {
              if (STARTS_BACKGROUND_WORK.has(field.name) && role === "admin") continue;
              // The revocable key is the spare one; every key the walk uses stays valid.
              const before = kind === "mutation" ? await tableCounts(w) : null;
              let r: GqlResponse;
              try {
                r = await gql(w.api.url, text, variant.variables, keyOf[role]);
              } catch (error) {
                problems.push(`${field.name} ${variant.label} as ${role}: no JSON answer (${(error as Error).message})`);
                continue;
              }
              requests++;
              const where = `${field.name} ${variant.label.slice(0, 60)} as ${role}`;
              const raw = JSON.stringify(r.body);
              const codes = (r.body.errors ?? []).map((e) => String(e.extensions?.code));
              if (codes.includes("INTERNAL_SERVER_ERROR")) problems.push(`${where}: INTERNAL_SERVER_ERROR`);
              if (/<html|<!doctype|\n\s+at |node_modules|\/work\/|stacktrace/i.test(raw))
                problems.push(`${where}: internals in the answer: ${raw.slice(0, 200)}`);
              const refused = r.body.errors !== undefined && (r.body.data?.[field.name] ?? null) === null;
              if (!refused) answered.add(field.name);
              if (variant.mustRefuse) {
                // A key that may not call the operation is refused first; any other gets the field named.
                const first = r.body.errors?.[0];
                const code = first?.extensions?.code;
                const named = code === "BAD_USER_INPUT" && first?.extensions?.field === variant.mustRefuse.field;
                if (!refused || !(named || code === "UNAUTHENTICATED" || code === "FORBIDDEN")) {
                  problems.push(`${where}: expected BAD_USER_INPUT naming ${variant.mustRefuse.field}, got ${raw.slice(0, 200)}`);
                }
              }
              if (before && refused) {
                const after = await tableCounts(w);
                const changed = TABLES.filter((t) => after[t] !== before[t]);
                if (changed.length) problems.push(`${where}: refused but wrote rows in ${changed.join(", ")}`);
              }
              const own = ownId[role];
              if (own !== undefined && r.body.data) {
                for (const leak of foreignListenerData(r.body.data, own)) problems.push(`${where}: another listener's data: ${leak}`);
              }
            }
          }
        }
      }
      console.log(`${target}: ${requests} requests over ${answered.size} operations answered at least once`);
      expect(problems.slice(0, 40)).toEqual([]);
      // The walk reached the resolvers: every operation was answered for some role and input.
      const operations = [...types.get(schema.queryType.name)!.fields!, ...types.get(schema.mutationType.name)!.fields!].map((f) => f.name);
      // (No job and no crawl site exist in this world, so `job`, `cancelJob` and `removeCrawlSite` can only answer NOT_FOUND / BAD_USER_INPUT.)
      const unanswerable = new Set(["cancelJob", "job", "removeCrawlSite"]);
      expect(operations.filter((name) => !answered.has(name) && !STARTS_BACKGROUND_WORK.has(name) && !unanswerable.has(name))).toEqual([]);
    },
    900_000,
  );
});
