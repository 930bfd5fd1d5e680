/**
 * Oriented text boxes. A box is a centre, a reading direction (`angle`, radians, the
 * direction of its `w` side) and its extents along and across that direction. Orienting
 * boxes explicitly (rather than sorting corners by y) keeps long lines tilted by a few
 * degrees in one piece and lets lines be grouped along their own slope (issue 2).
 */
import type { Box } from '../../domain/ocr-tree.js';

export interface OrientedBox {
  cx: number;
  cy: number;
  /** Extent along the reading direction. */
  w: number;
  /** Extent across it. */
  h: number;
  /** Reading direction in radians, x right, y down. */
  angle: number;
}

export type Point = [number, number];

export function corners(b: OrientedBox): Point[] {
  const ux = Math.cos(b.angle), uy = Math.sin(b.angle);
  const hw = b.w / 2, hh = b.h / 2;
  // top-left, top-right, bottom-right, bottom-left in reading orientation (v = u rotated +90°, i.e. "down").
  return [[-hw, -hh], [hw, -hh], [hw, hh], [-hw, hh]].map(([a, c]) => [b.cx + a * ux - c * uy, b.cy + a * uy + c * ux] as Point);
}

/** Point of the box at fractions (s along, t across), both 0..1 from the top-left corner. */
export function pointAt(b: OrientedBox, s: number, t: number): Point {
  const ux = Math.cos(b.angle), uy = Math.sin(b.angle);
  const a = (s - 0.5) * b.w, c = (t - 0.5) * b.h;
  return [b.cx + a * ux - c * uy, b.cy + a * uy + c * ux];
}

export function boundsOf(points: readonly Point[]): Box {
  let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
  for (const [x, y] of points) {
    if (x < x0) x0 = x; if (x > x1) x1 = x;
    if (y < y0) y0 = y; if (y > y1) y1 = y;
  }
  return { x: x0, y: y0, w: x1 - x0, h: y1 - y0 };
}

/** Andrew's monotone chain; returns the hull counter-clockwise (in y-down terms: clockwise on screen). */
export function convexHull(points: Point[]): Point[] {
  if (points.length < 3) return points.slice();
  const pts = points.slice().sort((p, q) => p[0] - q[0] || p[1] - q[1]);
  const cross = (o: Point, a: Point, b: Point) => (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);
  const lower: Point[] = [];
  for (const p of pts) {
    while (lower.length >= 2 && cross(lower[lower.length - 2], lower[lower.length - 1], p) <= 0) lower.pop();
    lower.push(p);
  }
  const upper: Point[] = [];
  for (let i = pts.length - 1; i >= 0; i--) {
    const p = pts[i];
    while (upper.length >= 2 && cross(upper[upper.length - 2], upper[upper.length - 1], p) <= 0) upper.pop();
    upper.push(p);
  }
  upper.pop(); lower.pop();
  return lower.concat(upper);
}

/** Minimum-area enclosing rectangle (rotating calipers over the hull edges), oriented as a page-upright text box. */
export function minAreaBox(points: Point[]): OrientedBox {
  const hull = convexHull(points);
  if (hull.length === 0) return { cx: 0, cy: 0, w: 0, h: 0, angle: 0 };
  let best: OrientedBox | undefined;
  let bestArea = Infinity;
  const n = hull.length;
  for (let i = 0; i < Math.max(1, n); i++) {
    const p = hull[i], q = hull[(i + 1) % n];
    const ang = n === 1 ? 0 : Math.atan2(q[1] - p[1], q[0] - p[0]);
    const ux = Math.cos(ang), uy = Math.sin(ang);
    let a0 = Infinity, a1 = -Infinity, c0 = Infinity, c1 = -Infinity;
    for (const [x, y] of hull) {
      const a = x * ux + y * uy, c = -x * uy + y * ux;
      if (a < a0) a0 = a; if (a > a1) a1 = a;
      if (c < c0) c0 = c; if (c > c1) c1 = c;
    }
    const area = (a1 - a0) * (c1 - c0);
    if (area < bestArea) {
      bestArea = area;
      const am = (a0 + a1) / 2, cm = (c0 + c1) / 2;
      best = { cx: am * ux - cm * uy, cy: am * uy + cm * ux, w: a1 - a0, h: c1 - c0, angle: ang };
    }
  }
  return uprightBox(best!);
}

/** Re-expresses a box so its reading direction is the one of its four side directions nearest to page-right. */
export function uprightBox(b: OrientedBox): OrientedBox {
  let ang = b.angle, w = b.w, h = b.h;
  // Bring the angle into (-45°, 45°], swapping extents for each quarter turn.
  while (ang > Math.PI / 4) { ang -= Math.PI / 2; [w, h] = [h, w]; }
  while (ang <= -Math.PI / 4) { ang += Math.PI / 2; [w, h] = [h, w]; }
  return { cx: b.cx, cy: b.cy, w, h, angle: ang };
}

/** Grows a box by `d` on every side (DB's "unclip" of a rectangle: d = area·ratio / perimeter). */
export function unclip(b: OrientedBox, ratio: number): OrientedBox {
  const d = (b.w * b.h * ratio) / (2 * (b.w + b.h));
  return { ...b, w: b.w + 2 * d, h: b.h + 2 * d };
}
