/**
 * A table grid (row and column edges plus merged cells) and the step that turns the tree
 * lines it covers into a Block of kind 'table': words are assigned to cells by their
 * centres, each original line split at cell borders, so a line the engine ran across
 * several cells ends up in each of them.
 */
import type { Block, Box, Line, Page, TableCell, Word } from '../domain/ocr-tree.js';
import { joinWordTexts } from '../domain/line-text.js';
import { unionBox } from '../domain/ocr-tree.js';

export interface Span {
  row: number;
  col: number;
  rowSpan: number;
  colSpan: number;
}

export interface TableGrid {
  /** Ascending y of row borders (rows + 1 values), page pixels. */
  rowEdges: number[];
  /** Ascending x of column borders (cols + 1 values), page pixels. */
  colEdges: number[];
  /** The cell (with its spans) that grid position (row, col) belongs to. */
  spanAt(row: number, col: number): Span;
}

/** Index of the interval of `edges` holding v, or -1. */
function slot(edges: number[], v: number): number {
  if (v < edges[0] || v > edges[edges.length - 1]) return -1;
  for (let i = 0; i < edges.length - 1; i++) if (v <= edges[i + 1]) return i;
  return -1;
}

function gridBox(g: TableGrid): Box {
  const x = g.colEdges[0], y = g.rowEdges[0];
  return { x, y, w: g.colEdges[g.colEdges.length - 1] - x, h: g.rowEdges[g.rowEdges.length - 1] - y };
}

function lineOf(words: Word[], like: Line): Line {
  const box = unionBox(words.map((w) => w.box));
  const conf = words.reduce((s, w) => s + w.confidence, 0) / words.length;
  const text = joinWordTexts(words.map((w) => w.text), like.cjk === true);
  return { text, box, confidence: conf, words, cjk: like.cjk };
}

/** Splits a line's words by the cell each falls in; words outside every cell keep key ''. */
function splitLine(line: Line, g: TableGrid): Map<string, Word[]> {
  const parts = new Map<string, Word[]>();
  for (const w of line.words) {
    const r = slot(g.rowEdges, w.box.y + w.box.h / 2), c = slot(g.colEdges, w.box.x + w.box.w / 2);
    const s = r < 0 || c < 0 ? undefined : g.spanAt(r, c);
    const key = s ? `${s.row},${s.col}` : '';
    parts.set(key, [...(parts.get(key) ?? []), w]);
  }
  return parts;
}

/**
 * Replaces the lines a grid covers with one table block, placed where its first covered line
 * was read (the lines of that block read before it stay ahead of the table). Returns the page
 * unchanged when fewer than two cells would hold text.
 */
export function applyGrid(page: Page, g: TableGrid): Page {
  const cells = new Map<string, TableCell>();
  const kept: Block[] = [];
  let insertAt = -1;
  for (const block of page.blocks) {
    // Tables are settled; figures hold OCR lines merged into a text-layer page (keep them apart).
    if (block.kind === 'table' || block.kind === 'figure') { kept.push(block); continue; }
    // The block's lines outside the table, kept in order: those read before its first cell
    // stay ahead of the table (a receipt's items above its totals), the others follow it.
    let rest: Line[] = [];
    const restBlock = (): Block => ({ ...block, lines: rest, box: unionBox(rest.map((l) => l.box)) });
    for (const line of block.lines) {
      for (const [key, words] of splitLine(line, g)) {
        if (key === '') { rest.push(words.length === line.words.length ? line : lineOf(words, line)); continue; }
        if (insertAt < 0) {
          if (rest.length) kept.push(restBlock());
          rest = [];
          insertAt = kept.length;
        }
        const [row, col] = key.split(',').map(Number);
        const s = g.spanAt(row, col);
        const cell = cells.get(key) ?? {
          row, col, rowSpan: s.rowSpan, colSpan: s.colSpan, lines: [],
          box: { x: g.colEdges[col], y: g.rowEdges[row], w: g.colEdges[col + s.colSpan] - g.colEdges[col], h: g.rowEdges[row + s.rowSpan] - g.rowEdges[row] },
        };
        cell.lines.push(lineOf(words, line));
        cells.set(key, cell);
      }
    }
    if (rest.length) kept.push(restBlock());
  }
  if (cells.size < 2 || insertAt < 0) return page;
  const rows = g.rowEdges.length - 1, cols = g.colEdges.length - 1;
  const ordered = [...cells.values()].sort((a, b) => a.row - b.row || a.col - b.col);
  for (const c of ordered) c.lines.sort((a, b) => a.box.y - b.box.y || a.box.x - b.box.x);
  const table: Block = { kind: 'table', box: gridBox(g), lines: ordered.flatMap((c) => c.lines), table: { rows, cols, cells: ordered } };
  kept.splice(insertAt, 0, table);
  return { ...page, blocks: kept };
}

/** A grid without merged cells. */
export function simpleGrid(rowEdges: number[], colEdges: number[]): TableGrid {
  return { rowEdges, colEdges, spanAt: (row, col) => ({ row, col, rowSpan: 1, colSpan: 1 }) };
}

/** Root of `i` in a union-find forest (with path halving). */
export function findRoot(parent: number[], i: number): number {
  while (parent[i] !== i) i = parent[i] = parent[parent[i]];
  return i;
}

/**
 * A grid whose merged cells are the sets of a union-find forest over its positions
 * (row-major, `parent.length` = rows × cols); each set spans its bounding rows and columns.
 */
export function gridFromUnion(rowEdges: number[], colEdges: number[], parent: number[]): TableGrid {
  const rows = rowEdges.length - 1, cols = colEdges.length - 1;
  const spans = new Map<number, Span>();
  for (let i = 0; i < rows * cols; i++) {
    const root = findRoot(parent, i), r = Math.floor(i / cols), c = i % cols;
    const s = spans.get(root);
    if (!s) { spans.set(root, { row: r, col: c, rowSpan: 1, colSpan: 1 }); continue; }
    const r1 = Math.max(s.row + s.rowSpan, r + 1), c1 = Math.max(s.col + s.colSpan, c + 1);
    s.row = Math.min(s.row, r); s.col = Math.min(s.col, c);
    s.rowSpan = r1 - s.row; s.colSpan = c1 - s.col;
  }
  return { rowEdges, colEdges, spanAt: (r, c) => spans.get(findRoot(parent, r * cols + c))! };
}
