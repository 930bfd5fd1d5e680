/**
 * Vertical CJK text on a page that is otherwise upright (or all of it: orientation.ts keeps
 * such pages as they are): a tall detection box whose characters read as Chinese is a line
 * written top to bottom. Its characters were read top first (crop.ts's readingBox), so only
 * the layout differs: neighbouring columns form one block, read right to left, and the block
 * takes its place in the page's reading order as a whole (a title above it comes first).
 */
import { isCjkText } from './words.js';

/** Extent in the page's de-skewed frame (layout.ts's Span). */
interface Span { x0: number; x1: number; y0: number; y1: number }

/** A detection box this much taller than wide holds a column rather than a short word. */
const TALL = 1.5;

export function isVerticalSegment(seg: { box: { w: number; h: number }; text: { text: string } }): boolean {
  return seg.box.h >= TALL * seg.box.w && isCjkText(seg.text.text);
}

const overlapY = (a: Span, b: Span) => Math.min(a.y1, b.y1) - Math.max(a.y0, b.y0);

/**
 * Columns (as laid lines) grouped into blocks of neighbours, each block's columns right to
 * left. A column joins the block on its right when the gap between them is at most about a
 * column's width and they share a good part of their height.
 */
export function verticalBlocks<T extends { span: Span }>(columns: readonly T[]): T[][] {
  const byRight = columns.slice().sort((a, b) => b.span.x1 - a.span.x1);
  const blocks: T[][] = [];
  for (const col of byRight) {
    const w = col.span.x1 - col.span.x0, h = col.span.y1 - col.span.y0;
    const home = blocks.find((blk) => {
      const last = blk[blk.length - 1].span;
      const gap = last.x0 - col.span.x1;
      const lw = last.x1 - last.x0;
      return gap > -0.3 * Math.min(w, lw) && gap < 1.5 * Math.max(w, lw) && overlapY(last, col.span) > 0.3 * Math.min(h, last.y1 - last.y0);
    });
    if (home) home.push(col); else blocks.push([col]);
  }
  return blocks;
}
