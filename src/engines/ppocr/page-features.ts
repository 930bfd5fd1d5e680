/**
 * What a page shows, measured cheaply after detection (no recognition): how many lines, how
 * upright, regular and wide they are, and how clean the print is (ink against paper inside
 * the line boxes, paper level and evenness, colour). The engine policy
 * (engine-policy.ts) decides from these whether Tesseract reads the page as well as PP-OCR.
 */
import type { DetectedBox } from './detect.js';
import type { Raster } from './raster.js';

export interface PageFeatures {
  lines: number;
  /** Tilt from horizontal of the long lines (at least 3 heights wide), 90th percentile, degrees: a few tilted specks do not count. */
  tiltDeg: number;
  /** Median line height in pixels (at the page's own resolution). */
  medianLineHeight: number;
  /** Share of lines whose height is within ±30 % of the median. */
  regularHeights: number;
  /** Median over sampled lines of paper − ink (grey levels, 0..255; ink = the darkest 3 %, paper = the 90th percentile). */
  contrast: number;
  /** Median paper level (grey, 0..255): dark-on-light print is high; light text on a dark ground low. */
  paper: number;
  /** Median line width over the width of the text's bounding box: one column of prose is high, several columns low. */
  lineSpan: number;
  /** Spread (interquartile range) of the paper level across lines: uneven light, shadows, folds. */
  paperSpread: number;
  /** Mean colourfulness (max − min channel) inside lines: photos and coloured print are high. */
  colour: number;
}

/** At most this many lines are sampled for the pixel measures (evenly through the page). */
const SAMPLED_LINES = 40;
const quantile = (xs: number[], q: number) => {
  if (xs.length === 0) return 0;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.round(q * (s.length - 1))))];
};

/** Ink (10th percentile), paper (90th) and colourfulness of the grey levels on the box's middle rows. */
function linePixels(img: Raster, b: DetectedBox): { ink: number; paper: number; colour: number } | undefined {
  const x0 = Math.max(0, Math.round(b.cx - b.w / 2)), x1 = Math.min(img.width, Math.round(b.cx + b.w / 2));
  const y0 = Math.max(0, Math.round(b.cy - b.h / 2)), y1 = Math.min(img.height, Math.round(b.cy + b.h / 2));
  if (x1 - x0 < 4 || y1 - y0 < 4) return undefined;
  const hist = new Uint32Array(256);
  let n = 0, colour = 0;
  const stepX = Math.max(1, Math.floor((x1 - x0) / 200)), stepY = Math.max(1, Math.floor((y1 - y0) / 12));
  for (let y = y0; y < y1; y += stepY) {
    for (let x = x0; x < x1; x += stepX) {
      const i = (y * img.width + x) * 3;
      const r = img.data[i], g = img.data[i + 1], bl = img.data[i + 2];
      hist[(r * 77 + g * 150 + bl * 29) >> 8]++;
      colour += Math.max(r, g, bl) - Math.min(r, g, bl);
      n++;
    }
  }
  if (n === 0) return undefined;
  const level = (q: number) => { let acc = 0; for (let v = 0; v < 256; v++) { acc += hist[v]; if (acc >= q * n) return v; } return 255; };
  return { ink: level(0.03), paper: level(0.9), colour: colour / n };
}

export function pageFeatures(img: Raster, boxes: readonly DetectedBox[]): PageFeatures {
  const lines = boxes.length;
  if (lines === 0) return { lines: 0, tiltDeg: 0, medianLineHeight: 0, regularHeights: 0, contrast: 0, paper: 0, lineSpan: 0, paperSpread: 0, colour: 0 };
  const heights = boxes.map((b) => b.h);
  const med = quantile(heights, 0.5);
  const tilt = (b: DetectedBox) => {
    const deg = Math.abs((b.angle * 180) / Math.PI) % 180;
    return Math.min(deg, 180 - deg);
  };
  const step = Math.max(1, Math.floor(lines / SAMPLED_LINES));
  const long = boxes.filter((b) => b.w >= 3 * b.h);
  const left = Math.min(...boxes.map((b) => b.cx - b.w / 2)), right = Math.max(...boxes.map((b) => b.cx + b.w / 2));
  const sampled = boxes.filter((_, i) => i % step === 0).map((b) => linePixels(img, b)).filter((p) => p !== undefined);
  return {
    lines,
    tiltDeg: quantile(long.map(tilt), 0.9),
    medianLineHeight: med,
    regularHeights: heights.filter((h) => Math.abs(h - med) <= 0.3 * med).length / lines,
    contrast: quantile(sampled.map((p) => p.paper - p.ink), 0.5),
    paper: quantile(sampled.map((p) => p.paper), 0.5),
    lineSpan: quantile(boxes.map((b) => b.w), 0.5) / Math.max(1, right - left),
    paperSpread: quantile(sampled.map((p) => p.paper), 0.75) - quantile(sampled.map((p) => p.paper), 0.25),
    colour: sampled.reduce((a, p) => a + p.colour, 0) / Math.max(1, sampled.length),
  };
}
