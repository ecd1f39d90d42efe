import type { Metadata } from "next";
import Link from "next/link";
import { ApiProblem } from "../../../components/api-problem.tsx";
import { IntervalChart } from "../../../components/interval-chart.tsx";
import { SERIES_COLOURS } from "../../../components/line-chart.tsx";
import { count, percent, when } from "../../../lib/format.ts";
import { OutcomesPageDocument, type OutcomesPageQuery } from "../../../lib/generated/graphql.ts";
import { gql } from "../../../lib/graphql.ts";
import { load } from "../../../lib/load.ts";
import {
  interval,
  OUTCOME_METRICS,
  OUTCOME_SOURCES,
  outcomeValue,
  rowOf,
  seriesByVersion,
  versionsOf,
  weeksOf,
  type OutcomeRow,
} from "../../../lib/outcomes.ts";
import { requireSessionKey } from "../../../lib/session.ts";
import { recomputeOutcomeMetrics } from "./actions.ts";

export const metadata: Metadata = { title: "Outcomes" };

const WEEK_CHOICES = [4, 8, 12, 26];

/** A table's column headers for `metrics`, each with what it means as its title. */
function MetricHeaders({ metrics }: { metrics: typeof OUTCOME_METRICS }) {
  return metrics.map((m) => (
    <th key={m.name} className="num" title={m.about}>
      {m.label}
    </th>
  ));
}

export default async function OutcomesPage({ searchParams }: { searchParams: Promise<{ source?: string; weeks?: string; started?: string; error?: string }> }) {
  const key = await requireSessionKey();
  const params = await searchParams;
  const source = (OUTCOME_SOURCES as readonly string[]).includes(params.source ?? "") ? params.source! : "all";
  const weeks = WEEK_CHOICES.includes(Number(params.weeks)) ? Number(params.weeks) : 8;
  const result = await load(() => gql<OutcomesPageQuery>(OutcomesPageDocument, { weeks }, key));
  if (!result.ok) return <ApiProblem problem={result.problem} />;
  const data = result.value;
  const rows: OutcomeRow[] = data.outcomeMetrics;
  const allWeeks = weeksOf(rows);
  const latest = allWeeks[allWeeks.length - 1] ?? null;
  const versions = versionsOf(rows);
  const colour = (version: number) => SERIES_COLOURS[versions.indexOf(version) % SERIES_COLOURS.length];
  const lastJob = data.jobs.edges[0]?.node ?? null;
  const computedAt = rows.reduce<string | null>((a, r) => (a === null || r.computedAt > a ? r.computedAt : a), null);
  const href = (next: { source?: string; weeks?: number }) =>
    `/outcomes?${new URLSearchParams({ source: next.source ?? source, weeks: String(next.weeks ?? weeks) })}`;
  const listenersServed = latest ? versions.map((v) => rowOf(rows, latest, v, "all", "REACH")?.n ?? 0).reduce((a, b) => a + b, 0) : 0;

  return (
    <>
      <h1>Outcomes</h1>
      <p className="muted">
        What listeners did with their weekly playlists: streams of 30 s or more, saves, skips and “not for me”, tied to the playlist slot they came from. Each
        figure has its 95% confidence interval (listeners are the unit). The METRICS job computes them daily; on the demo world simulated listeners answer the
        playlists.
      </p>
      {params.started ? (
        <p className="panel ok" role="status" data-testid="outcomes-message">
          Recomputing the metrics (job {params.started}); reload in a moment to see the new figures.
        </p>
      ) : null}
      {params.error ? (
        <p className="panel problem" role="alert" data-testid="outcomes-message">
          {params.error}
        </p>
      ) : null}
      <section className="panel" data-testid="outcomes-status">
        <p>
          {latest ? (
            <>
              <strong>{allWeeks.length}</strong> {allWeeks.length === 1 ? "week" : "weeks"} measured, the latest the week of <strong>{latest}</strong> (
              {count(listenersServed)} listeners served); computed {when(computedAt)}. Active blend: v{data.activeBlendConfig.version}.
            </>
          ) : (
            <span data-testid="no-outcomes">
              No outcome metrics yet: they appear once listeners have answered a weekly playlist and the METRICS job has run.
            </span>
          )}
        </p>
        <p className="small muted">
          {lastJob
            ? `Last METRICS job ${lastJob.id}: ${lastJob.status.toLowerCase()}, ${when(lastJob.finishedAt ?? lastJob.createdAt)}.`
            : "The daily METRICS job has not run yet (a simulation of the demo world's listeners computes them too)."}
        </p>
        <form action={recomputeOutcomeMetrics}>
          <button type="submit" data-testid="recompute-outcomes">
            Recompute now
          </button>
        </form>
      </section>
      {latest ? (
        <>
          <nav className="toolbar" aria-label="Slots credited to">
            <span className="muted small">Slots</span>
            {OUTCOME_SOURCES.map((s) => (
              <Link
                key={s}
                href={href({ source: s })}
                aria-current={s === source ? "true" : undefined}
                data-source-option={s}
                className={s === source ? "week picked" : "week"}
              >
                {s === "all" ? "all slots" : s}
              </Link>
            ))}
            <span className="muted small">Weeks</span>
            {WEEK_CHOICES.map((w) => (
              <Link key={w} href={href({ weeks: w })} aria-current={w === weeks ? "true" : undefined} className={w === weeks ? "week picked" : "week"}>
                {w}
              </Link>
            ))}
          </nav>
          <section className="panel">
            <h2>
              Week of {latest}, {source === "all" ? "all slots" : source === "exploration" ? "exploration slots" : `slots led by ${source}`}
            </h2>
            <table className="table" data-testid="outcomes-latest" data-week={latest} data-source={source}>
              <thead>
                <tr>
                  <th>Blend</th>
                  <MetricHeaders metrics={OUTCOME_METRICS} />
                  <th className="num">listeners</th>
                </tr>
              </thead>
              <tbody>
                {versions.map((v) => {
                  const reach = rowOf(rows, latest, v, source, "REACH");
                  if (!reach) return null;
                  return (
                    <tr key={v} data-version={v}>
                      <td>
                        v{v}
                        {v === data.activeBlendConfig.version ? <span className="active-badge"> active</span> : null}
                      </td>
                      {OUTCOME_METRICS.map((m) => {
                        const row = rowOf(rows, latest, v, source, m.name);
                        return (
                          <td
                            key={m.name}
                            className="num"
                            data-metric={m.name}
                            data-value={row?.value}
                            data-lower={row?.lower ?? undefined}
                            data-upper={row?.upper ?? undefined}
                          >
                            {row ? (
                              <>
                                <strong>{outcomeValue(m.name, row.value)}</strong>
                                {interval(row) ? <span className="interval small muted">{interval(row)}</span> : null}
                              </>
                            ) : (
                              <span className="muted">–</span>
                            )}
                          </td>
                        );
                      })}
                      <td className="num">{count(reach.n)}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
            <p className="small muted">
              A dash: not measured for this group (came back next week needs the next week&apos;s playlists, and is measured over all slots).
            </p>
          </section>
          <section className="panel">
            <h2>Over weeks</h2>
            <div className="charts" data-testid="outcome-charts">
              {OUTCOME_METRICS.map((m) => {
                const series = seriesByVersion(rows, m.name, source).map((s) => ({
                  name: `blend v${s.version}`,
                  colour: colour(s.version),
                  points: s.points.map((p) => ({ x: p.weekStart, value: p.value, lower: m.count ? null : p.lower, upper: m.count ? null : p.upper })),
                }));
                return series.length ? (
                  <IntervalChart
                    key={m.name}
                    title={m.label}
                    series={series}
                    format={(value) => outcomeValue(m.name, value)}
                    testId={`outcome-chart-${m.name}`}
                  />
                ) : (
                  <p key={m.name} className="small muted" data-testid={`outcome-chart-${m.name}`}>
                    {m.label}: not measured yet
                  </p>
                );
              })}
            </div>
          </section>
          <section className="panel">
            <h2>By source, week of {latest}</h2>
            <p className="small muted">
              Each slot is credited to the source that contributed most to its score, or to exploration when it was drawn from the wider pool.
            </p>
            <table className="table" data-testid="outcomes-by-source">
              <thead>
                <tr>
                  <th>Blend</th>
                  <th>Source</th>
                  <MetricHeaders metrics={OUTCOME_METRICS.filter((m) => m.name !== "CAME_BACK")} />
                  <th className="num">listeners</th>
                </tr>
              </thead>
              <tbody>
                {versions.flatMap((v) =>
                  OUTCOME_SOURCES.filter((s) => s !== "all" && rowOf(rows, latest, v, s, "REACH")).map((s) => (
                    <tr key={`${v}-${s}`} data-version={v} data-source={s}>
                      <td>v{v}</td>
                      <td>{s}</td>
                      {OUTCOME_METRICS.filter((m) => m.name !== "CAME_BACK").map((m) => {
                        const row = rowOf(rows, latest, v, s, m.name);
                        return (
                          <td
                            key={m.name}
                            className="num"
                            data-metric={m.name}
                            data-value={row?.value}
                            title={
                              row && row.lower !== null && row.upper !== null && !m.count
                                ? `95% interval ${percent(row.lower)} to ${percent(row.upper)}`
                                : undefined
                            }
                          >
                            {row ? outcomeValue(m.name, row.value) : "–"}
                          </td>
                        );
                      })}
                      <td className="num">{count(rowOf(rows, latest, v, s, "REACH")!.n)}</td>
                    </tr>
                  )),
                )}
              </tbody>
            </table>
          </section>
        </>
      ) : null}
    </>
  );
}
