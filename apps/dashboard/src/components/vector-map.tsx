"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect, useMemo, useRef, useState } from "react";
import { saveFile, toGexf, toTsv } from "../lib/downloads.ts";
import { bucketsByColour, closestTo, drawPoints, fitTransform, PointGrid, project, step, type Direction } from "../lib/map-draw.ts";

/** The map's points as parallel arrays (compact to send, fast to draw). */
export interface MapData {
  ids: number[];
  labels: string[];
  xs: number[];
  ys: number[];
  /** Index into `palette` per point. */
  colours: number[];
  palette: string[];
  /** Colour indices drawn underneath the rest (points without a value). */
  underneath: number[];
  /** Each point's value under the colouring, for the tooltip and the keyboard's announcements. */
  values: string[];
}

const WIDTH = 720;
const HEIGHT = 460;
const PAD = 16;
const KEYS: Record<string, Direction> = { ArrowLeft: "left", ArrowRight: "right", ArrowUp: "up", ArrowDown: "down" };

/**
 * The 2-D projection on a canvas: one tab stop; arrow keys walk from point to point and Enter
 * opens the focused track; the wheel zooms and dragging pans; a search box highlights the
 * tracks whose label matches. Downloads (TSV, GEXF, PNG) are made here from the points shown.
 */
export function VectorMap({
  data,
  selectedId,
  initialSearch,
  trackHref,
  description,
  fileStem,
}: {
  data: MapData;
  selectedId: number | null;
  initialSearch: string;
  /** The page's URL for a track id, without the id ("/vectors?...&track="). */
  trackHref: string;
  description: string;
  fileStem: string;
}) {
  const router = useRouter();
  const canvas = useRef<HTMLCanvasElement>(null);
  const [search, setSearch] = useState(initialSearch);
  const [focused, setFocused] = useState(-1);
  const [hovered, setHovered] = useState(-1);
  const [view, setView] = useState({ zoom: 1, panX: 0, panY: 0 });
  const [drawMs, setDrawMs] = useState<number | null>(null);
  const drag = useRef<{ x: number; y: number; panX: number; panY: number; moved: boolean } | null>(null);
  const n = data.ids.length;

  const xs = useMemo(() => Float32Array.from(data.xs), [data.xs]);
  const ys = useMemo(() => Float32Array.from(data.ys), [data.ys]);
  const buckets = useMemo(() => bucketsByColour(data.colours, data.palette.length, data.underneath), [data.colours, data.palette.length, data.underneath]);
  const bucketColours = useMemo(
    () => [...data.underneath, ...data.palette.map((_, c) => c).filter((c) => !data.underneath.includes(c))],
    [data.palette, data.underneath],
  );
  const transform = useMemo(() => fitTransform(xs, ys, WIDTH, HEIGHT, PAD, view), [xs, ys, view]);
  const screen = useMemo(() => project(xs, ys, transform), [xs, ys, transform]);
  const grid = useMemo(() => new PointGrid(screen.sx, screen.sy, WIDTH, HEIGHT), [screen]);
  const needle = search.trim().toLowerCase();
  const matches = useMemo(() => {
    if (!needle) return null;
    const found: number[] = [];
    for (let i = 0; i < n; i++) if (data.labels[i].toLowerCase().includes(needle)) found.push(i);
    return Int32Array.from(found);
  }, [needle, n, data.labels]);
  const selected = selectedId === null ? -1 : data.ids.indexOf(selectedId);
  // How many points wear each colour, counted from what is drawn (the legend's counts must agree).
  const colourCounts = useMemo(() => {
    const counts: Record<string, number> = {};
    for (const c of data.colours) counts[data.palette[c]] = (counts[data.palette[c]] ?? 0) + 1;
    return JSON.stringify(counts);
  }, [data.colours, data.palette]);

  useEffect(() => {
    const c = canvas.current;
    const ctx = c?.getContext("2d");
    if (!c || !ctx) return;
    const frame = requestAnimationFrame(() => {
      const started = performance.now();
      const dpr = Math.min(2, window.devicePixelRatio || 1);
      if (c.width !== Math.round(WIDTH * dpr)) [c.width, c.height] = [Math.round(WIDTH * dpr), Math.round(HEIGHT * dpr)];
      drawPoints(ctx, screen.sx, screen.sy, buckets, {
        width: WIDTH,
        height: HEIGHT,
        pixelRatio: dpr,
        palette: data.palette,
        bucketColours,
        colourIndex: data.colours,
        radius: n > 10_000 ? 1.5 : n > 2_000 ? 2.5 : 3.5,
        highlighted: matches,
        selected,
        focused,
      });
      setDrawMs(performance.now() - started);
    });
    return () => cancelAnimationFrame(frame);
  }, [screen, buckets, bucketColours, data.palette, data.colours, matches, selected, focused, n]);

  const open = (i: number) => router.push(`${trackHref}${data.ids[i]}`, { scroll: false });
  const describe = (i: number) => `${data.labels[i]} (${data.values[i]})`;

  function onKeyDown(e: React.KeyboardEvent<HTMLCanvasElement>) {
    if (n === 0) return;
    const direction = KEYS[e.key];
    const from = focused >= 0 ? focused : selected >= 0 ? selected : closestTo(screen.sx, screen.sy, WIDTH / 2, HEIGHT / 2);
    if (direction) {
      e.preventDefault();
      setFocused(focused >= 0 || selected >= 0 ? step(screen.sx, screen.sy, from, direction) : from);
    } else if (e.key === "Enter" || e.key === " ") {
      e.preventDefault();
      if (focused >= 0) open(focused);
      else setFocused(from);
    } else if (e.key === "+" || e.key === "=") {
      setView((v) => ({ ...v, zoom: Math.min(40, v.zoom * 1.5) }));
    } else if (e.key === "-") {
      setView((v) => ({ ...v, zoom: Math.max(1, v.zoom / 1.5) }));
    } else if (e.key === "0") {
      setView({ zoom: 1, panX: 0, panY: 0 });
    }
  }

  function pointAt(e: React.PointerEvent<HTMLCanvasElement> | React.MouseEvent<HTMLCanvasElement>): number {
    const box = e.currentTarget.getBoundingClientRect();
    return grid.nearest(((e.clientX - box.left) * WIDTH) / box.width, ((e.clientY - box.top) * HEIGHT) / box.height, 8);
  }

  function onWheel(e: React.WheelEvent<HTMLCanvasElement>) {
    const box = e.currentTarget.getBoundingClientRect();
    const [mx, my] = [((e.clientX - box.left) * WIDTH) / box.width, ((e.clientY - box.top) * HEIGHT) / box.height];
    setView((v) => {
      const zoom = Math.min(40, Math.max(1, v.zoom * (e.deltaY < 0 ? 1.25 : 0.8)));
      const k = zoom / v.zoom;
      // Keep the point under the pointer where it is.
      const [cx, cy] = [WIDTH / 2 + v.panX, HEIGHT / 2 + v.panY];
      return zoom === 1 ? { zoom, panX: 0, panY: 0 } : { zoom, panX: v.panX + (mx - cx) * (1 - k), panY: v.panY + (my - cy) * (1 - k) };
    });
  }

  function download(kind: "tsv" | "gexf" | "png") {
    if (kind === "png") {
      canvas.current?.toBlob((blob) => blob && saveFile(`${fileStem}.png`, blob), "image/png");
      return;
    }
    if (kind === "tsv") {
      const rows = data.ids.map((id, i) => [id, data.labels[i], data.xs[i], data.ys[i], data.values[i], data.palette[data.colours[i]]]);
      saveFile(`${fileStem}.tsv`, toTsv(["id", "label", "x", "y", "value", "colour"], rows), "text/tab-separated-values");
      return;
    }
    const nodes = data.ids.map((id, i) => ({ id, label: data.labels[i], x: data.xs[i], y: data.ys[i], colour: data.palette[data.colours[i]] }));
    saveFile(`${fileStem}.gexf`, toGexf(nodes, [], description), "application/gexf+xml");
  }

  const shownMatches = matches ? Array.from(matches.subarray(0, 8)) : [];
  const status = focused >= 0 ? `${describe(focused)}, point ${focused + 1} of ${n}. Enter opens it.` : "";
  return (
    <div className="vector-map">
      <div className="map-tools">
        <label className="map-search">
          <span className="sr-only">Find a track on the map</span>
          <input
            type="search"
            value={search}
            onChange={(e) => setSearch(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === "Enter" && matches?.length) {
                e.preventDefault();
                setFocused(matches[0]);
                canvas.current?.focus();
              }
            }}
            placeholder="Find a track on the map"
            data-testid="map-search"
          />
        </label>
        <span className="small muted" data-testid="map-matches" data-count={matches?.length ?? 0}>
          {matches ? `${matches.length} on the map match “${search.trim()}”` : `${n.toLocaleString("en-US")} points`}
        </span>
        <span className="downloads">
          <button type="button" className="small-button" onClick={() => download("tsv")} data-testid="download-tsv">
            TSV
          </button>
          <button type="button" className="small-button" onClick={() => download("gexf")} data-testid="download-gexf">
            GEXF
          </button>
          <button type="button" className="small-button" onClick={() => download("png")} data-testid="download-png">
            PNG
          </button>
        </span>
      </div>
      <canvas
        ref={canvas}
        width={WIDTH}
        height={HEIGHT}
        tabIndex={0}
        role="application"
        aria-roledescription="map of tracks"
        aria-label={`${description}. Arrow keys move between tracks, Enter opens one, plus and minus zoom, 0 resets.`}
        aria-describedby="map-status"
        data-testid="projection"
        data-points={n}
        data-colour-counts={colourCounts}
        data-focused-id={focused >= 0 ? data.ids[focused] : undefined}
        data-draw-ms={drawMs === null ? undefined : drawMs.toFixed(1)}
        data-zoom={view.zoom}
        style={{ cursor: hovered >= 0 ? "pointer" : "default" }}
        onKeyDown={onKeyDown}
        onWheel={onWheel}
        onPointerDown={(e) => (drag.current = { x: e.clientX, y: e.clientY, panX: view.panX, panY: view.panY, moved: false })}
        onPointerMove={(e) => {
          const d = drag.current;
          if (d && e.buttons === 1 && view.zoom > 1) {
            if (Math.abs(e.clientX - d.x) + Math.abs(e.clientY - d.y) > 3) d.moved = true;
            setView((v) => ({ ...v, panX: d.panX + e.clientX - d.x, panY: d.panY + e.clientY - d.y }));
          } else {
            setHovered(pointAt(e));
          }
        }}
        onPointerUp={(e) => {
          const moved = drag.current?.moved;
          drag.current = null;
          if (moved) return;
          const i = pointAt(e);
          if (i >= 0) open(i);
        }}
        onPointerLeave={() => setHovered(-1)}
      />
      {/* Announced: only what the keyboard focuses; the pointer's hover is shown but not read out. */}
      <p className="small map-status" id="map-status" aria-live="polite" data-testid="map-status">
        {status || (hovered >= 0 ? "" : "\u00a0")}
        {!status && hovered >= 0 ? <span aria-hidden="true">{describe(hovered)}</span> : null}
      </p>
      {shownMatches.length ? (
        <p className="small" data-testid="map-match-list">
          {shownMatches.map((i, k) => (
            <span key={data.ids[i]}>
              {k > 0 ? " · " : ""}
              <Link href={`${trackHref}${data.ids[i]}`} scroll={false}>
                {data.labels[i]}
              </Link>
            </span>
          ))}
        </p>
      ) : null}
    </div>
  );
}
