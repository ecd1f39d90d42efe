import Link from "next/link";
import { COLOUR_BY_LABEL, MISSING, colouring, type ColourablePoint, type ColourBy } from "../lib/map-colours.ts";

export interface ProjectedPoint extends ColourablePoint {
  id: number;
  label: string;
  x: number;
  y: number;
}

/**
 * The 2-D projection as server-drawn SVG: each point links to its track, so the map needs no
 * client code. Points are coloured by `colourBy` with a legend below; points whose label
 * matches `search` are drawn larger and outlined.
 */
export function ProjectionMap({ points, colourBy, search, selected, hrefFor }: { points: ProjectedPoint[]; colourBy: ColourBy; search: string; selected: number | null; hrefFor: (id: number) => string }) {
  const width = 720;
  const height = 460;
  const pad = 16;
  const xs = points.map((p) => p.x);
  const ys = points.map((p) => p.y);
  const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  const sx = (x: number) => pad + ((width - 2 * pad) * (x - x0)) / (x1 - x0 || 1);
  const sy = (y: number) => height - pad - ((height - 2 * pad) * (y - y0)) / (y1 - y0 || 1);
  const colours = colouring(points, colourBy);
  const needle = search.toLowerCase();
  const hit = (p: ProjectedPoint) => needle !== "" && p.label.toLowerCase().includes(needle);
  // Points without a value go underneath; matches and the selected track on top of the crowd.
  const layer = (p: ProjectedPoint) => (hit(p) || p.id === selected ? 2 : colours.colourOf(p) === MISSING ? 0 : 1);
  const ordered = [...points].sort((a, b) => layer(a) - layer(b));
  return (
    <div className="map">
      <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-label={`${points.length} tracks projected to two dimensions, coloured by ${COLOUR_BY_LABEL[colourBy]}`} data-testid="projection" data-colour-by={colourBy}>
        {ordered.map((p) => {
          const emphasised = hit(p) || p.id === selected;
          const colour = colours.colourOf(p);
          return (
            <Link key={p.id} href={hrefFor(p.id)} data-track-id={p.id} className={hit(p) ? "point hit" : "point"}>
              <circle cx={sx(p.x)} cy={sy(p.y)} r={emphasised ? 6 : 3.5} fill={colour} data-colour={colour} fillOpacity={needle && !emphasised ? 0.35 : 0.85} stroke={emphasised ? "#1b1f24" : "none"} strokeWidth={1.5}>
                <title>{`${p.label} (${colours.valueOf(p)})`}</title>
              </circle>
            </Link>
          );
        })}
      </svg>
      <div className="legend small" data-testid="map-legend">
        {colours.scale ? (
          <span className="scale" data-testid="map-scale" data-min={colours.scale.min} data-max={colours.scale.max}>
            {colours.scale.min.toFixed(0)} <span className="scale-bar" style={{ background: colours.scale.gradient }} /> {colours.scale.max.toFixed(0)} {colours.scale.unit}
          </span>
        ) : null}
        {colours.legend.map((entry) => (
          <span key={entry.label} data-legend-label={entry.label} data-count={entry.count} data-colour={entry.colour}>
            <span className="swatch" style={{ background: entry.colour }} /> {entry.label} <span className="muted">{entry.count}</span>
          </span>
        ))}
      </div>
    </div>
  );
}
