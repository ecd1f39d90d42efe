import { MODEL_COLOURS, WEIGHT_NAMES } from "../lib/blend.ts";
import { trackLength } from "../lib/format.ts";
import type { PlaylistSongFragment, PreviewSongFragment } from "../lib/generated/graphql.ts";

/** One song of a stored or previewed playlist, with each model's share of its score (the two fragments ask the same fields). */
export type PlaylistSong = PlaylistSongFragment | PreviewSongFragment;

/** Each model's share of the item's score, as one small stacked bar. */
function ContributionBar({ scores }: { scores: PlaylistSong["scores"] }) {
  const parts = WEIGHT_NAMES.map((n) => ({ n, v: Math.abs(scores[n] ?? 0) })).filter((p) => p.v > 0);
  const total = parts.reduce((s, p) => s + p.v, 0);
  const title = WEIGHT_NAMES.filter((n) => scores[n] !== null).map((n) => `${n} ${scores[n]!.toFixed(3)}`).join(", ");
  return (
    <div className="contrib" title={title || "no model contributed"} aria-label={title || "no model contributed"}>
      {parts.map((p) => (
        <span key={p.n} style={{ width: `${(100 * p.v) / total}%`, background: MODEL_COLOURS[p.n] }} />
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
            <ContributionBar scores={item.scores} />
            <span className="num muted small">{trackLength(item.track.durationMs)}</span>
          </li>
        );
      })}
    </ol>
  );
}
