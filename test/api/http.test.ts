import { request } from "node:http";
import { connect } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiKey } from "@deepcuts/engine/keys.ts";
import { httpConfig } from "../../apps/api/src/config.ts";
import { startApi, type RunningApi } from "../../apps/api/src/server.ts";
import { createTestDatabase, type TestDatabase } from "../support/databases.ts";

/**
 * Requests that never reach GraphQL (bad JSON, oversized bodies, other charsets and content
 * types, other paths and methods) answer in the GraphQL error format with a code, in every
 * mode; and what the API exposes (CORS, introspection, suggestions) follows its settings.
 */

interface Raw {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

/** Sends bytes as they are (fetch would fix up a wrong Content-Length or charset). */
function raw(
  url: string,
  options: { method?: string; path?: string; headers?: Record<string, string>; body?: Buffer | string; chunked?: boolean },
): Promise<Raw> {
  const target = new URL(options.path ?? "/", url);
  return new Promise((resolve, reject) => {
    let answered = false;
    const req = request(target, { method: options.method ?? "POST", headers: options.headers ?? {} }, (res) => {
      answered = true;
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString("utf8") }));
      res.on("error", reject);
    });
    // A server that answers before reading the whole body may close while we still send: the answer counts.
    req.on("error", (error) => {
      if (!answered) reject(error);
    });
    const body = options.body === undefined ? undefined : Buffer.isBuffer(options.body) ? options.body : Buffer.from(options.body);
    if (body && options.chunked) {
      // Streamed in pieces without a Content-Length: the limit must hold while reading.
      let sent = 0;
      const pump = () => {
        while (sent < body.length) {
          const piece = body.subarray(sent, sent + 256 * 1024);
          sent += piece.length;
          if (!req.write(piece)) return void req.once("drain", pump);
        }
        req.end();
      };
      pump();
    } else {
      req.end(body);
    }
  });
}

/** The answer is JSON in the GraphQL error format with `code`, and carries no internals. */
function expectGraphQLError(r: Raw, status: number, code: string): void {
  expect(r.status).toBe(status);
  expect(String(r.headers["content-type"])).toMatch(/^application\/(graphql-response\+)?json/);
  expect(r.text).not.toMatch(/<html|<!DOCTYPE|\bat [\w.<>]+ \(|node_modules|\/work\/|\/home\/|stacktrace/i);
  const body = JSON.parse(r.text) as { errors?: { message: string; extensions?: { code?: string } }[] };
  expect(body.errors?.[0]?.extensions?.code, r.text).toBe(code);
  expect(body.errors?.[0]?.message.length).toBeGreaterThan(0);
}

const JSON_HEADERS = { "content-type": "application/json" };
const HEALTH = JSON.stringify({ query: "{ health { ok } }" });

let t: TestDatabase;
const keys = { listener: "", curator: "" };
const apis: Record<string, RunningApi> = {};

beforeAll(async () => {
  t = await createTestDatabase("embedded");
  const [user] = await t.db.query<{ id: number }>(`INSERT INTO users (external_key, name) VALUES ('http-u', 'HTTP Listener') RETURNING id`);
  keys.listener = (await createApiKey(t.db, { name: "http listener", role: "LISTENER", userId: user.id })).key;
  keys.curator = (await createApiKey(t.db, { name: "http curator", role: "CURATOR" })).key;
  // The modes as the environment sets them: defaults (production) and DEEPCUTS_ENV=development.
  apis.production = await startApi(t.db, 0, { http: httpConfig({}) });
  apis.development = await startApi(t.db, 0, { http: httpConfig({ DEEPCUTS_ENV: "development" }) });
  apis.small = await startApi(t.db, 0, { http: httpConfig({ DEEPCUTS_MAX_BODY_BYTES: "2048", DEEPCUTS_CORS_ORIGINS: "https://dash.example.org" }) });
});

afterAll(async () => {
  for (const api of Object.values(apis)) await api.stop();
  await t?.drop();
});

describe.each(["production", "development"])("malformed requests in %s mode", (mode) => {
  const url = () => apis[mode].url;

  it("bad JSON, an empty body, invalid UTF-8 and a JSON array are 400 with a code", async () => {
    expectGraphQLError(await raw(url(), { headers: JSON_HEADERS, body: '{"query": "{ health { ok } }"' }), 400, "BAD_REQUEST");
    expectGraphQLError(await raw(url(), { headers: JSON_HEADERS, body: "" }), 400, "BAD_REQUEST");
    expectGraphQLError(await raw(url(), { headers: JSON_HEADERS, body: Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]) }), 400, "BAD_REQUEST");
    expectGraphQLError(await raw(url(), { headers: JSON_HEADERS, body: "[1, 2]" }), 400, "BAD_REQUEST");
    expectGraphQLError(await raw(url(), { headers: JSON_HEADERS, body: '{"variables": {}}' }), 400, "BAD_REQUEST");
  });

  it("a body over the default 1 MiB limit is 413, whether it declares its length or streams it", async () => {
    expect(httpConfig({}).maxBodyBytes).toBe(1024 * 1024);
    const big = Buffer.from(JSON.stringify({ query: "{ health { ok } }", variables: { pad: "x".repeat(60 * 1024 * 1024) } }));
    expectGraphQLError(await raw(url(), { headers: { ...JSON_HEADERS, "content-length": String(big.length) }, body: big }), 413, "PAYLOAD_TOO_LARGE");
    expectGraphQLError(await raw(url(), { headers: JSON_HEADERS, body: big.subarray(0, 3 * 1024 * 1024), chunked: true }), 413, "PAYLOAD_TOO_LARGE");
    // The server is still fine afterwards.
    const ok = await raw(url(), { headers: JSON_HEADERS, body: HEALTH });
    expect(JSON.parse(ok.text)).toEqual({ data: { health: { ok: true } } });
  });

  it("another charset or content type is 415 with a code", async () => {
    for (const charset of ["latin1", "utf-16", "iso-8859-1", "bogus"]) {
      expectGraphQLError(
        await raw(url(), { headers: { "content-type": `application/json; charset=${charset}` }, body: HEALTH }),
        415,
        "UNSUPPORTED_MEDIA_TYPE",
      );
    }
    for (const type of ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/xml"]) {
      expectGraphQLError(await raw(url(), { headers: { "content-type": type }, body: HEALTH }), 415, "UNSUPPORTED_MEDIA_TYPE");
    }
    expectGraphQLError(await raw(url(), { headers: {}, body: HEALTH }), 415, "UNSUPPORTED_MEDIA_TYPE");
    // UTF-8 spelled either way is fine.
    const ok = await raw(url(), { headers: { "content-type": "application/json; charset=UTF-8" }, body: HEALTH });
    expect(ok.status).toBe(200);
  });

  it("other paths and methods, a bad key and a GET without a query answer JSON with a code", async () => {
    expectGraphQLError(await raw(url(), { method: "GET", path: "/graphql/../../etc/passwd" }), 404, "NOT_FOUND");
    expectGraphQLError(await raw(url(), { method: "PUT", headers: JSON_HEADERS, body: HEALTH }), 405, "METHOD_NOT_ALLOWED");
    expectGraphQLError(await raw(url(), { method: "DELETE" }), 405, "METHOD_NOT_ALLOWED");
    expectGraphQLError(await raw(url(), { headers: { ...JSON_HEADERS, authorization: "Bearer dc_nope" }, body: HEALTH }), 401, "UNAUTHENTICATED");
    expectGraphQLError(await raw(url(), { headers: { ...JSON_HEADERS, authorization: `Bearer ${"k".repeat(5000)}` }, body: HEALTH }), 401, "UNAUTHENTICATED");
    expectGraphQLError(
      await raw(url(), { headers: { ...JSON_HEADERS, authorization: `Bearer ${"k".repeat(100_000)}` }, body: HEALTH }),
      431,
      "REQUEST_HEADER_FIELDS_TOO_LARGE",
    );
    // Not HTTP at all: Node's parser refuses it, and the answer is still our JSON.
    const garbled = await new Promise<string>((resolve) => {
      const socket = connect(Number(new URL(url()).port), "127.0.0.1", () => socket.write("NOT HTTP AT ALL\r\n\r\n"));
      let text = "";
      socket.on("data", (c: Buffer) => (text += c.toString()));
      socket.on("close", () => resolve(text));
      socket.on("error", () => resolve(text));
    });
    expect(garbled).toMatch(/^HTTP\/1\.1 400/);
    expect(JSON.parse(garbled.slice(garbled.indexOf("\r\n\r\n") + 4)).errors[0].extensions.code).toBe("BAD_REQUEST");
    const get = await raw(url(), { method: "GET", headers: { "apollo-require-preflight": "1" } });
    expect(get.status).toBe(400);
    expect(get.text).not.toMatch(/<html/i);
    expect(JSON.parse(get.text).errors[0].extensions.code).toBe("BAD_REQUEST");
  });

  it("GET /ready answers JSON", async () => {
    const r = await raw(url(), { method: "GET", path: "/ready" });
    expect(r.status).toBe(200);
    expect(JSON.parse(r.text)).toMatchObject({ ready: true, database: "embedded" });
  });
});

describe("the body limit and CORS origins are configurable", () => {
  it("DEEPCUTS_MAX_BODY_BYTES=2048 accepts 1 KB and refuses 4 KB", async () => {
    const small = JSON.stringify({ query: "{ health { ok } }", variables: { pad: "x".repeat(1000) } });
    expect((await raw(apis.small.url, { headers: JSON_HEADERS, body: small })).status).toBe(200);
    const large = JSON.stringify({ query: "{ health { ok } }", variables: { pad: "x".repeat(4000) } });
    expectGraphQLError(await raw(apis.small.url, { headers: JSON_HEADERS, body: large }), 413, "PAYLOAD_TOO_LARGE");
  });

  it("answers CORS only for the configured origins: the dashboard's by default, any in development", async () => {
    const preflight = (url: string, origin: string) => raw(url, { method: "OPTIONS", headers: { origin, "access-control-request-method": "POST" } });
    expect((await preflight(apis.production.url, "https://evil.example")).headers["access-control-allow-origin"]).toBeUndefined();
    expect((await preflight(apis.production.url, "http://127.0.0.1:3000")).headers["access-control-allow-origin"]).toBe("http://127.0.0.1:3000");
    expect((await preflight(apis.development.url, "https://evil.example")).headers["access-control-allow-origin"]).toBe("*");
    expect((await preflight(apis.small.url, "http://127.0.0.1:3000")).headers["access-control-allow-origin"]).toBeUndefined();
    expect((await preflight(apis.small.url, "https://dash.example.org")).headers["access-control-allow-origin"]).toBe("https://dash.example.org");
    const post = await raw(apis.production.url, { headers: { ...JSON_HEADERS, origin: "https://evil.example" }, body: HEALTH });
    expect(post.headers["access-control-allow-origin"]).toBeUndefined();
  });

  it("refuses settings it cannot honour", () => {
    expect(() => httpConfig({ DEEPCUTS_MAX_BODY_BYTES: "lots" })).toThrow(/DEEPCUTS_MAX_BODY_BYTES must be an integer/);
    expect(() => httpConfig({ DEEPCUTS_CORS_ORIGINS: "https://a.example/path" })).toThrow(/bare origins/);
    expect(() => httpConfig({ DEEPCUTS_INTROSPECTION: "sometimes" })).toThrow(/DEEPCUTS_INTROSPECTION must be one of/);
    expect(() => httpConfig({ DEEPCUTS_ENV: "staging" })).toThrow(/DEEPCUTS_ENV must be production or development/);
    expect(httpConfig({ DEEPCUTS_STATEMENT_TIMEOUT_MS: "0" }).statementTimeoutMs).toBe(0);
  });
});

describe("introspection and field suggestions", () => {
  const ask = async (url: string, query: string, key?: string) =>
    JSON.parse(
      (await raw(url, { headers: { ...JSON_HEADERS, ...(key ? { authorization: `Bearer ${key}` } : {}) }, body: JSON.stringify({ query }) })).text,
    ) as {
      data?: unknown;
      errors?: { message: string; extensions: { code: string } }[];
    };
  const INTROSPECT = "{ __schema { queryType { name } } }";
  const TYPO = "{ helth { ok } }";

  it("production: introspection for curator and admin keys only; suggestions for any key", async () => {
    for (const key of [undefined, keys.listener]) {
      const r = await ask(apis.production.url, INTROSPECT, key);
      expect(r.errors?.[0].extensions.code).toBe("GRAPHQL_VALIDATION_FAILED");
      expect(r.data ?? null).toBeNull();
      expect((await ask(apis.production.url, `{ __type(name: "Query") { name } }`, key)).errors?.[0].extensions.code).toBe("GRAPHQL_VALIDATION_FAILED");
    }
    expect((await ask(apis.production.url, INTROSPECT, keys.curator)).data).toEqual({ __schema: { queryType: { name: "Query" } } });
    expect((await ask(apis.production.url, "{ __typename }")).data).toEqual({ __typename: "Query" });
    const anonymous = await ask(apis.production.url, TYPO);
    expect(anonymous.errors?.[0].extensions.code).toBe("GRAPHQL_VALIDATION_FAILED");
    expect(anonymous.errors?.[0].message).not.toMatch(/did you mean|health/i);
    const enumTypo = await ask(apis.production.url, "{ similarTracks(trackId: 1, model: BLND) { score } }");
    expect(enumTypo.errors?.[0].message).not.toMatch(/did you mean|BLEND/i);
    expect((await ask(apis.production.url, TYPO, keys.listener)).errors?.[0].message).toMatch(/Did you mean "health"\?/);
  });

  it("development: the openness of local tinkering", async () => {
    expect((await ask(apis.development.url, INTROSPECT)).data).toEqual({ __schema: { queryType: { name: "Query" } } });
    expect((await ask(apis.development.url, TYPO)).errors?.[0].message).toMatch(/Did you mean "health"\?/);
  });
});
