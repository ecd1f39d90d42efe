import { delta, when } from "../lib/format.ts";
import { curveRank, historyCurves, type Curve } from "../lib/history.ts";
import { formatMetric, METRIC_LABEL, numericMetrics, QUALITY_METRICS } from "../lib/model-metrics.ts";
import { LineChart, SERIES_COLOURS } from "./line-chart.tsx";

export interface ComparedVersion {
  id: number;
  kind: string;
  status: string;
  isActive: boolean;
  finishedAt?: string | null;
  metrics?: unknown;
  history?: unknown;
}

/**
 * Model versions side by side: every metric any of them recorded (quality measures first), each
 * column's change against the first, then each history curve with one line per version.
 */
export function VersionComparison({ versions }: { versions: ComparedVersion[] }) {
  const names = [...new Set(versions.flatMap((v) => numericMetrics(v).map(([n]) => n)))];
  const quality = QUALITY_METRICS.filter((q) => names.includes(q));
  const rows = [...quality, ...names.filter((n) => !(QUALITY_METRICS as readonly string[]).includes(n))];
  const value = (v: ComparedVersion, n: string) => numericMetrics(v).find(([m]) => m === n)?.[1] ?? null;
  const curves = new Map<string, { label: string; step: string; perVersion: { v: ComparedVersion; curve: Curve }[] }>();
  for (const v of versions) {
    for (const c of historyCurves(v.history)) {
      if (!curves.has(c.id)) curves.set(c.id, { label: c.label, step: c.step, perVersion: [] });
      curves.get(c.id)!.perVersion.push({ v, curve: c });
    }
  }
  const name = (v: ComparedVersion) => `${v.kind.toLowerCase()} v${v.id}`;
  const colour = (v: ComparedVersion) => SERIES_COLOURS[versions.indexOf(v) % SERIES_COLOURS.length];
  const base = versions[0];
  return (
    <div className="comparison" data-testid="version-comparison" data-versions={versions.map((v) => v.id).join(",")}>
      <table className="table metrics-table" data-testid="comparison-metrics">
        <thead>
          <tr>
            <th>Measure</th>
            {versions.map((v) => (
              <th key={v.id} className="num" data-version-id={v.id}>
                <span className="swatch" style={{ background: colour(v) }} /> {name(v)}
                {v.isActive ? " (active)" : ""}
                <div className="muted small">{v.status === "READY" ? when(v.finishedAt) : v.status.toLowerCase()}</div>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((n) => (
            <tr key={n} data-metric={n}>
              <td>{METRIC_LABEL[n] ?? n}</td>
              {versions.map((v) => {
                const x = value(v, n);
                const b = v === base ? null : value(base, n);
                return (
                  <td key={v.id} className="num" data-version-id={v.id} data-value={x ?? undefined}>
                    {x === null ? "–" : formatMetric(n, x)}
                    {x !== null && b !== null ? <span className={`small ${x > b ? "up" : x < b ? "down" : "muted"}`}> {delta(x - b)}</span> : null}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
      {curves.size === 0 ? (
        <p className="muted small">These versions recorded no per-iteration history.</p>
      ) : (
        <div className="charts" data-testid="comparison-curves">
          {[...curves.entries()]
            .sort((a, b) => curveRank(a[0]) - curveRank(b[0]))
            .map(([id, c]) => (
              <LineChart
                key={id}
                title={c.label}
                step={c.step}
                testId={`curve-${id}`}
                series={c.perVersion.map(({ v, curve }) => ({ name: name(v), colour: colour(v), points: curve.points }))}
              />
            ))}
        </div>
      )}
    </div>
  );
}
