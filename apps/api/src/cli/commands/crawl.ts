import { coMentionNeighbours } from "@deepcuts/engine/crawl/co-mention.ts";
import { crawlSites, type CrawlReport } from "@deepcuts/engine/crawl/crawl.ts";
import { addCrawlSite, CRAWL_SOURCES, listCrawlSites, removeCrawlSite, type CrawlSource } from "@deepcuts/engine/crawl/sites.ts";
import { ServiceError } from "@deepcuts/engine/service-error.ts";
import { resolveArtist } from "@deepcuts/engine/text-terms.ts";
import { numberFlag, parse, UsageError } from "../args.ts";
import { emit, type Command } from "../command.ts";
import { withDatabase } from "../db-session.ts";
import { ProgressBar } from "../progress.ts";

const summary = (r: CrawlReport) => {
  const lines = [
    `crawled ${r.sites} site(s) in ${r.seconds.toFixed(1)} s: ${r.requests.fetched} fetched, ${r.requests.notModified} not modified, ${r.requests.skipped} skipped`,
    `articles: ${r.articles.created} new, ${r.articles.updated} updated, ${r.articles.unchanged} unchanged, ${r.articles.duplicates} duplicates, ${r.articles.tooShort} without main text`,
    `${r.mentions} artist mentions, ${r.documents} documents for the text model`,
  ];
  for (const s of r.skipped) lines.push(`  skipped ${s.url}: ${s.reason}`);
  return lines.join("\n");
};

/** A ServiceError (bad URL, unknown site) as a usage error naming the argument. */
async function asUsage<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof ServiceError) throw new UsageError(error.message);
    throw error;
  }
}

export const crawlCommand: Command = {
  name: "crawl",
  summary:
    "crawl the curated seed sites (feeds and pages) for music writing, manage them (sites add|list|remove), or list the artists written about with one (related)",
  usage:
    "deepcuts crawl [--site <id>] [--max-pages 50] [--max-bytes 2097152] [--json] [--quiet] | " +
    "crawl sites add <url> [--name <label>] [--source blog|review|news] [--allow-private] | crawl sites list | crawl sites remove <id|url> | " +
    "crawl related <artist name, part of it, or id> [--limit 10] [--min-articles 2]",
  async run(argv, ctx) {
    const { values, positionals } = parse(argv, {
      site: { type: "string" },
      "max-pages": { type: "string" },
      "max-bytes": { type: "string" },
      name: { type: "string" },
      source: { type: "string" },
      "allow-private": { type: "boolean" },
      json: { type: "boolean" },
      quiet: { type: "boolean" },
      limit: { type: "string" },
      "min-articles": { type: "string" },
    });
    const json = Boolean(values.json);
    if (positionals[0] === "sites") {
      const action = positionals[1];
      return withDatabase(ctx, async (db) => {
        if (action === "add") {
          if (!positionals[2]) throw new UsageError("crawl sites add needs a URL (a feed or a page whose links are articles)");
          const source = String(values.source ?? "blog").toUpperCase() as CrawlSource;
          if (!CRAWL_SOURCES.includes(source))
            throw new UsageError(`--source must be one of ${CRAWL_SOURCES.join(", ").toLowerCase()}, got '${values.source}'`);
          const site = await asUsage(() =>
            addCrawlSite(db, { url: positionals[2], name: values.name as string | undefined, source, allowPrivate: Boolean(values["allow-private"]) }),
          );
          emit(
            ctx,
            json,
            site,
            () => `added crawl site ${site.id}: ${site.url} (${site.source.toLowerCase()}${site.allowPrivate ? ", private addresses allowed" : ""})`,
          );
        } else if (action === "list") {
          const sites = await listCrawlSites(db);
          emit(
            ctx,
            json,
            sites,
            () =>
              sites
                .map((s) => `${s.id}\t${s.source.toLowerCase()}\t${s.articles} articles\t${s.url}\t${s.name}${s.enabled ? "" : "\t(disabled)"}`)
                .join("\n") || "no crawl sites",
          );
        } else if (action === "remove") {
          const target = positionals[2];
          if (!target) throw new UsageError("crawl sites remove needs a site id or URL");
          const site = await asUsage(() => removeCrawlSite(db, /^\d+$/.test(target) ? Number(target) : target));
          emit(ctx, json, site, () => `removed crawl site ${site.id}: ${site.url}`);
        } else {
          throw new UsageError(`crawl sites needs add, list or remove, got '${action ?? ""}'`);
        }
        return 0;
      });
    }
    if (positionals[0] === "related") {
      if (positionals.length < 2) throw new UsageError('crawl related needs an artist, e.g. deepcuts crawl related "Burial"');
      const limit = numberFlag(values.limit, "limit", 10, { min: 1, max: 100, integer: true });
      const minArticles = numberFlag(values["min-articles"], "min-articles", 2, { min: 1, max: 1000, integer: true });
      const { artist, related } = await withDatabase(
        ctx,
        async (db) => {
          const artist = await resolveArtist(db, positionals.slice(1).join(" "));
          return { artist, related: await coMentionNeighbours(db, artist.id, { limit, minArticles }) };
        },
        { migrate: false },
      );
      emit(
        ctx,
        json,
        { artist, related },
        () =>
          [
            `${artist.name} (artist ${artist.id}): written about with`,
            ...related.map((r) => `  ${r.artist.name} (npmi ${r.score.toFixed(2)}: ${r.explanation})`),
          ].join("\n") + (related.length ? "" : `\n  nobody in ${minArticles}+ articles yet`),
      );
      return 0;
    }
    if (positionals.length > 0) throw new UsageError(`unexpected argument '${positionals[0]}' (did you mean crawl sites ...?)`);
    const maxPagesPerSite = numberFlag(values["max-pages"], "max-pages", 50, { min: 1, max: 10_000, integer: true });
    const maxBytes = numberFlag(values["max-bytes"], "max-bytes", 2 * 1024 * 1024, { min: 1024, max: 100 * 1024 * 1024, integer: true });
    const siteIds = values.site === undefined ? undefined : [numberFlag(values.site, "site", 0, { min: 1, integer: true })];
    const bar = new ProgressBar("crawl", !values.quiet);
    const report = await withDatabase(ctx, (db) => crawlSites(db, { siteIds, maxPagesPerSite, maxBytes, onProgress: bar.callback }));
    bar.done("finished");
    emit(ctx, json, report, () => summary(report));
    return 0;
  },
};
