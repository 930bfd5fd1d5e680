/**
 * Page columns for Word. A page laid out in two or three columns (a newsletter, a
 * brochure) would overflow its page if its narrow blocks were stacked in one column, so
 * consecutive narrow blocks that stand side by side become a run with Word columns; full-width
 * blocks stay in single-column runs. Conservative: the blocks must come column after column
 * in reading order (Word fills columns in order) and the columns must overlap vertically.
 */
import type { Block, Box, Page } from '../../domain/ocr-tree.js';
import { contentBox } from '../metrics.js';

export interface ColumnRun {
  blocks: Block[];
  /** Number of columns (1 for full-width runs). */
  columns: number;
  /** Column index of each block. */
  column: number[];
  /** Space between columns, page pixels. */
  gap: number;
}

const NARROW = 0.55;
/** Column starts are at least this share of the content width apart. */
const COLUMN_STEP = 0.3;

const overlapY = (a: Box, b: Box) => Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y) > 0;

function asColumns(group: Block[], content: Box): ColumnRun | undefined {
  const starts: number[] = [];
  for (const x of group.map((b) => b.box.x).sort((a, b) => a - b)) {
    if (starts.length === 0 || x - starts[starts.length - 1] > COLUMN_STEP * content.w) starts.push(x);
  }
  if (starts.length < 2 || starts.length > 3) return undefined;
  const column = group.map((b) => starts.filter((s) => s <= b.box.x).length - 1);
  if (column.some((c, i) => i > 0 && c < column[i - 1])) return undefined;
  const boxes = starts.map((_, k) => group.filter((_, i) => column[i] === k).map((b) => b.box));
  if (boxes.some((bs) => bs.length === 0)) return undefined;
  for (let k = 1; k < boxes.length; k++) {
    if (!boxes[k].some((b) => boxes[k - 1].some((a) => overlapY(a, b)))) return undefined;
  }
  const rightOf = (k: number) => Math.max(...boxes[k].map((b) => b.x + b.w));
  const gap = Math.max(0, Math.min(...starts.slice(1).map((s, k) => s - rightOf(k))));
  return { blocks: group, columns: starts.length, column, gap };
}

export function columnRuns(page: Page): ColumnRun[] {
  const content = contentBox(page);
  const blocks = page.blocks.filter((b) => b.lines.length > 0);
  const runs: ColumnRun[] = [];
  const addFull = (b: Block) => {
    const last = runs.at(-1);
    if (last && last.columns === 1) { last.blocks.push(b); last.column.push(0); } else runs.push({ blocks: [b], columns: 1, column: [0], gap: 0 });
  };
  const narrow = (b: Block) => b.box.w < NARROW * content.w;
  for (let i = 0; i < blocks.length;) {
    if (!narrow(blocks[i])) { addFull(blocks[i++]); continue; }
    let j = i;
    while (j < blocks.length && narrow(blocks[j])) j++;
    const group = blocks.slice(i, j);
    const run = group.length >= 2 ? asColumns(group, content) : undefined;
    if (run) runs.push(run); else group.forEach(addFull);
    i = j;
  }
  return runs;
}
