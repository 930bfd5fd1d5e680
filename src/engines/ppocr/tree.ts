/**
 * Laid-out segments → the OCR tree page, with every box taken back from the upright working
 * image to the pixels of the image as given (Page.rotation says what turn was applied).
 */
import type { Block, Box, Line, Page, Word } from '../../domain/ocr-tree.js';
import { unionBox } from '../../domain/ocr-tree.js';
import type { PageImage } from '../../ports/ocr-engine.js';
import type { Raster } from './raster.js';
import { unrotatePoint } from './raster.js';
import { boundsOf, corners, type Point } from './geometry.js';
import type { LaidBlock, LaidLine } from './layout.js';
import { lineText, segmentJoins } from './layout.js';
import { isCjkText } from './words.js';

interface PageParts {
  image: PageImage;
  rotation: number;
  /** The decoded input, before any rotation. */
  original: Raster;
  blocks: LaidBlock[];
}

function toOriginalBox(quad: readonly Point[], p: PageParts): Box {
  const { width: w, height: h } = p.original;
  const b = boundsOf(quad.map(([x, y]) => unrotatePoint(x, y, p.rotation, w, h)));
  const x0 = Math.max(0, Math.floor(b.x)), y0 = Math.max(0, Math.floor(b.y));
  const x1 = Math.min(w, Math.ceil(b.x + b.w)), y1 = Math.min(h, Math.ceil(b.y + b.h));
  return { x: x0, y: y0, w: Math.max(0, x1 - x0), h: Math.max(0, y1 - y0) };
}

interface Piece { text: string; quad: Point[]; confidence: number; spaceAfter: boolean }

/**
 * Words honour the tree's joining rule: in a CJK line they concatenate to the line (a space the
 * line keeps, between English words, travels with the word before it); in other lines they are
 * joined by single spaces, so pieces with no space between them (a Chinese run inside an English
 * line) become one word.
 */
function lineWords(pieces: Piece[], cjk: boolean, p: PageParts): Word[] {
  const groups: Piece[][] = [];
  for (const piece of pieces) {
    const last = groups[groups.length - 1];
    if (!cjk && last && !last[last.length - 1].spaceAfter) last.push(piece); else groups.push([piece]);
  }
  return groups.map((g) => {
    const text = g.map((x) => x.text).join('');
    const confidence = g.reduce((a, x) => a + x.confidence * x.text.length, 0) / Math.max(1, text.length);
    const space = cjk && g[g.length - 1].spaceAfter;
    return { text: space ? `${text} ` : text, box: toOriginalBox(g.flatMap((x) => x.quad), p), confidence: round(confidence) };
  });
}

function buildLine(l: LaidLine, p: PageParts): Line {
  const text = lineText(l);
  const cjk = isCjkText(text);
  const joins = segmentJoins(l);
  const pieces: Piece[] = l.segments.flatMap((seg, si) => seg.text.words.map((w, wi) => ({
    ...w,
    spaceAfter: w.spaceAfter || (wi === seg.text.words.length - 1 && si < l.segments.length - 1 && joins[si] === ' '),
  })));
  const words = lineWords(pieces, cjk, p);
  const chars = words.reduce((a, w) => a + w.text.length, 0);
  const confidence = chars > 0 ? words.reduce((a, w) => a + w.confidence * w.text.length, 0) / chars : 0;
  const box = toOriginalBox(l.segments.flatMap((s) => corners(s.box)), p);
  return { text, box, confidence: round(confidence), words, ...(cjk ? { cjk: true } : {}), ...(l.vertical ? { vertical: true } : {}) };
}

const round = (x: number) => Math.round(x * 1000) / 1000;

export function buildPage(p: PageParts): Page {
  const blocks: Block[] = p.blocks.map((b) => {
    const lines = b.lines.map((l) => buildLine(l, p));
    return { kind: 'text', box: unionBox(lines.map((l) => l.box)), lines };
  });
  return {
    index: p.image.index,
    width: p.original.width,
    height: p.original.height,
    dpi: p.image.dpi,
    rotation: p.rotation,
    blocks,
    source: 'ocr',
    warnings: [],
  };
}
