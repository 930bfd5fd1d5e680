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
}

const INK = 160;
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

export async function findRulings(image: PageImage): Promise<Rulings> {
  // Rules survive 300 dpi; finer images are scanned at 300 dpi to bound the work.
  const width0 = image.dpi > 300 ? Math.round((image.width * 300) / image.dpi) : image.width;
  const { data, info } = await sharp(image.data).flatten({ background: '#ffffff' }).resize({ width: width0 }).grayscale().raw().toBuffer({ resolveWithObject: true });
  const { width, height } = info;
  const stride = info.channels;
  const dpi = image.dpi > 0 ? image.dpi * (width / image.width) : 300;
  const minLen = Math.max(20, Math.round(dpi * 0.35));
  const maxThickness = Math.max(3, Math.round(dpi / 50));
  const px = (x: number, y: number) => data[(y * width + x) * stride] < INK;
  const horizontal = mergeThickness(runs(height, width, minLen, (y, x) => px(x, y)), maxThickness);
  const vertical = mergeThickness(runs(width, height, minLen, (x, y) => px(x, y)), maxThickness);
  return { horizontal, vertical, width, height };
}
