"use client";

import { playlistSummary, statusNote } from "../lib/format.ts";
import type { PreviewQuery } from "../lib/generated/graphql.ts";
import { ModelLegend, PlaylistItems } from "./playlist-items.tsx";

/** A preview as the API answers it (generated from src/graphql/blend.graphql). */
export type PreviewResult = PreviewQuery["previewPlaylist"];

/** The previewed playlist; with `activeTrackIds`, marks what differs from the active blend. */
export function PlaylistPreview({
  current,
  activeTrackIds,
}: {
  current: { result: PreviewResult | null; error: string | null; loading: boolean };
  activeTrackIds: Set<number> | null;
}) {
  if (current.error)
    return (
      <p className="panel problem" role="alert">
        {current.error}
      </p>
    );
  if (!current.result) return <div className="skeleton skeleton-block" aria-busy="true" />;
  const { items, status } = current.result;
  const added = activeTrackIds ? items.filter((i) => !activeTrackIds.has(i.track.id)).length : 0;
  const kept = items.length - added;
  const dropped = activeTrackIds ? activeTrackIds.size - kept : 0;
  const note = statusNote(status);
  return (
    <div
      className={current.loading ? "preview stale" : "preview"}
      data-testid="preview"
      data-tracks={items.map((i) => i.track.id).join(",")}
      aria-busy={current.loading}
    >
      <p className="playlist-head">
        <strong>
          {playlistSummary(
            items.length,
            items.reduce((s, i) => s + i.track.durationMs, 0),
          )}
        </strong>
        {note ? <span className="muted"> · {note}</span> : null}
      </p>
      <p className="muted small" data-testid="preview-diff">
        {activeTrackIds
          ? `Against the active configuration: ${added} new, ${dropped} dropped, ${kept} kept.`
          : "These are the active configuration's settings."}
      </p>
      <ModelLegend />
      <PlaylistItems items={items} baseline={activeTrackIds} testId="preview-items" />
    </div>
  );
}
