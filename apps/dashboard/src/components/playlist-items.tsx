import { MODEL_COLOURS, WEIGHT_NAMES } from "../lib/blend.ts";
import { metric, trackLength } from "../lib/format.ts";
import type { PlaylistSongFragment, PreviewSongFragment } from "../lib/generated/graphql.ts";

/** One song of a stored or previewed playlist, with each model's share of its score (the two fragments ask the same fields). */
export type PlaylistSong = PlaylistSongFragment | PreviewSongFragment;

/**
 * Why a song is here: one small bar per model, as long as that model's normalised contribution to
 * the score (the largest possible contribution fills the bar). Models not used show no bar.
 */
function ContributionBars({ scores }: { scores: PlaylistSong["scores"] }) {
  const used = WEIGHT_NAMES.filter((n) => scores[n] !== null && scores[n] !== undefined);
  const label = used.length ? used.map((n) => `${n} ${metric(scores[n]!)}`).join(", ") : "no model contributed";
  const widest = Math.max(1e-9, ...used.map((n) => Math.abs(scores[n]!)));
  return (
    <div className="contrib" role="img" aria-label={`Contributions: ${label}`} title={label}>
      {WEIGHT_NAMES.map((n) => (
        <span key={n} className="contrib-row" data-model={n} data-score={scores[n] ?? undefined}>
          <span className="contrib-bar" style={{ width: `${scores[n] ? (100 * Math.abs(scores[n])) / widest : 0}%`, background: MODEL_COLOURS[n] }} />
        </span>
      ))}
    </div>
  );
}

export function ModelLegend() {
  return (
    <div className="legend small">
      {WEIGHT_NAMES.map((n) => (
        <span key={n}>
          <span className="swatch" style={{ background: MODEL_COLOURS[n] }} /> {n}
        </span>
      ))}
    </div>
  );
}

/** Songs in order; those not in `baseline` (when given) are marked new. */
export function PlaylistItems({ items, baseline, testId }: { items: PlaylistSong[]; baseline?: Set<number> | null; testId?: string }) {
  return (
    <ol className="playlist" data-testid={testId}>
      {items.map((item) => {
        const isNew = baseline ? !baseline.has(item.track.id) : false;
        return (
          <li key={item.track.id} className={isNew ? "new" : undefined}>
            <span className="pos">{item.position + 1}</span>
            <span className="song">
              <span className="title">{item.track.title}</span>
              {isNew ? <span className="new-badge">new</span> : null}
              <span className="muted small"> {item.track.artist.name}</span>
              <span className="reason small">{item.reason}</span>
            </span>
            <ContributionBars scores={item.scores} />
            <span className="num muted small">{trackLength(item.track.durationMs)}</span>
          </li>
        );
      })}
    </ol>
  );
}
