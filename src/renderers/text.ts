/**
 * Text of tree nodes, shared by every renderer so that all formats read back the same
 * characters as the txt result: words joined by a space, except between CJK characters
 * (Chinese and Japanese put no spaces between words).
 */
import type { Block, Line, TableCell } from '../domain/ocr-tree.js';

const CJK_CHAR = /[\u2e80-\u2fff\u3000-\u30ff\u3100-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]/u;

export function isCjkChar(ch: string | undefined): boolean {
  return ch !== undefined && CJK_CHAR.test(ch);
}

/** A line's text from its words; a space between two words unless either side of the join is CJK in a CJK line. */
export function lineText(line: Line): string {
  const words = line.words.map((w) => w.text).filter((t) => t.trim() !== '');
  if (words.length === 0) return line.text.trim();
  let out = words[0];
  for (let i = 1; i < words.length; i++) {
    const w = words[i];
    const before = [...out].at(-1);
    const after = [...w][0];
    const glue = line.cjk && (isCjkChar(before) || isCjkChar(after)) ? '' : ' ';
    out += glue + w;
  }
  return out.trim();
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

/**
 * A block's text. A table gives one row per line, cells separated by a tab (a cell with
 * several lines keeps them in order inside the row).
 */
export function blockText(block: Block): string {
  if (block.kind === 'table' && block.table) {
    const rows = new Map<number, TableCell[]>();
    for (const c of cellsInOrder(block.table.cells)) {
      const r = rows.get(c.row) ?? [];
      r.push(c);
      rows.set(c.row, r);
    }
    return [...rows.values()]
      .map((cells) => cells.map((c) => joinInline(c.lines.map(lineText))).join('\t'))
      .filter((r) => r.trim() !== '')
      .join('\n');
  }
  return block.lines.map(lineText).filter((t) => t !== '').join('\n');
}
