/**
 * Merging a page read from a PDF text layer with the OCR of the same page's image. The
 * Normaliser hands both for a text page that carries pictures (a picture of text in a Word
 * file, a scan with a few typed words): the text layer is exact and always wins; OCR adds
 * only what lies inside the picture regions (`figure` blocks of the text page) and overlaps
 * no text-layer line. Both pages share one pixel space (the same dpi); OCR boxes of an image
 * of another size are scaled into it.
 */
import type { Block, Box, Line, Page } from './ocr-tree.js';

const area = (b: Box) => Math.max(0, b.w) * Math.max(0, b.h);

function overlap(a: Box, b: Box): number {
  const w = Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y);
  return w > 0 && h > 0 ? w * h : 0;
}

function contains(outer: Box, x: number, y: number): boolean {
  return x >= outer.x && x <= outer.x + outer.w && y >= outer.y && y <= outer.y + outer.h;
}

function scaleBox(b: Box, sx: number, sy: number): Box {
  return { x: b.x * sx, y: b.y * sy, w: b.w * sx, h: b.h * sy };
}

function scaleLine(l: Line, sx: number, sy: number): Line {
  if (sx === 1 && sy === 1) return l;
  return { ...l, box: scaleBox(l.box, sx, sy), words: l.words.map((w) => ({ ...w, box: scaleBox(w.box, sx, sy) })) };
}

/** The OCR lines to add: centre inside a picture region, covering no text-layer line by more than half. */
function linesToAdd(figure: Box, ocr: readonly Line[], textLines: readonly Line[]): Line[] {
  return ocr.filter((l) => {
    if (l.text.trim() === '' || !contains(figure, l.box.x + l.box.w / 2, l.box.y + l.box.h / 2)) return false;
    return textLines.every((t) => overlap(t.box, l.box) <= 0.5 * Math.min(area(l.box), area(t.box)));
  }).sort((a, b) => a.box.y - b.box.y || a.box.x - b.box.x);
}

export function mergeTextLayerWithOcr(textPage: Page, ocrPage: Page): Page {
  const sx = ocrPage.width > 0 ? textPage.width / ocrPage.width : 1;
  const sy = ocrPage.height > 0 ? textPage.height / ocrPage.height : 1;
  const ocrLines = ocrPage.blocks.flatMap((b) => b.lines).map((l) => scaleLine(l, sx, sy));
  const textLines = textPage.blocks.filter((b) => b.kind !== 'figure').flatMap((b) => b.lines);
  const taken = new Set<Line>();
  let added = 0;
  const blocks: Block[] = textPage.blocks.map((b) => {
    if (b.kind !== 'figure') return b;
    const lines = linesToAdd(b.box, ocrLines, textLines).filter((l) => !taken.has(l));
    lines.forEach((l) => taken.add(l));
    added += lines.length;
    return { ...b, lines };
  });
  // Reading order: each picture goes before the first text block that starts below it.
  const text = blocks.filter((b) => b.kind !== 'figure');
  const ordered: Block[] = [...text];
  for (const f of blocks.filter((b) => b.kind === 'figure')) {
    const at = ordered.findIndex((b) => b.kind !== 'figure' && b.box.y > f.box.y);
    ordered.splice(at < 0 ? ordered.length : at, 0, f);
  }
  return {
    ...textPage,
    blocks: ordered,
    source: added > 0 ? 'mixed' : textPage.source,
    warnings: [...textPage.warnings, ...ocrPage.warnings],
  };
}
