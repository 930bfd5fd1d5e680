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

/** Runs along the primary axis: for each of `count` scanlines, `get(line, i)` is dark. */
function runs(count: number, length: number, minLen: number, dark: (line: number, i: number) => boolean): Segment[] {
  const found: Segment[] = [];
  for (let line = 0; line < count; line++) {
    let start = -1, lastDark = -1;
    for (let i = 0; i <= length; i++) {
      const d = i < length && dark(line, i);
      if (d) {
        if (start < 0) start = i;
        lastDark = i;
      } else if (start >= 0 && i - lastDark > MAX_GAP) {
        if (lastDark - start + 1 >= minLen) found.push({ at: line, a: start, b: lastDark + 1 });
        start = -1;
      }
    }
  }
  return found;
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
  const px = (x: number, y: number) => data[(y * width + x) * stride] < INK;
  const horizontal = mergeThickness(runs(height, width, minLen, (y, x) => px(x, y)), maxThickness);
  const vertical = mergeThickness(runs(width, height, minLen, (x, y) => px(x, y)), maxThickness);
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
