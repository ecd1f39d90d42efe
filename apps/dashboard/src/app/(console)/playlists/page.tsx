import type { Metadata } from "next";
import Link from "next/link";
import { ApiProblem } from "../../../components/api-problem.tsx";
import { Listening } from "../../../components/listening.tsx";
import { ModelLegend, PlaylistItems } from "../../../components/playlist-items.tsx";
import { count, percent, playlistSummary, statusNote } from "../../../lib/format.ts";
import { compareWeeks, tasteProfile, type Weighted } from "../../../lib/taste.ts";
import { gql } from "../../../lib/graphql.ts";
import {
  ComparedWeekDocument,
  ListenersDocument,
  ListeningDocument,
  PlaylistsDocument,
  TasteProfileDocument,
  type ComparedWeekQuery,
  type ComparedWeekQueryVariables,
  type ListenersQuery,
  type ListenersQueryVariables,
  type ListeningQuery,
  type ListeningQueryVariables,
  type PlaylistsQuery,
  type PlaylistsQueryVariables,
  type TasteProfileQuery,
  type TasteProfileQueryVariables,
} from "../../../lib/generated/graphql.ts";
import { load } from "../../../lib/load.ts";
import { requireSessionKey } from "../../../lib/session.ts";

export const metadata: Metadata = { title: "Playlists" };

const HISTORY_PAGE = 25;

function listenerHref(search: string, user: number, week?: string | null, history?: string | null, compare?: string | null): string {
  return `/playlists?${new URLSearchParams({ ...(search ? { q: search } : {}), user: String(user), ...(week ? { week } : {}), ...(history ? { history } : {}), ...(compare ? { compare } : {}) })}`;
}

const WEEK = /^\d{4}-\d{2}-\d{2}$/;

/** Genres or terms as labelled bars: share of plays behind each. */
function WeightedBars({ title, rows, testId, relative }: { title: string; rows: Weighted[]; testId: string; relative?: boolean }) {
  return (
    <div data-testid={testId}>
      <h3>{title}</h3>
      {rows.length === 0 ? (
        <p className="muted small">None recorded.</p>
      ) : (
        <ul className="bars">
          {rows.map((r) => (
            <li key={r.label} data-label={r.label} data-share={r.share}>
              <span className="bar-label">{r.label}</span>
              <span className="bar-track">
                <span
                  className="share-bar"
                  style={{ width: `${Math.max(2, 100 * (relative ? r.share : r.share / Math.max(...rows.map((x) => x.share))))}%` }}
                />
              </span>
              <span className="num small muted">{relative ? "" : percent(r.share)}</span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

export default async function PlaylistsPage({
  searchParams,
}: {
  searchParams: Promise<{ q?: string; user?: string; week?: string; history?: string; compare?: string }>;
}) {
  const key = await requireSessionKey();
  const { q = "", user, week, history: historyCursor, compare } = await searchParams;
  const compareWeek = compare && WEEK.test(compare) ? compare : null;
  const search = q.trim();
  const userId = user && /^\d+$/.test(user) ? Number(user) : null;
  const weekStart = week && WEEK.test(week) ? week : null;
  const result = await load(async () => {
    const [users, playlists, listening, taste, compared] = await Promise.all([
      gql<ListenersQuery>(ListenersDocument, { first: 50, search: search || null } satisfies ListenersQueryVariables, key),
      userId !== null ? gql<PlaylistsQuery>(PlaylistsDocument, { userId, weekStart } satisfies PlaylistsQueryVariables, key) : null,
      userId !== null
        ? gql<ListeningQuery>(ListeningDocument, { userId, first: HISTORY_PAGE, after: historyCursor || null } satisfies ListeningQueryVariables, key)
        : null,
      userId !== null ? gql<TasteProfileQuery>(TasteProfileDocument, { userId } satisfies TasteProfileQueryVariables, key) : null,
      userId !== null && compareWeek
        ? gql<ComparedWeekQuery>(ComparedWeekDocument, { userId, weekStart: compareWeek } satisfies ComparedWeekQueryVariables, key)
        : null,
    ]);
    return { users: users.users, playlists, listening, taste, compared: compared?.weeklyPlaylist ?? null };
  });
  if (!result.ok) return <ApiProblem problem={result.problem} />;
  const { users, playlists, listening, taste, compared } = result.value;
  const profile = taste ? tasteProfile(taste) : null;
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
          {userId === null ? <p className="muted">Pick a listener to see their weekly playlists.</p> : null}
          {/* user(id:) is nullable: gql() throws on its NOT_FOUND/FORBIDDEN, so null never gets here. */}
          {playlists?.user ? (
            <>
              <h2 data-testid="picked-listener">{playlists.user.name}</h2>
              <nav className="weeks" aria-label="Weeks">
                {playlists.weeklyPlaylists.edges.map(({ node }, i) => (
                  <Link
                    key={node.id}
                    href={listenerHref(search, playlists.user!.id, node.weekStart, null, compareWeek)}
                    className={shown?.id === node.id ? "week picked" : "week"}
                    aria-current={shown?.id === node.id ? "page" : undefined}
                  >
                    {i === 0 ? "Latest" : "Week of"} {node.weekStart}
                  </Link>
                ))}
              </nav>
              {shown && playlists.weeklyPlaylists.edges.length > 1 ? (
                <nav className="weeks" aria-label="Compare with another week">
                  <span className="muted small">Compare with</span>
                  {playlists.weeklyPlaylists.edges
                    .filter(({ node }) => node.id !== shown.id)
                    .map(({ node }) => (
                      <Link
                        key={node.id}
                        href={listenerHref(search, playlists.user!.id, shown.weekStart, null, node.weekStart)}
                        className={compareWeek === node.weekStart ? "week picked" : "week"}
                        data-compare-week={node.weekStart}
                      >
                        {node.weekStart}
                      </Link>
                    ))}
                  {compareWeek ? (
                    <Link href={listenerHref(search, playlists.user.id, shown.weekStart)} className="small">
                      stop comparing
                    </Link>
                  ) : null}
                </nav>
              ) : null}
              {shown && compareWeek ? <WeekComparison shown={shown} other={compared} otherWeek={compareWeek} /> : null}
              {shown ? (
                <div className="preview" data-testid="weekly-playlist">
                  <p className="muted small">
                    Discover Weekly · week of {shown.weekStart} ({playlists.user.timeZone})
                  </p>
                  <p className="playlist-head">
                    <strong data-testid="playlist-summary">{playlistSummary(shown.items.length, shown.totalDurationMs)}</strong>
                    {note ? <span className="muted"> · {note}</span> : null}
                  </p>
                  <ModelLegend />
                  <PlaylistItems items={shown.items} testId="playlist-items" />
                </div>
              ) : (
                <p className="panel">
                  No playlist for {weekStart ? `the week of ${weekStart}` : "this week"} yet: the weekly generation has not reached this listener.
                </p>
              )}
            </>
          ) : null}
          {profile ? (
            <section className="panel taste" data-testid="taste-profile">
              <h2>Taste profile</h2>
              <p className="muted small">
                From the listener&apos;s 25 most played artists: each genre&apos;s share of their plays, and the terms written about those artists, weighted by
                plays.
              </p>
              <div className="two-columns">
                <WeightedBars title="Genres" rows={profile.genres} testId="taste-genres" />
                <WeightedBars title="Terms" rows={profile.terms} testId="taste-terms" relative />
              </div>
            </section>
          ) : null}
          {userId !== null && listening ? (
            <Listening data={listening} olderHref={(cursor) => listenerHref(search, userId, weekStart, cursor)} newest={!historyCursor} />
          ) : null}
        </section>
      </div>
    </>
  );
}

type ShownPlaylist = Pick<NonNullable<PlaylistsQuery["weeklyPlaylist"]>, "weekStart" | "items">;

/** The shown week beside another: songs kept, new this week, gone since, and artists in common. */
function WeekComparison({ shown, other, otherWeek }: { shown: ShownPlaylist; other: ShownPlaylist | null; otherWeek: string }) {
  if (!other) return <p className="panel">No playlist for the week of {otherWeek}.</p>;
  const diff = compareWeeks(shown.items, other.items);
  const list = (items: ShownPlaylist["items"], testId: string) => (
    <ol className="compact" data-testid={testId}>
      {items.map((i) => (
        <li key={i.track.id}>
          {i.track.title} <span className="muted small">{i.track.artist.name}</span>
        </li>
      ))}
    </ol>
  );
  return (
    <section className="panel week-comparison" data-testid="week-comparison">
      <h3>
        Week of {shown.weekStart} against the week of {other.weekStart}
      </h3>
      <p className="small" data-testid="week-comparison-summary">
        {count(diff.kept.length)} songs in both, {count(diff.onlyShown.length)} only in {shown.weekStart}, {count(diff.onlyOther.length)} only in{" "}
        {other.weekStart}; {count(diff.sharedArtists)} artists in both.
      </p>
      <div className="two-columns">
        <div>
          <h3>Only in {shown.weekStart}</h3>
          {list(diff.onlyShown, "only-shown")}
        </div>
        <div>
          <h3>Only in {other.weekStart}</h3>
          {list(diff.onlyOther, "only-other")}
        </div>
      </div>
    </section>
  );
}
