import type { Metadata } from "next";
import Link from "next/link";
import { ApiProblem } from "../../components/api-problem.tsx";
import { Sparkline } from "../../components/sparkline.tsx";
import { count, delta, deltaPoints, metricValue, percent, when } from "../../lib/format.ts";
import { OverviewDocument, type OverviewQuery } from "../../lib/generated/graphql.ts";
import { gql } from "../../lib/graphql.ts";
import { load } from "../../lib/load.ts";
import { METRIC_LABEL, formatMetric, headlineMetrics, metricOf, previousVersion, versionSeries } from "../../lib/model-metrics.ts";
import { requireSessionKey } from "../../lib/session.ts";

export const metadata: Metadata = { title: "Overview" };

const WEEK_MS = 7 * 24 * 60 * 60 * 1000;

type ModelVersionRow = OverviewQuery["modelVersions"]["edges"][number]["node"];

/** What the weekly generation job reports in its result (engine GenerateReport); fields may be absent. */
interface GenerateResult {
  due?: number;
  made?: number;
  alreadyMade?: number;
  short?: number;
  coldStart?: number;
  blendConfigVersion?: number;
}

/** One version's headline metrics against the version of its kind that was active before it (lib/model-metrics.ts previousVersion). */
function MetricDeltas({ v, versions }: { v: ModelVersionRow; versions: ModelVersionRow[] }) {
  const before = previousVersion(versions, v);
  const names = headlineMetrics(v);
  if (!names.length) return <span className="muted">no metrics recorded</span>;
  return (
    <>
      {names.map((name, i) => {
        const now = metricOf(v, name)!;
        const then = before ? metricOf(before, name) : null;
        const change = then === null ? null : now - then;
        return (
          <span key={name} className="metric-delta" data-metric={name}>
            {i > 0 ? " · " : ""}
            {METRIC_LABEL[name] ?? name} <strong>{formatMetric(name, now)}</strong>
            {change !== null ? <span className={change > 0 ? "up" : change < 0 ? "down" : "muted"}> ({delta(change)})</span> : null}
          </span>
        );
      })}
      <span className="muted small"> {before ? `vs v${before.id}` : "first version of its kind"}</span>
    </>
  );
}

type WeekRow = OverviewQuery["weeklySummaries"][number];

/** The figures of one week of playlists, each against the week before, with a sparkline where there are two weeks or more. */
const WEEK_FIGURES: { key: string; label: string; value: (w: WeekRow) => number; show: (w: WeekRow) => string; share: boolean }[] = [
  { key: "playlists", label: "playlists made", value: (w) => w.playlists, show: (w) => count(w.playlists), share: false },
  {
    key: "coverage",
    label: "catalogue coverage",
    value: (w) => w.coverage,
    show: (w) => `${percent(w.coverage)} (${count(w.tracksPlaced)} of ${count(w.catalogueTracks)} tracks)`,
    share: true,
  },
  { key: "newArtistShare", label: "slots by artists new to the listener", value: (w) => w.newArtistShare, show: (w) => percent(w.newArtistShare), share: true },
  {
    key: "coldStartTracks",
    label: "cold-start tracks placed",
    value: (w) => w.coldStartTracks,
    show: (w) => `${count(w.coldStartTracks)} (in ${count(w.coldStartSlots)} ${w.coldStartSlots === 1 ? "slot" : "slots"})`,
    share: false,
  },
];

function WeekFigures({ weeks }: { weeks: WeekRow[] }) {
  const [latest, before] = weeks;
  if (!latest)
    return (
      <p className="muted" data-testid="week-figures">
        No weekly playlists yet.
      </p>
    );
  const oldestFirst = [...weeks].reverse();
  // Sparklines only where there is a series: two weeks or more.
  const trend = weeks.length > 1;
  return (
    <table className="table week-figures" data-testid="week-figures" data-week={latest.weekStart}>
      <caption className="small muted">
        Playlists for the week of {latest.weekStart}
        {latest.blendVersions.length ? ` (blend ${latest.blendVersions.map((v) => `v${v}`).join(", ")})` : ""}
        {before ? `, against the week of ${before.weekStart}` : ""}; measured against listening before each week.
      </caption>
      <thead>
        <tr>
          <th>Measure</th>
          <th className="num">This week</th>
          <th className="num">Change</th>
          {trend ? <th>Over {weeks.length} weeks</th> : null}
        </tr>
      </thead>
      <tbody>
        {WEEK_FIGURES.map((f) => (
          <tr key={f.key} data-figure={f.key} data-value={f.value(latest)}>
            <td>{f.label}</td>
            <td className="num">{f.show(latest)}</td>
            <td className="num small">
              {before ? (
                f.share ? (
                  deltaPoints(f.value(latest) - f.value(before))
                ) : (
                  delta(f.value(latest) - f.value(before))
                )
              ) : (
                <span className="muted">first week</span>
              )}
            </td>
            {trend ? (
              <td>
                <Sparkline
                  points={oldestFirst.map((w, i) => ({ at: i + 1, value: f.value(w) }))}
                  label={`${f.label} over ${weeks.length} weeks`}
                  unit="week "
                />
              </td>
            ) : null}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export default async function OverviewPage() {
  const key = await requireSessionKey();
  const result = await load(() => gql<OverviewQuery>(OverviewDocument, {}, key));
  if (!result.ok) return <ApiProblem problem={result.problem} />;
  const data = result.value;
  const o = data.overview;
  const cards: [string, string, string][] = [
    ["listeners", count(o.listeners), "count-listeners"],
    ["tracks", count(o.tracks), "count-tracks"],
    ["listening events", count(o.events), "count-events"],
    ["artists", count(o.artists), "count-artists"],
    ["weekly playlists", count(o.playlists), "count-playlists"],
    ["tracks with audio analysed", `${count(o.analysedTracks)} (${percent(o.tracks ? o.analysedTracks / o.tracks : 0)})`, "count-analysed"],
  ];
  const versions = data.modelVersions.edges.map((e) => e.node);
  const now = Date.now();
  const thisWeek = versions.filter((v) => v.status === "READY" && v.finishedAt && now - Date.parse(v.finishedAt) < WEEK_MS);
  const failed = versions.filter((v) => v.status === "FAILED" && now - Date.parse(v.createdAt) < WEEK_MS);
  const lastRun = data.jobs.edges[0]?.node ?? null;
  const report = (lastRun?.status === "SUCCEEDED" && lastRun.result && typeof lastRun.result === "object" ? lastRun.result : null) as GenerateResult | null;
  const active = versions.filter((v) => v.isActive).sort((a, b) => a.kind.localeCompare(b.kind));
  return (
    <>
      <h1>Overview</h1>
      <div className="cards">
        {cards.map(([label, value, testId]) => (
          <div className="card" data-testid={testId} key={testId}>
            <div className="card-value">{value}</div>
            <div className="card-label">{label}</div>
          </div>
        ))}
      </div>
      <section className="panel this-week" data-testid="this-week">
        <h2>What changed this week</h2>
        {thisWeek.length === 0 ? (
          <p className="muted">No model version finished in the last 7 days.</p>
        ) : (
          <ul className="changes">
            {thisWeek.map((v) => (
              <li key={v.id} data-version-id={v.id}>
                <strong>
                  {v.kind} v{v.id}
                </strong>
                {v.isActive ? <span className="active-badge"> active</span> : null} <span className="muted small">{when(v.finishedAt)}</span>
                <br />
                <MetricDeltas v={v} versions={versions} />
              </li>
            ))}
          </ul>
        )}
        {failed.length ? (
          <p className="error small">
            {failed.length} training {failed.length === 1 ? "run" : "runs"} failed this week: {failed.map((v) => `${v.kind} v${v.id}`).join(", ")} (see{" "}
            <Link href="/training">Training</Link>).
          </p>
        ) : null}
        <h3>Weekly playlists</h3>
        {report ? (
          <p data-testid="last-generation">
            The last weekly generation (job {lastRun.id}, {when(lastRun.finishedAt)}) made <strong>{count(report.made ?? 0)}</strong> playlists
            {report.alreadyMade ? `; ${count(report.alreadyMade)} were already made` : ""}
            {report.coldStart ? `; ${count(report.coldStart)} for cold-start listeners (from seed artists)` : ""}
            {report.short ? `; ${count(report.short)} short (the catalogue ran out)` : ""}
            {report.blendConfigVersion ? `, with blend v${report.blendConfigVersion}` : ""}.
          </p>
        ) : lastRun ? (
          <p data-testid="last-generation">
            Job {lastRun.id}: {lastRun.status.toLowerCase()}, {when(lastRun.finishedAt ?? lastRun.createdAt)}. {lastRun.message}
          </p>
        ) : (
          <p className="muted" data-testid="last-generation">
            No generation has run through the API yet ({count(o.playlists)} playlists exist, made by the command line or the scheduler).
          </p>
        )}
        <WeekFigures weeks={data.weeklySummaries} />
      </section>
      <div className="two-columns">
        <section className="panel">
          <h2>Active models</h2>
          {active.length === 0 ? (
            <p className="muted" data-testid="no-models">
              No model is trained yet: start a training run on the Training page or run <code>deepcuts train</code>.
            </p>
          ) : (
            <table className="table" data-testid="active-models">
              <thead>
                <tr>
                  <th>Model</th>
                  <th>Measure</th>
                  <th className="num">Value</th>
                  <th className="num">Change</th>
                  <th>Across versions</th>
                </tr>
              </thead>
              {active.map((v) => {
                const before = previousVersion(versions, v);
                const names = headlineMetrics(v);
                return (
                  <tbody key={v.kind} data-kind={v.kind}>
                    {(names.length ? names : [null]).map((name, i) => {
                      const value = name ? metricOf(v, name) : null;
                      const then = name && before ? metricOf(before, name) : null;
                      return (
                        <tr key={name ?? "none"}>
                          {i === 0 ? (
                            <td rowSpan={Math.max(1, names.length)}>
                              {v.kind} <span className="muted small">v{v.id}</span>
                            </td>
                          ) : null}
                          <td>{name ? (METRIC_LABEL[name] ?? name) : <span className="muted">no metrics</span>}</td>
                          <td className="num" data-metric-value={name ?? undefined}>
                            {value !== null && name ? formatMetric(name, value) : ""}
                          </td>
                          <td className="num small">{value !== null && then !== null ? delta(value - then) : ""}</td>
                          <td>{name ? <Sparkline points={versionSeries(versions, v.kind, name)} label={`${v.kind} ${name}`} /> : null}</td>
                        </tr>
                      );
                    })}
                  </tbody>
                );
              })}
            </table>
          )}
        </section>
        <section className="panel">
          <h2>Blend</h2>
          <p data-testid="active-blend">
            Version {data.activeBlendConfig.version} by {data.activeBlendConfig.author}
            {data.activeBlendConfig.note ? ` (“${data.activeBlendConfig.note}”)` : ""}
          </p>
          <p className="muted small">
            {Object.entries(data.activeBlendConfig.weights)
              .filter(([n]) => n !== "__typename")
              .map(([n, w]) => `${n} ${metricValue(w)}`)
              .join(" · ")}
          </p>
          <p className="muted small">
            API {data.health.version}, {data.health.database.toLowerCase().replace(/_/g, "-")} database, {count(o.jobsInFlight)}{" "}
            {o.jobsInFlight === 1 ? "job" : "jobs"} in flight.
          </p>
        </section>
      </div>
    </>
  );
}
