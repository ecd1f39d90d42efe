"use client";

import { useEffect, useMemo, useState } from "react";
import { BLEND_CONSTRAINTS, BLEND_WEIGHTS } from "@deepcuts/models/blend/weights";
import { saveBlendConfig } from "../app/(console)/blend/actions.ts";
import { WEIGHT_NAMES, type BlendConfig, type BlendConstraints, type BlendWeights } from "../lib/blend.ts";
import { CONSTRAINT_NAMES } from "../lib/blend-form.ts";
import { browserGql, BrowserApiError } from "../lib/browser-graphql.ts";
import { PreviewDocument, type PreviewQuery } from "../lib/generated/graphql.ts";
import { BlendEvaluationPanel } from "./blend-evaluation.tsx";
import { PlaylistPreview, type PreviewResult } from "./playlist-preview.tsx";

// Wait for the slider to rest before asking the API: one preview per pause, not per pixel.
const DEBOUNCE_MS = 250;

/** The constraints with a slider, its range and step from the blend's one list (BLEND_CONSTRAINTS). */
const CONSTRAINT_SLIDERS = [
  { name: "artistCap", label: "artist cap" },
  { name: "knownArtistShare", label: "known-artist share" },
  { name: "diversity", label: "diversity" },
  { name: "playlistSize", label: "playlist size" },
] as const;

/** The exploration slots: the API always gives them, the input type lets them be left out (the default then). */
const explorationSlotsOf = (c: BlendConstraints) => c.explorationSlots ?? BLEND_CONSTRAINTS.explorationSlots.default;

function usePreview(userId: number | null, weights: BlendWeights, constraints: BlendConstraints, debounceMs: number) {
  const [state, setState] = useState<{ result: PreviewResult | null; error: string | null; loading: boolean }>({ result: null, error: null, loading: false });
  const settings = JSON.stringify({ weights, constraints });
  useEffect(() => {
    if (userId === null) return;
    const controller = new AbortController();
    setState((s) => ({ ...s, loading: true }));
    const timer = setTimeout(() => {
      browserGql<PreviewQuery>(PreviewDocument, { userId, ...(JSON.parse(settings) as Record<string, unknown>) }, controller.signal)
        .then((data) => setState({ result: data.previewPlaylist, error: null, loading: false }))
        .catch((error: unknown) => {
          if (controller.signal.aborted) return;
          const message = error instanceof BrowserApiError ? `${error.code}: ${error.message}` : String(error);
          setState({ result: null, error: message, loading: false });
        });
    }, debounceMs);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [userId, settings, debounceMs]);
  return state;
}

function Slider({
  label,
  name,
  value,
  min,
  max,
  step,
  onChange,
  colour,
}: {
  label: string;
  name: string;
  value: number;
  min: number;
  max: number;
  step: number;
  onChange: (v: number) => void;
  colour?: string;
}) {
  return (
    <label className="slider">
      <span className="slider-label">
        {colour ? <span className="swatch" style={{ background: colour }} /> : null}
        {label}
      </span>
      <input
        type="range"
        name={name}
        aria-label={label}
        data-testid={name}
        min={min}
        max={max}
        step={step}
        value={value}
        onChange={(e) => onChange(Number(e.target.value))}
      />
      <output className="slider-value">{value}</output>
    </label>
  );
}

/**
 * Sliders for every weight and constraint, and the playlist the chosen listener would get
 * under them, compared with the playlist under the active configuration.
 */
export function BlendEditor({ active, listeners }: { active: BlendConfig; listeners: { id: number; name: string }[] }) {
  const [weights, setWeights] = useState<BlendWeights>(active.weights);
  const [constraints, setConstraints] = useState<BlendConstraints>(active.constraints);
  const [userId, setUserId] = useState<number | null>(listeners[0]?.id ?? null);
  const current = usePreview(userId, weights, constraints, DEBOUNCE_MS);
  const baseline = usePreview(userId, active.weights, active.constraints, 0);
  const changed = useMemo(
    () => JSON.stringify({ weights, constraints }) !== JSON.stringify({ weights: active.weights, constraints: active.constraints }),
    [weights, constraints, active],
  );
  const activeTrackIds = useMemo(() => new Set(baseline.result?.items.map((i) => i.track.id) ?? []), [baseline.result]);
  const setConstraint = <K extends keyof BlendConstraints>(name: K, value: BlendConstraints[K]) =>
    // A shorter playlist takes the exploration slots down with it: they may not outnumber its songs.
    setConstraints((c) => {
      const next = { ...c, [name]: value };
      return name === "playlistSize" ? { ...next, explorationSlots: Math.min(explorationSlotsOf(c), next.playlistSize) } : next;
    });
  const slotSpec = BLEND_CONSTRAINTS.explorationSlots;

  return (
    <div className="blend">
      <section className="panel blend-controls">
        <h2>Weights</h2>
        {BLEND_WEIGHTS.map((spec) => (
          <Slider
            key={spec.name}
            label={spec.name}
            name={`weights.${spec.name}`}
            value={weights[spec.name]}
            min={spec.min}
            max={spec.max}
            step={spec.step}
            onChange={(v) => setWeights((w) => ({ ...w, [spec.name]: v }))}
          />
        ))}
        <h2>Constraints</h2>
        {CONSTRAINT_SLIDERS.map(({ name, label }) => {
          const spec = BLEND_CONSTRAINTS[name];
          return (
            <Slider
              key={name}
              label={label}
              name={`constraints.${name}`}
              value={constraints[name]}
              min={spec.min}
              max={spec.max}
              step={spec.step}
              onChange={(v) => setConstraint(name, v)}
            />
          );
        })}
        <label className="slider">
          <span className="slider-label">exploration slots</span>
          <input
            type="number"
            aria-label="exploration slots"
            data-testid="constraints.explorationSlots"
            min={slotSpec.min}
            max={constraints.playlistSize}
            step={slotSpec.step}
            value={explorationSlotsOf(constraints)}
            onChange={(e) => {
              const v = e.target.valueAsNumber;
              if (Number.isInteger(v)) setConstraint("explorationSlots", Math.max(slotSpec.min, Math.min(v, constraints.playlistSize)));
            }}
          />
          <output className="slider-value">of {constraints.playlistSize}</output>
        </label>
        <label className="checkbox">
          <input type="checkbox" checked={constraints.excludeSkipped} onChange={(e) => setConstraint("excludeSkipped", e.target.checked)} /> leave out skipped
          and disliked
        </label>
        <button type="button" className="link-button" onClick={() => (setWeights(active.weights), setConstraints(active.constraints))} disabled={!changed}>
          Reset to active (v{active.version})
        </button>
        <form action={saveBlendConfig} className="save-form">
          {WEIGHT_NAMES.map((n) => (
            <input key={n} type="hidden" name={`weights.${n}`} value={weights[n]} />
          ))}
          {CONSTRAINT_NAMES.map((n) => (
            <input
              key={n}
              type="hidden"
              name={`constraints.${n}`}
              value={String(n === "explorationSlots" ? explorationSlotsOf(constraints) : constraints[n])}
            />
          ))}
          <input name="note" placeholder="What changed and why" aria-label="Note for this version" maxLength={500} required />
          <button type="submit" disabled={!changed}>
            Save as new version
          </button>
        </form>
      </section>
      <section className="blend-preview">
        <label className="listener-pick">
          Preview for{" "}
          <select value={userId ?? ""} onChange={(e) => setUserId(Number(e.target.value))} aria-label="Listener to preview" data-testid="preview-listener">
            {listeners.map((l) => (
              <option key={l.id} value={l.id}>
                {l.name}
              </option>
            ))}
          </select>
        </label>
        <BlendEvaluationPanel weights={weights} constraints={constraints} changed={changed} />
        <PlaylistPreview current={current} activeTrackIds={changed ? activeTrackIds : null} />
      </section>
    </div>
  );
}
