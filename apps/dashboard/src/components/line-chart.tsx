import { metricValue } from "../lib/format.ts";
import { ChartFigure, type ChartBox } from "./chart-figure.tsx";

export interface ChartSeries {
  name: string;
  colour: string;
  points: { at: number; value: number }[];
}

/** Versions' colours when compared: distinct and readable by most colour-blind viewers. */
export const SERIES_COLOURS = ["#1f6f5c", "#d9822b", "#3a78c2", "#c2418a", "#7a4fb3", "#4f9d2d"];

/**
 * One measure over iterations (or epochs), one line per series, server-drawn SVG with both
 * axes' ends labelled. A series of one point is drawn as a dot. Its accessible name lists each
 * series' last value, so the figure reads without the picture.
 */
export function LineChart({ title, step, series, testId }: { title: string; step: string; series: ChartSeries[]; testId?: string }) {
  const box: ChartBox = { width: 340, height: 170, left: 48, right: 10, top: 10, bottom: 26 };
  const { width, height, left, right, top, bottom } = box;
  const all = series.flatMap((s) => s.points);
  if (all.length === 0) return null;
  const [x0, x1] = [Math.min(...all.map((p) => p.at)), Math.max(...all.map((p) => p.at))];
  const [y0, y1] = [Math.min(...all.map((p) => p.value)), Math.max(...all.map((p) => p.value))];
  const sx = (x: number) => (x1 === x0 ? (left + width - right) / 2 : left + ((width - left - right) * (x - x0)) / (x1 - x0));
  const sy = (y: number) => (y1 === y0 ? (top + height - bottom) / 2 : height - bottom - ((height - top - bottom) * (y - y0)) / (y1 - y0));
  const summary = series
    .filter((s) => s.points.length)
    .map((s) => `${s.name} ${metricValue(s.points[s.points.length - 1].value)} at ${step} ${s.points[s.points.length - 1].at}`)
    .join("; ");
  return (
    <ChartFigure title={title} summary={summary} box={box} series={series} testId={testId}>
      <text x={left - 4} y={sy(y1) + 4} fontSize={10} textAnchor="end" fill="#5b6470">
        {metricValue(y1)}
      </text>
      {y1 !== y0 ? (
        <text x={left - 4} y={sy(y0) + 4} fontSize={10} textAnchor="end" fill="#5b6470">
          {metricValue(y0)}
        </text>
      ) : null}
      <text x={left} y={height - 8} fontSize={10} fill="#5b6470">
        {step} {x0}
      </text>
      <text x={width - right} y={height - 8} fontSize={10} textAnchor="end" fill="#5b6470">
        {x1}
      </text>
      {series.map((s) => {
        const path = s.points.map((p, i) => `${i === 0 ? "M" : "L"}${sx(p.at).toFixed(1)},${sy(p.value).toFixed(1)}`).join(" ");
        return (
          <g key={s.name} data-series={s.name} data-count={s.points.length} data-last={s.points.length ? s.points[s.points.length - 1].value : undefined}>
            {s.points.length > 1 ? <path d={path} fill="none" stroke={s.colour} strokeWidth={2} /> : null}
            {s.points.map((p) => (
              <circle key={p.at} cx={sx(p.at)} cy={sy(p.value)} r={s.points.length > 12 ? 1.5 : 2.5} fill={s.colour}>
                <title>{`${s.name}, ${step} ${p.at}: ${metricValue(p.value)}`}</title>
              </circle>
            ))}
          </g>
        );
      })}
    </ChartFigure>
  );
}
