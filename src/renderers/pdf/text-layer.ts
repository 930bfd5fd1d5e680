/**
 * The invisible text layer of one page, as PDF content-stream operators: every word drawn
 * in render mode 3 (invisible) with the glyphless font, at its box, the run stretched
 * horizontally (Tz) to the box width as Tesseract's PDF renderer does, so selection and
 * search highlight the right place. Coordinates are "view space": points, origin at the
 * bottom-left of the page as displayed; callers map view space to the page with `cm`.
 * A page the engine had to turn to read (`Page.rotation`) gets its text turned to match, and
 * a vertical line (vertical CJK) runs downwards, so extractors read its characters in order.
 */
import type { Box, Line, Page } from '../../domain/ocr-tree.js';
import { pageLines } from '../../domain/ocr-tree.js';
import { spaceBetween } from '../../domain/line-text.js';
import { quarterTurn } from '../../domain/page-turn.js';
import { GLYPH_WIDTH } from './glyphless-font.js';

const num = (n: number): string => (Math.round(n * 100) / 100).toString();

/** UTF-16 code units as hex: the glyphless font's codes are code units, mapped back by ToUnicode. */
function hexUtf16(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) out += text.charCodeAt(i).toString(16).padStart(4, '0');
  return out;
}

/** A box in view space (points, y up): left, right, bottom, top. */
interface ViewBox { x0: number; x1: number; y0: number; y1: number }

/**
 * How text runs on a page whose image had to be turned `rotation` degrees clockwise to be
 * read upright: the reading direction in view space, where a run starts in a box, where
 * its baseline lies, and how long and thick the box is along and across the text.
 */
interface TextAxis {
  matrix: [number, number, number, number];
  /** Position along the reading direction where text in the box starts (and ends). */
  start(b: ViewBox): number;
  end(b: ViewBox): number;
  /** Baseline position across the reading direction. */
  baseline(b: ViewBox): number;
  thickness(b: ViewBox): number;
  /** View point of (along, across). */
  point(along: number, across: number): [number, number];
}

function axisOf(rotation: number): TextAxis {
  switch (quarterTurn(rotation)) {
    case 90: return { matrix: [0, 1, -1, 0], start: (b) => b.y0, end: (b) => b.y1, baseline: (b) => b.x1, thickness: (b) => b.x1 - b.x0, point: (a, c) => [c, a] };
    case 180: return { matrix: [-1, 0, 0, -1], start: (b) => b.x1, end: (b) => b.x0, baseline: (b) => b.y1, thickness: (b) => b.y1 - b.y0, point: (a, c) => [a, c] };
    case 270: return { matrix: [0, -1, 1, 0], start: (b) => b.y1, end: (b) => b.y0, baseline: (b) => b.x0, thickness: (b) => b.x1 - b.x0, point: (a, c) => [c, a] };
    default: return { matrix: [1, 0, 0, 1], start: (b) => b.x0, end: (b) => b.x1, baseline: (b) => b.y0, thickness: (b) => b.y1 - b.y0, point: (a, c) => [a, c] };
  }
}

function lineOps(line: Line, fontName: string, toView: (b: Box) => ViewBox, axis: TextAxis): string[] {
  const words = line.words.filter((w) => w.text.trim() !== '');
  if (words.length === 0) return [];
  const lb = toView(line.box);
  const fontSize = Math.max(1, axis.thickness(lb));
  const baseline = axis.baseline(lb);
  const m = axis.matrix.join(' ');
  const ops: string[] = [`/${fontName} ${num(fontSize)} Tf`];
  words.forEach((w, i) => {
    const next = words[i + 1];
    const wb = toView(w.box);
    // A space travels with the word (stretched over the gap to the next word) where the
    // txt result has one, so extractors see the same word breaks.
    const spaced = next !== undefined && spaceBetween(w.text, next.text, line.cjk === true);
    const text = spaced ? `${w.text.trim()} ` : w.text.trim();
    const start = axis.start(wb);
    const own = Math.abs(axis.end(wb) - start);
    const toNext = spaced ? Math.abs(axis.start(toView(next.box)) - start) : 0;
    const length = Math.max(0.5, toNext > own * 0.5 ? toNext : own);
    const natural = (text.length * GLYPH_WIDTH * fontSize) / 1000;
    const [x, y] = axis.point(start, baseline);
    ops.push(`${m} ${num(x)} ${num(y)} Tm ${num((100 * length) / natural)} Tz <${hexUtf16(text)}> Tj`);
  });
  return ops;
}

/** Operators for `lines` of `page` (default: all of them); empty string when there are no words. */
export function textLayerOps(page: Page, fontName: string, viewW: number, viewH: number, lines: readonly Line[] = pageLines(page)): string {
  const sx = viewW / page.width, sy = viewH / page.height;
  const toView = (b: Box): ViewBox => ({ x0: b.x * sx, x1: (b.x + b.w) * sx, y0: viewH - (b.y + b.h) * sy, y1: viewH - b.y * sy });
  const axis = axisOf(page.rotation);
  // A vertical line's text runs down the page: a quarter turn more than the page's.
  const down = axisOf(page.rotation + 270);
  const ops = lines.flatMap((l) => lineOps(l, fontName, toView, l.vertical ? down : axis));
  if (ops.length === 0) return '';
  return `BT\n3 Tr\n${ops.join('\n')}\nET\n`;
}
