import type { Metadata } from "next";
import { ApiProblem } from "../../../components/api-problem.tsx";
import { JobList } from "../../../components/job-list.tsx";
import { MetricChart } from "../../../components/metric-chart.tsx";
import { PlannedFeature } from "../../../components/missing-operations.tsx";
import { capabilities, missingOperations } from "../../../lib/capabilities.ts";
import { gql } from "../../../lib/graphql.ts";
import { TrainingDocument, type TrainingQuery } from "../../../lib/generated/graphql.ts";
import { load } from "../../../lib/load.ts";
import { requireSessionKey } from "../../../lib/session.ts";
import { startTraining, startWeeklyGeneration } from "./actions.ts";

export const metadata: Metadata = { title: "Training" };

const NEEDED = ["Query.jobs", "Query.modelVersions", "Mutation.startTraining", "Mutation.startWeeklyGeneration"];
// What `deepcuts train` accepts; the API's startTraining takes the same names.
/** What the API's startTraining accepts; checked by default: what npm start trains (audio needs the clips analysed). */
const MODELS = ["popularity", "als", "lmf", "text", "audio"];
const CHECKED = new Set(["popularity", "als", "text"]);

/** Numeric fields of a per-iteration history (an array of objects), one series per phase and field. */
function historySeries(history: unknown): { name: string; points: { at: number; value: number }[] }[] {
  if (!Array.isArray(history)) return [];
  const series = new Map<string, { at: number; value: number }[]>();
  history.forEach((row, i) => {
    if (!row || typeof row !== "object") return;
    const r = row as Record<string, unknown>;
    const at = typeof r.iteration === "number" ? r.iteration : i;
    for (const [field, value] of Object.entries(r)) {
      if (field === "iteration" || typeof value !== "number" || !Number.isFinite(value)) continue;
      const name = typeof r.phase === "string" ? `${r.phase} ${field}` : field;
      if (!series.has(name)) series.set(name, []);
      series.get(name)!.push({ at, value });
    }
  });
  return [...series].map(([name, points]) => ({ name, points }));
}

export default async function TrainingPage({ searchParams }: { searchParams: Promise<{ started?: string; error?: string; message?: string }> }) {
  const key = await requireSessionKey();
  const { started, error, message } = await searchParams;
  const result = await load(async () => {
    const caps = await capabilities(key);
    const missing = missingOperations(caps, NEEDED);
    const offersCancel = missingOperations(caps, ["Mutation.cancelJob"]).length === 0;
    return { missing, offersCancel, data: missing.length ? null : await gql<TrainingQuery>(TrainingDocument, {}, key) };
  });
  if (!result.ok) return <ApiProblem problem={result.problem} />;
  const { missing, offersCancel, data } = result.value;
  if (!data) {
    return (
      <>
        <h1>Training</h1>
        <PlannedFeature feature="Training" needed={NEEDED} missing={missing} />
      </>
    );
  }
  return (
    <>
      <h1>Training</h1>
      {started ? <p className="panel ok" role="status" data-testid="training-message">Job {started} started; its progress shows below.</p> : null}
      {error ? (
        <p className="panel problem" role="alert" data-testid="training-message">
          {error === "FORBIDDEN" ? "Starting training or a weekly generation needs an admin key: sign in with one." : `${error}: ${message ?? ""}`}
        </p>
      ) : null}
      <div className="two-columns">
        <form action={startTraining} className="panel">
          <h2>Train</h2>
          {MODELS.map((m) => (
            <label key={m} className="checkbox">
              <input type="checkbox" name="model" value={m} defaultChecked={CHECKED.has(m)} /> {m}
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
        <JobList initial={data.jobs.edges.map((e) => e.node)} canCancel={offersCancel && data.me.role === "ADMIN"} />
      </section>
      <section className="panel">
        <h2>Model versions</h2>
        {data.modelVersions.edges.length === 0 ? <p className="muted">No model trained yet.</p> : null}
        {data.modelVersions.edges.map(({ node: v }) => {
          const series = historySeries(v.history);
          const metrics = Object.entries(v.metrics && typeof v.metrics === "object" ? v.metrics : {}).filter(([, value]) => typeof value === "number");
          return (
            <div key={v.id} className="version" data-testid="model-version">
              <h3>
                {v.kind.toLowerCase()} v{v.id} · {v.status.toLowerCase()}
                {v.isActive ? " · active" : ""}
              </h3>
              {v.error ? <p className="error small">{v.error}</p> : null}
              {metrics.length ? <p className="small">{metrics.map(([n, value]) => `${n} ${(value as number).toFixed(4)}`).join(" · ")}</p> : null}
              {series.length ? (
                <div className="charts">
                  {series.map((s) => (
                    <MetricChart key={s.name} name={s.name} points={s.points} unit="it " />
                  ))}
                </div>
              ) : null}
            </div>
          );
        })}
      </section>
    </>
  );
}
