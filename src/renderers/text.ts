/**
 * Text of tree nodes, shared by every renderer so that all formats read back the same
 * characters as the txt result: words joined by a space, except between CJK characters
 * (Chinese and Japanese put no spaces between words).
 */
import { isCjkChar, joinWordTexts } from '../domain/line-text.js';
import type { Block, Line, TableCell } from '../domain/ocr-tree.js';

/** A line's text from its words (src/domain/line-text.ts); the engine's text when it has no words. */
export function lineText(line: Line): string {
  return line.words.length ? joinWordTexts(line.words.map((w) => w.text), line.cjk === true) : line.text.trim();
}

/** A table cell's text: its lines, one per line. */
export function cellText(cell: TableCell): string {
  return cell.lines.map(lineText).filter((t) => t !== '').join('\n');
}

/** Joins text pieces on one line: a space, except where both sides of the join are CJK. */
export function joinInline(parts: readonly string[]): string {
  let out = '';
  for (const p of parts) {
    if (p === '') continue;
    if (out === '') { out = p; continue; }
    out += isCjkChar([...out].at(-1)) && isCjkChar([...p][0]) ? '' : ' ';
    out += p;
  }
  return out;
}

/** Cells of a table ordered row by row, then column by column. */
export function cellsInOrder(cells: readonly TableCell[]): TableCell[] {
  return [...cells].sort((a, b) => a.row - b.row || a.col - b.col);
}

/** A table's cells grouped by row, rows in order and each row's cells left to right. */
export function cellsByRow(cells: readonly TableCell[]): TableCell[][] {
  const rows = new Map<number, TableCell[]>();
  for (const c of cellsInOrder(cells)) {
    const r = rows.get(c.row) ?? [];
    r.push(c);
    rows.set(c.row, r);
  }
  return [...rows.values()];
}

/**
 * A block's text. A table gives one row per line, cells separated by a tab (a cell with
 * several lines keeps them in order inside the row).
 */
export function blockText(block: Block): string {
  if (block.kind === 'table' && block.table) {
    return cellsByRow(block.table.cells)
      .map((cells) => cells.map((c) => joinInline(c.lines.map(lineText))).join('\t'))
      .filter((r) => r.trim() !== '')
      .join('\n');
  }
  return block.lines.map(lineText).filter((t) => t !== '').join('\n');
}
