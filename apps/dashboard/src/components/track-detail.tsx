import Link from "next/link";
import {
  NeighboursDocument,
  TrackDocument,
  type NeighboursQuery,
  type NeighboursQueryVariables,
  type TrackQuery,
  type TrackQueryVariables,
} from "../lib/generated/graphql.ts";
import { gql } from "../lib/graphql.ts";
import { load, type Loaded } from "../lib/load.ts";
import { SIMILARITY_MODELS, type SimilarityModel } from "../lib/vectors.ts";
import { ApiProblem } from "./api-problem.tsx";

/** The models a track neighbour is scored under (CO_MENTION is artists only), with their column labels. */
const SCORE_COLUMNS = [
  ["collaborative", "collab"],
  ["text", "text"],
  ["audio", "audio"],
] as const;

/** A neighbour's cosine under each model, in fixed columns so lists side by side compare; "–" where a model has no vector for the pair. */
function ModelScores({ scores }: { scores: NeighboursQuery["similarTracks"][number]["scores"] }) {
  return (
    <span className="model-scores" data-testid="model-scores">
      {SCORE_COLUMNS.map(([key, label]) => (
        <span key={key} data-model={key} title={`Cosine under the ${key} model`}>
          {label} <span className="num">{scores[key]?.toFixed(3) ?? "–"}</span>
        </span>
      ))}
    </span>
  );
}

function NeighbourList({ model, result, hrefFor }: { model: SimilarityModel; result: Loaded<NeighboursQuery>; hrefFor: (id: number) => string }) {
  return (
    <section className="neighbours" data-testid={`neighbours-${model}`}>
      <h3>{model.toLowerCase()}</h3>
      {!result.ok ? (
        result.problem.code === "MODEL_NOT_READY" ? (
          <p className="muted small" data-testid="model-not-ready">
            Not trained yet: {result.problem.message}.
          </p>
        ) : (
          <ApiProblem problem={result.problem} />
        )
      ) : result.value.similarTracks.length === 0 ? (
        <p className="muted small">No neighbours.</p>
      ) : (
        <ol>
          {result.value.similarTracks.map((n) => (
            <li key={n.track.id}>
              <Link href={hrefFor(n.track.id)}>{n.track.title}</Link> <span className="muted small">{n.track.artist.name}</span>{" "}
              <span className="num small">{n.score.toFixed(3)}</span>
              <ModelScores scores={n.scores} />
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

/**
 * A track's audio features, top terms, and its nearest neighbours under every model side by
 * side, each neighbour also scored under the other models so a curator can compare them.
 */
export async function TrackDetail({ trackId, apiKey, hrefFor }: { trackId: number; apiKey: string; hrefFor: (id: number) => string }) {
  const [track, ...neighbours] = await Promise.all([
    load(() => gql<TrackQuery>(TrackDocument, { id: trackId } satisfies TrackQueryVariables, apiKey)),
    ...SIMILARITY_MODELS.map((model) =>
      load(() => gql<NeighboursQuery>(NeighboursDocument, { id: trackId, model } satisfies NeighboursQueryVariables, apiKey)),
    ),
  ]);
  if (!track.ok) return <ApiProblem problem={track.problem} />;
  const t = track.value.track;
  // track(id:) is nullable; gql() throws on its NOT_FOUND, so this is a guard, not a path.
  if (!t) return <p className="muted">Track {trackId} was not found.</p>;
  const f = t.audioFeatures;
  return (
    <section className="panel" data-testid="track-detail">
      <h2>
        {t.title} <span className="muted">· {t.artist.name}</span>
      </h2>
      <div className="track-facts">
        <div>
          <h3>Audio features</h3>
          {f && f.status === "OK" ? (
            <p className="small" data-testid="audio-features">
              {f.tempo !== null ? `${f.tempo.toFixed(1)} BPM` : "tempo unknown"} · {f.key ? `${f.key} ${f.mode ?? ""}` : "key unknown"}
              {f.loudness !== null ? ` · ${f.loudness.toFixed(1)} LUFS` : ""}
              {f.energy !== null ? ` · energy ${f.energy.toFixed(2)}` : ""}
              {f.danceability !== null ? ` · danceability ${f.danceability.toFixed(2)}` : ""}
            </p>
          ) : (
            <p className="muted small">{f ? `Analysis ${f.status.toLowerCase()}.` : "Not analysed yet (deepcuts analyse)."}</p>
          )}
        </div>
        <div>
          <h3>Top terms</h3>
          {t.topTerms.length ? (
            <p className="small">
              {t.topTerms.map((term) => term.term).join(", ")}
              {t.topTerms[0].inherited ? <span className="muted"> (the artist's: no text about this track)</span> : null}
            </p>
          ) : (
            <p className="muted small">None: the text model is not trained, or nothing is written about this track or its artist.</p>
          )}
        </div>
      </div>
      <div className="neighbour-grid">
        {SIMILARITY_MODELS.map((model, i) => (
          <NeighbourList key={model} model={model} result={neighbours[i]} hrefFor={hrefFor} />
        ))}
      </div>
    </section>
  );
}
