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

/**
 * A blank run [x0, x1) in crop pixels, its width in type sizes, and whether light ink the
 * threshold left out sits on the baseline inside it (a faint full stop).
 */
export type Gap = [number, number, number, boolean?];

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
  let inkRows = 0, top = -1, bottom = -1;
  for (let r = 0; r < height; r++) {
    if (rowInk[r] <= 0.02 * contentWidth) continue;
    inkRows++; if (top < 0) top = r; bottom = r;
  }
  const faint = dark <= n - dark && top >= 0 ? faintMarkFinder(gray, hist, n, thr, contentWidth, top, bottom) : () => false;
  // Ink rows span about the type size; every run of 2+ columns is kept, measured in it.
  const minGap = 2;
  const runs: Gap[] = [];
  let start = -1;
  for (let c = 0; c <= contentWidth; c++) {
    const blank = c < contentWidth && colInk[c] <= 1;
    if (blank && start < 0) start = c;
    if (!blank && start >= 0) {
      if (c - start >= minGap) runs.push([start, c, (c - start) / Math.max(1, inkRows), faint(start, c)]);
      start = -1;
    }
  }
  return runs;
}

/**
 * Tells whether columns [x0, x1) hold a faint dot on the baseline: pixels darker than halfway
 * from the ink threshold to the paper, two at least, in the lowest third of the ink rows, no
 * wider or taller than a third of the type size together. A light decimal point falls under
 * Otsu's threshold and leaves a blank between the digits; this is what remains of it.
 */
function faintMarkFinder(gray: Float32Array, hist: Float64Array, n: number, thr: number, contentWidth: number, top: number, bottom: number) {
  let seen = 0, paperBin = BINS - 1;
  for (let i = 0; i < BINS; i++) { seen += hist[i]; if (seen >= 0.75 * n) { paperBin = i; break; } }
  const paper = ((paperBin + 0.5) / BINS) * 2 - 1;
  const light = paper - (paper - thr) / 4;
  const size = bottom - top + 1, low = bottom - Math.max(1, Math.round(size / 3));
  return (x0: number, x1: number): boolean => {
    // Two columns in from each side: the neighbours' antialiased edges are light ink too.
    let count = 0, minX = x1, maxX = x0, minY = bottom + 3, maxY = 0;
    for (let r = low; r <= bottom + 2 && (r + 1) * contentWidth <= gray.length; r++) {
      for (let c = x0 + 2; c < x1 - 2; c++) {
        if (gray[r * contentWidth + c] >= light) continue;
        count++; minX = Math.min(minX, c); maxX = Math.max(maxX, c); minY = Math.min(minY, r); maxY = Math.max(maxY, r);
      }
    }
    return count >= 2 && maxX - minX < size / 3 && maxY - minY < size / 3;
  };
}

/** The line's type size in crop pixels, read back from a gap's width and its width in type sizes; undefined without gaps. */
export function gapTypeSize(gaps: readonly Gap[]): number | undefined {
  const sized = gaps.find(([g0, g1, size]) => size > 0 && g1 > g0);
  return sized ? (sized[1] - sized[0]) / sized[2] : undefined;
}

/** Monospaced: this share of a line's glyphs sit on one pitch grid; proportional: under the second figure. */
const MONO_ALIGNMENT = 0.95, PROPORTIONAL_ALIGNMENT = 0.75;
/** Glyphs (ink runs) a line needs before its pitch is trusted, and before it is called proportional. */
const MONO_MIN_GLYPHS = 6, PROPORTIONAL_MIN_GLYPHS = 8;

/** How a line is set: monospaced at a pitch (crop pixels), proportional, or too short or unclear to tell. */
export type TypeSetting = { kind: 'monospaced'; pitch: number } | { kind: 'proportional' } | { kind: 'unknown' };

/**
 * How a line's type is set, from its gaps. Each glyph of a monospaced font is centred in a cell
 * of one width, so the centres of the ink runs between the gaps fall on a regular grid;
 * proportional glyphs advance by their own widths and drift off any grid. The grid is the pitch
 * whose phases agree (the mean resultant length of each centre's angle around its cell),
 * searched from 0.45 to 1.5 type sizes (receipts' monospaced pitches measure 0.5 to 0.7 of
 * their ink height; lower-case words and letter-spaced lines run wider); the widest pitch that
 * fits wins, as half of it fits as well (a grid's double does not: alternate cells fall half a
 * turn apart). Short lines fit some grid by chance and stay unknown.
 */
export function typeSetting(gaps: readonly Gap[], contentWidth: number): TypeSetting {
  const unknown: TypeSetting = { kind: 'unknown' };
  const typeSize = gapTypeSize(gaps);
  if (typeSize === undefined) return unknown;
  const centres: number[] = [];
  let prev = 0;
  for (const [g0, g1] of [...gaps, [contentWidth, contentWidth, 0] as Gap]) {
    // Runs wider than a type size are glyphs run together (or a rule): their centre is off-grid.
    if (g0 > prev && g0 - prev <= typeSize) centres.push((prev + g0) / 2);
    prev = g1;
  }
  if (centres.length < MONO_MIN_GLYPHS) return unknown;
  const pitches: number[] = [], fits: number[] = [];
  for (let p = 0.45 * typeSize; p <= 1.5 * typeSize; p += 0.25) {
    let c = 0, s = 0;
    for (const x of centres) { c += Math.cos((2 * Math.PI * x) / p); s += Math.sin((2 * Math.PI * x) / p); }
    pitches.push(p); fits.push(Math.hypot(c, s) / centres.length);
  }
  // A grid also fits at half its pitch (every other cell empty): the widest pitch that fits is the line's.
  // Over fewer than four cells any few centres agree on some pitch.
  const span = centres[centres.length - 1] - centres[0];
  let best = 0, bestPitch = 0;
  fits.forEach((r, i) => {
    const peak = r >= (fits[i - 1] ?? 0) && r >= (fits[i + 1] ?? 0) && span >= 4 * pitches[i];
    if (r > best) best = r;
    if (peak && r >= MONO_ALIGNMENT) bestPitch = pitches[i];
  });
  if (bestPitch > 0) return { kind: 'monospaced', pitch: bestPitch };
  return best < PROPORTIONAL_ALIGNMENT && centres.length >= PROPORTIONAL_MIN_GLYPHS ? { kind: 'proportional' } : unknown;
}
