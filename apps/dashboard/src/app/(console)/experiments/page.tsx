import type { Metadata } from "next";
import Link from "next/link";
import { ApiProblem } from "../../../components/api-problem.tsx";
import { count, delta, metric, percent, when } from "../../../lib/format.ts";
import { ExperimentResultsDocument, ExperimentsPageDocument, type ExperimentResultsQuery, type ExperimentsPageQuery } from "../../../lib/generated/graphql.ts";
import { gql } from "../../../lib/graphql.ts";
import { load } from "../../../lib/load.ts";
import { requireSessionKey } from "../../../lib/session.ts";
import { createExperiment, stopExperiment } from "./actions.ts";

export const metadata: Metadata = { title: "Experiments" };

type Results = ExperimentResultsQuery["experimentResults"];
type Interval = { value: number; lower: number; upper: number };

const VERDICT: Record<string, string> = {
  COLLECTING: "collecting: the test is read once the planned number of listeners has been served",
  CANDIDATE_BETTER: "the candidate is better",
  CONTROL_BETTER: "the active blend (control) is better",
  NO_DIFFERENCE: "no difference detected at the planned size",
};

const ARM_METRICS = [
  ["reach", "reach"],
  ["streamRate", "stream rate"],
  ["saveRate", "save rate"],
  ["skipRate", "skip rate"],
  ["hideRate", "hide rate"],
] as const;

function ShareWithInterval({ e }: { e: Interval }) {
  return (
    <>
      <strong>{percent(e.value)}</strong>
      <span className="interval small muted">
        {percent(e.lower)}–{percent(e.upper)}
      </span>
    </>
  );
}

function ResultsPanel({ results, design }: { results: Results; design: string }) {
  const { traffic, sampleSize, arms, preference, test } = results;
  const progress = sampleSize > 0 ? Math.min(1, traffic.listeners / sampleSize) : 0;
  return (
    <div data-testid="experiment-results" data-verdict={results.verdict}>
      <p>
        Verdict: <strong data-testid="experiment-verdict">{VERDICT[results.verdict] ?? results.verdict}</strong>
      </p>
      <div className="small" data-testid="experiment-traffic" data-listeners={traffic.listeners} data-sample-size={sampleSize}>
        <p>
          Traffic: <strong>{count(traffic.listeners)}</strong> of the <strong>{count(sampleSize)}</strong> listeners needed ({percent(progress)})
          {traffic.weeks.length
            ? `, over ${traffic.weeks.length === 1 ? `the week of ${traffic.weeks[0]}` : `${traffic.weeks.length} weeks (${traffic.weeks[0]} to ${traffic.weeks[traffic.weeks.length - 1]})`}`
            : ", none served yet"}
          {results.horizonReached
            ? "; the horizon is reached and the test below is final."
            : "; the test is not read before the horizon (a fixed-horizon design: looking early inflates false positives)."}
        </p>
        <meter min={0} max={1} value={progress} aria-label="Share of the planned listeners served" />
        {design === "AB" && traffic.control + traffic.candidate > 0 ? (
          <p className="muted">
            A/B arms: {count(traffic.control)} listeners on the active blend, {count(traffic.candidate)} on the candidate.
          </p>
        ) : null}
      </div>
      {traffic.listeners === 0 ? (
        <p className="muted small" data-testid="experiment-arms">
          No playlist has been served with this experiment yet: the next weekly generation serves it, and per-arm figures follow as listeners answer.
        </p>
      ) : (
        <table className="table" data-testid="experiment-arms">
          <thead>
            <tr>
              <th>Arm</th>
              <th className="num">listeners</th>
              <th className="num">slots</th>
              {ARM_METRICS.map(([, label]) => (
                <th key={label} className="num">
                  {label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {arms.map((a) => (
              <tr key={a.arm} data-arm={a.arm}>
                <td>
                  {a.arm === "CONTROL" ? "control" : "candidate"} <span className="muted small">v{a.blendVersion}</span>
                </td>
                <td className="num">{count(a.metrics.listeners)}</td>
                <td className="num">{count(a.metrics.slots)}</td>
                {ARM_METRICS.map(([key]) => (
                  <td
                    key={key}
                    className="num"
                    data-metric={key}
                    data-value={a.metrics[key].value}
                    data-lower={a.metrics[key].lower}
                    data-upper={a.metrics[key].upper}
                  >
                    <ShareWithInterval e={a.metrics[key]} />
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {preference && traffic.listeners > 0 ? (
        <p
          data-testid="experiment-preference"
          data-wins={preference.wins}
          data-losses={preference.losses}
          data-ties={preference.ties}
          data-win-share={preference.winShare.value}
        >
          Interleaving preference: the candidate&apos;s slots drew more streams for <strong>{count(preference.wins)}</strong> listeners, the active blend&apos;s
          for <strong>{count(preference.losses)}</strong>, {count(preference.ties)} tied; candidate win share{" "}
          <strong>{percent(preference.winShare.value)}</strong> ({percent(preference.winShare.lower)}–{percent(preference.winShare.upper)}, above 50% favours
          the candidate).
        </p>
      ) : null}
      {test ? (
        <p data-testid="experiment-test" data-p-value={test.pValue}>
          Test: effect {delta(test.effect.value)} ({delta(test.effect.lower)} to {delta(test.effect.upper)}), z = {metric(test.z)}, p = {metric(test.pValue)}.
        </p>
      ) : (
        <p className="muted small" data-testid="experiment-test">
          No test result yet: it is computed once {count(sampleSize)} listeners have been served.
        </p>
      )}
    </div>
  );
}

export default async function ExperimentsPage({
  searchParams,
}: {
  searchParams: Promise<{ id?: string; created?: string; stopped?: string; error?: string }>;
}) {
  const key = await requireSessionKey();
  const params = await searchParams;
  const result = await load(async () => {
    const data = await gql<ExperimentsPageQuery>(ExperimentsPageDocument, {}, key);
    const wanted = Number(params.id);
    const chosen = data.experiments.find((e) => e.id === wanted) ?? data.experiments.find((e) => e.status === "RUNNING") ?? data.experiments[0] ?? null;
    const results = chosen ? (await gql<ExperimentResultsQuery>(ExperimentResultsDocument, { id: chosen.id }, key)).experimentResults : null;
    return { data, results, chosen };
  });
  if (!result.ok) return <ApiProblem problem={result.problem} />;
  const { data, results, chosen } = result.value;
  const active = data.activeBlendConfig.version;
  const candidates = data.blendConfigs.edges.map((e) => e.node).filter((c) => c.version !== active);
  const running = data.experiments.find((e) => e.status === "RUNNING") ?? null;
  return (
    <>
      <h1>Experiments</h1>
      <p className="muted">
        Compare the active blend with a saved candidate on real listeners: an A/B test (listeners hashed into two arms) or team-draft interleaving (each
        playlist mixes both, each slot credited to the blend that placed it). The weekly generation serves the running experiment; results count streams of 30 s
        or more, saves, skips and hides of the slots each arm placed, with 95% intervals.
      </p>
      {params.created ? (
        <p className="panel ok" role="status" data-testid="experiments-message">
          Experiment {params.id} started: the next weekly playlists serve it.
        </p>
      ) : null}
      {params.stopped ? (
        <p className="panel ok" role="status" data-testid="experiments-message">
          Experiment {params.id} stopped.
        </p>
      ) : null}
      {params.error ? (
        <p className="panel problem" role="alert" data-testid="experiments-message">
          {params.error}
        </p>
      ) : null}
      {chosen && results ? (
        <section className="panel" data-testid="experiment" data-experiment-id={chosen.id} data-design={chosen.design} data-status={chosen.status}>
          <h2>
            {chosen.name}{" "}
            <span className="muted small">
              ({chosen.design === "AB" ? "A/B test" : "interleaving"}, {chosen.status.toLowerCase()})
            </span>
          </h2>
          <p className="small muted">
            Active blend v{chosen.controlVersion} against candidate v{chosen.candidateVersion}
            {chosen.design === "AB" ? `, ${percent(chosen.split)} of listeners on the candidate` : ""}; planned to detect a stream-rate difference of{" "}
            {percent(chosen.minimumEffect)} at α = {metric(chosen.alpha)} with power {percent(chosen.power)} from a baseline stream rate of{" "}
            {percent(chosen.baseline.streamRate)}
            {chosen.baseline.listeners ? ` (${count(chosen.baseline.listeners)} listeners)` : " (no week served yet: the widest spread assumed)"}:{" "}
            <strong>{count(chosen.sampleSize)}</strong> listeners. Started by {chosen.author}, {when(chosen.createdAt)}
            {chosen.stoppedAt ? `; stopped ${when(chosen.stoppedAt)}` : ""}.
          </p>
          <ResultsPanel results={results} design={chosen.design} />
          {chosen.status === "RUNNING" ? (
            <form action={stopExperiment} className="stop-form">
              <input type="hidden" name="id" value={chosen.id} />
              <button type="submit" className="small-button" data-testid="stop-experiment">
                Stop this experiment
              </button>
            </form>
          ) : null}
        </section>
      ) : (
        <p className="panel muted" data-testid="no-experiments">
          No experiment yet: start one below.
        </p>
      )}
      <div className="two-columns">
        <section className="panel">
          <h2>Start an experiment</h2>
          {running ? (
            <p className="small muted">One experiment runs at a time: stop “{running.name}” first.</p>
          ) : candidates.length === 0 ? (
            <p className="small muted">
              Save a candidate blend on the <Link href="/blend">Blend</Link> page first: an experiment compares the active version (v{active}) with a saved one.
            </p>
          ) : null}
          <form action={createExperiment} className="experiment-form" data-testid="create-experiment">
            <label>
              Name <input name="name" required maxLength={100} placeholder="What is being tried" />
            </label>
            <fieldset>
              <legend>Design</legend>
              <label>
                <input type="radio" name="design" value="INTERLEAVING" defaultChecked /> team-draft interleaving (fewer listeners needed)
              </label>
              <label>
                <input type="radio" name="design" value="AB" /> A/B test
              </label>
            </fieldset>
            <label>
              Candidate{" "}
              <select name="candidateVersion" required defaultValue={candidates[0]?.version ?? ""}>
                {candidates.map((c) => (
                  <option key={c.version} value={c.version}>
                    v{c.version}
                    {c.note ? ` – ${c.note}` : ""}
                  </option>
                ))}
              </select>
              <span className="muted small"> against the active v{active}</span>
            </label>
            <label>
              A/B share on the candidate <input name="split" type="number" min={0.01} max={0.99} step={0.01} placeholder="0.5" />
            </label>
            <label>
              Smallest stream-rate difference to detect <input name="minimumEffect" type="number" min={0.001} max={1} step={0.001} placeholder="0.02" />
            </label>
            <label>
              α <input name="alpha" type="number" min={0.001} max={0.5} step={0.001} placeholder="0.05" />
            </label>
            <label>
              Power <input name="power" type="number" min={0.5} max={0.999} step={0.01} placeholder="0.8" />
            </label>
            <button type="submit" disabled={running !== null || candidates.length === 0} data-testid="start-experiment">
              Start experiment
            </button>
          </form>
        </section>
        <section className="panel">
          <h2>All experiments</h2>
          {data.experiments.length === 0 ? (
            <p className="muted small">None yet.</p>
          ) : (
            <table className="table" data-testid="experiment-list">
              <thead>
                <tr>
                  <th>Name</th>
                  <th>Design</th>
                  <th>Blends</th>
                  <th>Status</th>
                  <th className="num">Planned listeners</th>
                </tr>
              </thead>
              <tbody>
                {data.experiments.map((e) => (
                  <tr key={e.id} data-experiment-id={e.id}>
                    <td>
                      <Link href={`/experiments?id=${e.id}`} aria-current={chosen?.id === e.id ? "true" : undefined}>
                        {e.name}
                      </Link>
                    </td>
                    <td>{e.design === "AB" ? "A/B" : "interleaving"}</td>
                    <td>
                      v{e.controlVersion} vs v{e.candidateVersion}
                    </td>
                    <td>{e.status.toLowerCase()}</td>
                    <td className="num">{count(e.sampleSize)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      </div>
    </>
  );
}
