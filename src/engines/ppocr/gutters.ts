/**
 * Column gutters, found in the image before recognition. On newspaper pages the gap between
 * two columns of justified text is often narrower than the gaps between words inside them,
 * and the text detector draws one box across both columns ("…said that work | would begin…"):
 * no layout rule can take the columns apart afterwards. A gutter is an x band that stays blank
 * (or holds a thin rule, however faint) through many consecutive text lines, with text on both
 * sides; word gaps of justified text never line up for that long. Boxes that cross a gutter
 * are cut at it.
 */
import type { Raster } from './raster.js';
import type { DetectedBox } from './detect.js';

/** Consecutive text lines a gutter must run through (word gaps line up for two or three at most). */
const MIN_LINES = 8;
/** Width of the text on either side of a gutter, in line heights (a narrow newspaper column: 15 characters). */
const MIN_COLUMN = 6;
/** Boxes of (nearly) horizontal text only, in radians: DB tilts a box a few degrees when it merges across a gutter. */
const MAX_ANGLE = 0.1;

interface Band { y0: number; y1: number; x0: number; x1: number }
export interface Gutter { x0: number; x1: number; y0: number; y1: number }

/** Text line bands: boxes grouped by vertical overlap (one band per printed row). */
function lineBands(boxes: readonly DetectedBox[]): Band[] {
  const sorted = boxes.slice().sort((a, b) => a.cy - b.cy);
  const bands: Band[] = [];
  for (const b of sorted) {
    const y0 = b.cy - b.h / 2, y1 = b.cy + b.h / 2, x0 = b.cx - b.w / 2, x1 = b.cx + b.w / 2;
    const last = bands[bands.length - 1];
    if (last && Math.min(last.y1, y1) - Math.max(last.y0, y0) > 0.5 * Math.min(last.y1 - last.y0, y1 - y0)) {
      last.y0 = Math.min(last.y0, y0); last.y1 = Math.max(last.y1, y1); last.x0 = Math.min(last.x0, x0); last.x1 = Math.max(last.x1, x1);
    } else {
      bands.push({ y0, y1, x0, x1 });
    }
  }
  return bands;
}

/** One band's columns: 1 separates (no ink, or ink on nearly every row: a rule), and where ink is (1) at all. */
interface Profile { separator: Uint8Array; ink: Uint8Array }

function profileOf(img: Raster, band: Band, threshold: number): Profile {
  const { data, width } = img;
  const y0 = Math.max(0, Math.round(band.y0 + 0.15 * (band.y1 - band.y0))), y1 = Math.min(img.height, Math.round(band.y1 - 0.15 * (band.y1 - band.y0)));
  const rows = Math.max(1, y1 - y0);
  const separator = new Uint8Array(width), ink = new Uint8Array(width);
  // Ink counted per column row by row, in memory order (a column at a time strides a whole row per pixel).
  const counts = new Uint32Array(width);
  for (let y = y0; y < y1; y++) {
    for (let x = 0, p = y * width * 3; x < width; x++, p += 3) {
      if (data[p] + data[p + 1] + data[p + 2] < threshold) counts[x]++;
    }
  }
  for (let x = 0; x < width; x++) {
    const n = counts[x];
    separator[x] = n === 0 || n >= 0.9 * rows ? 1 : 0;
    ink[x] = n > 0 && n < 0.9 * rows ? 1 : 0;
  }
  return { separator, ink };
}

/** Otsu's threshold (on R+G+B) over pixels sampled inside the text boxes: faint print is still ink. */
function inkThreshold(img: Raster, bands: readonly Band[]): number {
  const hist = new Float64Array(256);
  let total = 0;
  for (const b of bands) {
    const y = Math.round((b.y0 + b.y1) / 2);
    if (y < 0 || y >= img.height) continue;
    for (let x = Math.max(0, Math.round(b.x0)); x < Math.min(img.width, b.x1); x++) {
      const p = (y * img.width + x) * 3;
      hist[Math.round((img.data[p] + img.data[p + 1] + img.data[p + 2]) / 3)]++; total++;
    }
  }
  let sumAll = 0;
  for (let i = 0; i < 256; i++) sumAll += i * hist[i];
  let wB = 0, sumB = 0, best = 128, bestVar = -1;
  for (let i = 0; i < 256; i++) {
    wB += hist[i]; if (wB === 0) continue;
    const wF = total - wB; if (wF === 0) break;
    sumB += i * hist[i];
    const v = wB * wF * (sumB / wB - (sumAll - sumB) / wF) ** 2;
    if (v > bestVar) { bestVar = v; best = i; }
  }
  return 3 * (best + 1);
}

/**
 * How far text runs from the gutter's edge at `from` in direction `dir` (±1): ink followed
 * across gaps no wider than `gap` (a justified line's word spaces).
 */
function textRun(ink: Uint8Array, from: number, dir: 1 | -1, gap: number): number {
  let last = from, x = from;
  while (x >= 0 && x < ink.length && Math.abs(x - last) <= gap) {
    if (ink[x]) last = x;
    x += dir;
  }
  return Math.abs(last - from);
}

/** Ink in the band within `reach` columns left of x0 and right of x1: text stands at both edges. */
function inkBothSides(ink: Uint8Array, x0: number, x1: number, reach: number): boolean {
  let left = false, right = false;
  for (let x = Math.max(0, x0 - reach); x < x0 && !left; x++) left = ink[x] === 1;
  for (let x = x1; x < Math.min(ink.length, x1 + reach) && !right; x++) right = ink[x] === 1;
  return left && right;
}

/** Gutters of the page: x bands blank (or ruled) through MIN_LINES consecutive lines, text on both sides. */
export function findGutters(img: Raster, boxes: readonly DetectedBox[]): Gutter[] {
  const horizontal = boxes.filter((b) => Math.abs(b.angle) <= MAX_ANGLE && b.w > b.h);
  if (horizontal.length < MIN_LINES * 2) return [];
  const all = lineBands(horizontal);
  // Body text only: a headline's letter gaps are wide enough to pass for a gutter.
  const typical = all.map((b) => b.y1 - b.y0).sort((a, b) => a - b)[all.length >> 1];
  const bands = all.filter((b) => b.y1 - b.y0 <= 1.5 * typical);
  if (bands.length < MIN_LINES) return [];
  const threshold = inkThreshold(img, bands);
  const profiles = bands.map((b) => profileOf(img, b, threshold));
  const cols = profiles.map((p) => p.separator);
  const lineH = bands.map((b) => b.y1 - b.y0).sort((a, b) => a - b)[bands.length >> 1];
  // Narrower than half a line is a letter or word gap; wider than two lines the layout's own rules handle.
  const minWidth = Math.max(2, Math.round(0.45 * lineH)), maxWidth = 2 * lineH;
  const gutters: Gutter[] = [];
  // Runs of consecutive bands, per x: where each run of separating columns is wide enough and has text both sides.
  // `through[x]`: how many bands in a row, up to the window's last, separate at x (the window's
  // columns all separate where it reaches MIN_LINES).
  const through = new Uint16Array(img.width);
  for (let k = 0; k < MIN_LINES - 1; k++) for (let x = 0; x < img.width; x++) through[x] = cols[k][x] ? through[x] + 1 : 0;
  for (let start = 0; start + MIN_LINES <= bands.length; start++) {
    const last = cols[start + MIN_LINES - 1];
    for (let x = 0; x < img.width; x++) through[x] = last[x] ? through[x] + 1 : 0;
    const common = (x: number) => through[x] >= MIN_LINES;
    for (let x = 0; x < img.width;) {
      if (!common(x)) { x++; continue; }
      let e = x;
      while (e < img.width && common(e)) e++;
      const run = profiles.slice(start, start + MIN_LINES);
      const reach = Math.round(2 * lineH);
      // Columns of prose on both sides (a table's narrow columns of dates or amounts are no newspaper's).
      const prose = (p: Profile) => textRun(p.ink, x - 1, -1, reach) >= MIN_COLUMN * lineH && textRun(p.ink, e, 1, reach) >= MIN_COLUMN * lineH;
      const inside = e - x >= minWidth && e - x <= maxWidth
        && run.every((p) => inkBothSides(p.ink, x, e, reach)) && run.filter(prose).length >= MIN_LINES - 2;
      if (inside) {
        const g = { x0: x, x1: e, y0: bands[start].y0, y1: bands[start + MIN_LINES - 1].y1 };
        const same = gutters.find((o) => o.x0 < g.x1 && g.x0 < o.x1 && o.y1 >= g.y0);
        if (same) { same.x0 = Math.max(same.x0, g.x0); same.x1 = Math.min(same.x1, g.x1); same.y1 = Math.max(same.y1, g.y1); } else gutters.push(g);
      }
      x = e;
    }
  }
  return gutters;
}

/** The boxes with every one that crosses a gutter cut in two at the gutter. */
export function splitAtGutters(boxes: readonly DetectedBox[], gutters: readonly Gutter[]): DetectedBox[] {
  if (gutters.length === 0) return boxes.slice();
  const out: DetectedBox[] = [];
  const queue = boxes.slice();
  while (queue.length > 0) {
    const b = queue.pop()!;
    const x0 = b.cx - b.w / 2, x1 = b.cx + b.w / 2;
    const g = Math.abs(b.angle) <= MAX_ANGLE ? gutters.find((q) => b.cy >= q.y0 && b.cy <= q.y1 && x0 < q.x0 && x1 > q.x1) : undefined;
    if (!g) { out.push(b); continue; }
    const left = { ...b, cx: (x0 + g.x0) / 2, w: g.x0 - x0 }, right = { ...b, cx: (g.x1 + x1) / 2, w: x1 - g.x1 };
    for (const piece of [left, right]) if (piece.w >= 0.5 * b.h) queue.push(piece);
  }
  return out;
}
