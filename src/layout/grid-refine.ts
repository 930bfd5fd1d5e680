/**
 * Partially ruled tables (spreadsheets printed with rules only around groups, Chinese
 * "three-line" tables): the rules give the table's extent and some borders; the text gives
 * the rest. A band between two horizontal rules that holds several text rows aligned across
 * at least two columns is cut into one grid row per text row; inside such a band, a cell the
 * rules merged across a column border is split again where the text sits on both sides of
 * the border and no word crosses it. Bands that hold one text row, or a wrapped cell beside
 * single-line ones (a header like "10＜ / μ≤20"), keep the rules' reading.
 */
import type { Word } from '../domain/ocr-tree.js';
import { findRoot, gridFromUnion, type Span, type TableGrid } from './grid.js';

/** A band is cut only when it holds at least this many text rows (two may be a wrapped header). */
const MIN_TEXT_ROWS = 3;

/** Text rows of words: clusters of vertical centres, as [top, bottom] extents. */
function textRows(words: Word[]): [number, number][] {
  const sorted = [...words].sort((a, b) => a.box.y + a.box.h / 2 - (b.box.y + b.box.h / 2));
  const rows: [number, number][] = [];
  for (const w of sorted) {
    const c = w.box.y + w.box.h / 2, last = rows.at(-1);
    if (last && c >= last[0] && c <= last[1]) { last[0] = Math.min(last[0], w.box.y); last[1] = Math.max(last[1], w.box.y + w.box.h); } else rows.push([w.box.y, w.box.y + w.box.h]);
  }
  return rows;
}

const centreX = (w: Word) => w.box.x + w.box.w / 2, centreY = (w: Word) => w.box.y + w.box.h / 2;
const inRange = (v: number, a: number, b: number) => v >= a && v <= b;

/** Row edges inside band [y0, y1] when its text rows should become grid rows, else undefined. */
function splitBand(words: Word[], y0: number, y1: number, colEdges: number[]): number[] | undefined {
  const inside = words.filter((w) => inRange(centreY(w), y0, y1));
  const rows = textRows(inside);
  if (rows.length < MIN_TEXT_ROWS) return undefined;
  // Columns whose text fills most of the band's text rows: a table column, not one wrapped cell.
  let full = 0;
  for (let c = 0; c + 1 < colEdges.length; c++) {
    const ws = inside.filter((w) => inRange(centreX(w), colEdges[c], colEdges[c + 1]));
    const hit = rows.filter(([a, b]) => ws.some((w) => inRange(centreY(w), a, b))).length;
    if (hit >= Math.max(MIN_TEXT_ROWS, rows.length * 0.6)) full += 1;
  }
  if (full < 2) return undefined;
  return rows.slice(1).map((r, i) => (rows[i][1] + r[0]) / 2);
}

/** The grid with sparsely ruled bands cut at their text rows (unchanged when none is). */
export function refineGrid(g: TableGrid, words: Word[]): TableGrid {
  const x0 = g.colEdges[0], x1 = g.colEdges[g.colEdges.length - 1];
  const mine = words.filter((w) => inRange(centreX(w), x0, x1) && inRange(centreY(w), g.rowEdges[0], g.rowEdges[g.rowEdges.length - 1]));
  const rowEdges = [g.rowEdges[0]];
  const oldRow: number[] = [], cut: boolean[] = [];
  for (let r = 0; r + 1 < g.rowEdges.length; r++) {
    const inner = splitBand(mine, g.rowEdges[r], g.rowEdges[r + 1], g.colEdges) ?? [];
    for (let k = 0; k <= inner.length; k++) { oldRow.push(r); cut.push(inner.length > 0); }
    rowEdges.push(...inner, g.rowEdges[r + 1]);
  }
  if (rowEdges.length === g.rowEdges.length) return g;
  const rows = rowEdges.length - 1, cols = g.colEdges.length - 1;
  const sameOld = (r0: number, c0: number, r1: number, c1: number) => {
    const a = g.spanAt(r0, c0), b = g.spanAt(r1, c1);
    return a.row === b.row && a.col === b.col;
  };
  const rowWords = (r: number) => mine.filter((w) => inRange(centreY(w), rowEdges[r], rowEdges[r + 1]));
  const parent = Array.from({ length: rows * cols }, (_, i) => i);
  const join = (a: number, b: number) => { parent[findRoot(parent, a)] = findRoot(parent, b); };
  // A merge the rules made through a cut band (a column border drawn only in the header) is
  // re-read from the text in every row it covers.
  const cutOld = new Set(oldRow.filter((_, r) => cut[r]));
  const throughCut = (s: Span) => [...cutOld].some((o) => o >= s.row && o < s.row + s.rowSpan);
  for (let r = 0; r < rows; r++) {
    const ws = rowWords(r);
    for (let c = 0; c < cols; c++) {
      if (c + 1 < cols && sameOld(oldRow[r], c, oldRow[r], c + 1)) {
        const edge = g.colEdges[c + 1];
        const separated = (cut[r] || throughCut(g.spanAt(oldRow[r], c))) && !ws.some((w) => w.box.x < edge && w.box.x + w.box.w > edge)
          && ws.some((w) => inRange(centreX(w), g.colEdges[c], edge)) && ws.some((w) => inRange(centreX(w), edge, g.colEdges[c + 2]));
        if (!separated) join(r * cols + c, r * cols + c + 1);
      }
      // Rows cut from one band are separate, and so is a cut band from its neighbours (its
      // text rows are the rows); between uncut bands, cells merge as the rules said.
      if (r + 1 < rows && !cut[r] && !cut[r + 1] && sameOld(oldRow[r], c, oldRow[r + 1], c)) join(r * cols + c, (r + 1) * cols + c);
    }
  }
  return gridFromUnion(rowEdges, g.colEdges, parent);
}
