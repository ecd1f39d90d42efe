import type { Metadata } from "next";
import { ApiProblem } from "../../../components/api-problem.tsx";
import { JobList } from "../../../components/job-list.tsx";
import {
  CoMentionNeighboursDocument,
  CoMentionsDocument,
  CrawlArtistDocument,
  CrawlDocument,
  type CoMentionNeighboursQuery,
  type CrawlArtistQuery,
} from "../../../lib/generated/graphql.ts";
import { count, when } from "../../../lib/format.ts";
import { gql } from "../../../lib/graphql.ts";
import { load } from "../../../lib/load.ts";
import { requireSessionKey } from "../../../lib/session.ts";
import { ApiError } from "../../../lib/api-error.ts";
import { addSite, removeSite, startCrawl } from "./actions.ts";

export const metadata: Metadata = { title: "Crawl" };

interface Params {
  added?: string;
  removed?: string;
  started?: string;
  error?: string;
  message?: string;
  artist?: string;
}

type Neighbours = CoMentionNeighboursQuery["similarArtists"];

/** The co-mention model's neighbours, or why there are none (not trained yet). */
async function modelNeighbours(artistId: number, key: string): Promise<{ list: Neighbours } | { reason: string }> {
  try {
    return { list: (await gql(CoMentionNeighboursDocument, { artistId }, key)).similarArtists };
  } catch (error) {
    if (error instanceof ApiError && (error.code === "MODEL_NOT_READY" || error.code === "NOT_FOUND")) return { reason: error.message };
    throw error;
  }
}

/** The artist asked for by name, the artists named with it in the same articles, and its CO_MENTION model neighbours. */
async function artistPanel(search: string, key: string) {
  const found: CrawlArtistQuery = await gql(CrawlArtistDocument, { q: search }, key);
  const artist = found.artists.edges[0]?.node ?? null;
  if (!artist) return { artist: null } as const;
  const [mentions, neighbours] = await Promise.all([gql(CoMentionsDocument, { artistId: artist.id }, key), modelNeighbours(artist.id, key)]);
  return { artist, together: mentions.coMentionedArtists, neighbours } as const;
}

export default async function CrawlPage({ searchParams }: { searchParams: Promise<Params> }) {
  const key = await requireSessionKey();
  const params = await searchParams;
  const search = (params.artist ?? "").trim();
  const result = await load(async () => {
    const [data, panel] = await Promise.all([gql(CrawlDocument, {}, key), search ? artistPanel(search, key) : null]);
    return { data, panel };
  });
  if (!result.ok) return <ApiProblem problem={result.problem} />;
  const { data, panel } = result.value;
  const message = params.added
    ? `Site ${params.added} added; the next crawl fetches it.`
    : params.removed
      ? `Removed ${params.removed} with its pages and articles (the documents it gave the text model stay).`
      : params.started
        ? `Crawl job ${params.started} queued; its progress shows below.`
        : null;
  return (
    <>
      <h1>Crawl</h1>
      <p className="muted small">
        Music writing from the web: the crawler reads these seed sites (feeds or index pages), politely, links the catalogue artists each article names, and
        feeds the articles to the text model; artists written about together become the co-mention model.
      </p>
      {message ? (
        <p className="panel ok" role="status" data-testid="crawl-message">
          {message}
        </p>
      ) : null}
      {params.error ? (
        <p className="panel problem" role="alert" data-testid="crawl-message">
          {params.error}: {params.message ?? ""}
        </p>
      ) : null}
      <section className="panel">
        <h2>Seed sites</h2>
        {data.crawlSites.length === 0 ? (
          <p className="muted" data-testid="no-sites">
            No seed site yet: add a feed or an index page below.
          </p>
        ) : (
          <table className="table" data-testid="crawl-sites">
            <thead>
              <tr>
                <th>Site</th>
                <th>Stored as</th>
                <th className="num">Articles</th>
                <th>Last crawled</th>
                <th>
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {data.crawlSites.map((s) => (
                <tr key={s.id} data-testid="crawl-site" data-site-id={s.id} data-url={s.url}>
                  <td>
                    {s.name}
                    <div className="small muted">
                      {s.url}
                      {s.allowPrivate ? " · private addresses allowed" : ""}
                      {s.enabled ? "" : " · not crawled (disabled)"}
                    </div>
                  </td>
                  <td>{s.source.toLowerCase()}</td>
                  <td className="num">{count(s.articles)}</td>
                  <td className="small muted">{s.lastCrawledAt ? when(s.lastCrawledAt) : "never"}</td>
                  <td>
                    <form action={startCrawl} style={{ display: "inline" }}>
                      <input type="hidden" name="siteId" value={s.id} />
                      <button type="submit" className="small-button" disabled={!s.enabled} aria-label={`Crawl ${s.name}`} data-testid="crawl-site-now">
                        Crawl
                      </button>
                    </form>{" "}
                    <form action={removeSite} style={{ display: "inline" }}>
                      <input type="hidden" name="id" value={s.id} />
                      <button type="submit" className="small-button" aria-label={`Remove ${s.name}`} data-testid="remove-site">
                        Remove
                      </button>
                    </form>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <form action={startCrawl}>
          <button type="submit" data-testid="crawl-all" disabled={!data.crawlSites.some((s) => s.enabled)}>
            Crawl every enabled site
          </button>
        </form>
      </section>
      <div className="two-columns">
        <section className="panel">
          <h2>Add a site</h2>
          <form action={addSite} className="experiment-form" data-testid="add-site">
            <label>
              Feed or index page URL <input name="url" type="url" required placeholder="https://example.org/feed.xml" />
            </label>
            <label>
              Name <input name="name" maxLength={100} placeholder="the host when left empty" />
            </label>
            <label>
              Stored as{" "}
              <select name="source" defaultValue="BLOG">
                <option value="BLOG">blog</option>
                <option value="REVIEW">review</option>
                <option value="NEWS">news</option>
              </select>
            </label>
            <label className="checkbox">
              <input type="checkbox" name="allowPrivate" /> allow private and loopback addresses (an intranet, a test server)
            </label>
            <button type="submit">Add site</button>
          </form>
        </section>
        <section className="panel">
          <h2>Crawls</h2>
          <JobList initial={data.jobs.edges.map((e) => e.node)} canCancel={data.me.role === "ADMIN"} kind="CRAWL" />
        </section>
      </div>
      <section className="panel">
        <h2>Written about together</h2>
        <form action="/crawl" style={{ display: "inline" }}>
          <label>
            Artist <input name="artist" defaultValue={search} placeholder="a name" />
          </label>{" "}
          <button type="submit" className="small-button">
            Show
          </button>
        </form>
        {panel === null ? null : panel.artist === null ? (
          <p className="muted" data-testid="no-artist">
            No artist matches “{search}”.
          </p>
        ) : (
          <div className="two-columns" data-testid="co-mentions" data-artist-id={panel.artist.id}>
            <div>
              <h3>Named in the same articles (NPMI)</h3>
              {panel.together.length === 0 ? (
                <p className="muted small">No crawled article names {panel.artist.name} with another artist.</p>
              ) : (
                <ol data-testid="co-mentioned">
                  {panel.together.map((m) => (
                    <li key={m.artist.id} data-artist-id={m.artist.id}>
                      {m.artist.name}{" "}
                      <span className="muted small">
                        ({m.artist.genre ?? "no genre"}) · {m.explanation}
                      </span>
                    </li>
                  ))}
                </ol>
              )}
            </div>
            <div>
              <h3>Co-mention model neighbours</h3>
              {"reason" in panel.neighbours ? (
                <p className="muted small" data-testid="co-mention-model-missing">
                  {panel.neighbours.reason}. Train it with <code>deepcuts train --model co-mention</code> (<code>npm start</code> trains it once articles are
                  linked).
                </p>
              ) : (
                <ol data-testid="co-mention-neighbours">
                  {panel.neighbours.list.map((n) => (
                    <li key={n.artist.id} data-artist-id={n.artist.id}>
                      {n.artist.name}{" "}
                      <span className="muted small">
                        ({n.artist.genre ?? "no genre"}) · {n.explanation}
                      </span>
                    </li>
                  ))}
                </ol>
              )}
            </div>
          </div>
        )}
      </section>
    </>
  );
}
