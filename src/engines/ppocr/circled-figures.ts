/**
 * Figures written by hand and circled on a printed page: the total a cashier or bookkeeper
 * checked off on a receipt (`30.90` in a pen loop beside the CASH row). They are annotations,
 * not the document's text: read, they landed on a printed row (`CASH 0.90 RM 51.00`) or after
 * it, and receipts' transcriptions leave them out. A segment is taken for one when
 * - it reads as a figure (digits with `.`, `,`, `-`, `/` or `:`), and
 * - it stands half again as tall as the page's typical line (handwriting beside small print:
 *   a circled printed word of the page's own size stays), and
 * - one stroke of ink encloses it: a thin closed curve, round rather than rectangular (a table
 *   cell's frame has its corners inked), around the segment's middle.
 * Only such candidates cost any image work; a page without them is untouched.
 */
import type { Raster } from './raster.js';
import { median, type Segment } from './layout.js';
import type { OrientedBox } from './geometry.js';
import { boxInkBand, luminance } from './dot-leaders.js';

/** A figure: digits and the punctuation of amounts, dates and times; two digits at least. */
const FIGURE = /^[\d.,\-/:]+$/;
/** Handwriting is this many times the page's median segment height, at least. */
const TALL = 1.4;
/** Segments a page needs before its median height is the print's. */
const MIN_SEGMENTS = 5;
/** The window searched for the loop, around the segment: this many segment heights each side. */
const REACH = 2;
/**
 * Windows larger than this many pixels are not searched: a pen loop round a total on a receipt
 * scanned at 300 dpi spans a few hundred thousand; a figure tall enough to exceed it is a
 * poster's or a sign's, and searching it would cost the engine hundreds of MB and seconds.
 */
const MAX_WINDOW = 4_000_000;
/** Share of the loop's ink within the ring of its inscribed ellipse (radii 0.7 to 1.15 of it). */
const RING_SHARE = 0.75;
/** Angular sectors around the centre, and the share of them the ring's ink must reach (a pen loop may not quite close). */
const SECTORS = 32, SECTOR_SHARE = 0.8;

/** Axis-aligned extent of an oriented box. */
function extent(b: OrientedBox): { x0: number; y0: number; x1: number; y1: number } {
  const c = Math.abs(Math.cos(b.angle)), s = Math.abs(Math.sin(b.angle));
  const hw = (b.w * c + b.h * s) / 2, hh = (b.w * s + b.h * c) / 2;
  return { x0: b.cx - hw, y0: b.cy - hh, x1: b.cx + hw, y1: b.cy + hh };
}

/**
 * Whether one connected stroke of ink in the window around `box` is a loop around it: it
 * stays inside the window, its bounding box holds the segment's middle, and its ink lies on
 * the ring of the ellipse its bounding box inscribes, all the way round.
 */
export function enclosedByLoop(raster: Raster, box: OrientedBox): boolean {
  const e = extent(box), h = e.y1 - e.y0;
  const wx0 = Math.max(0, Math.floor(e.x0 - REACH * h)), wx1 = Math.min(raster.width, Math.ceil(e.x1 + REACH * h));
  const wy0 = Math.max(0, Math.floor(e.y0 - REACH * h)), wy1 = Math.min(raster.height, Math.ceil(e.y1 + REACH * h));
  const w = wx1 - wx0, hgt = wy1 - wy0;
  if (w < 8 || hgt < 8 || w * hgt > MAX_WINDOW) return false;
  // A pen loop in a wide window is little ink: its darkest hundredth is the ink's level.
  const band = boxInkBand(raster, { cx: (wx0 + wx1) / 2, cy: (wy0 + wy1) / 2, w, h: hgt, angle: 0 }, 0.01);
  if (!band) return false;
  const ink = new Uint8Array(w * hgt);
  for (let y = 0; y < hgt; y++) for (let x = 0; x < w; x++) ink[y * w + x] = luminance(raster, wx0 + x, wy0 + y) < band.thr ? 1 : 0;
  const stack: number[] = [];
  const mx = (e.x0 + e.x1) / 2 - wx0, my = (e.y0 + e.y1) / 2 - wy0;
  for (let start = 0; start < ink.length; start++) {
    // 1: ink not yet visited; a component's pixels are marked 2 as the fill reaches them.
    if (ink[start] !== 1) continue;
    const px: number[] = [];
    let bx0 = w, bx1 = -1, by0 = hgt, by1 = -1, edge = false;
    stack.push(start); ink[start] = 2;
    while (stack.length) {
      const p = stack.pop()!;
      const x = p % w, y = (p - x) / w;
      px.push(p);
      if (x < bx0) bx0 = x; if (x > bx1) bx1 = x; if (y < by0) by0 = y; if (y > by1) by1 = y;
      if (x === 0 || y === 0 || x === w - 1 || y === hgt - 1) edge = true;
      for (let dy = -1; dy <= 1; dy++) for (let dx = -1; dx <= 1; dx++) {
        const nx = x + dx, ny = y + dy;
        if (nx < 0 || ny < 0 || nx >= w || ny >= hgt) continue;
        const q = ny * w + nx;
        if (ink[q] === 1) { ink[q] = 2; stack.push(q); }
      }
    }
    // Around the segment's middle, wider and taller than the segment's own height, off the window's edge.
    if (edge || mx <= bx0 || mx >= bx1 || my <= by0 || my >= by1 || bx1 - bx0 < 1.2 * h || by1 - by0 < 1.2 * h) continue;
    if (isRing(px, w, bx0, bx1, by0, by1)) return true;
  }
  return false;
}

/** Whether pixels (window offsets) lie on the ring of the ellipse inscribed in their bounding box, all the way round. */
function isRing(px: readonly number[], w: number, bx0: number, bx1: number, by0: number, by1: number): boolean {
  const cx = (bx0 + bx1) / 2, cy = (by0 + by1) / 2, a = (bx1 - bx0 + 1) / 2, b = (by1 - by0 + 1) / 2;
  const sectors = new Uint8Array(SECTORS);
  let onRing = 0;
  for (const p of px) {
    const x = p % w, y = (p - x) / w;
    const dx = (x - cx) / a, dy = (y - cy) / b;
    const r = Math.hypot(dx, dy);
    if (r < 0.7 || r > 1.15) continue;
    onRing++;
    const k = Math.floor(((Math.atan2(dy, dx) + Math.PI) / (2 * Math.PI)) * SECTORS) % SECTORS;
    sectors[k] = 1;
  }
  const reached = sectors.reduce((n, v) => n + v, 0);
  return onRing >= RING_SHARE * px.length && reached >= SECTOR_SHARE * SECTORS;
}

/** The segments without the circled handwritten figures among them. */
export function dropCircledFigures(raster: Raster, segs: Segment[]): Segment[] {
  if (segs.length < MIN_SEGMENTS) return segs;
  const typical = median(segs.map((s) => s.box.h));
  const circled = (s: Segment) => {
    const t = s.text.text.replace(/\s+/g, '');
    return FIGURE.test(t) && (t.match(/\d/g)?.length ?? 0) >= 2 && s.box.h >= TALL * typical && enclosedByLoop(raster, s.box);
  };
  return segs.some(circled) ? segs.filter((s) => !circled(s)) : segs;
}
