/**
 * Tables drawn with horizontal rules only (the Chinese "three-line" table, booktabs): two or
 * more rules of the same extent, stacked close enough to hold a table between them, with no
 * vertical rule. The rules give the table's top, bottom and band borders; the columns come
 * from the text between them: x ranges no word covers, wider than a line height, split
 * columns. Prose between two such rules (a boxed note, a page between header and footer
 * rules) is ruled out by cell length and by needing at least two columns used by several
 * text rows; refineGrid then cuts the bands into text rows.
 */
import type { Word } from '../domain/ocr-tree.js';
import type { Rulings, Segment } from './rulings.js';
import { simpleGrid, type TableGrid } from './grid.js';

/** Median characters per cell above which the text between the rules is taken for prose. */
const MAX_CELL_CHARS = 24;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor(s.length / 2)] : 0;
}

const centreX = (w: Word) => w.box.x + w.box.w / 2, centreY = (w: Word) => w.box.y + w.box.h / 2;

/** Column edges from the x gaps of the words (ascending), or undefined for fewer than two columns. */
function columnEdges(words: Word[], x0: number, x1: number, minGap: number): number[] | undefined {
  const spans = words.map((w) => [w.box.x, w.box.x + w.box.w]).sort((a, b) => a[0] - b[0]);
  const edges = [x0];
  let reach = spans[0][1];
  for (const [a, b] of spans.slice(1)) {
    if (a - reach >= minGap) edges.push((a + reach) / 2);
    reach = Math.max(reach, b);
  }
  edges.push(x1);
  return edges.length >= 3 ? edges : undefined;
}

/** True when the words in the columns look like table cells, not prose. */
function tableLike(words: Word[], colEdges: number[], lineH: number): boolean {
  const rowsOf = (ws: Word[]) => new Set(ws.map((w) => Math.round(centreY(w) / lineH))).size;
  const perCol = colEdges.slice(1).map((e, i) => words.filter((w) => centreX(w) >= colEdges[i] && centreX(w) < e));
  if (perCol.filter((ws) => rowsOf(ws) >= 2).length < 2) return false;
  const cells = perCol.flatMap((ws) => {
    const byRow = new Map<number, number>();
    for (const w of ws) byRow.set(Math.round(centreY(w) / lineH), (byRow.get(Math.round(centreY(w) / lineH)) ?? 0) + [...w.text].length);
    return [...byRow.values()];
  });
  return median(cells) <= MAX_CELL_CHARS;
}

/**
 * Grids of tables bounded by horizontal rules alone, in page pixels (`scale` maps image
 * pixels to page pixels). `taken` are grids already found with vertical rules.
 */
export function ruleBoundedTables(rulings: Rulings, scale: number, dpi: number, words: Word[], taken: TableGrid[]): TableGrid[] {
  const tol = Math.max(4, dpi * 0.03);
  const lineH = median(words.map((w) => w.box.h)) || dpi / 6;
  const inTaken = (y: number, a: number, b: number) => taken.some((g) =>
    y >= g.rowEdges[0] - tol && y <= g.rowEdges[g.rowEdges.length - 1] + tol && a < g.colEdges[g.colEdges.length - 1] && b > g.colEdges[0]);
  const hs: Segment[] = rulings.horizontal.map((h) => ({ at: h.at * scale, a: h.a * scale, b: h.b * scale }))
    .filter((h) => h.b - h.a >= dpi && !inTaken(h.at, h.a, h.b)).sort((p, q) => p.at - q.at);
  const hasVertical = (y0: number, y1: number, a: number, b: number) => rulings.vertical.some((v) =>
    v.at * scale >= a - tol && v.at * scale <= b + tol && v.a * scale < y1 && v.b * scale > y0);
  const gridBetween = (stack: Segment[]): TableGrid | undefined => {
    const x0 = Math.min(...stack.map((s) => s.a)), x1 = Math.max(...stack.map((s) => s.b));
    const y0 = stack[0].at, y1 = stack[stack.length - 1].at;
    if (hasVertical(y0, y1, x0, x1)) return undefined; // drawn tables belong to ruledTables
    const inside = words.filter((w) => centreX(w) > x0 && centreX(w) < x1 && centreY(w) > y0 && centreY(w) < y1);
    if (inside.length < 4) return undefined;
    // Every band between two rules holds text (an empty band is the space after the table).
    if (stack.slice(1).some((s, i) => !inside.some((w) => centreY(w) > stack[i].at && centreY(w) < s.at))) return undefined;
    const colEdges = columnEdges(inside, x0, x1, 1.5 * lineH);
    if (!colEdges || !tableLike(inside, colEdges, lineH)) return undefined;
    return simpleGrid(stack.map((s) => s.at), colEdges);
  };
  const grids: TableGrid[] = [];
  const used = new Set<number>();
  for (let i = 0; i < hs.length; i++) {
    if (used.has(i)) continue;
    // Rules of the same extent below this one, each within a stretch of text rows of the last.
    const stack = [i];
    for (let j = i + 1; j < hs.length; j++) {
      const last = hs[stack[stack.length - 1]];
      if (hs[j].at - last.at > 20 * lineH) break;
      if (Math.abs(hs[j].a - hs[i].a) <= 2 * tol && Math.abs(hs[j].b - hs[i].b) <= 2 * tol && hs[j].at - last.at > tol) stack.push(j);
    }
    // The longest run of those rules from the top that encloses a table (rules below it may
    // frame something else: a note, the footer).
    for (let k = stack.length; k >= 2; k--) {
      const grid = gridBetween(stack.slice(0, k).map((n) => hs[n]));
      if (grid) { grids.push(grid); stack.slice(0, k).forEach((n) => used.add(n)); break; }
    }
  }
  return grids;
}
