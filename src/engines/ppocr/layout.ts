/**
 * Page layout from recognised segments: segments on one visual row are joined into lines
 * (DB splits a row at wide gaps: receipts, forms, table rows), lines are put in reading order
 * (columns left to right, each top to bottom) and grouped into paragraph blocks by proximity.
 * Everything is done in a frame turned by the page's skew, so tilted pages group along their
 * lines' slope rather than by plain vertical overlap (issue 2).
 */
import type { OrientedBox } from './geometry.js';
import type { SegmentText } from './words.js';
import { isCjkChar } from './words.js';
import { isVerticalSegment, verticalBlocks } from './vertical.js';
import type { Gutter } from './gutters.js';

export interface Segment {
  /** Upright detection box in working-image pixels (angle within ±45°). */
  box: OrientedBox;
  text: SegmentText;
}

/** Axis-aligned extent in the de-skewed frame. */
export interface Span { x0: number; x1: number; y0: number; y1: number }

export interface LaidLine {
  segments: Segment[];
  span: Span;
  /** A column of CJK text read top to bottom (vertical.ts). */
  vertical?: boolean;
}

export interface LaidBlock {
  lines: LaidLine[];
}

/** The dominant text angle: width-weighted median over long boxes, 0 when there are none. */
export function pageSkew(boxes: readonly OrientedBox[]): number {
  const long = boxes.filter((b) => b.w >= 3 * b.h).sort((a, b) => a.angle - b.angle);
  if (long.length === 0) return 0;
  const total = long.reduce((s, b) => s + b.w, 0);
  let acc = 0;
  for (const b of long) { acc += b.w; if (acc >= total / 2) return b.angle; }
  return 0;
}

function spanOf(b: OrientedBox, skew: number): Span {
  const c = Math.cos(skew), s = Math.sin(skew);
  const x = b.cx * c + b.cy * s, y = -b.cx * s + b.cy * c;
  // The box's own angle differs from the skew by little; its extents are taken as axis-aligned.
  return { x0: x - b.w / 2, x1: x + b.w / 2, y0: y - b.h / 2, y1: y + b.h / 2 };
}

const height = (s: Span) => s.y1 - s.y0;
const width = (s: Span) => s.x1 - s.x0;
const join = (a: Span, b: Span): Span => ({ x0: Math.min(a.x0, b.x0), x1: Math.max(a.x1, b.x1), y0: Math.min(a.y0, b.y0), y1: Math.max(a.y1, b.y1) });

const MAX_ORDERED_LINES = 400;
/** Two lines share a column when they overlap by more than this share of the narrower one. */
const SHARED_COLUMN = 0.5;

/** The upper median (the middle value, or the upper of the two middle ones). */
export const median = (xs: number[]) => xs.slice().sort((p, q) => p - q)[xs.length >> 1];

/**
 * Whether `b` continues the row that ends with `a` (b starts to the right of a). `all` are
 * every segment's spans. A small gap is a word gap DB happened to split, unless the rows just
 * above or below leave the same gap empty (a column gutter). A wide gap is crossed only by
 * table-like rows (aligned pieces among short neighbours: receipt amounts, form values), never
 * by prose columns whose lines happen to align.
 */
function continuesRow(a: Span, b: Span, all: readonly Span[]): boolean {
  const ha = height(a), hb = height(b), hmax = Math.max(ha, hb);
  // DB shrinks the box of a lone narrow glyph (a receipt's quantity `1`) to its ink: such a
  // piece, inside the other's band, is measured by the other's height.
  const hmin = narrowInside(a, b) || narrowInside(b, a) ? hmax : Math.min(ha, hb);
  const overlap = Math.min(a.y1, b.y1) - Math.max(a.y0, b.y0);
  if (overlap < 0.5 * Math.min(ha, hb) || hmax > 2 * hmin) return false;
  const gap = b.x0 - a.x1;
  if (gap < -hmin) return false; // unclipped neighbours may overlap a little
  const aligned = Math.abs((a.y0 + a.y1) / 2 - (b.y0 + b.y1) / 2) < 0.3 * hmin && hmax < 1.4 * hmin;
  if (gap < 0.3 * hmax) return true;
  const mid = (a.x1 + b.x0) / 2, cy = (a.y0 + a.y1 + b.y0 + b.y1) / 4;
  const left: number[] = [width(a)], right: number[] = [width(b)];
  // Per neighbouring row (above, below): [pieces left of the gap, right of it, crossing it].
  const near = [[0, 0, 0], [0, 0, 0]];
  // Right ends of the prose-long lines in a's column near a (a included), for columnEdgeBetween.
  const long = 10 * hmin, cya = (a.y0 + a.y1) / 2;
  const ends: number[] = width(a) >= long ? [a.x1] : [];
  for (const s of all) {
    if (s === a || s === b) continue;
    // The columns' other pieces: what lies under a (and not b), under b (and not a).
    const underA = s.x0 < a.x1 && s.x1 > a.x0, underB = s.x0 < b.x1 && s.x1 > b.x0;
    if (underA && !underB && width(s) >= long && Math.abs((s.y0 + s.y1) / 2 - cya) <= 4 * ha) ends.push(s.x1);
    const dy = (s.y0 + s.y1) / 2 - cy;
    if (Math.abs(dy) > 4 * hmax) continue;
    const side = s.x0 < mid && s.x1 > mid ? 2 : s.x1 <= mid ? 0 : 1;
    if (Math.abs(dy) > 0.5 * hmax && Math.abs(dy) < 1.6 * hmax) near[dy < 0 ? 0 : 1][side]++;
    if (underA && !underB) left.push(width(s));
    if (underB && !underA) right.push(width(s));
  }
  if (columnEdgeBetween(a, b, ends, hmin)) return false;
  const gutter = near.some(([l, r, c]) => l > 0 && r > 0 && c === 0);
  if (gap < 1.2 * hmax && !gutter) return true; // a word gap DB happened to split
  // A piece alone on its side of the gap (the rows above and below hold nothing right of it) is
  // no column's top line: a receipt's wider field gap (`13:58 SH01 Z153   T2 R000002902`).
  if (gap < 2 * hmax && aligned && near.every(([, r]) => r === 0)) return true;
  // A wide gap joins a table or receipt row (label … amount): aligned pieces, one short, among
  // short neighbours. A short line beside prose (a paragraph's end) stays in its column.
  const short = 5 * hmax;
  return aligned && Math.min(median(left), median(right)) < short && Math.min(width(a), width(b)) < short;
}

/** A piece of a glyph or two (no wider than tall, nor than t's height) lying within t's band. */
function narrowInside(s: Span, t: Span): boolean {
  const ht = height(t), tol = 0.15 * ht;
  return height(s) < ht && width(s) <= Math.min(ht, 1.5 * height(s)) && s.y0 >= t.y0 - tol && s.y1 <= t.y1 + tol;
}

/**
 * Whether a's column is justified prose whose right margin lies between a and b: most of the
 * prose-long lines near a (`ends`: their right ends; ten line heights, some 25 characters, and
 * more; a itself included when long) end at one x, at or after a's end and before b. Nothing
 * joins across such a margin, however the next column happens to line up (a photo caption, a
 * sidebar); receipt and table labels end raggedly and are not held back.
 */
function columnEdgeBetween(a: Span, b: Span, ends: number[], h: number): boolean {
  if (ends.length < 3) return false;
  ends.sort((p, q) => p - q);
  const tol = 0.5 * h;
  for (let i = 0, j = 0; j < ends.length; j++) {
    while (ends[j] - ends[i] > tol) i++;
    const edge = ends[j];
    if (j - i + 1 >= 3 && j - i + 1 >= 0.6 * ends.length && edge >= a.x1 - tol && edge < b.x0) return true;
  }
  return false;
}

/** Whether a column gutter found in the image (gutters.ts) lies between a and b, on their row. */
function gutterBetween(a: Span, b: Span, gutters: readonly Gutter[]): boolean {
  const cy = (a.y0 + a.y1 + b.y0 + b.y1) / 4, h = Math.max(height(a), height(b));
  // Detection boxes reach a little past their ink (DB's unclip): the gutter's middle is what counts.
  return gutters.some((g) => {
    const m = (g.x0 + g.x1) / 2;
    return cy >= g.y0 && cy <= g.y1 && m >= a.x1 - 0.5 * h && m <= b.x0 + 0.5 * h && m > (a.x0 + a.x1) / 2 && m < (b.x0 + b.x1) / 2;
  });
}

function groupRows(segs: Segment[], skew: number, gutters: readonly Gutter[] = []): LaidLine[] {
  const items = segs.map((seg) => ({ seg, span: spanOf(seg.box, skew) })).sort((p, q) => p.span.x0 - q.span.x0);
  const all = items.map((it) => it.span);
  const rows: { segs: Segment[]; last: Span; span: Span }[] = [];
  for (const it of items) {
    let best = -1, bestGap = Infinity;
    rows.forEach((r, i) => {
      const gap = it.span.x0 - r.last.x1;
      if (gap >= bestGap || gutterBetween(r.last, it.span, gutters) || !continuesRow(r.last, it.span, all)) return;
      bestGap = gap; best = i;
    });
    if (best >= 0) {
      const r = rows[best];
      r.segs.push(it.seg); r.last = it.span; r.span = join(r.span, it.span);
    } else rows.push({ segs: [it.seg], last: it.span, span: it.span });
  }
  return rows.map((r) => ({ segments: r.segs, span: r.span }));
}

/**
 * Reading order after Breuel: a precedes b when they share columns and a is above, or when a
 * lies wholly left of b and no line between them in height spans both (a separator such as a
 * full-width heading, alone in its row). Sharing a column means overlapping by more than half
 * the narrower line: a photo caption or a pull quote that reaches a little under both columns
 * does not chain one column's top to the other's bottom. Among the lines free to come next the
 * topmost is read. A block of vertical columns (`vertical`) comes after what lies wholly above
 * it and before what lies wholly below; beside it, the text on the right comes first, as
 * vertical pages are read.
 */
function readingOrder(lines: LaidLine[]): LaidLine[] {
  const n = lines.length;
  // The pairwise rules cost O(n³); beyond this many lines (a dense table of fragments) plain
  // top-to-bottom, left-to-right order keeps the page's time bounded.
  if (n > MAX_ORDERED_LINES) return lines.slice().sort((p, q) => p.span.y0 - q.span.y0 || p.span.x0 - q.span.x0);
  const s = lines.map((l) => l.span);
  const cy = (i: number) => (s[i].y0 + s[i].y1) / 2;
  const xOverlap = (i: number, j: number) =>
    Math.min(s[i].x1, s[j].x1) - Math.max(s[i].x0, s[j].x0) > SHARED_COLUMN * Math.min(width(s[i]), width(s[j]));
  // A separator stands alone in its row: a caption with column text beside it separates nothing.
  const beside = (c: number, d: number) =>
    Math.abs(cy(d) - cy(c)) < 0.5 * Math.min(height(s[c]), height(s[d])) && (s[d].x1 <= s[c].x0 || s[d].x0 >= s[c].x1);
  const alone = s.map((_, c) => s.every((__, d) => d === c || !beside(c, d)));
  // A line below b and wholly left of it comes first only as part of a column beside b: a line
  // just above it (two of its heights) is left of b too. A left-aligned line after a block set
  // to the right (a receipt's `GST SUMMARY` under its right-aligned `CASH`/`Change` rows)
  // starts no column: it is read after the block, top to bottom.
  const columnReachesUp = (a: number, b: number): boolean => {
    if (s[a].y0 < s[b].y1 - 0.3 * height(s[b])) return true;
    for (let c = 0; c < n; c++) {
      if (c === a || c === b || s[c].x1 > s[b].x0 || s[c].x1 <= s[a].x0 || s[c].x0 >= s[a].x1) continue;
      if (s[c].y1 <= s[a].y0 + 0.3 * height(s[a]) && s[a].y0 - s[c].y1 < 2 * height(s[a])) return true;
    }
    return false;
  };
  const before = (a: number, b: number): boolean => {
    if (lines[a].vertical || lines[b].vertical) {
      const tol = 0.3 * Math.min(height(s[a]), height(s[b]));
      return s[a].y1 <= s[b].y0 + tol || (!(s[b].y1 <= s[a].y0 + tol) && s[a].x0 >= s[b].x1 - tol);
    }
    if (xOverlap(a, b)) return cy(a) < cy(b);
    if (s[a].x1 > s[b].x0) return false;
    if (!columnReachesUp(a, b)) return false;
    const lo = Math.min(cy(a), cy(b)), hi = Math.max(cy(a), cy(b));
    for (let c = 0; c < n; c++) {
      if (c === a || c === b || !alone[c]) continue;
      if (cy(c) > lo && cy(c) < hi && s[c].x0 < s[a].x1 && s[c].x1 > s[b].x0) return false;
    }
    return true;
  };
  const indeg = new Int32Array(n);
  const succ: number[][] = Array.from({ length: n }, () => []);
  for (let a = 0; a < n; a++) for (let b = 0; b < n; b++) {
    if (a !== b && before(a, b) && !before(b, a)) { succ[a].push(b); indeg[b]++; }
  }
  const done = new Uint8Array(n);
  const out: LaidLine[] = [];
  for (let k = 0; k < n; k++) {
    // The topmost line free to come next (a column waits for the ones left of it: the rules above).
    let pick = -1;
    for (let i = 0; i < n; i++) {
      if (done[i] || indeg[i] > 0) continue;
      if (pick < 0 || s[i].y0 < s[pick].y0) pick = i;
    }
    if (pick < 0) { // a cycle (should not happen): fall back to the topmost remaining line
      for (let i = 0; i < n; i++) if (!done[i] && (pick < 0 || s[i].y0 < s[pick].y0)) pick = i;
    }
    done[pick] = 1; out.push(lines[pick]);
    for (const b of succ[pick]) indeg[b]--;
  }
  return out;
}

/** Consecutive lines in reading order form a block while they stack closely with similar heights. */
function groupBlocks(lines: LaidLine[]): LaidBlock[] {
  const blocks: LaidBlock[] = [];
  let prev: LaidLine | undefined;
  for (const l of lines) {
    const cur = blocks[blocks.length - 1];
    if (prev && cur) {
      const hp = height(prev.span), hl = height(l.span);
      const gap = l.span.y0 - prev.span.y1;
      const overlapX = Math.min(prev.span.x1, l.span.x1) - Math.max(prev.span.x0, l.span.x0);
      if (gap < 0.8 * Math.max(hp, hl) && gap > -0.8 * Math.min(hp, hl) && overlapX > 0 && Math.max(hp, hl) < 1.5 * Math.min(hp, hl)) {
        cur.lines.push(l); prev = l; continue;
      }
    }
    blocks.push({ lines: [l] });
    prev = l;
  }
  return blocks;
}

/** `gutters`: column gutters found in the image (gutters.ts); no row is joined across one. */
export function layoutPage(segs: Segment[], gutters: readonly Gutter[] = []): { blocks: LaidBlock[]; skew: number } {
  const skew = pageSkew(segs.filter((s) => !isVerticalSegment(s)).map((s) => s.box));
  const lines = groupRows(segs.filter((s) => !isVerticalSegment(s)), skew, Math.abs(skew) <= 0.02 ? gutters : []);
  const columns = segs.filter(isVerticalSegment).map((s): LaidLine => ({ segments: [s], span: spanOf(s.box, skew), vertical: true }));
  // Each block of vertical columns takes part in the reading order as one tall "line".
  const groups = new Map<LaidLine, LaidLine[]>();
  for (const g of verticalBlocks(columns)) groups.set({ segments: [], span: g.map((c) => c.span).reduce(join), vertical: true }, g);
  const blocks: LaidBlock[] = [];
  let run: LaidLine[] = [];
  const flush = () => { blocks.push(...groupBlocks(run)); run = []; };
  for (const l of readingOrder([...lines, ...groups.keys()])) {
    const group = groups.get(l);
    if (!group) { run.push(l); continue; }
    flush();
    blocks.push({ lines: group });
  }
  flush();
  return { blocks, skew };
}

/** What goes between consecutive segments of a line: a space, except between two Chinese characters. */
export function segmentJoins(line: LaidLine): string[] {
  const joins: string[] = [];
  for (let i = 1; i < line.segments.length; i++) {
    const a = line.segments[i - 1].text.text, b = line.segments[i].text.text;
    joins.push(isCjkChar(a[a.length - 1] ?? '') && isCjkChar(b[0] ?? '') ? '' : ' ');
  }
  return joins;
}

export function lineText(line: LaidLine): string {
  const joins = segmentJoins(line);
  return line.segments.map((s, i) => s.text.text + (joins[i] ?? '')).join('');
}
