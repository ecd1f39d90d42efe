import type { Metadata } from "next";
import { ApiProblem } from "../../../components/api-problem.tsx";
import { JobList } from "../../../components/job-list.tsx";
import { VersionComparison } from "../../../components/version-comparison.tsx";
import { gql } from "../../../lib/graphql.ts";
import { TrainingDocument, type TrainingQuery } from "../../../lib/generated/graphql.ts";
import { count, when } from "../../../lib/format.ts";
import { load } from "../../../lib/load.ts";
import { formatMetric, headlineMetrics, METRIC_LABEL, metricOf, previousVersion } from "../../../lib/model-metrics.ts";
import { requireSessionKey } from "../../../lib/session.ts";
import { TRAINABLE_MODELS } from "../../../lib/training.ts";
import { startTraining, startWeeklyGeneration } from "./actions.ts";

export const metadata: Metadata = { title: "Training" };

type VersionRow = TrainingQuery["modelVersions"]["edges"][number]["node"];

/**
 * Versions to compare: those asked for (`?compare=3&compare=7`, at most 4), else the active
 * version of the newest kind that records a learning curve, beside the version before it.
 */
function pickCompared(versions: VersionRow[], asked: string | string[] | undefined): VersionRow[] {
  const ids = [asked ?? []]
    .flat()
    .flatMap((a) => a.split(","))
    .filter((a) => /^\d+$/.test(a))
    .map(Number);
  if (ids.length) return ids.flatMap((id) => versions.filter((v) => v.id === id)).slice(0, 4);
  const ready = versions.filter((v) => v.status === "READY");
  const newest = ready.find((v) => Array.isArray(v.history) && v.history.length > 0) ?? ready[0];
  if (!newest) return [];
  const active = versions.find((v) => v.kind === newest.kind && v.isActive) ?? newest;
  const before = previousVersion(versions, active);
  return before ? [before, active] : [active];
}

export default async function TrainingPage({
  searchParams,
}: {
  searchParams: Promise<{ started?: string; error?: string; message?: string; compare?: string | string[] }>;
}) {
  const key = await requireSessionKey();
  const { started, error, message, compare } = await searchParams;
  const result = await load(() => gql<TrainingQuery>(TrainingDocument, {}, key));
  if (!result.ok) return <ApiProblem problem={result.problem} />;
  const data = result.value;
  return (
    <>
      <h1>Training</h1>
      {started ? (
        <p className="panel ok" role="status" data-testid="training-message">
          Job {started} started; its progress shows below.
        </p>
      ) : null}
      {error ? (
        <p className="panel problem" role="alert" data-testid="training-message">
          {error === "FORBIDDEN" ? "Starting training or a weekly generation needs an admin key: sign in with one." : `${error}: ${message ?? ""}`}
        </p>
      ) : null}
      <div className="two-columns">
        <form action={startTraining} className="panel">
          <h2>Train</h2>
          {Object.values(TRAINABLE_MODELS).map(({ name, ticked }) => (
            <label key={name} className="checkbox">
              <input type="checkbox" name="model" value={name} defaultChecked={ticked} /> {name}
            </label>
          ))}
          <button type="submit">Start training</button>
        </form>
        <form action={startWeeklyGeneration} className="panel">
          <h2>Weekly playlists</h2>
          <p className="muted small">Makes every playlist that is due this week; playlists already made are kept as they are.</p>
          <button type="submit">Start weekly generation</button>
        </form>
      </div>
      <section className="panel">
        <h2>Jobs</h2>
        <JobList initial={data.jobs.edges.map((e) => e.node)} canCancel={data.me.role === "ADMIN"} />
      </section>
      <ModelVersions versions={data.modelVersions.edges.map((e) => e.node)} compare={compare} />
    </>
  );
}

function ModelVersions({ versions, compare }: { versions: VersionRow[]; compare: string | string[] | undefined }) {
  if (versions.length === 0) {
    return (
      <section className="panel">
        <h2>Model versions</h2>
        <p className="muted">No model trained yet.</p>
      </section>
    );
  }
  const compared = pickCompared(versions, compare);
  const chosen = new Set(compared.map((v) => v.id));
  return (
    <>
      <section className="panel">
        <h2>Compare versions</h2>
        {compared.length ? (
          <>
            <p className="muted small">
              {compared.map((v) => `${v.kind.toLowerCase()} v${v.id}`).join(" beside ")}; changes are against the first. Tick others in the list below to
              compare them.
            </p>
            <VersionComparison versions={compared} />
          </>
        ) : (
          <p className="muted">No version has finished training yet.</p>
        )}
      </section>
      <section className="panel">
        <h2>Model versions</h2>
        <form action="/training" className="versions-form">
          <table className="table" data-testid="model-versions">
            <thead>
              <tr>
                <th>
                  <span className="sr-only">Compare</span>
                </th>
                <th>Version</th>
                <th>Status</th>
                <th>Finished</th>
                <th>Headline measures</th>
                <th className="num">Vectors</th>
              </tr>
            </thead>
            <tbody>
              {versions.map((v) => (
                <tr key={v.id} data-testid="model-version" data-version-id={v.id}>
                  <td>
                    <input
                      type="checkbox"
                      name="compare"
                      value={v.id}
                      defaultChecked={chosen.has(v.id)}
                      aria-label={`Compare ${v.kind.toLowerCase()} v${v.id}`}
                      disabled={v.status !== "READY"}
                    />
                  </td>
                  <td>
                    {v.kind.toLowerCase()} v{v.id}
                    {v.isActive ? <span className="active-badge"> active</span> : null}
                  </td>
                  <td>{v.status.toLowerCase()}</td>
                  <td className="small muted">{when(v.finishedAt)}</td>
                  <td className="small">
                    {v.error ? (
                      <span className="error">{v.error}</span>
                    ) : (
                      headlineMetrics(v)
                        .map((n) => `${METRIC_LABEL[n] ?? n} ${formatMetric(n, metricOf(v, n)!)}`)
                        .join(" · ")
                    )}
                  </td>
                  <td className="num">{count(v.vectorCount)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <button type="submit" className="small-button" data-testid="compare-versions">
            Compare selected
          </button>
        </form>
      </section>
    </>
  );
}
