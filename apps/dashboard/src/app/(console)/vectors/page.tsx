import type { Metadata } from "next";
import Link from "next/link";
import { count, percent } from "../../../lib/format.ts";
import { Suspense } from "react";
import { ApiProblem } from "../../../components/api-problem.tsx";
import { VectorDownloads } from "../../../components/export-downloads.tsx";
import { ProjectionMap, type ProjectedPoint } from "../../../components/projection-map.tsx";
import { TrackDetail } from "../../../components/track-detail.tsx";
import { gql } from "../../../lib/graphql.ts";
import { load } from "../../../lib/load.ts";
import { requireSessionKey } from "../../../lib/session.ts";
import { COLOUR_BY, COLOUR_BY_LABEL, PROJECTION_QUERY, pickColourBy, type ColourBy } from "../../../lib/map-colours.ts";
import { PROJECTION_METHODS, SIMILARITY_MODELS, pickModel, type ProjectionMethod, type SimilarityModel } from "../../../lib/vectors.ts";

export const metadata: Metadata = { title: "Vectors" };

interface Params {
  model?: string;
  method?: string;
  q?: string;
  track?: string;
  colour?: string;
}

/** The map streams in on its own: the projection is the slowest call on this page. */
async function ProjectionSection({
  apiKey,
  model,
  method,
  colourBy,
  search,
  trackId,
  trackHref,
}: {
  apiKey: string;
  model: SimilarityModel;
  method: ProjectionMethod;
  colourBy: ColourBy;
  search: string;
  trackId: number | null;
  trackHref: string;
}) {
  const projection = await load(() =>
    gql<{ vectorProjection: { versionId: number; explainedVariance: number[] | null; points: ProjectedPoint[] } }>(
      PROJECTION_QUERY,
      { model, method, sample: method === "UMAP" ? 400 : 1000 },
      apiKey,
    ),
  );
  if (!projection.ok) return <ApiProblem problem={projection.problem} />;
  const { points, versionId, explainedVariance } = projection.value.vectorProjection;
  return (
    <>
      <p className="muted small">
        {count(points.length)} tracks, model version {versionId}, coloured by {COLOUR_BY_LABEL[colourBy]}
        {explainedVariance ? `; axes explain ${explainedVariance.map((v) => percent(v)).join(" and ")} of the variance` : ""}.
      </p>
      <ProjectionMap
        points={points}
        colourBy={colourBy}
        search={search}
        selected={trackId}
        trackHref={trackHref}
        fileStem={`deepcuts-${model.toLowerCase()}-${method.toLowerCase()}-v${versionId}`}
      />
    </>
  );
}

export default async function VectorsPage({ searchParams }: { searchParams: Promise<Params> }) {
  const key = await requireSessionKey();
  const params = await searchParams;
  const model = pickModel(params.model, "COLLABORATIVE");
  const method: ProjectionMethod = PROJECTION_METHODS.find((m) => m === params.method?.toUpperCase()) ?? "PCA";
  const search = (params.q ?? "").trim();
  const trackId = params.track && /^\d+$/.test(params.track) ? Number(params.track) : null;
  const colourBy = pickColourBy(params.colour);
  const href = (over: Partial<Record<keyof Params, string | null>>) => {
    const merged: Record<string, string> = {
      model,
      method,
      colour: colourBy,
      ...(search ? { q: search } : {}),
      ...(trackId ? { track: String(trackId) } : {}),
    };
    for (const [k, v] of Object.entries(over))
      if (v === null) delete merged[k];
      else if (v !== undefined) merged[k] = v;
    return `/vectors?${new URLSearchParams(merged)}`;
  };
  return (
    <>
      <h1>Vectors</h1>
      <nav className="toolbar" aria-label="Projection settings">
        <span className="muted small">Model</span>
        {SIMILARITY_MODELS.map((m) => (
          <Link key={m} href={href({ model: m })} className={m === model ? "week picked" : "week"} aria-current={m === model ? "true" : undefined}>
            {m.toLowerCase()}
          </Link>
        ))}
        <span className="muted small">Method</span>
        {PROJECTION_METHODS.map((m) => (
          <Link key={m} href={href({ method: m })} className={m === method ? "week picked" : "week"}>
            {m}
          </Link>
        ))}
        <span className="muted small">Colour by</span>
        {COLOUR_BY.map((c) => (
          <Link key={c} href={href({ colour: c })} className={c === colourBy ? "week picked" : "week"} data-colour-option={c}>
            {COLOUR_BY_LABEL[c]}
          </Link>
        ))}
      </nav>
      <VectorDownloads model={model} />
      <Suspense fallback={<div className="skeleton map-skeleton" aria-busy="true" />}>
        <ProjectionSection
          apiKey={key}
          model={model}
          method={method}
          colourBy={colourBy}
          search={search}
          trackId={trackId}
          trackHref={`${href({ track: null })}&track=`}
        />
      </Suspense>
      {trackId !== null ? (
        <Suspense fallback={<div className="skeleton skeleton-block" aria-busy="true" />}>
          <TrackDetail trackId={trackId} apiKey={key} hrefFor={(id) => href({ track: String(id) })} />
        </Suspense>
      ) : (
        <p className="muted">
          Click a point (or focus the map, move with the arrow keys and press Enter), or a track in the Catalogue, to see its neighbours under each model.
        </p>
      )}
    </>
  );
}
