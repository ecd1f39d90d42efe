import { metricValue } from "../lib/format.ts";

/**
 * A word-sized line for a series of two or more points (server-drawn SVG), with its first and
 * last values in the accessible name. A single value gets no line: there is no trend to show.
 */
export function Sparkline({ points, label, unit = "v" }: { points: { at: number; value: number }[]; label: string; unit?: string }) {
  if (points.length < 2) return null;
  const width = 96;
  const height = 22;
  const values = points.map((p) => p.value);
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  const x = (i: number) => 2 + ((width - 4) * i) / (points.length - 1);
  const y = (v: number) => (hi === lo ? height / 2 : height - 3 - ((height - 6) * (v - lo)) / (hi - lo));
  const path = points.map((p, i) => `${i === 0 ? "M" : "L"}${x(i).toFixed(1)},${y(p.value).toFixed(1)}`).join(" ");
  const first = points[0];
  const last = points[points.length - 1];
  return (
    <svg
      className="sparkline"
      width={width}
      height={height}
      role="img"
      aria-label={`${label}: ${metricValue(first.value)} at ${unit}${first.at}, ${metricValue(last.value)} at ${unit}${last.at}, ${points.length} points`}
    >
      <path d={path} fill="none" stroke="#1f6f5c" strokeWidth={1.5} />
      <circle cx={x(points.length - 1)} cy={y(last.value)} r={2} fill="#1f6f5c" />
    </svg>
  );
}
