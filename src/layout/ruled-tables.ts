/**
 * Tables drawn with ruling lines: horizontal and vertical rules that touch form one
 * table; its distinct rule positions give the row and column edges (the outermost
 * horizontal rules' ends close open-sided tables); a missing rule between two grid
 * positions merges them into one spanning cell.
 */
import type { Rulings, Segment } from './rulings.js';
import { findRoot, gridFromUnion, type TableGrid } from './grid.js';

function touches(h: Segment, v: Segment, tol: number): boolean {
  return v.at >= h.a - tol && v.at <= h.b + tol && h.at >= v.a - tol && h.at <= v.b + tol;
}

/** Distinct positions: values closer than tol collapse to their mean. */
function distinct(values: number[], tol: number): number[] {
  const sorted = [...values].sort((a, b) => a - b);
  const groups: number[][] = [];
  for (const v of sorted) {
    const g = groups.at(-1);
    if (g && v - g[g.length - 1] <= tol) g.push(v); else groups.push([v]);
  }
  return groups.map((g) => g.reduce((s, v) => s + v, 0) / g.length);
}

/** True when some segment at ≈`at` covers most of [from, to]. */
function ruled(segs: Segment[], at: number, from: number, to: number, tol: number): boolean {
  const need = (to - from) * 0.5;
  return segs.some((s) => Math.abs(s.at - at) <= tol && Math.min(s.b, to) - Math.max(s.a, from) >= need);
}

function gridOf(hs: Segment[], vs: Segment[], tol: number): TableGrid | undefined {
  const rowEdges = distinct([...hs.map((h) => h.at), Math.min(...vs.map((v) => v.a)), Math.max(...vs.map((v) => v.b))], tol);
  const colEdges = distinct([...vs.map((v) => v.at), Math.min(...hs.map((h) => h.a)), Math.max(...hs.map((h) => h.b))], tol);
  const rows = rowEdges.length - 1, cols = colEdges.length - 1;
  if (rows < 2 || cols < 2) return undefined;
  const parent = Array.from({ length: rows * cols }, (_, i) => i);
  const join = (a: number, b: number) => { parent[findRoot(parent, a)] = findRoot(parent, b); };
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      if (c + 1 < cols && !ruled(vs, colEdges[c + 1], rowEdges[r], rowEdges[r + 1], tol)) join(r * cols + c, r * cols + c + 1);
      if (r + 1 < rows && !ruled(hs, rowEdges[r + 1], colEdges[c], colEdges[c + 1], tol)) join(r * cols + c, (r + 1) * cols + c);
    }
  }
  return gridFromUnion(rowEdges, colEdges, parent);
}

/** Grids in page pixels (`scale` maps image pixels to page pixels); `dpi` of the page. */
export function ruledTables(rulings: Rulings, scale: number, dpi: number): TableGrid[] {
  const s = (g: Segment): Segment => ({ at: g.at * scale, a: g.a * scale, b: g.b * scale });
  const hs = rulings.horizontal.map(s), vs = rulings.vertical.map(s);
  const tol = Math.max(4, dpi * 0.03);
  const all = [...hs, ...vs];
  const parent = all.map((_, i) => i);
  for (let i = 0; i < hs.length; i++) {
    for (let j = 0; j < vs.length; j++) {
      if (touches(hs[i], vs[j], tol)) parent[findRoot(parent, i)] = findRoot(parent, hs.length + j);
    }
  }
  const groups = new Map<number, number[]>();
  all.forEach((_, i) => groups.set(findRoot(parent, i), [...(groups.get(findRoot(parent, i)) ?? []), i]));
  const grids: TableGrid[] = [];
  for (const members of groups.values()) {
    const gh = members.filter((i) => i < hs.length).map((i) => hs[i]);
    const gv = members.filter((i) => i >= hs.length).map((i) => vs[i - hs.length]);
    if (gh.length < 2 || gv.length < 1) continue;
    const grid = gridOf(gh, gv, tol);
    if (grid) grids.push(grid);
  }
  return grids;
}
