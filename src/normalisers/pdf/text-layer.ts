/**
 * A PDF page's text layer → OCR tree page, exactly (MuPDF structured text: characters with
 * their quads), in pixels at the dpi the page image is rendered at, so that text-layer pages
 * and OCR pages share one coordinate space. Also judges whether a text layer is usable.
 */
import type * as mupdf from 'mupdf';
import type { Block, Box, Line, Page, Word } from '../../domain/ocr-tree.js';
import { unionBox } from '../../domain/ocr-tree.js';

export interface TextLayerStats {
  /** Non-space characters. */
  chars: number;
  /** Of which plausible text: not U+FFFD, not private-use, not control characters. */
  real: number;
}

const CJK_RE = /[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]/u;
// U+FFFD is what MuPDF yields for glyphs without a Unicode mapping (no ToUnicode); private-use
// code points come from symbolic fonts with unmapped custom encodings.
const GARBAGE_RE = /[\ufffd\ue000-\uf8ff\u0000-\u0008\u000e-\u001f\u007f]/u;

interface RawChar { c: string; box: Box }
interface RawLine { chars: RawChar[] }

/** Fake bold moves its copies by a fraction of a point; a glyph this far away is another glyph. */
const OVERPRINT_CELL_PT = 4;
/** Two copies of one character overlapping this much (intersection over union) are one glyph drawn twice. */
const OVERPRINT_IOU = 0.5;

function iou(a: Box, b: Box): number {
  const w = Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x), h = Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y);
  if (w <= 0 || h <= 0) return 0;
  const inter = w * h;
  return inter / (a.w * a.h + b.w * b.h - inter);
}

/**
 * Remembers the glyphs drawn on a page so a copy overprinted at a small offset (fake bold:
 * the same string drawn two to four times) is read once. Glyphs are bucketed by character
 * and a coarse grid, so each check looks at a handful of neighbours.
 */
class OverprintFilter {
  private readonly seen = new Map<string, Box[]>();

  constructor(private readonly cell: number) {}

  /** True when `c` at `box` repeats a glyph already kept; otherwise keeps it. */
  repeats(c: string, box: Box): boolean {
    if (/^\s$/u.test(c) || box.w <= 0 || box.h <= 0) return false;
    const gx = Math.floor((box.x + box.w / 2) / this.cell), gy = Math.floor((box.y + box.h / 2) / this.cell);
    for (let dx = -1; dx <= 1; dx++) {
      for (let dy = -1; dy <= 1; dy++) {
        if (this.seen.get(`${c}|${gx + dx}|${gy + dy}`)?.some((b) => iou(b, box) >= OVERPRINT_IOU)) return true;
      }
    }
    const key = `${c}|${gx}|${gy}`;
    const list = this.seen.get(key);
    if (list) list.push(box); else this.seen.set(key, [box]);
    return false;
  }
}

/** Structured text → raw lines of characters with boxes in pixels (scale = dpi / 72), overprinted copies dropped. */
function readLines(stext: mupdf.StructuredText, scale: number, ox: number, oy: number): RawLine[][] {
  const blocks: RawLine[][] = [];
  let lines: RawLine[] = [];
  let line: RawLine = { chars: [] };
  const overprint = new OverprintFilter(OVERPRINT_CELL_PT * scale);
  stext.walk({
    beginTextBlock() { lines = []; },
    beginLine() { line = { chars: [] }; },
    onChar(c, _origin, _font, _size, quad) {
      const xs = [quad[0], quad[2], quad[4], quad[6]], ys = [quad[1], quad[3], quad[5], quad[7]];
      const x0 = (Math.min(...xs) - ox) * scale, y0 = (Math.min(...ys) - oy) * scale;
      const x1 = (Math.max(...xs) - ox) * scale, y1 = (Math.max(...ys) - oy) * scale;
      const box = { x: x0, y: y0, w: Math.max(0, x1 - x0), h: Math.max(0, y1 - y0) };
      if (!overprint.repeats(c, box)) line.chars.push({ c, box });
    },
    endLine() { if (line.chars.length) lines.push(line); },
    endTextBlock() { if (lines.length) blocks.push(lines); },
  });
  return blocks;
}

function roundBox(b: Box): Box {
  const x = Math.round(b.x), y = Math.round(b.y);
  return { x, y, w: Math.round(b.x + b.w) - x, h: Math.round(b.y + b.h) - y };
}

/** Splits a line into words at spaces; each CJK character is a word of its own (exact positions). */
function toLine(raw: RawLine): Line | undefined {
  const words: Word[] = [];
  let cur: RawChar[] = [];
  const flush = () => {
    if (cur.length) words.push({ text: cur.map((c) => c.c).join(''), box: roundBox(unionBox(cur.map((c) => c.box))), confidence: 1 });
    cur = [];
  };
  let cjkChars = 0, allChars = 0;
  for (const ch of raw.chars) {
    if (/^\s$/u.test(ch.c)) { flush(); continue; }
    allChars++;
    if (CJK_RE.test(ch.c)) { cjkChars++; flush(); cur.push(ch); flush(); continue; }
    cur.push(ch);
  }
  flush();
  if (words.length === 0) return undefined;
  const cjk = cjkChars / allChars >= 0.3;
  const text = cjk ? joinCjk(words) : words.map((w) => w.text).join(' ');
  return { text, box: roundBox(unionBox(words.map((w) => w.box))), confidence: 1, words, ...(cjk ? { cjk: true } : {}) };
}

/** CJK words join without a space, except between two non-CJK words (embedded Latin). */
function joinCjk(words: readonly Word[]): string {
  let s = '';
  words.forEach((w, i) => {
    const prev = words[i - 1];
    if (prev && !CJK_RE.test(prev.text) && !CJK_RE.test(w.text)) s += ' ';
    s += w.text;
  });
  return s;
}

export function textLayerStats(stext: mupdf.StructuredText): TextLayerStats {
  let chars = 0, real = 0;
  stext.walk({
    onChar(c) {
      if (/^\s$/u.test(c)) return;
      chars++;
      if (!GARBAGE_RE.test(c)) real++;
    },
  });
  return { chars, real };
}

export interface TextPageGeometry {
  index: number;
  /** The page's bounds in points (MuPDF page space, y down). */
  bounds: [number, number, number, number];
  dpi: number;
  width: number;
  height: number;
}

export function textLayerPage(stext: mupdf.StructuredText, g: TextPageGeometry): Page {
  const scale = g.dpi / 72;
  const blocks: Block[] = [];
  for (const rawBlock of readLines(stext, scale, g.bounds[0], g.bounds[1])) {
    const lines = rawBlock.map(toLine).filter((l): l is Line => l !== undefined);
    if (lines.length) blocks.push({ kind: 'text', box: roundBox(unionBox(lines.map((l) => l.box))), lines });
  }
  return { index: g.index, width: g.width, height: g.height, dpi: g.dpi, rotation: 0, blocks, source: 'text-layer', warnings: [] };
}
