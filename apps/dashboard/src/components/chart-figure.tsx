import type { ReactNode } from "react";

/** A chart's size and the margins around its plot area, in SVG units. */
export interface ChartBox {
  width: number;
  height: number;
  left: number;
  right: number;
  top: number;
  bottom: number;
}

/**
 * What every server-drawn chart shares: the figure with its caption, the SVG whose accessible
 * name is the title and `summary` (so the figure reads without the picture), both axes, and a
 * legend when there is more than one series. `children` draw the labels and the series.
 */
export function ChartFigure({
  title,
  summary,
  box,
  series,
  testId,
  children,
}: {
  title: string;
  summary: string;
  box: ChartBox;
  series: { name: string; colour: string }[];
  testId?: string;
  children: ReactNode;
}) {
  const { width, height, left, right, top, bottom } = box;
  return (
    <figure className="line-chart" data-testid={testId}>
      <figcaption>{title}</figcaption>
      <svg viewBox={`0 0 ${width} ${height}`} width={width} height={height} role="img" aria-label={`${title}: ${summary}`}>
        <line x1={left} x2={width - right} y1={height - bottom} y2={height - bottom} stroke="#c9ced6" />
        <line x1={left} x2={left} y1={top} y2={height - bottom} stroke="#c9ced6" />
        {children}
      </svg>
      {series.length > 1 ? (
        <div className="legend small">
          {series.map((s) => (
            <span key={s.name}>
              <span className="swatch" style={{ background: s.colour }} /> {s.name}
            </span>
          ))}
        </div>
      ) : null}
    </figure>
  );
}
