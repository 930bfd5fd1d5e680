/**
 * Where each line's text really sits on the page image. Detection boxes (PP-OCR's) are
 * padded well beyond the ink, so a text layer sized from them is too tall, its lines overlap
 * and extractors merge neighbouring lines and columns. Here each line is measured on the page
 * image instead, as Tesseract measures its rows: the ink in the line's box, thresholded
 * (Otsu) per line; its row profile gives the core band (x-height for Latin, the whole glyph
 * for CJK) whose bottom is the baseline, and the ink above and below it gives ascenders and
 * descenders; each word is narrowed to its own ink. A line whose box holds no clear ink
 * (blank, low contrast) falls back to a guess from its box.
 *
 * Everything is in upright page pixels (`uprightPage`): a horizontal line's "across"
 * positions are y (down the page), a vertical line's are x, counted from the right edge of
 * the column leftwards (its glyphs' tops face right as it is drawn, see pdf/text-layer.ts).
 */
import type { Box, Line } from '../domain/ocr-tree.js';
import { isUnspacedText } from '../domain/line-text.js';

/** One byte per pixel, row-major, dark ink on light ground or the reverse. */
export interface GreyImage {
  data: Uint8Array;
  width: number;
  height: number;
}

export interface LineGeometry {
  /** Across the line (page pixels): baseline, and the top and bottom of its ink. */
  baseline: number;
  top: number;
  bottom: number;
  /** The em of the text in pixels, from its measured height. */
  size: number;
  /** Each word's start and end along the line (page pixels), in the line's word order. */
  words: Array<[number, number]>;
  /** False when the line was guessed from its box (no usable ink). */
  measured: boolean;
}

/**
 * Share of the em above the baseline (the rest is below), as the PDF text layer's glyphless
 * font declares it (ascent 0.8, descent -0.2).
 */
export const GLYPH_ASCENT = 0.8;
/** Share of the em above the baseline that caps and ascenders reach (Latin, Cyrillic, Greek). */
const ASCENDER_EM = 0.72;
/** Share of the em an ideograph's ink fills. */
const IDEOGRAPH_EM = 0.9;
/** Grey levels between ink and ground below which a box holds no readable ink. */
const MIN_CONTRAST = 40;

/** A line's pixels in its own frame: `rows` across the text (glyph tops first), `cols` along it. */
interface LineRaster {
  ink: Uint8Array;
  rows: number;
  cols: number;
}

function otsu(hist: Uint32Array, total: number): number {
  let sum = 0;
  for (let i = 0; i < 256; i++) sum += i * hist[i];
  let sumB = 0, wB = 0, best = -1, threshold = 128;
  for (let t = 0; t < 256; t++) {
    wB += hist[t];
    if (wB === 0) continue;
    const wF = total - wB;
    if (wF === 0) break;
    sumB += t * hist[t];
    const mB = sumB / wB, mF = (sum - sumB) / wF;
    const between = wB * wF * (mB - mF) ** 2;
    if (between > best) { best = between; threshold = t; }
  }
  return threshold;
}

/** The line's box cut from the image, turned so text runs along the columns; undefined without contrast. */
function rasterOf(img: GreyImage, box: Box, vertical: boolean): LineRaster | undefined {
  const x0 = Math.max(0, Math.floor(box.x)), y0 = Math.max(0, Math.floor(box.y));
  const x1 = Math.min(img.width, Math.ceil(box.x + box.w)), y1 = Math.min(img.height, Math.ceil(box.y + box.h));
  const w = x1 - x0, h = y1 - y0;
  if (w < 2 || h < 2) return undefined;
  const hist = new Uint32Array(256);
  for (let y = y0; y < y1; y++) {
    const from = y * img.width;
    for (let x = x0; x < x1; x++) hist[img.data[from + x]]++;
  }
  const t = otsu(hist, w * h);
  let dark = 0, darkSum = 0, lightSum = 0;
  for (let v = 0; v < 256; v++) {
    if (v <= t) { dark += hist[v]; darkSum += v * hist[v]; } else lightSum += v * hist[v];
  }
  const light = w * h - dark;
  if (dark === 0 || light === 0 || lightSum / light - darkSum / dark < MIN_CONTRAST) return undefined;
  // Ink is the minority class: dark text on a light ground, or light text on a dark band.
  const inkIsDark = dark <= light;
  const [rows, cols] = vertical ? [w, h] : [h, w];
  const ink = new Uint8Array(rows * cols);
  for (let y = y0; y < y1; y++) {
    const from = y * img.width;
    for (let x = x0; x < x1; x++) {
      if ((img.data[from + x] <= t) !== inkIsDark) continue;
      // Vertical: row 0 is the column's right edge (the glyph tops), columns run down the page.
      ink[vertical ? (x1 - 1 - x) * cols + (y - y0) : (y - y0) * cols + (x - x0)] = 1;
    }
  }
  return { ink, rows, cols };
}

/**
 * A rule's rows ink the gaps between words, where no glyph reaches: a row whose ink in columns
 * blank outside its own band (itself and a row either side) reaches this share of the box's
 * width is a rule's, when the band is thin.
 */
const RULE_PRIVATE = 0.15, RULE_THICKNESS = 0.15;

/**
 * Clears the thin horizontal rules in a line's box from its raster and profile: a rule the
 * box reaches over (a dashed line under a table header, between two rows) can be the densest
 * ink there and be taken for the text's core band, putting the baseline on the rule.
 */
function eraseRules(raster: LineRaster, profile: Uint32Array): void {
  const { ink, rows, cols } = raster;
  const colInk = new Uint32Array(cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) colInk[c] += ink[r * cols + c];
  const at = (r: number, c: number) => (r >= 0 && r < rows ? ink[r * cols + c] : 0);
  const ruled = (r: number) => {
    let own = 0;
    for (let c = 0; c < cols; c++) if (ink[r * cols + c] && colInk[c] === at(r - 1, c) + at(r, c) + at(r + 1, c)) own++;
    return own >= RULE_PRIVATE * cols;
  };
  const thin = Math.max(2, Math.round(RULE_THICKNESS * rows));
  const marks = Array.from({ length: rows }, (_, r) => profile[r] > 0 && ruled(r));
  for (let r = 0; r < rows;) {
    if (!marks[r]) { r++; continue; }
    let end = r;
    while (end + 1 < rows && marks[end + 1]) end++;
    if (end - r + 1 <= thin) for (let k = r; k <= end; k++) { profile[k] = 0; ink.fill(0, k * cols, (k + 1) * cols); }
    r = end + 1;
  }
}

/** The heaviest run of rows whose ink reaches `share` of the fullest row (one-row gaps bridged). */
function coreBand(profile: Uint32Array, share: number): [number, number] | undefined {
  let max = 0;
  for (const v of profile) max = Math.max(max, v);
  if (max === 0) return undefined;
  const strong = (r: number) => profile[r] >= share * max;
  let best: [number, number] | undefined, bestMass = 0;
  for (let r = 0; r < profile.length;) {
    if (!strong(r)) { r++; continue; }
    let end = r, mass = 0;
    for (let k = r; k < profile.length && (strong(k) || (k + 1 < profile.length && strong(k + 1))); k++) { end = k; mass += profile[k]; }
    if (mass > bestMass) { bestMass = mass; best = [r, end + 1]; }
    r = end + 1;
  }
  return best;
}

/** How far ink continues from `from` in direction `step` (rows with any ink, no gap), at most `limit` rows. */
function inkReach(profile: Uint32Array, from: number, step: 1 | -1, limit: number, noise: number): number {
  let r = from, n = 0;
  while (n < limit && r + step >= 0 && r + step < profile.length && profile[r + step] > noise) { r += step; n++; }
  return r;
}

/** Ink pixels per column between rows [top, bottom). */
function columnInk(raster: LineRaster, top: number, bottom: number): Uint32Array {
  const counts = new Uint32Array(raster.cols);
  for (let r = top; r < bottom; r++) {
    const row = r * raster.cols;
    for (let c = 0; c < raster.cols; c++) counts[c] += raster.ink[row + c];
  }
  return counts;
}

/** The along-range of the inked columns within [a, b), or undefined. */
function inkSpan(columns: Uint32Array, a: number, b: number): [number, number] | undefined {
  let first = -1, last = -1;
  for (let c = Math.max(0, a); c < Math.min(columns.length, b); c++) {
    if (columns[c] > 0) { if (first < 0) first = c; last = c; }
  }
  return first < 0 ? undefined : [first, last + 1];
}

/** Geometry from the box alone: text assumed centred in it, the em 0.8 of its thickness. */
function guessed(line: Line, vertical: boolean): LineGeometry {
  const b = line.box;
  const [start, thick] = vertical ? [b.x + b.w, b.w] : [b.y, b.h];
  const words = line.words.map((w): [number, number] => (vertical ? [w.box.y, w.box.y + w.box.h] : [w.box.x, w.box.x + w.box.w]));
  const across = (d: number) => (vertical ? start - d : start + d);
  return { baseline: across(thick * 0.8), top: across(thick * 0.1), bottom: across(thick * 0.9), size: thick * 0.8, words, measured: false };
}

/** Measures one line on the upright page image (see the file comment); guesses from its box when it cannot. */
export function measureLine(img: GreyImage | undefined, line: Line): LineGeometry {
  const vertical = line.vertical === true;
  const raster = img && rasterOf(img, line.box, vertical);
  if (!raster) return guessed(line, vertical);
  const profile = new Uint32Array(raster.rows);
  for (let r = 0; r < raster.rows; r++) {
    let n = 0;
    for (let c = 0; c < raster.cols; c++) n += raster.ink[r * raster.cols + c];
    profile[r] = n;
  }
  eraseRules(raster, profile);
  const ideographic = vertical || line.cjk === true || isUnspacedText(line.text);
  const core = coreBand(profile, ideographic ? 0.15 : 0.4);
  if (!core) return guessed(line, vertical);
  const coreH = core[1] - core[0];
  const noise = Math.max(0, Math.floor(raster.cols * 0.002));
  const top = inkReach(profile, core[0], -1, ideographic ? coreH * 0.3 : coreH * 1.1, noise);
  const bottom = inkReach(profile, core[1] - 1, 1, ideographic ? coreH * 0.3 : coreH * 0.8, noise) + 1;
  // Baseline and em in raster rows (0 = the glyph tops' side of the box).
  // Ideographs sit centred in their em box, which the glyphless font's ascent and descent
  // span (GLYPH_ASCENT of it above the baseline).
  const em = ideographic ? (bottom - top) / IDEOGRAPH_EM : (core[1] - top) / ASCENDER_EM;
  const baseRow = ideographic ? (top + bottom) / 2 + (GLYPH_ASCENT - 0.5) * em : core[1];
  const b = line.box;
  const origin = vertical ? Math.min(b.x + b.w, img!.width) : Math.max(0, Math.floor(b.y));
  const across = (r: number) => (vertical ? origin - r : origin + r);
  const alongOrigin = vertical ? Math.max(0, Math.floor(b.y)) : Math.max(0, Math.floor(b.x));
  const columns = columnInk(raster, top, bottom);
  const words = line.words.map((w): [number, number] => {
    const [a, z] = vertical ? [w.box.y, w.box.y + w.box.h] : [w.box.x, w.box.x + w.box.w];
    const span = inkSpan(columns, Math.round(a - alongOrigin), Math.round(z - alongOrigin));
    // A word narrowed to under 40 % of its box was probably measured on someone else's ink.
    if (!span || span[1] - span[0] < 0.4 * (z - a)) return [a, z];
    return [alongOrigin + span[0], alongOrigin + span[1]];
  });
  return { baseline: across(baseRow), top: across(top), bottom: across(bottom), size: em, words, measured: true };
}
