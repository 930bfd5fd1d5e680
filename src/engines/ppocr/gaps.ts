/**
 * Blank column runs in a line crop: where the ink leaves a gap as wide as a word space. The
 * recogniser drops spaces between tightly set Latin words (receipts, small print); a gap the
 * image itself shows between two characters restores them without guessing from CTC timing,
 * which is quantised to 8-pixel steps and too coarse to tell a space from a wide letter.
 */

const BINS = 64;

/** Histogram bin of a value in [-1, 1], as Otsu's threshold counts it. */
const binOf = (v: number) => Math.max(0, Math.min(BINS - 1, Math.floor(((v + 1) / 2) * BINS)));

/** Otsu threshold, in [-1, 1], of the values a histogram counted. */
function otsu(hist: Float64Array, total: number): number {
  let sumAll = 0;
  for (let i = 0; i < BINS; i++) sumAll += i * hist[i];
  let wB = 0, sumB = 0, best = 0, bestVar = -1;
  for (let i = 0; i < BINS; i++) {
    wB += hist[i]; if (wB === 0) continue;
    const wF = total - wB; if (wF === 0) break;
    sumB += i * hist[i];
    const mB = sumB / wB, mF = (sumAll - sumB) / wF;
    const v = wB * wF * (mB - mF) * (mB - mF);
    if (v > bestVar) { bestVar = v; best = i; }
  }
  return ((best + 1) / BINS) * 2 - 1;
}

/** A blank run [x0, x1) in crop pixels and its width in type sizes. */
export type Gap = [number, number, number];

/**
 * Blank runs [x0, x1) of the crop at least a word space wide, in crop pixels. `planes` is the
 * normalised 3-plane tensor of one crop, `width` its row stride, `contentWidth` the columns read.
 */
export function wordGaps(planes: Float32Array, height: number, width: number, contentWidth: number): Gap[] {
  const n = height * contentWidth;
  const gray = new Float32Array(n);
  const hist = new Float64Array(BINS);
  const plane = height * width;
  for (let r = 0; r < height; r++) {
    for (let c = 0; c < contentWidth; c++) {
      const o = r * width + c;
      const v = Math.fround((planes[o] + planes[plane + o] + planes[2 * plane + o]) / 3); // as stored
      gray[r * contentWidth + c] = v;
      hist[binOf(v)]++;
    }
  }
  const thr = otsu(hist, n);
  // Dark pixels per column and row; light ones are the rest.
  const colInk = new Int32Array(contentWidth), rowInk = new Int32Array(height);
  let dark = 0;
  for (let r = 0; r < height; r++) {
    for (let c = 0; c < contentWidth; c++) {
      if (gray[r * contentWidth + c] < thr) { colInk[c]++; rowInk[r]++; dark++; }
    }
  }
  if (dark > n - dark) { // ink is the minority class (handles light text on dark)
    for (let c = 0; c < contentWidth; c++) colInk[c] = height - colInk[c];
    for (let r = 0; r < height; r++) rowInk[r] = contentWidth - rowInk[r];
  }
  let inkRows = 0;
  for (const k of rowInk) if (k > 0.02 * contentWidth) inkRows++;
  // Ink rows span about the type size; every run of 2+ columns is kept, measured in it.
  const minGap = 2;
  const runs: Gap[] = [];
  let start = -1;
  for (let c = 0; c <= contentWidth; c++) {
    const blank = c < contentWidth && colInk[c] <= 1;
    if (blank && start < 0) start = c;
    if (!blank && start >= 0) {
      if (c - start >= minGap) runs.push([start, c, (c - start) / Math.max(1, inkRows)]);
      start = -1;
    }
  }
  return runs;
}
