/**
 * Ruling lines on a page image: long horizontal and vertical runs of dark pixels, merged
 * across their thickness. Text strokes are far shorter than the minimum length (0.35 in),
 * so what remains are table borders, underlines and frames.
 */
import sharp from 'sharp';
import type { PageImage } from '../ports/ocr-engine.js';

/** A horizontal (y fixed, a..b along x) or vertical (x fixed, a..b along y) segment, in image pixels. */
export interface Segment {
  /** Position across the segment (y of a horizontal line, x of a vertical one). */
  at: number;
  a: number;
  b: number;
}

export interface Rulings {
  horizontal: Segment[];
  vertical: Segment[];
  /** Image size the segments are measured in. */
  width: number;
  height: number;
  /** Share (0..1) of dark pixels in the box [x0, x1) × [y0, y1) of that image, to a few pixels. */
  darkShare(x0: number, y0: number, x1: number, y1: number): number;
}

const INK = 160;
/** Darker than mid-grey: what covers most of a photo's textured or dark surface, and little of a printed table. */
const DARK = 128;
/** Gaps this short inside a run are bridged (scanner dropouts, dashed joins). */
const MAX_GAP = 3;

/** Rows scanned between yields to the event loop: a slice of a 300 dpi page takes a few ms, so a server reading pages goes on answering requests meanwhile. */
const ROWS_PER_SLICE = 192;

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Horizontal runs (along each row) and vertical runs (down each column) of dark pixels, in one
 * pass over the rows (the columns' runs are carried in per-column state, so the image is read
 * in memory order). A run ends at a gap longer than MAX_GAP; runs shorter than `minLen` are
 * dropped, and so is a run that comes within MAX_GAP of the far edge (as the scan has always
 * done). Horizontal runs come by row, vertical ones by column, each by position along it.
 */
export async function scanRuns(data: Uint8Array, width: number, height: number, stride: number, minLen: number): Promise<{ horizontal: Segment[]; vertical: Segment[] }> {
  const horizontal: Segment[] = [];
  const vertical: Segment[] = [];
  const colStart = new Int32Array(width).fill(-1);
  const colLast = new Int32Array(width).fill(-1);
  for (let y = 0; y < height; y++) {
    if (y > 0 && y % ROWS_PER_SLICE === 0) await nextTurn();
    let p = y * width * stride;
    let start = -1, lastDark = -1;
    for (let x = 0; x < width; x++, p += stride) {
      if (data[p] < INK) {
        if (start < 0) start = x;
        lastDark = x;
        if (colStart[x] < 0) colStart[x] = y;
        colLast[x] = y;
        continue;
      }
      if (start >= 0 && x - lastDark > MAX_GAP) {
        if (lastDark - start + 1 >= minLen) horizontal.push({ at: y, a: start, b: lastDark + 1 });
        start = -1;
      }
      const s = colStart[x];
      if (s >= 0 && y - colLast[x] > MAX_GAP) {
        if (colLast[x] - s + 1 >= minLen) vertical.push({ at: x, a: s, b: colLast[x] + 1 });
        colStart[x] = -1;
      }
    }
    if (start >= 0 && width - lastDark > MAX_GAP && lastDark - start + 1 >= minLen) horizontal.push({ at: y, a: start, b: lastDark + 1 });
  }
  for (let x = 0; x < width; x++) {
    const s = colStart[x];
    if (s >= 0 && height - colLast[x] > MAX_GAP && colLast[x] - s + 1 >= minLen) vertical.push({ at: x, a: s, b: colLast[x] + 1 });
  }
  vertical.sort((u, v) => u.at - v.at || u.a - v.a);
  return { horizontal, vertical };
}

/** Merges runs on neighbouring scanlines that overlap into one segment (a line's thickness). */
function mergeThickness(segs: Segment[], maxThickness: number): Segment[] {
  const merged: (Segment & { from: number; to: number })[] = [];
  for (const s of segs) {
    const m = merged.find((o) => s.at - o.to <= 2 && s.at - o.from <= maxThickness && s.a < o.b && o.a < s.b);
    if (m) {
      m.to = s.at; m.a = Math.min(m.a, s.a); m.b = Math.max(m.b, s.b);
    } else {
      merged.push({ ...s, from: s.at, to: s.at });
    }
  }
  // Thick blobs are filled areas (photos, shading), not rules.
  return merged.filter((m) => m.to - m.from <= maxThickness).map((m) => ({ at: (m.from + m.to) / 2, a: m.a, b: m.b }));
}

/**
 * `turn` (0/90/180/270, clockwise) scans the image turned, as the engine read it upright
 * (Page.rotation): the rulings then come in that frame.
 */
export async function findRulings(image: PageImage, turn = 0): Promise<Rulings> {
  const sideways = turn === 90 || turn === 270;
  const turnedWidth = sideways ? image.height : image.width;
  // Rules survive 300 dpi; finer images are scanned at 300 dpi to bound the work.
  const width0 = image.dpi > 300 ? Math.round((turnedWidth * 300) / image.dpi) : turnedWidth;
  // sharp turns before it resizes, whatever the order of the calls.
  const { data, info } = await sharp(image.data).rotate(turn).flatten({ background: '#ffffff' }).resize({ width: width0 }).grayscale().raw().toBuffer({ resolveWithObject: true });
  const { width, height } = info;
  const stride = info.channels;
  const dpi = image.dpi > 0 ? image.dpi * (width / turnedWidth) : 300;
  const minLen = Math.max(20, Math.round(dpi * 0.35));
  const maxThickness = Math.max(3, Math.round(dpi / 50));
  const found = await scanRuns(data, width, height, stride, minLen);
  const horizontal = mergeThickness(found.horizontal, maxThickness);
  const vertical = mergeThickness(found.vertical, maxThickness);
  // The dark-pixel table costs a pass over the image: built only if a grid asks.
  let share: Rulings['darkShare'] | undefined;
  const darkShare: Rulings['darkShare'] = (...box) => (share ??= darkShareOf(data, width, height, stride))(...box);
  return { horizontal, vertical, width, height, darkShare };
}

/** Side of the blocks the dark-pixel counts are summed over (an integral image at full size would be ~35 MB a page). */
const BLOCK = 4;

/** Dark-pixel share over boxes, from a summed-area table of per-block counts. */
function darkShareOf(data: Buffer, width: number, height: number, stride: number): Rulings['darkShare'] {
  const bw = Math.ceil(width / BLOCK), bh = Math.ceil(height / BLOCK);
  const sums = new Uint32Array((bw + 1) * (bh + 1));
  for (let by = 0; by < bh; by++) {
    for (let bx = 0; bx < bw; bx++) {
      let dark = 0;
      for (let y = by * BLOCK; y < Math.min(height, (by + 1) * BLOCK); y++) {
        for (let x = bx * BLOCK; x < Math.min(width, (bx + 1) * BLOCK); x++) if (data[(y * width + x) * stride] < DARK) dark++;
      }
      const i = (by + 1) * (bw + 1) + bx + 1;
      sums[i] = dark + sums[i - 1] + sums[i - bw - 1] - sums[i - bw - 2];
    }
  }
  return (x0, y0, x1, y1) => {
    const clampX = (x: number) => Math.max(0, Math.min(bw, Math.round(x / BLOCK)));
    const clampY = (y: number) => Math.max(0, Math.min(bh, Math.round(y / BLOCK)));
    const [a, b, c, d] = [clampX(x0), clampY(y0), clampX(x1), clampY(y1)];
    if (c <= a || d <= b) return 0;
    const at = (x: number, y: number) => sums[y * (bw + 1) + x];
    return (at(c, d) - at(a, d) - at(c, b) + at(a, b)) / ((c - a) * (d - b) * BLOCK * BLOCK);
  };
}
