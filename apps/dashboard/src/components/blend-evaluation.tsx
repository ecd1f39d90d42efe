"use client";

import { useCallback, useEffect, useState } from "react";
import type { BlendConstraints, BlendWeights } from "../lib/blend.ts";
import { browserGql, BrowserApiError } from "../lib/browser-graphql.ts";
import { count, delta, deltaPoints, metric, percent } from "../lib/format.ts";
import { EvaluateBlendDocument, OffPolicyDocument, type EvaluateBlendQuery, type OffPolicyQuery } from "../lib/generated/graphql.ts";

type Evaluation = EvaluateBlendQuery["evaluateBlend"];
type Metrics = NonNullable<Evaluation["candidate"]>;

// An evaluation scores a few hundred listeners twice: ask once the sliders have rested a while.
const DEBOUNCE_MS = 600;

const ROWS: {
  key: keyof Omit<Metrics, "__typename">;
  label: (e: Evaluation) => string;
  show: (v: number) => string;
  change: (d: number) => string;
  about: string;
}[] = [
  { key: "recall", label: (e) => `recall@${e.playlistSize}`, show: metric, change: delta, about: "held-out listening the playlists find" },
  { key: "coverage", label: () => "catalogue coverage", show: percent, change: deltaPoints, about: "distinct tracks placed / catalogue" },
  { key: "artistDiversity", label: () => "artist diversity", show: percent, change: deltaPoints, about: "distinct artists / tracks, per playlist" },
  {
    key: "novelty",
    label: () => "novelty (bits)",
    show: metric,
    change: delta,
    about: "how unfamiliar the tracks are: -log2 of the share of listeners who played each",
  },
];

/** Asks the API once the settings have rested, dropping the answer to settings that changed since. */
function useSettled<T>(
  enabled: boolean,
  weights: BlendWeights,
  constraints: BlendConstraints,
  ask: (variables: Record<string, unknown>, signal: AbortSignal) => Promise<T>,
) {
  const [state, setState] = useState<{ result: T | null; error: string | null; loading: boolean }>({ result: null, error: null, loading: enabled });
  const [attempt, setAttempt] = useState(0);
  const settings = JSON.stringify({ weights, constraints });
  useEffect(() => {
    if (!enabled) return;
    const controller = new AbortController();
    setState((s) => ({ ...s, loading: true }));
    const timer = setTimeout(() => {
      ask(JSON.parse(settings) as Record<string, unknown>, controller.signal)
        .then((result) => setState({ result, error: null, loading: false }))
        .catch((error: unknown) => {
          if (controller.signal.aborted) return;
          setState({ result: null, error: error instanceof BrowserApiError ? `${error.code}: ${error.message}` : String(error), loading: false });
        });
    }, DEBOUNCE_MS);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [settings, enabled, ask, attempt]);
  const retry = useCallback(() => setAttempt((a) => a + 1), []);
  return { ...state, retry };
}

// While the API prepares the validation split (a first evaluation after a model change), ask again this often.
const PREPARING_RETRY_MS = 2000;

const evaluate = (variables: Record<string, unknown>, signal: AbortSignal) =>
  browserGql<EvaluateBlendQuery>(EvaluateBlendDocument, variables, signal).then((d) => d.evaluateBlend);
const estimate = (variables: Record<string, unknown>, signal: AbortSignal) =>
  browserGql<OffPolicyQuery>(OffPolicyDocument, variables, signal).then((d) => d.offPolicyEstimate);

/** The off-policy estimate of the settings' stream rate from the logged slots, with what it rests on. */
function OffPolicyRow({ weights, constraints }: { weights: BlendWeights; constraints: BlendConstraints }) {
  const { result, error, loading, retry } = useSettled(true, weights, constraints, estimate);
  return (
    <div
      className="off-policy"
      data-testid="off-policy"
      aria-busy={loading}
      data-value={result?.streamRate.value}
      data-lower={result?.streamRate.lower}
      data-upper={result?.streamRate.upper}
    >
      <h3>Expected stream rate, from what listeners did</h3>
      {error ? (
        <RetryableProblem error={error} retry={retry} />
      ) : !result ? (
        <p className="muted small">Re-ranking the logged playlists under these settings…</p>
      ) : result.matchedSlots === 0 ? (
        <p className="muted small">None of the {count(result.loggedSlots)} logged slots is one these settings would serve: no estimate.</p>
      ) : (
        <p className={loading ? "stale small" : "small"}>
          <strong>{percent(result.streamRate.value)}</strong> ({percent(result.streamRate.lower)}–{percent(result.streamRate.upper)}, 95%) of its slots
          streamed, estimated by self-normalised inverse propensity from {count(result.matchedSlots)} of {count(result.loggedSlots)} logged slots in{" "}
          {count(result.playlists)} playlists ({result.weeks.join(", ")}; {count(result.explorationMatches)} of them exploration draws; worth{" "}
          {metric(result.effectiveSampleSize)} equally weighted slots).
        </p>
      )}
    </div>
  );
}

/** A failed request's message, with a way to send it again. */
function RetryableProblem({ error, retry }: { error: string; retry: () => void }) {
  return (
    <p className="problem small" role="alert">
      {error}{" "}
      <button type="button" className="link-button" onClick={retry}>
        Try again
      </button>
    </p>
  );
}

/**
 * The unsaved settings on the validation split beside the active configuration (same
 * listeners): what a change costs before anyone activates it.
 */
export function BlendEvaluationPanel({ weights, constraints, changed }: { weights: BlendWeights; constraints: BlendConstraints; changed: boolean }) {
  const { result: answer, error, loading: asking, retry } = useSettled<Evaluation>(true, weights, constraints, evaluate);
  const preparing = answer !== null && !answer.ready;
  // Ask again once the answer "not ready yet" has arrived, never while a request is in flight.
  const waitAgain = preparing && !asking;
  useEffect(() => {
    if (!waitAgain) return;
    const timer = setTimeout(retry, PREPARING_RETRY_MS);
    return () => clearTimeout(timer);
  }, [waitAgain, retry]);
  const result = answer?.ready ? answer : null;
  const loading = asking || preparing;
  return (
    <section className="panel blend-evaluation" data-testid="blend-evaluation" aria-busy={loading} aria-labelledby="blend-evaluation-title">
      <h2 id="blend-evaluation-title">On the validation split</h2>
      {error ? (
        <RetryableProblem error={error} retry={retry} />
      ) : !result ? (
        <p className="muted small">
          {preparing
            ? "Preparing the validation split (refitting the collaborative model on its training part)…"
            : "Evaluating these settings on held-out listening…"}
        </p>
      ) : (
        <div className={loading ? "stale" : undefined}>
          <table className="table" data-listeners={result.listeners}>
            <thead>
              <tr>
                <th>Measure</th>
                <th className="num">Active v{result.activeVersion}</th>
                <th className="num">{changed ? "Unsaved" : "These settings"}</th>
                <th className="num">Change</th>
              </tr>
            </thead>
            <tbody>
              {ROWS.map((r) => {
                const before = result.active![r.key],
                  after = result.candidate![r.key];
                const difference = after - before;
                return (
                  <tr key={r.key} data-measure={r.key} data-active={before} data-candidate={after} title={r.about}>
                    <td>{r.label(result)}</td>
                    <td className="num">{r.show(before)}</td>
                    <td className="num">
                      <strong>{r.show(after)}</strong>
                    </td>
                    <td className={difference > 0 ? "num small up" : difference < 0 ? "num small down" : "num small muted"}>{r.change(difference)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          <p className="muted small" data-testid="evaluation-note">
            {count(result.listeners)} listeners with held-out listening ({count(result.heldOutTracks)} held-out listener-track pairs in the split)
            {result.complete ? "" : `, of ${count(result.sampled)} sampled: the time budget ran out`};{" "}
            {result.seconds < 1 ? "under a second" : `${metric(result.seconds)} s`}.
          </p>
        </div>
      )}
      <OffPolicyRow weights={weights} constraints={constraints} />
    </section>
  );
}
