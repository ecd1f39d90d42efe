import type { Metadata } from "next";
import Link from "next/link";
import { ApiProblem } from "../../../components/api-problem.tsx";
import { GraphCanvas } from "../../../components/graph-canvas.tsx";
import { GraphDownloads } from "../../../components/export-downloads.tsx";
import {
  GraphDocument,
  SeedArtistsDocument,
  SeedListenersDocument,
  SeedTracksDocument,
  type GraphQuery,
  type GraphQueryVariables,
  type SeedArtistsQuery,
  type SeedListenersQuery,
  type SeedTracksQuery,
  type SeedTracksQueryVariables,
} from "../../../lib/generated/graphql.ts";
import type { GraphSettings } from "../../../lib/graph.ts";
import { gql, type Operation } from "../../../lib/graphql.ts";
import { load } from "../../../lib/load.ts";
import { requireSessionKey } from "../../../lib/session.ts";
import { SIMILARITY_MODELS, pickModel } from "../../../lib/vectors.ts";

export const metadata: Metadata = { title: "Graph" };

const ENTITIES = ["TRACK", "ARTIST", "USER"] as const;

interface Params {
  entity?: string;
  seed?: string;
  q?: string;
  model?: string;
  k?: string;
  minScore?: string;
}

/** Seed candidates for a search: tracks, artists or listeners by name. */
const SEARCH: Record<(typeof ENTITIES)[number], Operation<SeedTracksQuery | SeedArtistsQuery | SeedListenersQuery>> = {
  TRACK: SeedTracksDocument,
  ARTIST: SeedArtistsDocument,
  USER: SeedListenersDocument,
};

function clampNumber(raw: string | undefined, fallback: number, lo: number, hi: number): number {
  const n = Number(raw);
  return raw !== undefined && raw !== "" && Number.isFinite(n) ? Math.min(hi, Math.max(lo, n)) : fallback;
}

export default async function GraphPage({ searchParams }: { searchParams: Promise<Params> }) {
  const key = await requireSessionKey();
  const params = await searchParams;
  const entity = ENTITIES.find((e) => e === params.entity?.toUpperCase()) ?? "TRACK";
  // Listeners only have collaborative vectors.
  const model = entity === "USER" ? "COLLABORATIVE" : pickModel(params.model, "COLLABORATIVE");
  const settings: GraphSettings = { entity, model, k: Math.round(clampNumber(params.k, 5, 1, 20)), minScore: clampNumber(params.minScore, 0, -1, 1) };
  const seed = params.seed && /^\d+$/.test(params.seed) ? Number(params.seed) : null;
  const search = (params.q ?? "").trim();
  const result = await load(async () => {
    const [candidates, graph] = await Promise.all([
      gql<SeedTracksQuery | SeedArtistsQuery | SeedListenersQuery>(SEARCH[entity], { q: search || null } satisfies SeedTracksQueryVariables, key),
      seed !== null ? gql<GraphQuery>(GraphDocument, { ...settings, seeds: [seed], depth: 1 } satisfies GraphQueryVariables, key) : null,
    ]);
    return { candidates: candidates.list.edges.map((e) => e.node), graph: graph?.similarityGraph ?? null };
  });
  if (!result.ok) {
    return (
      <>
        <h1>Graph</h1>
        <ApiProblem problem={result.problem} />
      </>
    );
  }
  const { candidates, graph } = result.value;
  const seedHref = (id: number) =>
    `/graph?${new URLSearchParams({ entity, model, k: String(settings.k), minScore: String(settings.minScore), seed: String(id) })}`;
  return (
    <>
      <h1>Graph</h1>
      <form action="/graph" className="toolbar graph-form">
        <label>
          Around a{" "}
          <select name="entity" defaultValue={entity} aria-label="Kind of node">
            {ENTITIES.map((e) => (
              <option key={e} value={e}>
                {e === "USER" ? "listener" : e.toLowerCase()}
              </option>
            ))}
          </select>
        </label>
        <label>
          model{" "}
          <select name="model" defaultValue={model} aria-label="Model">
            {SIMILARITY_MODELS.map((m) => (
              <option key={m} value={m}>
                {m.toLowerCase()}
              </option>
            ))}
          </select>
        </label>
        <label>
          k <input name="k" type="number" min={1} max={20} defaultValue={settings.k} className="narrow" aria-label="Neighbours per node (k)" />
        </label>
        <label>
          min score{" "}
          <input name="minScore" type="number" min={-1} max={1} step={0.05} defaultValue={settings.minScore} className="narrow" aria-label="Minimum score" />
        </label>
        {seed !== null ? <input type="hidden" name="seed" value={seed} /> : null}
        <input name="q" type="search" defaultValue={search} placeholder="Find a seed by name" aria-label="Find a seed by name" />
        <button type="submit">Apply</button>
      </form>
      <GraphDownloads entity={entity} model={model} k={settings.k} minScore={settings.minScore} />
      <p className="small seeds" data-testid="seed-candidates">
        <span className="muted">Start from: </span>
        {candidates.map((c, i) => (
          <span key={c.id}>
            {i > 0 ? " · " : ""}
            <Link href={seedHref(c.id)}>{c.label}</Link>
          </span>
        ))}
      </p>
      {graph && seed !== null ? (
        <GraphCanvas key={`${entity}-${model}-${settings.k}-${settings.minScore}-${seed}`} initial={graph} settings={settings} seed={seed} />
      ) : (
        <p className="muted">Pick a seed above to draw its neighbourhood.</p>
      )}
    </>
  );
}
