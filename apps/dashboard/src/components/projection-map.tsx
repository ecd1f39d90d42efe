import Link from "next/link";
import { genreColours } from "../lib/vectors.ts";

export interface ProjectedPoint {
  id: number;
  label: string;
  genre: string | null;
  x: number;
  y: number;
}

/**
 * The 2-D projection as server-drawn SVG: each point links to its track, so the map needs no
 * client code. Points whose label matches `search` are drawn larger and outlined.
 */
export function ProjectionMap({ points, search, selected, hrefFor }: { points: ProjectedPoint[]; search: string; selected: number | null; hrefFor: (id: number) => string }) {
  const width = 720;
  const height = 460;
  const pad = 16;
  const xs = points.map((p) => p.x);
  const ys = points.map((p) => p.y);
  const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  const sx = (x: number) => pad + ((width - 2 * pad) * (x - x0)) / (x1 - x0 || 1);
  const sy = (y: number) => height - pad - ((height - 2 * pad) * (y - y0)) / (y1 - y0 || 1);
  const colours = genreColours(points.map((p) => p.genre));
  const needle = search.toLowerCase();
  const hit = (p: ProjectedPoint) => needle !== "" && p.label.toLowerCase().includes(needle);
  // Matches and the selected track are drawn last, on top of the crowd.
  const ordered = [...points].sort((a, b) => Number(hit(a) || a.id === selected) - Number(hit(b) || b.id === selected));
  return (
    <div className="map">
      <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-label={`${points.length} tracks projected to two dimensions`} data-testid="projection">
        {ordered.map((p) => {
          const emphasised = hit(p) || p.id === selected;
          return (
            <Link key={p.id} href={hrefFor(p.id)} data-track-id={p.id} className={hit(p) ? "point hit" : "point"}>
              <circle cx={sx(p.x)} cy={sy(p.y)} r={emphasised ? 6 : 3.5} fill={colours.get(p.genre ?? "unknown")} fillOpacity={needle && !emphasised ? 0.35 : 0.85} stroke={emphasised ? "#1b1f24" : "none"} strokeWidth={1.5}>
                <title>{`${p.label}${p.genre ? ` (${p.genre})` : ""}`}</title>
              </circle>
            </Link>
          );
        })}
      </svg>
      <div className="legend small">
        {[...colours].map(([genre, colour]) => (
          <span key={genre}>
            <span className="swatch" style={{ background: colour }} /> {genre}
          </span>
        ))}
      </div>
    </div>
  );
}
