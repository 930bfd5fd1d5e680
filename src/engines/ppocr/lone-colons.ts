/**
 * Colons printed apart from their label (`Doc No.    :    CS00004040`, `Date :`): a lone colon,
 * more so a light one, is too small for DB to box as text, or its box reads empty, so the label
 * and its value came out without it. Right of each segment, the first ink before anything else
 * (from the end of the last glyph read, as DB's box may reach over the colon) is taken for a
 * colon when it is two small dots stacked in the same columns (one mid-line, one on the
 * baseline) with blank paper after them, outside every other segment's words.
 */
import type { Raster } from './raster.js';
import type { Segment } from './layout.js';
import { columnInk, inkBand } from './dot-leaders.js';

/** How far right of the box a colon is looked for, in box heights. */
const REACH = 6;
/** Each dot at most this share of the box height, wide or high; at least MIN_DOT of it. */
const MAX_DOT = 0.3, MIN_DOT = 0.04;

/** Inside another segment's words (their quads follow the read glyphs; DB's box reaches past them, over a light colon too). */
const inside = (s: Segment, x: number, y: number) => s.text.words.some((w) => {
  const xs = w.quad.map((p) => p[0]), ys = w.quad.map((p) => p[1]);
  return x >= Math.min(...xs) && x <= Math.max(...xs) && y >= Math.min(...ys) && y <= Math.max(...ys);
});

/** Where the image shows a colon right of the segment: its columns [x0, x1), and the blank between it and the last glyph. */
export function colonPastBox(raster: Raster, seg: Segment, others: readonly Segment[]): { x0: number; x1: number; before: number } | undefined {
  const band = inkBand(raster, seg);
  if (!band) return undefined;
  const { x0: left, xb, y0, y1 } = band;
  // A light colon is still ink: the threshold sits a quarter of the way from the paper to the print.
  const thr = band.paper - (band.paper - band.dark) / 4;
  const h = y1 - y0, limit = Math.min(raster.width, xb + REACH * h);
  if (seg.text.words.length === 0) return undefined;
  // From the end of the last glyph read: DB's box often reaches over a light colon the recogniser dropped.
  const lastWord = seg.text.words[seg.text.words.length - 1];
  let x = Math.max(left, Math.min(xb, Math.round(Math.max(...lastWord.quad.map((p) => p[0])))));
  while (x < limit && columnInk(raster, x, y0, y1, thr).n > 0) x++; // the rest of the last glyph
  const glyphEnd = x;
  while (x < limit && columnInk(raster, x, y0, y1, thr).n === 0) x++;
  if (x >= limit) return undefined;
  const s = x;
  while (x < limit && columnInk(raster, x, y0, y1, thr).n > 0) x++;
  const e = x;
  if (e - s > MAX_DOT * h || e - s < Math.max(1, MIN_DOT * h)) return undefined;
  // Blank paper after it (a colon ends the label), then the rows its columns ink.
  let after = e;
  while (after < Math.min(raster.width, e + 0.15 * h) && columnInk(raster, after, y0, y1, thr).n === 0) after++;
  if (after < Math.min(raster.width, e + 0.15 * h)) return undefined;
  const runs: [number, number][] = [];
  for (let y = y0; y < y1; y++) {
    let ink = false;
    for (let c = s; c < e && !ink; c++) ink = columnInk(raster, c, y, y + 1, thr).n > 0;
    if (!ink) continue;
    const r = runs[runs.length - 1];
    if (r && r[1] === y - 1) r[1] = y; else runs.push([y, y]);
  }
  if (runs.length !== 2) return undefined;
  const [[t0, t1], [b0, b1]] = runs;
  const hi = (r: number[]) => r[1] - r[0] + 1;
  const mid = y0 + h / 2;
  // Two dots of a size, as far apart as they are high at least, the lower one below the middle.
  if (Math.max(hi([t0, t1]), hi([b0, b1])) > MAX_DOT * h || Math.min(hi([t0, t1]), hi([b0, b1])) < Math.max(1, MIN_DOT * h)) return undefined;
  if (b0 - t1 - 1 < Math.max(hi([t0, t1]), hi([b0, b1])) || b0 < mid) return undefined;
  const cx = (s + e) / 2, cy = (t0 + b1) / 2;
  if (others.some((o) => o !== seg && inside(o, cx, cy))) return undefined;
  return { x0: s, x1: e, before: s - glyphEnd };
}

/** The segments with the lone colons the image shows after them added (` :` when set apart, `:` when close). */
export function addLoneColons(raster: Raster, segs: Segment[]): Segment[] {
  return segs.map((seg) => {
    const last = seg.text.words[seg.text.words.length - 1];
    if (!last || /[:：]$/.test(seg.text.text)) return seg;
    const colon = colonPastBox(raster, seg, segs);
    if (!colon) return seg;
    // Set apart by more than a thin space (a quarter of the box height): a word of its own.
    const apart = colon.before > 0.25 * seg.box.h;
    // The colon's word is drawn right after the label, the line's height: where it really stands,
    // out in the gap between label and value, it would close the gap the layout finds columns by.
    const end = Math.max(last.quad[1][0], last.quad[2][0]);
    const quad = last.quad.map(([, y], i): [number, number] => [i === 1 || i === 2 ? end + colon.x1 - colon.x0 : end, y]);
    const words = apart
      ? [...seg.text.words.slice(0, -1), { ...last, spaceAfter: true }, { text: ':', quad, confidence: last.confidence, spaceAfter: false }]
      : [...seg.text.words.slice(0, -1), { ...last, text: last.text + ':' }];
    return { box: seg.box, text: { ...seg.text, text: seg.text.text + (apart ? ' :' : ':'), words } };
  });
}
