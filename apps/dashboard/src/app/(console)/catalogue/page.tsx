import type { Metadata } from "next";
import Link from "next/link";
import { ApiProblem } from "../../../components/api-problem.tsx";
import { count, trackLength } from "../../../lib/format.ts";
import { TracksDocument, type TracksQuery, type TracksQueryVariables } from "../../../lib/generated/graphql.ts";
import { gql } from "../../../lib/graphql.ts";
import { load } from "../../../lib/load.ts";
import { requireSessionKey } from "../../../lib/session.ts";

export const metadata: Metadata = { title: "Catalogue" };

const PAGE_SIZE = 25;

function href(q: string, after: string | null): string {
  const params = new URLSearchParams();
  if (q) params.set("q", q);
  if (after) params.set("after", after);
  const s = params.toString();
  return s ? `/catalogue?${s}` : "/catalogue";
}

export default async function CataloguePage({ searchParams }: { searchParams: Promise<{ q?: string; after?: string }> }) {
  const key = await requireSessionKey();
  const { q = "", after } = await searchParams;
  const search = q.trim();
  const result = await load(() =>
    gql<TracksQuery>(TracksDocument, { first: PAGE_SIZE, after: after ?? null, search: search || null } satisfies TracksQueryVariables, key),
  );
  return (
    <>
      <h1>Catalogue</h1>
      <form className="search" action="/catalogue" role="search">
        <input name="q" type="search" defaultValue={search} placeholder="Title or artist" aria-label="Search tracks by title or artist" />
        <button type="submit">Search</button>
      </form>
      {!result.ok ? (
        <ApiProblem problem={result.problem} />
      ) : (
        <>
          <p className="muted" data-testid="track-count">
            {count(result.value.tracks.totalCount)} {result.value.tracks.totalCount === 1 ? "track" : "tracks"}
            {search ? ` matching “${search}”` : " in the catalogue"}
          </p>
          {result.value.tracks.edges.length === 0 ? (
            <p className="panel">No track matches. Try part of a title or an artist&apos;s name.</p>
          ) : (
            <table className="table" data-testid="tracks">
              <thead>
                <tr>
                  <th>Title</th>
                  <th>Artist</th>
                  <th>Genre</th>
                  <th className="num">Length</th>
                  <th>Released</th>
                </tr>
              </thead>
              <tbody>
                {result.value.tracks.edges.map(({ node }) => (
                  <tr key={node.id}>
                    <td>
                      <Link href={`/vectors?track=${node.id}`}>{node.title}</Link>
                    </td>
                    <td>{node.artist.name}</td>
                    <td>{node.genre ?? node.artist.genre ?? "–"}</td>
                    <td className="num">{trackLength(node.durationMs)}</td>
                    <td>{node.releaseDate ?? "–"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <nav className="pager" aria-label="Pages">
            {after ? <Link href={href(search, null)}>First page</Link> : null}
            {result.value.tracks.pageInfo.hasNextPage ? <Link href={href(search, result.value.tracks.pageInfo.endCursor)}>Next page</Link> : null}
          </nav>
        </>
      )}
    </>
  );
}
