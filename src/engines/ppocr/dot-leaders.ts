/**
 * Dot leaders (`TOTAL AMT.......... RM 60.31`): DB's text boxes stop a few dots into the run,
 * as sparse dots score low as text, so the line came out with two or three dots where the
 * receipt prints a dozen or more. Where a segment ends in dots, the run is followed on the
 * image along the segment's baseline, dot by dot, while the blobs stay small, low and evenly
 * spaced, and the dots found are added to the segment's text and its last word.
 */
import type { Raster } from './raster.js';
import type { Segment } from './layout.js';
import type { OrientedBox } from './geometry.js';

/** Upright segments only: a tilted box's band would drift off the dots. */
const MAX_ANGLE = 0.03;
/** Dots found past the box before the run counts as a leader (a full stop and a speck do not). */
const MIN_EXTRA = 3;
/** A leader's dots are small beside the line (a quarter of its height at most) and dense (a pitch under 0.8 of it). */
const MAX_DOT = 0.25, MAX_PITCH = 0.8;

export function luminance(r: Raster, x: number, y: number): number {
  const o = (y * r.width + x) * 3;
  return 0.299 * r.data[o] + 0.587 * r.data[o + 1] + 0.114 * r.data[o + 2];
}

/** Histogram bins: quarter grey levels over 0-255. */
const LEVELS = 1024;

/** The grey level (bin centre) of the value of rank `rank` (0-based) in the histogram. */
function percentile(hist: Uint32Array, rank: number): number {
  for (let b = 0; b < hist.length; b++) {
    if (rank < hist[b]) return (b + 0.5) / 4;
    rank -= hist[b];
  }
  return 255;
}

/** A segment's upright band on the image and its ink threshold: halfway between the paper and the box's darkest tenth. */
export interface InkBand { x0: number; xb: number; y0: number; y1: number; thr: number; paper: number; dark: number }

/** The band of an upright segment's box and its ink threshold, or undefined (tilted, tiny, or no contrast). */
export function inkBand(raster: Raster, seg: Segment): InkBand | undefined {
  return boxInkBand(raster, seg.box);
}

/** inkBand of any upright box (a window around a segment); `darkShare`: the share of its pixels taken for the darkest ink. */
export function boxInkBand(raster: Raster, b: OrientedBox, darkShare = 0.05): InkBand | undefined {
  if (Math.abs(b.angle) > MAX_ANGLE || b.h < 6) return undefined;
  const y0 = Math.max(0, Math.round(b.cy - b.h / 2)), y1 = Math.min(raster.height, Math.round(b.cy + b.h / 2));
  const x0 = Math.max(0, Math.round(b.cx - b.w / 2)), xb = Math.min(raster.width, Math.round(b.cx + b.w / 2));
  if (y1 - y0 < 6 || xb - x0 < 4) return undefined;
  // Percentiles from a histogram in quarter grey levels: one pass over the box, where a sort
  // of a dense page's line (~80k pixels) took milliseconds, and every segment comes here
  // (lone-colons.ts) besides every line that ends in a full stop.
  const hist = new Uint32Array(LEVELS);
  for (let y = y0; y < y1; y++) for (let x = x0; x < xb; x++) hist[Math.min(LEVELS - 1, Math.floor(luminance(raster, x, y) * 4))]++;
  const n = (y1 - y0) * (xb - x0);
  const dark = percentile(hist, Math.floor(n * darkShare)), paper = percentile(hist, Math.floor(n * 0.6));
  if (paper - dark < 40) return undefined;
  return { x0, xb, y0, y1, thr: (paper + dark) / 2, paper, dark };
}

/** How many leader dots the image shows right of the box, and where the last one ends (x). */
export function dotsPastBox(raster: Raster, seg: Segment): { count: number; end: number } {
  const none = { count: 0, end: 0 };
  const band = inkBand(raster, seg);
  if (!band) return none;
  const { xb, y0, y1, thr } = band;
  const h = y1 - y0, mid = y0 + h / 2;
  // Column runs of ink right of the box: each is one blob, measured by its ink rows.
  const limit = Math.min(raster.width, xb + 40 * h);
  const minSize = Math.max(1, Math.round(0.08 * h));
  const centres: number[] = [];
  let end = xb, x = xb;
  // A dot cut by the box's edge continues past it: start after the ink the box touches.
  while (x < limit && columnInk(raster, x, y0, y1, thr).n > 0) x++;
  while (x < limit) {
    const gapStart = x;
    while (x < limit && columnInk(raster, x, y0, y1, thr).n === 0) x++;
    if (x >= limit || x - gapStart > 1.2 * h) break;
    const start = x;
    let top = y1, bottom = y0;
    for (let c = columnInk(raster, x, y0, y1, thr); x < limit && c.n > 0; c = columnInk(raster, ++x, y0, y1, thr)) {
      top = Math.min(top, c.top); bottom = Math.max(bottom, c.bottom);
    }
    const w = x - start, bh = bottom - top + 1, centre = (start + x) / 2;
    // A dot: small, on the lower half of the line, at least a couple of pixels (not a speck),
    // set apart by at least its own width (a dashed rule's dashes nearly touch).
    if (w > MAX_DOT * h || bh > MAX_DOT * h || top < mid - 0.1 * h || w < minSize || bh < minSize) break;
    if (centres.length > 0 && start - end < w) break;
    // Dense and evenly spaced: each step within reach of the first one.
    if (centres.length >= 1) {
      const step = centre - centres[centres.length - 1];
      if (step > MAX_PITCH * h) break;
      if (centres.length >= 2) {
        const pitch = centres[1] - centres[0];
        if (step < 0.6 * pitch || step > 1.5 * pitch) break;
      }
    }
    centres.push(centre); end = x;
  }
  return centres.length >= MIN_EXTRA ? { count: centres.length, end } : none;
}

export function columnInk(r: Raster, x: number, y0: number, y1: number, thr: number): { n: number; top: number; bottom: number } {
  let n = 0, top = y1, bottom = y0;
  if (x >= r.width) return { n, top, bottom };
  for (let y = y0; y < y1; y++) {
    if (luminance(r, x, y) < thr) { n++; if (y < top) top = y; bottom = y; }
  }
  return { n, top, bottom };
}

/** Ends in a leader's first dots as read (`TOTAL AMT...`, `CASH..`). */
const LEADER_START = /\S\.$/;

/** The segment with the leader dots the image shows past its box added; unchanged otherwise. */
export function extendDotLeader(raster: Raster, seg: Segment): Segment {
  const last = seg.text.words[seg.text.words.length - 1];
  if (!last || !LEADER_START.test(seg.text.text)) return seg;
  const { count, end } = dotsPastBox(raster, seg);
  if (count === 0) return seg;
  const dots = '.'.repeat(count);
  // The box stays as detected: the layout's row and column rules measure what DB found (a
  // column of labels stretched to their leaders' ends would look like justified prose).
  const quad = last.quad.map(([x, y], i): [number, number] => (i === 1 || i === 2 ? [Math.max(x, end), y] : [x, y]));
  const words = [...seg.text.words.slice(0, -1), { ...last, text: last.text + dots, quad }];
  return { box: seg.box, text: { ...seg.text, text: seg.text.text + dots, words } };
}
