/**
 * Blank column runs in a line crop: where the ink leaves a gap as wide as a word space. The
 * recogniser drops spaces between tightly set Latin words (receipts, small print); a gap the
 * image itself shows between two characters restores them without guessing from CTC timing,
 * which is quantised to 8-pixel steps and too coarse to tell a space from a wide letter.
 */

/** Otsu threshold of values in [-1, 1]. */
function otsu(values: Float32Array): number {
  const bins = 64, hist = new Float64Array(bins);
  for (const v of values) hist[Math.max(0, Math.min(bins - 1, Math.floor(((v + 1) / 2) * bins)))]++;
  const total = values.length;
  let sumAll = 0;
  for (let i = 0; i < bins; i++) sumAll += i * hist[i];
  let wB = 0, sumB = 0, best = 0, bestVar = -1;
  for (let i = 0; i < bins; i++) {
    wB += hist[i]; if (wB === 0) continue;
    const wF = total - wB; if (wF === 0) break;
    sumB += i * hist[i];
    const mB = sumB / wB, mF = (sumAll - sumB) / wF;
    const v = wB * wF * (mB - mF) * (mB - mF);
    if (v > bestVar) { bestVar = v; best = i; }
  }
  return ((best + 1) / bins) * 2 - 1;
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
  const plane = height * width;
  for (let r = 0; r < height; r++) {
    for (let c = 0; c < contentWidth; c++) {
      const o = r * width + c;
      gray[r * contentWidth + c] = (planes[o] + planes[plane + o] + planes[2 * plane + o]) / 3;
    }
  }
  const thr = otsu(gray);
  let dark = 0;
  for (const v of gray) if (v < thr) dark++;
  const inkIsDark = dark <= n - dark; // ink is the minority class (handles light text on dark)
  const colInk = new Int32Array(contentWidth), rowInk = new Int32Array(height);
  for (let r = 0; r < height; r++) {
    for (let c = 0; c < contentWidth; c++) {
      const v = gray[r * contentWidth + c];
      if (inkIsDark ? v < thr : v >= thr) { colInk[c]++; rowInk[r]++; }
    }
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
