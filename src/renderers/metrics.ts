/** Page-pixel measures turned into the units office formats use. */
import type { Block, Line, Page, Table, TableCell } from '../domain/ocr-tree.js';

export const toPoints = (px: number, dpi: number): number => (px * 72) / dpi;
export const toInches = (px: number, dpi: number): number => px / dpi;
/** Twentieths of a point (Word's twips). */
export const toTwips = (px: number, dpi: number): number => Math.round((px * 1440) / dpi);

/**
 * Approximate font size (points, half-point steps, 6..72) of a line: a line box runs from
 * ascender to descender, about 1.25 em for Latin and CJK type alike.
 */
export function fontSizeOf(line: Line, dpi: number): number {
  // A vertical line's characters are as wide as its box.
  const pt = toPoints(line.vertical ? line.box.w : line.box.h, dpi) / 1.25;
  return Math.min(72, Math.max(6, Math.round(pt * 2) / 2));
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor(s.length / 2)] : 0;
}

/** A block's typical font size: the median of its lines (10 pt when it has none). */
export function blockFontSize(lines: readonly Line[], dpi: number): number {
  return lines.length ? median(lines.map((l) => fontSizeOf(l, dpi))) : 10;
}

/** Advance of a character in Arial/Liberation Sans, in em (rough classes are enough). */
function emWidth(ch: string): number {
  if (/[\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]/u.test(ch)) return 1;
  if (/[ilj.,;:'!|()[\]\s]/.test(ch)) return 0.28;
  if (/[A-Z]/.test(ch)) return 0.67;
  if (/[mwMW@%]/.test(ch)) return 0.85;
  return 0.54;
}

/**
 * The largest font size (points) at which every line of a block fits its box width in
 * Arial, capped by the size its line heights suggest: text boxes that must not wrap.
 */
export function fittingFontSize(lines: readonly Line[], text: (l: Line) => string, dpi: number): number {
  let size = blockFontSize(lines, dpi);
  for (const l of lines) {
    const ems = [...text(l)].reduce((s, ch) => s + emWidth(ch), 0);
    if (ems > 0) size = Math.min(size, toPoints(l.vertical ? l.box.h : l.box.w, dpi) / ems);
  }
  return Math.max(4, Math.floor(size * 2) / 2);
}

/** Column widths (page pixels) of a table, from its single-column cells, else the even share. */
export function tableColumnWidths(block: Block): number[] {
  const t = block.table!;
  return Array.from({ length: t.cols }, (_, c) => {
    const ws = t.cells.filter((x: TableCell) => x.col === c && x.colSpan === 1).map((x) => x.box.w);
    return ws.length ? median(ws) : block.box.w / t.cols;
  });
}

/** Row heights (page pixels) of a table, from its single-row cells, else the even share. */
export function tableRowHeights(block: Block): number[] {
  const t = block.table!;
  return Array.from({ length: t.rows }, (_, r) => {
    const hs = t.cells.filter((x: TableCell) => x.row === r && x.rowSpan === 1).map((x) => x.box.h);
    return hs.length ? median(hs) : block.box.h / t.rows;
  });
}

/**
 * The grid positions of a table that start a cell, row by row: the cell anchored there
 * (undefined for an empty position). Positions inside another cell's span are left out, as
 * HTML, Word and slide tables expect.
 */
export function tableLayout(table: Table): { row: number; col: number; cell?: TableCell }[][] {
  const covered = new Set<string>();
  const anchored = new Map<string, TableCell>();
  for (const c of table.cells) {
    anchored.set(`${c.row},${c.col}`, c);
    for (let r = c.row; r < c.row + c.rowSpan; r++) {
      for (let k = c.col; k < c.col + c.colSpan; k++) if (r !== c.row || k !== c.col) covered.add(`${r},${k}`);
    }
  }
  return Array.from({ length: table.rows }, (_, row) =>
    Array.from({ length: table.cols }, (_, col) => ({ row, col, cell: anchored.get(`${row},${col}`) }))
      .filter((p) => !covered.has(`${p.row},${p.col}`)));
}

/** The page's content box (union of its blocks), or the whole page when empty. */
export function contentBox(page: Page): { x: number; y: number; w: number; h: number } {
  if (page.blocks.length === 0) return { x: 0, y: 0, w: page.width, h: page.height };
  let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
  for (const b of page.blocks) {
    x0 = Math.min(x0, b.box.x); y0 = Math.min(y0, b.box.y);
    x1 = Math.max(x1, b.box.x + b.box.w); y1 = Math.max(y1, b.box.y + b.box.h);
  }
  return { x: x0, y: y0, w: x1 - x0, h: y1 - y0 };
}
