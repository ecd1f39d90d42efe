import Link from "next/link";
import { count, percent, trackLength } from "../lib/format.ts";
import type { EventKind, ListeningQuery } from "../lib/generated/graphql.ts";

/** What the Playlists page asks about a listener's listening (generated from src/graphql/playlists.graphql). */
export type ListeningData = ListeningQuery;

const KIND_WORDS: Record<EventKind, string> = {
  STREAM: "played",
  SAVE: "saved",
  SKIP: "skipped",
  ARTIST_VISIT: "visited artist",
  DISLIKE: "not for me",
  PLAYLIST_ADD: "added to a playlist",
};

/** "2026-01-05 12:00 UTC": events are shown in UTC, the time the API stores. */
function eventTime(iso: string): string {
  return `${iso.slice(0, 16).replace("T", " ")} UTC`;
}

/** A listener's top artists and recent listening, beside their weekly playlists. */
export function Listening({ data, olderHref, newest }: { data: ListeningData; olderHref: (cursor: string | null) => string; newest: boolean }) {
  const { topArtists: top, listeningHistory: history } = data;
  const widest = Math.max(0, ...top.artists.map((a) => a.share));
  return (
    <div className="listening">
      <section className="panel" data-testid="top-artists">
        <h2>Top artists</h2>
        {top.artists.length === 0 ? (
          <p className="muted">No plays recorded for this listener yet.</p>
        ) : (
          <>
            <p className="muted small" data-testid="top-artists-summary">
              {count(top.totalPlays)} plays of {count(top.totalArtists)} {top.totalArtists === 1 ? "artist" : "artists"}
            </p>
            <table className="table top-artists">
              <thead>
                <tr>
                  <th>Artist</th>
                  <th className="num">Plays</th>
                  <th>Share</th>
                  <th className="num">Tracks</th>
                </tr>
              </thead>
              <tbody>
                {top.artists.map((a) => (
                  <tr key={a.artist.id} data-artist-id={a.artist.id}>
                    <td>
                      <span className="artist-name">{a.artist.name}</span>
                      {a.artist.genre ? <span className="muted small"> {a.artist.genre}</span> : null}
                    </td>
                    <td className="num plays">{count(a.plays)}</td>
                    <td className="share small">
                      <span className="share-bar" style={{ width: `${widest > 0 ? (70 * a.share) / widest : 0}%` }} />
                      {percent(a.share)}
                    </td>
                    <td className="num">{count(a.tracksPlayed)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </>
        )}
      </section>
      <section className="panel" data-testid="listening-history">
        <h2>Listening history</h2>
        <p className="muted small" data-testid="history-count">
          {count(history.totalCount)} {history.totalCount === 1 ? "event" : "events"}, newest first
        </p>
        {history.edges.length === 0 ? (
          <p className="muted">{history.totalCount === 0 ? "Nothing recorded yet." : "No older events."}</p>
        ) : (
          <table className="table">
            <thead>
              <tr>
                <th>When</th>
                <th>What</th>
                <th>Track</th>
                <th className="num">Played</th>
              </tr>
            </thead>
            <tbody>
              {history.edges.map(({ node: e }) => (
                <tr key={e.eventId} data-kind={e.kind}>
                  <td className="small muted when">{eventTime(e.occurredAt)}</td>
                  <td className="small">{KIND_WORDS[e.kind]}</td>
                  <td>
                    {e.track ? <span className="title">{e.track.title}</span> : null}
                    <span className="muted small"> {e.artist?.name ?? ""}</span>
                  </td>
                  <td className="num small">{e.msPlayed !== null ? trackLength(e.msPlayed) : ""}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <nav className="pager small">
          {!newest ? <Link href={olderHref(null)}>Newest</Link> : null}
          {history.pageInfo.hasNextPage ? (
            <Link href={olderHref(history.pageInfo.endCursor)} data-testid="history-older">
              Older events
            </Link>
          ) : null}
        </nav>
      </section>
    </div>
  );
}
