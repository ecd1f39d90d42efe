import { count } from "../lib/format.ts";
import { COLOUR_BY_LABEL, MISSING, colouring, type ColourablePoint, type ColourBy } from "../lib/map-colours.ts";
import { VectorMap, type MapData } from "./vector-map.tsx";

export interface ProjectedPoint extends ColourablePoint {
  id: number;
  label: string;
  x: number;
  y: number;
}

/**
 * The 2-D projection: colours and the legend are worked out here on the server, the points go to
 * the canvas (VectorMap) as parallel arrays, so the page sends no markup per point.
 */
export function ProjectionMap({
  points,
  colourBy,
  search,
  selected,
  trackHref,
  fileStem,
}: {
  points: ProjectedPoint[];
  colourBy: ColourBy;
  search: string;
  selected: number | null;
  trackHref: string;
  fileStem: string;
}) {
  const colours = colouring(points, colourBy);
  const palette: string[] = [];
  const index = new Map<string, number>();
  const colourIndex = points.map((p) => {
    const c = colours.colourOf(p);
    if (!index.has(c)) {
      index.set(c, palette.length);
      palette.push(c);
    }
    return index.get(c)!;
  });
  const data: MapData = {
    ids: points.map((p) => p.id),
    labels: points.map((p) => p.label),
    xs: points.map((p) => p.x),
    ys: points.map((p) => p.y),
    colours: colourIndex,
    palette,
    underneath: index.has(MISSING) ? [index.get(MISSING)!] : [],
    values: points.map((p) => colours.valueOf(p)),
  };
  return (
    <div className="map" data-colour-by={colourBy}>
      <VectorMap
        data={data}
        selectedId={selected}
        initialSearch={search}
        trackHref={trackHref}
        description={`${count(points.length)} tracks projected to two dimensions, coloured by ${COLOUR_BY_LABEL[colourBy]}`}
        fileStem={fileStem}
      />
      <div className="legend small" data-testid="map-legend">
        {colours.scale ? (
          <span className="scale" data-testid="map-scale" data-min={colours.scale.min} data-max={colours.scale.max}>
            {colours.scale.min.toFixed(0)} <span className="scale-bar" style={{ background: colours.scale.gradient }} /> {colours.scale.max.toFixed(0)}{" "}
            {colours.scale.unit}
          </span>
        ) : null}
        {colours.legend.map((entry) => (
          <span key={entry.label} data-legend-label={entry.label} data-count={entry.count} data-colour={entry.colour}>
            <span className="swatch" style={{ background: entry.colour }} /> {entry.label} <span className="muted">{count(entry.count)}</span>
          </span>
        ))}
      </div>
    </div>
  );
}
