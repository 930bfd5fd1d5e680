/**
 * Tables without rules, found by alignment, conservatively: text is grouped into visual
 * rows (lines whose vertical centres agree), each row cut into segments at wide gaps;
 * a run of at least MIN_ROWS consecutive multi-segment rows whose segments fall into the same ≥2 column
 * bands (x ranges no segment of the run crosses) becomes a table. Prose in two page columns
 * is ruled out by segment length and by words: table cells are short, and a table has a column
 * of few-word cells.
 */
import type { Box, Line, Page } from '../domain/ocr-tree.js';
import { pageLines, unionBox } from '../domain/ocr-tree.js';
import { simpleGrid, type TableGrid } from './grid.js';

const MIN_ROWS = 3;
/** A gap wider than this many line heights separates cells. */
const CELL_GAP = 1.5;
/** Median segment length (characters) above which aligned text is taken for prose. */
const MAX_CELL_CHARS = 24;
/** Words a segment has, at the median of every column band, when the bands are prose columns. */
const PROSE_WORDS = 4;

interface Row {
  box: Box;
  segments: { box: Box; chars: number; words: number }[];
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor(s.length / 2)] : 0;
}

function segmentsOf(lines: Line[], height: number): Row['segments'] {
  const words = lines.flatMap((l) => l.words).sort((a, b) => a.box.x - b.box.x);
  const segs: Row['segments'] = [];
  let cur: typeof words = [];
  for (const w of words) {
    const last = cur.at(-1);
    if (last && w.box.x - (last.box.x + last.box.w) > CELL_GAP * height) {
      segs.push(segmentOf(cur));
      cur = [];
    }
    cur.push(w);
  }
  if (cur.length) segs.push(segmentOf(cur));
  return segs;
}

function segmentOf(words: Line['words']): Row['segments'][number] {
  return { box: unionBox(words.map((c) => c.box)), chars: words.reduce((n, c) => n + [...c.text].length, 0), words: words.length };
}

/** Lines of comparable height: a row's band is measured on these only. */
const COMPARABLE_HEIGHT = 1.5;

/**
 * Lines whose vertical centres fall in one band. A line joins the row whose lines of its own
 * height (within COMPARABLE_HEIGHT) span its centre: a much taller item beside the rows (a
 * handwritten total circled across a receipt's CASH and CHANGE rows, a stamp, a logo) neither
 * joins them nor stretches their band over the next row.
 */
function visualRows(lines: Line[]): Row[] {
  const sorted = [...lines].sort((a, b) => a.box.y + a.box.h / 2 - (b.box.y + b.box.h / 2));
  const groups: Line[][] = [];
  const comparable = (a: Line, b: Line) => Math.max(a.box.h, b.box.h) <= COMPARABLE_HEIGHT * Math.max(1, Math.min(a.box.h, b.box.h));
  for (const l of sorted) {
    const c = l.box.y + l.box.h / 2;
    // The nearest rows above (sorted by centre, so only the last few can hold this centre).
    const g = groups.slice(-3).reverse().find((grp) => {
      const core = grp.filter((x) => comparable(x, l));
      if (core.length === 0) return false;
      const band = unionBox(core.map((x) => x.box));
      return c >= band.y && c <= band.y + band.h;
    });
    if (g) g.push(l); else groups.push([l]);
  }
  return groups.map((g) => {
    const height = median(g.map((l) => l.box.h));
    return { box: unionBox(g.map((l) => l.box)), segments: segmentsOf(g, height) };
  });
}

/** Column bands of a run of rows: merged x ranges of all their segments. */
function bands(rows: Row[]): [number, number][] {
  const ranges = rows.flatMap((r) => r.segments.map((s) => [s.box.x, s.box.x + s.box.w] as [number, number])).sort((a, b) => a[0] - b[0]);
  const out: [number, number][] = [];
  for (const r of ranges) {
    const last = out.at(-1);
    if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]); else out.push([...r]);
  }
  return out;
}

function isTable(rows: Row[]): boolean {
  if (rows.length < MIN_ROWS) return false;
  const b = bands(rows);
  if (b.length < 2) return false;
  if (median(rows.flatMap((r) => r.segments.map((s) => s.chars))) > MAX_CELL_CHARS) return false;
  const bandOf = (x: number) => b.findIndex(([a, z]) => x >= a && x <= z);
  // Narrow page columns (beside a picture) hold few characters a line but several words in
  // every column; a table has at least one column of short cells (amounts, codes, labels).
  const wordsIn = b.map((_, i) => median(rows.flatMap((r) => r.segments.filter((s) => bandOf(s.box.x) === i).map((s) => s.words))));
  if (wordsIn.every((w) => w >= PROSE_WORDS)) return false;
  // Most rows must fill at least two columns, and every column must be used by two rows.
  const multi = rows.filter((r) => new Set(r.segments.map((s) => bandOf(s.box.x))).size >= 2).length;
  const used = b.map((_, i) => rows.filter((r) => r.segments.some((s) => bandOf(s.box.x) === i)).length);
  return multi >= Math.max(MIN_ROWS, rows.length * 0.7) && used.every((n) => n >= 2);
}

function gridOf(rows: Row[]): TableGrid {
  const b = bands(rows);
  const colEdges = [b[0][0] - 1, ...b.slice(1).map((band, i) => (b[i][1] + band[0]) / 2), b[b.length - 1][1] + 1];
  const rowEdges = [rows[0].box.y - 1];
  for (let i = 1; i < rows.length; i++) rowEdges.push((rows[i - 1].box.y + rows[i - 1].box.h + rows[i].box.y) / 2);
  rowEdges.push(rows[rows.length - 1].box.y + rows[rows.length - 1].box.h + 1);
  return simpleGrid(rowEdges, colEdges);
}

/** Grids of aligned tables among the page's non-table lines. */
export function alignedTables(page: Page): TableGrid[] {
  const lines = page.blocks.filter((b) => b.kind === 'text').flatMap((b) => b.lines).filter((l) => l.words.length > 0);
  if (lines.length < MIN_ROWS) return [];
  const rows = visualRows(lines);
  const lineH = median(pageLines(page).map((l) => l.box.h));
  const grids: TableGrid[] = [];
  let run: Row[] = [];
  const flush = () => {
    if (isTable(run)) grids.push(gridOf(run));
    run = [];
  };
  // Runs are consecutive multi-segment rows: a single-segment row (prose, a title) ends one.
  for (const row of rows) {
    const prev = run.at(-1);
    const near = prev && row.box.y - (prev.box.y + prev.box.h) <= 2.5 * lineH;
    if ((!near || row.segments.length < 2) && run.length) flush();
    if (row.segments.length >= 2) run.push(row);
  }
  if (run.length) flush();
  return grids;
}
