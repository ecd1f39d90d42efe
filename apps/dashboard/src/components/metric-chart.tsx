/**
 * One series (a metric over model versions, or a loss over iterations) as a small server-drawn
 * SVG line chart: no client code. `unit` prefixes the x labels ("v" for version, "it " for iteration).
 */
export function MetricChart({ name, points, unit = "v" }: { name: string; points: { at: number; value: number }[]; unit?: string }) {
  const width = 260;
  const height = 110;
  const pad = 24;
  const values = points.map((p) => p.value);
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  const x = (i: number) => (points.length === 1 ? width / 2 : pad + ((width - 2 * pad) * i) / (points.length - 1));
  // A flat series (or a single version) sits mid-height rather than dividing by zero.
  const y = (v: number) => (hi === lo ? height / 2 : height - pad - ((height - 2 * pad) * (v - lo)) / (hi - lo));
  const path = points.map((p, i) => `${i === 0 ? "M" : "L"}${x(i).toFixed(1)},${y(p.value).toFixed(1)}`).join(" ");
  const last = points[points.length - 1];
  return (
    <figure className="metric-chart">
      <figcaption>
        {name} <strong>{last.value.toFixed(3)}</strong>
      </figcaption>
      <svg width={width} height={height} role="img" aria-label={`${name} over ${points.length} points`}>
        <line x1={pad} x2={width - pad} y1={height - pad} y2={height - pad} stroke="#e1e4e8" />
        <path d={path} fill="none" stroke="#1f6f5c" strokeWidth={2} />
        {points.map((p, i) => (
          <circle key={p.at} cx={x(i)} cy={y(p.value)} r={3} fill="#1f6f5c">
            <title>{`${unit}${p.at}: ${p.value}`}</title>
          </circle>
        ))}
        <text x={pad} y={height - 6} fontSize={10} fill="#5b6470">
          {unit}
          {points[0].at}
        </text>
        <text x={width - pad} y={height - 6} fontSize={10} fill="#5b6470" textAnchor="end">
          {unit}
          {last.at}
        </text>
      </svg>
    </figure>
  );
}
