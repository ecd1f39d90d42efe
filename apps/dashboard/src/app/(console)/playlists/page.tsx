import type { Metadata } from "next";
import Link from "next/link";
import { ApiProblem } from "../../../components/api-problem.tsx";
import { MissingOperations } from "../../../components/missing-operations.tsx";
import { Listening } from "../../../components/listening.tsx";
import { ModelLegend, PlaylistItems } from "../../../components/playlist-items.tsx";
import { capabilities, missingOperations } from "../../../lib/capabilities.ts";
import { count, playlistSummary, statusNote } from "../../../lib/format.ts";
import { gql } from "../../../lib/graphql.ts";
import {
  ListenersDocument, ListeningDocument, PlaylistsDocument,
  type ListenersQuery, type ListenersVariables, type ListeningQuery, type ListeningVariables, type PlaylistsQuery, type PlaylistsVariables,
} from "../../../lib/generated/graphql.ts";
import { load } from "../../../lib/load.ts";
import { requireSessionKey } from "../../../lib/session.ts";

export const metadata: Metadata = { title: "Playlists" };

const PLAYLIST_OPERATIONS = ["Query.weeklyPlaylists", "Query.weeklyPlaylist"];
const HISTORY_OPERATIONS = ["Query.listeningHistory", "Query.topArtists"];
const HISTORY_PAGE = 25;

function listenerHref(search: string, user: number, week?: string | null, history?: string | null): string {
  return `/playlists?${new URLSearchParams({ ...(search ? { q: search } : {}), user: String(user), ...(week ? { week } : {}), ...(history ? { history } : {}) })}`;
}

export default async function PlaylistsPage({ searchParams }: { searchParams: Promise<{ q?: string; user?: string; week?: string; history?: string }> }) {
  const key = await requireSessionKey();
  const { q = "", user, week, history: historyCursor } = await searchParams;
  const search = q.trim();
  const userId = user && /^\d+$/.test(user) ? Number(user) : null;
  const weekStart = week && /^\d{4}-\d{2}-\d{2}$/.test(week) ? week : null;
  const result = await load(async () => {
    const [users, caps] = await Promise.all([gql<ListenersQuery>(ListenersDocument, { first: 50, search: search || null } satisfies ListenersVariables, key), capabilities(key)]);
    const missing = missingOperations(caps, PLAYLIST_OPERATIONS);
    const history = missingOperations(caps, HISTORY_OPERATIONS);
    const [playlists, listening] = await Promise.all([
      userId !== null && missing.length === 0 ? gql<PlaylistsQuery>(PlaylistsDocument, { userId, weekStart } satisfies PlaylistsVariables, key) : null,
      userId !== null && history.length === 0 ? gql<ListeningQuery>(ListeningDocument, { userId, first: HISTORY_PAGE, after: historyCursor || null } satisfies ListeningVariables, key) : null,
    ]);
    return { users: users.users, missing, history, playlists, listening };
  });
  if (!result.ok) return <ApiProblem problem={result.problem} />;
  const { users, missing, history, playlists, listening } = result.value;
  const shown = playlists?.weeklyPlaylist ?? null;
  const note = shown ? statusNote(shown.status) : null;
  return (
    <>
      <h1>Playlists</h1>
      <div className="split">
        <section className="panel listeners">
          <form action="/playlists" role="search" className="search">
            <input name="q" type="search" defaultValue={search} placeholder="Listener name" aria-label="Search listeners" />
            <button type="submit">Find</button>
          </form>
          <p className="muted small" data-testid="listener-count">
            {count(users.totalCount)} listeners{search ? ` matching “${search}”` : ""}
            {users.totalCount > users.edges.length ? `, first ${users.edges.length} shown` : ""}
          </p>
          <ul className="pick-list">
            {users.edges.map(({ node }) => (
              <li key={node.id}>
                <Link href={listenerHref(search, node.id)} className={node.id === userId ? "picked" : undefined}>
                  {node.name}
                </Link>
                <span className="muted small"> {node.timeZone}</span>
              </li>
            ))}
          </ul>
        </section>
        <section className="detail">
          {missing.length > 0 ? <MissingOperations feature="Weekly playlists" missing={missing} /> : null}
          {userId === null ? <p className="muted">Pick a listener to see their weekly playlists.</p> : null}
          {playlists ? (
            <>
              <h2 data-testid="picked-listener">{playlists.user.name}</h2>
              <nav className="weeks" aria-label="Weeks">
                {playlists.weeklyPlaylists.edges.map(({ node }, i) => (
                  <Link key={node.id} href={listenerHref(search, playlists.user.id, node.weekStart)} className={shown?.id === node.id ? "week picked" : "week"}>
                    {i === 0 ? "Latest" : "Week of"} {node.weekStart}
                  </Link>
                ))}
              </nav>
              {shown ? (
                <div className="preview" data-testid="weekly-playlist">
                  <p className="muted small">Discover Weekly · week of {shown.weekStart} ({playlists.user.timeZone})</p>
                  <p className="playlist-head">
                    <strong data-testid="playlist-summary">{playlistSummary(shown.items.length, shown.totalDurationMs)}</strong>
                    {note ? <span className="muted"> · {note}</span> : null}
                  </p>
                  <ModelLegend />
                  <PlaylistItems items={shown.items} testId="playlist-items" />
                </div>
              ) : (
                <p className="panel">No playlist for {weekStart ? `the week of ${weekStart}` : "this week"} yet: the weekly generation has not reached this listener.</p>
              )}
            </>
          ) : null}
          {userId !== null && history.length > 0 ? <MissingOperations feature="Listening history and top artists" missing={history} /> : null}
          {userId !== null && listening ? (
            <Listening data={listening} olderHref={(cursor) => listenerHref(search, userId, weekStart, cursor)} newest={!historyCursor} />
          ) : null}
        </section>
      </div>
    </>
  );
}
