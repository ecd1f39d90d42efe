import { percent } from "../lib/format.ts";
import { ChartFigure, type ChartBox } from "./chart-figure.tsx";

export interface IntervalSeries {
  name: string;
  colour: string;
  points: { x: string; value: number; lower: number | null; upper: number | null }[];
}

/**
 * One measure over weeks, one line per series, each point with its confidence interval as a
 * vertical whisker; server-drawn SVG. Weeks are categories on the x axis (oldest left). A series
 * of one week is a dot with its whisker. The accessible name gives each series' latest value
 * and interval, so the figure reads without the picture.
 */
export function IntervalChart({
  title,
  series,
  format = percent,
  testId,
}: {
  title: string;
  series: IntervalSeries[];
  format?: (v: number) => string;
  testId?: string;
}) {
  const box: ChartBox = { width: 340, height: 180, left: 48, right: 14, top: 10, bottom: 28 };
  const { width, height, left, right, top, bottom } = box;
  const xs = [...new Set(series.flatMap((s) => s.points.map((p) => p.x)))].sort();
  if (xs.length === 0) return null;
  const ys = series.flatMap((s) => s.points.flatMap((p) => [p.value, p.lower ?? p.value, p.upper ?? p.value]));
  let [y0, y1] = [Math.min(...ys), Math.max(...ys)];
  if (y1 === y0) [y0, y1] = [y0 - 1e-9, y1 + 1e-9];
  const sx = (x: string) => (xs.length === 1 ? (left + width - right) / 2 : left + ((width - left - right) * xs.indexOf(x)) / (xs.length - 1));
  const sy = (y: number) => height - bottom - ((height - top - bottom) * (y - y0)) / (y1 - y0);
  // Several versions in one week sit side by side, not on top of each other.
  const nudge = (i: number) => (series.length > 1 ? (i - (series.length - 1) / 2) * 5 : 0);
  const summary = series
    .filter((s) => s.points.length)
    .map((s) => {
      const last = s.points[s.points.length - 1];
      return `${s.name} ${format(last.value)}${last.lower !== null && last.upper !== null ? ` (${format(last.lower)} to ${format(last.upper)})` : ""} in the week of ${last.x}`;
    })
    .join("; ");
  return (
    <ChartFigure title={title} summary={summary} box={box} series={series} testId={testId}>
      <text x={left - 4} y={sy(y1) + 4} fontSize={10} textAnchor="end" fill="#5b6470">
        {format(y1)}
      </text>
      <text x={left - 4} y={sy(y0) + 4} fontSize={10} textAnchor="end" fill="#5b6470">
        {format(y0)}
      </text>
      <text x={xs.length === 1 ? sx(xs[0]) : left} y={height - 8} fontSize={10} textAnchor={xs.length === 1 ? "middle" : "start"} fill="#5b6470">
        {xs[0]}
      </text>
      {xs.length > 1 ? (
        <text x={width - right} y={height - 8} fontSize={10} textAnchor="end" fill="#5b6470">
          {xs[xs.length - 1]}
        </text>
      ) : null}
      {series.map((s, i) => {
        const path = s.points.map((p, k) => `${k === 0 ? "M" : "L"}${(sx(p.x) + nudge(i)).toFixed(1)},${sy(p.value).toFixed(1)}`).join(" ");
        return (
          <g key={s.name} data-series={s.name} data-count={s.points.length}>
            {s.points.length > 1 ? <path d={path} fill="none" stroke={s.colour} strokeWidth={2} /> : null}
            {s.points.map((p) => (
              <g key={p.x} data-week={p.x} data-value={p.value} data-lower={p.lower ?? undefined} data-upper={p.upper ?? undefined}>
                {p.lower !== null && p.upper !== null ? (
                  <line x1={sx(p.x) + nudge(i)} x2={sx(p.x) + nudge(i)} y1={sy(p.lower)} y2={sy(p.upper)} stroke={s.colour} strokeWidth={1.5} opacity={0.6} />
                ) : null}
                <circle cx={sx(p.x) + nudge(i)} cy={sy(p.value)} r={3} fill={s.colour}>
                  <title>{`${s.name}, week of ${p.x}: ${format(p.value)}${p.lower !== null && p.upper !== null ? ` (95% interval ${format(p.lower)} to ${format(p.upper)})` : ""}`}</title>
                </circle>
              </g>
            ))}
          </g>
        );
      })}
    </ChartFigure>
  );
}
