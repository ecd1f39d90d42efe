import type { Metadata } from "next";
import { ApiProblem } from "../../components/api-problem.tsx";
import { MetricChart } from "../../components/metric-chart.tsx";
import { PlannedFeature } from "../../components/missing-operations.tsx";
import { capabilities, missingOperations } from "../../lib/capabilities.ts";
import { count } from "../../lib/format.ts";
import { OverviewDocument, type OverviewQuery } from "../../lib/generated/graphql.ts";
import { gql } from "../../lib/graphql.ts";
import { load } from "../../lib/load.ts";
import { requireSessionKey } from "../../lib/session.ts";

export const metadata: Metadata = { title: "Overview" };

const NEEDED = ["Query.overview", "Query.modelVersions", "Query.jobs", "Query.activeBlendConfig"];

type ModelVersionRow = OverviewQuery["modelVersions"]["edges"][number]["node"];

const when = (iso: string | null) => (iso ? `${new Date(iso).toISOString().slice(0, 16).replace("T", " ")} UTC` : "–");

/** Numeric metrics of each model kind across its versions, oldest first. */
function metricSeries(versions: ModelVersionRow[]): { kind: string; metric: string; points: { at: number; value: number }[] }[] {
  const series = new Map<string, { kind: string; metric: string; points: { at: number; value: number }[] }>();
  for (const v of [...versions].sort((a, b) => a.id - b.id)) {
    for (const [metric, value] of Object.entries(v.metrics && typeof v.metrics === "object" ? v.metrics : {})) {
      if (typeof value !== "number" || !Number.isFinite(value)) continue;
      const id = `${v.kind} ${metric}`;
      if (!series.has(id)) series.set(id, { kind: v.kind, metric, points: [] });
      series.get(id)!.points.push({ at: v.id, value });
    }
  }
  return [...series.values()];
}

export default async function OverviewPage() {
  const key = await requireSessionKey();
  const result = await load(async () => {
    const missing = missingOperations(await capabilities(key), NEEDED);
    return { missing, data: missing.length ? null : await gql<OverviewQuery>(OverviewDocument, {}, key) };
  });
  if (!result.ok) return <ApiProblem problem={result.problem} />;
  const { missing, data } = result.value;
  if (!data) {
    return (
      <>
        <h1>Overview</h1>
        <PlannedFeature feature="Overview" needed={NEEDED} missing={missing} />
      </>
    );
  }
  const o = data.overview;
  const cards: [string, number, string][] = [
    ["listeners", o.listeners, "count-listeners"],
    ["tracks", o.tracks, "count-tracks"],
    ["listening events", o.events, "count-events"],
    ["artists", o.artists, "count-artists"],
    ["weekly playlists", o.playlists, "count-playlists"],
    ["tracks with audio analysed", o.analysedTracks, "count-analysed"],
  ];
  const lastRun = data.jobs.edges[0]?.node ?? null;
  const series = metricSeries(data.modelVersions.edges.map((e) => e.node));
  return (
    <>
      <h1>Overview</h1>
      <div className="cards">
        {cards.map(([label, value, testId]) => (
          <div className="card" data-testid={testId} key={testId}>
            <div className="card-value">{count(value)}</div>
            <div className="card-label">{label}</div>
          </div>
        ))}
      </div>
      <div className="two-columns">
        <section className="panel">
          <h2>Active models</h2>
          {o.activeModels.length === 0 ? (
            <p className="muted" data-testid="no-models">No model is trained yet: start a training run on the Training page or run <code>deepcuts train</code>.</p>
          ) : (
            <table className="table" data-testid="active-models">
              <tbody>
                {o.activeModels.map((m) => (
                  <tr key={m.kind}>
                    <td>{m.kind}</td>
                    <td>version {m.versionId}</td>
                    <td className="muted">{when(m.finishedAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
        <section className="panel">
          <h2>Blend</h2>
          <p data-testid="active-blend">
            Version {data.activeBlendConfig.version} by {data.activeBlendConfig.author}
            {data.activeBlendConfig.note ? ` (“${data.activeBlendConfig.note}”)` : ""}
          </p>
          <p className="muted small">{Object.entries(data.activeBlendConfig.weights).map(([n, w]) => `${n} ${w}`).join(" · ")}</p>
          <h2>Last weekly generation</h2>
          {lastRun ? (
            <p data-testid="last-generation">
              Job {lastRun.id}: {lastRun.status.toLowerCase()}, {when(lastRun.finishedAt ?? lastRun.createdAt)}. {lastRun.message}
            </p>
          ) : (
            <p className="muted" data-testid="last-generation">No generation has run through the API yet ({count(o.playlists)} playlists exist, made by the command line or the scheduler).</p>
          )}
          <p className="muted small">
            API {data.health.version}, {data.health.database} database, {o.jobsInFlight} {o.jobsInFlight === 1 ? "job" : "jobs"} in flight.
          </p>
        </section>
      </div>
      <section className="panel">
        <h2>Offline metrics by model version</h2>
        {series.length === 0 ? (
          <p className="muted">No model version has recorded metrics yet.</p>
        ) : (
          <div className="charts" data-testid="metric-charts">
            {series.map((s) => (
              <MetricChart key={`${s.kind} ${s.metric}`} name={`${s.kind} ${s.metric}`} points={s.points} />
            ))}
          </div>
        )}
      </section>
    </>
  );
}
