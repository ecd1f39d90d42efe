/**
 * The vector map's drawing and hit testing on a 2-D canvas, over typed arrays so 50,000 points
 * draw in one frame: points are bucketed by colour (points without a value underneath) and
 * stamped into a pixel buffer. No imports and no React, so the page-load bench can run this very
 * file in Chromium on synthetic points.
 */

/** Data-space to screen-space: screen = a * data + b on each axis (y flipped by a negative ay). */
export interface Transform {
  ax: number;
  bx: number;
  ay: number;
  by: number;
}

/** A transform that fits the points' bounds into width x height with `pad` pixels around, zoomed `zoom` about (cx, cy) and panned. */
export function fitTransform(
  xs: ArrayLike<number>,
  ys: ArrayLike<number>,
  width: number,
  height: number,
  pad: number,
  view = { zoom: 1, panX: 0, panY: 0 },
): Transform {
  let [x0, x1, y0, y1] = [Infinity, -Infinity, Infinity, -Infinity];
  for (let i = 0; i < xs.length; i++) {
    if (xs[i] < x0) x0 = xs[i];
    if (xs[i] > x1) x1 = xs[i];
    if (ys[i] < y0) y0 = ys[i];
    if (ys[i] > y1) y1 = ys[i];
  }
  if (!(x1 > x0)) [x0, x1] = [x0 - 1, x0 + 1];
  if (!(y1 > y0)) [y0, y1] = [y0 - 1, y0 + 1];
  const ax = ((width - 2 * pad) / (x1 - x0)) * view.zoom;
  const ay = (-(height - 2 * pad) / (y1 - y0)) * view.zoom;
  // Centre of the data at the centre of the canvas, then the pan in pixels.
  const bx = width / 2 - ax * ((x0 + x1) / 2) + view.panX;
  const by = height / 2 - ay * ((y0 + y1) / 2) + view.panY;
  return { ax, bx, ay, by };
}

/** Screen positions of every point under a transform. */
export function project(xs: ArrayLike<number>, ys: ArrayLike<number>, t: Transform): { sx: Float32Array; sy: Float32Array } {
  const sx = new Float32Array(xs.length);
  const sy = new Float32Array(xs.length);
  for (let i = 0; i < xs.length; i++) {
    sx[i] = t.ax * xs[i] + t.bx;
    sy[i] = t.ay * ys[i] + t.by;
  }
  return { sx, sy };
}

/** Point indices grouped by colour index, in drawing order: colours listed in `underneath` first. */
export function bucketsByColour(colourIndex: ArrayLike<number>, paletteSize: number, underneath: number[] = []): Int32Array[] {
  const counts = new Int32Array(paletteSize);
  for (let i = 0; i < colourIndex.length; i++) counts[colourIndex[i]]++;
  const buckets = Array.from(counts, (n) => new Int32Array(n));
  const filled = new Int32Array(paletteSize);
  for (let i = 0; i < colourIndex.length; i++) buckets[colourIndex[i]][filled[colourIndex[i]]++] = i;
  const order = [...underneath, ...Array.from({ length: paletteSize }, (_, c) => c).filter((c) => !underneath.includes(c))];
  return order.map((c) => buckets[c]);
}

export interface DrawOptions {
  /** CSS pixels; the canvas holds width * pixelRatio device pixels across. */
  width: number;
  height: number;
  pixelRatio?: number;
  palette: string[];
  /** Colour index of each bucket (the order bucketsByColour returned them in). */
  bucketColours: number[];
  /** Colour index of each point. */
  colourIndex: ArrayLike<number>;
  radius: number;
  /** Points to emphasise (search matches), or null. */
  highlighted: Int32Array | null;
  /** The selected track's point and the keyboard's focused point, or -1. */
  selected: number;
  focused: number;
}

function rgb(hex: string): [number, number, number] {
  return [parseInt(hex.slice(1, 3), 16), parseInt(hex.slice(3, 5), 16), parseInt(hex.slice(5, 7), 16)];
}

/** Offsets of the pixels inside a disc of radius r (device pixels), as dx, dy pairs. */
function disc(r: number): Int32Array {
  const out: number[] = [];
  const reach = Math.ceil(r);
  for (let dy = -reach; dy <= reach; dy++) for (let dx = -reach; dx <= reach; dx++) if (dx * dx + dy * dy <= r * r + 0.5) out.push(dx, dy);
  return Int32Array.from(out);
}

/**
 * Draws every point. The crowd is stamped straight into a pixel buffer (a disc per point, blended
 * at 85% opacity, 30% while a search highlights some), which stays fast at 50,000 points where a
 * path of arcs does not; matches, the selected and the focused point are then drawn as rings on top.
 */
export function drawPoints(ctx: CanvasRenderingContext2D, sx: Float32Array, sy: Float32Array, buckets: Int32Array[], o: DrawOptions): void {
  const ratio = o.pixelRatio ?? 1;
  const w = Math.round(o.width * ratio);
  const h = Math.round(o.height * ratio);
  const image = ctx.createImageData(w, h);
  const px = image.data;
  px.fill(255);
  const alpha = o.highlighted ? 0.3 : 0.85;
  const offsets = disc(o.radius * ratio);
  for (let b = 0; b < buckets.length; b++) {
    const bucket = buckets[b];
    // Blending as lookup tables (new = alpha * colour + (1 - alpha) * old, per channel): no float work per pixel.
    const [tr, tg, tb] = rgb(o.palette[o.bucketColours[b]]).map((c) => Uint8Array.from({ length: 256 }, (_, v) => Math.round(alpha * c + (1 - alpha) * v)));
    for (let j = 0; j < bucket.length; j++) {
      const cx = Math.round(sx[bucket[j]] * ratio);
      const cy = Math.round(sy[bucket[j]] * ratio);
      if (cx < -8 || cy < -8 || cx >= w + 8 || cy >= h + 8) continue;
      const inside = cx >= 8 && cy >= 8 && cx < w - 8 && cy < h - 8;
      for (let k = 0; k < offsets.length; k += 2) {
        const x = cx + offsets[k];
        const y = cy + offsets[k + 1];
        if (!inside && (x < 0 || y < 0 || x >= w || y >= h)) continue;
        const q = (y * w + x) << 2;
        px[q] = tr[px[q]];
        px[q + 1] = tg[px[q + 1]];
        px[q + 2] = tb[px[q + 2]];
      }
    }
  }
  ctx.putImageData(image, 0, 0);
  ctx.save();
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  ctx.lineWidth = 1.5;
  ctx.strokeStyle = "#1b1f24";
  const ring = (i: number, radius: number) => {
    ctx.beginPath();
    ctx.arc(sx[i], sy[i], radius, 0, 2 * Math.PI);
    ctx.fillStyle = o.palette[o.colourIndex[i]];
    ctx.fill();
    ctx.stroke();
  };
  if (o.highlighted) for (const i of o.highlighted) ring(i, o.radius + 2);
  if (o.selected >= 0) ring(o.selected, o.radius + 3);
  if (o.focused >= 0) {
    ctx.beginPath();
    ctx.arc(sx[o.focused], sy[o.focused], o.radius + 6, 0, 2 * Math.PI);
    ctx.lineWidth = 2.5;
    ctx.strokeStyle = "#c2418a";
    ctx.stroke();
  }
  ctx.restore();
}

/**
 * A uniform grid over the canvas (points off it are left out): the point under the pointer in
 * about constant time. Cells are one counting sort into typed arrays, so building it for 50,000
 * points costs about as much as drawing them.
 */
export class PointGrid {
  private readonly cols: number;
  private readonly rows: number;
  private readonly start: Int32Array;
  private readonly members: Int32Array;

  constructor(
    private readonly sx: Float32Array,
    private readonly sy: Float32Array,
    width: number,
    height: number,
    private readonly cell = 12,
  ) {
    this.cols = Math.max(1, Math.ceil(width / cell));
    this.rows = Math.max(1, Math.ceil(height / cell));
    const cellOf = new Int32Array(sx.length);
    const counts = new Int32Array(this.cols * this.rows + 1);
    for (let i = 0; i < sx.length; i++) {
      const cx = Math.floor(sx[i] / cell);
      const cy = Math.floor(sy[i] / cell);
      cellOf[i] = cx >= 0 && cy >= 0 && cx < this.cols && cy < this.rows ? cy * this.cols + cx : -1;
      if (cellOf[i] >= 0) counts[cellOf[i] + 1]++;
    }
    for (let c = 0; c < this.cols * this.rows; c++) counts[c + 1] += counts[c];
    this.start = counts;
    this.members = new Int32Array(counts[this.cols * this.rows]);
    const filled = counts.slice(0, -1);
    for (let i = 0; i < sx.length; i++) if (cellOf[i] >= 0) this.members[filled[cellOf[i]]++] = i;
  }

  /** The nearest point within `maxDistance` pixels of (x, y), or -1. */
  nearest(x: number, y: number, maxDistance: number): number {
    let best = -1;
    let bestD = maxDistance * maxDistance;
    const reach = Math.ceil(maxDistance / this.cell);
    const [cx, cy] = [Math.floor(x / this.cell), Math.floor(y / this.cell)];
    for (let gy = Math.max(0, cy - reach); gy <= Math.min(this.rows - 1, cy + reach); gy++) {
      for (let gx = Math.max(0, cx - reach); gx <= Math.min(this.cols - 1, cx + reach); gx++) {
        const c = gy * this.cols + gx;
        for (let m = this.start[c]; m < this.start[c + 1]; m++) {
          const i = this.members[m];
          const d = (this.sx[i] - x) ** 2 + (this.sy[i] - y) ** 2;
          if (d <= bestD) [best, bestD] = [i, d];
        }
      }
    }
    return best;
  }
}

export type Direction = "left" | "right" | "up" | "down";

/**
 * The next point from `from` in a direction, for the arrow keys: the closest point within 45
 * degrees of that direction (distance along it counted once, sideways twice), or `from` at the edge.
 */
export function step(sx: Float32Array, sy: Float32Array, from: number, direction: Direction): number {
  const [dx, dy] = { left: [-1, 0], right: [1, 0], up: [0, -1], down: [0, 1] }[direction];
  let best = from;
  let bestCost = Infinity;
  for (let i = 0; i < sx.length; i++) {
    if (i === from) continue;
    const ox = sx[i] - sx[from];
    const oy = sy[i] - sy[from];
    const along = ox * dx + oy * dy;
    const across = Math.abs(ox * dy - oy * dx);
    if (along <= 0 || across > along) continue;
    const cost = along + 2 * across;
    if (cost < bestCost) [best, bestCost] = [i, cost];
  }
  return best;
}

/** The point nearest a screen position (the map's centre when the keyboard first arrives), by a full scan. */
export function closestTo(sx: Float32Array, sy: Float32Array, x: number, y: number): number {
  let best = -1;
  let bestD = Infinity;
  for (let i = 0; i < sx.length; i++) {
    const d = (sx[i] - x) ** 2 + (sy[i] - y) ** 2;
    if (d < bestD) [best, bestD] = [i, d];
  }
  return best;
}
