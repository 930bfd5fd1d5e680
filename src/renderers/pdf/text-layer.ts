/**
 * The invisible text layer of one page, as PDF content-stream operators: every word drawn in
 * render mode 3 (invisible) with the glyphless font, as Tesseract's PDF renderer and
 * OCRmyPDF's hOCR transform do, but placed on the line's measured ink (../line-geometry.ts)
 * rather than on its detection box:
 * - each line sits on its baseline at the size of its text, so lines do not overlap and
 *   extractors (pdftotext) keep columns and neighbouring lines apart; the lines of one block
 *   share one size, as the lines of a paragraph share one font, and neighbouring blocks get
 *   sizes a little apart, so an extractor groups lines into the blocks docr found (it groups
 *   by equal size and nearness);
 * - each word is stretched (Tz) over its own ink, so selection and search highlight the word,
 *   and a space stretched over the gap separates it from the next where the txt result has one
 *   (none between ideographs); a word before a gap wider than an extractor's column spacing
 *   reaches over it instead (a receipt's label towards its amount), and a table row whose
 *   cells stand on one visual row is drawn as one line, so extractors read rows across, as
 *   the txt result does, rather than labels first and amounts after;
 * - lines go out block by block in reading order, for extractors that read content order.
 * Geometry is worked out on the upright page (`uprightPage`): a page the engine had to turn is
 * drawn upright and turned back into place by one matrix; a vertical line (vertical CJK) runs
 * downwards with its glyph tops facing right, so extractors read its characters in order.
 * Coordinates are "view space": points, origin at the bottom-left of the page as displayed.
 */
import type { Block, Box, Line, Page, Table } from '../../domain/ocr-tree.js';
import { unionBox } from '../../domain/ocr-tree.js';
import { spaceBetween } from '../../domain/line-text.js';
import { quarterTurn, uprightPage } from '../../domain/page-turn.js';
import { cellsByRow } from '../text.js';
import { GLYPH_WIDTH } from './glyphless-font.js';
import { measureLine, type GreyImage, type LineGeometry } from '../line-geometry.js';

const num = (n: number): string => (Math.round(n * 100) / 100).toString();

/** UTF-16 code units as hex: the glyphless font's codes are code units, mapped back by ToUnicode. */
function hexUtf16(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) out += text.charCodeAt(i).toString(16).padStart(4, '0');
  return out;
}

/** Upright page pixels → upright view points (y up). */
interface Scale { sx: number; sy: number; height: number }

/** How far apart (in ems) pdftotext lets two baselines of one block be: its maxLineSpacingDelta is 1.5. */
const BLOCK_LINE_SPACING = 1.45;
/** How much a block's size may grow beyond its text's to keep its lines together. */
const MAX_BRIDGE = 1.5;

/**
 * The size a block's lines are drawn at: one for the whole block, as extractors group lines
 * into blocks by equal font size and baselines at most 1.5 em apart. It is the median of the
 * lines' measured sizes, raised (by at most MAX_BRIDGE) where the block's lines lie further
 * apart than that, so a paragraph with a heading or a blank line in it stays one block.
 */
function blockSize(geometries: readonly LineGeometry[]): number {
  const measured = geometries.filter((g) => g.measured).map((g) => g.size).sort((a, b) => a - b);
  if (measured.length === 0) return Math.max(...geometries.map((g) => g.size));
  const natural = measured[Math.floor(measured.length / 2)];
  let widest = 0;
  for (let i = 1; i < geometries.length; i++) widest = Math.max(widest, Math.abs(geometries[i].baseline - geometries[i - 1].baseline));
  return Math.min(Math.max(natural, widest / BLOCK_LINE_SPACING), natural * MAX_BRIDGE);
}

/** Lines narrower than this share of their region's width (and the next too) leave it. */
const NARROWER = 0.6;

/**
 * A block's lines cut where the text changes width for good: a full-width paragraph that
 * goes on as a column under it (one block in the tree) is two regions to an extractor, which
 * would otherwise take the other column in beside it. A short line that ends a paragraph, or
 * a heading over its text, stays with its region.
 */
function regions(lines: readonly Line[]): Line[][] {
  const out: Line[][] = [];
  let run: Line[] = [], x0 = 0, x1 = 0;
  const within = (l: Line) => l.box.x >= x0 - 0.1 * (x1 - x0) && l.box.x + l.box.w <= x1 + 0.1 * (x1 - x0);
  const fits = (l: Line | undefined) => l !== undefined && within(l) && l.box.w >= NARROWER * (x1 - x0);
  lines.forEach((line, i) => {
    const joins = run.length > 0 && (line.vertical === true || fits(line) || run.length === 1
      || (within(line) && (i + 1 === lines.length || fits(lines[i + 1]))));
    if (!joins) {
      if (run.length > 0) out.push(run);
      run = [];
      x0 = line.box.x; x1 = line.box.x + line.box.w;
    }
    run.push(line);
    x0 = Math.min(x0, line.box.x); x1 = Math.max(x1, line.box.x + line.box.w);
  });
  if (run.length > 0) out.push(run);
  return out;
}

/**
 * The page's text blocks with consecutive paragraphs of one column merged: an engine that
 * gives a block per paragraph (Tesseract) would otherwise have each sized apart from the one
 * above it, and an extractor that groups by size then pairs paragraphs across the columns.
 * Blocks join when the next starts below the last within 1.2 of its line heights (a paragraph break, not a section gap) and shares
 * most of its width; tables stay as they are.
 */
function columnRuns(blocks: readonly Block[]): Block[] {
  const out: Block[] = [];
  for (const block of blocks) {
    const last = out.at(-1);
    if (last && !last.table && !block.table && stacked(last, block)) {
      const lines = [...last.lines, ...block.lines];
      out[out.length - 1] = { ...last, lines, box: unionBox(lines.map((l) => l.box)) };
    } else out.push(block);
  }
  return out;
}

function stacked(above: Block, below: Block): boolean {
  const a = above.box, b = below.box;
  const lineH = Math.max(1, Math.min(...below.lines.map((l) => l.box.h)));
  const overlap = Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x);
  const gap = b.y - (a.y + a.h);
  return gap > -0.5 * lineH && gap < 1.2 * lineH && overlap >= 0.6 * Math.min(a.w, b.w) && Math.abs(a.x - b.x) < 0.1 * Math.max(a.w, b.w);
}

/**
 * A table's regions for an extractor, row by row. A row whose cells' lines stand on one visual
 * row (a receipt's `Total | RM 30.91`, a price list) is drawn as one line across its cells, and a
 * run of such rows is one region: the gaps between cells are bridged (lineOps), so the rows
 * read across, as the txt result gives them. Cells of several lines are regions of their own.
 */
function tableRegions(table: Table): Line[][] {
  const out: Line[][] = [];
  let run: Line[] = [];
  for (const cells of cellsByRow(table.cells)) {
    const lines = cells.flatMap((c) => c.lines);
    if (oneVisualRow(lines)) {
      if (lines.length > 0) run.push(rowLine(lines));
      continue;
    }
    if (run.length > 0) out.push(run);
    run = [];
    out.push(...cells.map((c) => c.lines).filter((l) => l.length > 0));
  }
  if (run.length > 0) out.push(run);
  return out;
}

/** Whether lines stand side by side on one row: each overlaps every other across half the lower one's height. */
function oneVisualRow(lines: readonly Line[]): boolean {
  return lines.every((a, i) => lines.slice(i + 1).every((b) =>
    Math.min(a.box.y + a.box.h, b.box.y + b.box.h) - Math.max(a.box.y, b.box.y) >= 0.5 * Math.min(a.box.h, b.box.h)));
}

/** One line made of a row's cell lines, left to right. */
function rowLine(lines: readonly Line[]): Line {
  if (lines.length === 1) return lines[0];
  const sorted = [...lines].sort((a, b) => a.box.x - b.box.x);
  return {
    text: sorted.map((l) => l.text).join(' '),
    box: unionBox(sorted.map((l) => l.box)),
    confidence: Math.min(...sorted.map((l) => l.confidence)),
    words: sorted.flatMap((l) => l.words),
    cjk: sorted.some((l) => l.cjk === true) || undefined,
  };
}

/** Multipliers tried, in order, to tell a block's size apart from its neighbours'. */
const NUDGES = [1, 1.07, 0.935, 1.145, 0.875, 1.225];
/** Extractors put lines of sizes within 5 % of each other in one block (pdftotext's maxBlockFontSizeDelta1). */
const DISTINCT = 0.06;

/**
 * Sizes of the page's blocks, in reading order, each set apart by more than DISTINCT from the
 * neighbours already sized, so that an extractor never grows one block into the next (a
 * full-width paragraph into the two columns under it); see blockSize for each one's own size.
 */
function pageSizes(blocks: readonly { box: Box; size: number }[]): number[] {
  const sizes: number[] = [];
  // Only blocks above or below one another are grown together by size (side by side, nearness decides).
  const near = (a: Box, b: Box, reach: number) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h + reach && b.y < a.y + a.h + reach;
  blocks.forEach((block, i) => {
    const around = blocks.slice(0, i).map((b, k) => ({ b, size: sizes[k] })).filter(({ b, size }) => near(block.box, b.box, 1.6 * Math.max(size, block.size)));
    const apart = (s: number) => around.every(({ size }) => Math.abs(s - size) > DISTINCT * Math.min(s, size));
    sizes.push(block.size * (NUDGES.find((m) => apart(block.size * m)) ?? 1));
  });
  return sizes;
}

/** Gaps wider than this (in ems) are bridged by the word before them, up to ROW_SPACE before the next word. */
const WIDE_GAP = 0.8, ROW_SPACE = 0.3;
/** The narrowest space (in ems) drawn between two words the text separates. */
const MIN_SPACE = 0.15;

function lineOps(line: Line, g: LineGeometry, sizePx: number, fontName: string, s: Scale): string[] {
  const vertical = line.vertical === true;
  // Along the text, in view points, increasing in reading direction; and the text matrix at a point.
  const along = (p: number) => (vertical ? -(s.height - p * s.sy) : p * s.sx);
  const place = (a: number) => (vertical
    ? `0 -1 1 0 ${num(g.baseline * s.sx)} ${num(-a)} Tm`
    : `1 0 0 1 ${num(a)} ${num(s.height - g.baseline * s.sy)} Tm`);
  const size = Math.max(0.5, sizePx * (vertical ? s.sx : s.sy));
  const advance = (GLYPH_WIDTH / 1000) * size;
  const stretch = (length: number, glyphs: number) => num((100 * Math.max(length, 0.05 * size)) / (glyphs * advance));
  const kept = line.words.map((w, i) => ({ text: w.text.trim(), raw: w.text, span: g.words[i] })).filter((w) => w.text !== '');
  const ops = [`/${fontName} ${num(size)} Tf`];
  kept.forEach((w, i) => {
    const next = kept[i + 1];
    const spaced = next !== undefined && spaceBetween(w.raw, next.raw, line.cjk === true);
    // Words joined without a space (ideographs) run on to the next one: a gap would read as a space.
    const start = along(w.span[0]);
    let end = next && !spaced ? along(next.span[0]) : along(w.span[1]);
    // A gap wider than an extractor's column spacing (pdftotext: one em) would split the row
    // into columns (a receipt's labels read, then its amounts): the word reaches over the gap
    // to a word space before the next one, so the row reads as one line.
    if (spaced && along(next.span[0]) - end > WIDE_GAP * size) end = along(next.span[0]) - ROW_SPACE * size;
    // A space the image leaves no room for (a lone colon drawn against its label) still needs
    // some width, or an extractor joins the words: the word gives up a little of its end.
    if (spaced && along(next.span[0]) - end < MIN_SPACE * size) end = Math.max(start + 0.6 * (end - start), along(next.span[0]) - MIN_SPACE * size);
    ops.push(`${place(start)} ${stretch(end - start, w.text.length)} Tz <${hexUtf16(w.text)}> Tj`);
    if (spaced) ops.push(`${place(end)} ${stretch(along(next.span[0]) - end, 1)} Tz <0020> Tj`);
  });
  return ops;
}

/** Operators for the blocks of `page` that `include` admits (default: all); empty string when there are no words. */
export function textLayerOps(page: Page, fontName: string, viewW: number, viewH: number,
  image?: GreyImage, include: (b: Block) => boolean = () => true): string {
  const upright = uprightPage(page);
  const turn = quarterTurn(page.rotation);
  const [w, h] = turn === 90 || turn === 270 ? [viewH, viewW] : [viewW, viewH];
  const scale: Scale = { sx: w / upright.width, sy: h / upright.height, height: h };
  const blocks = columnRuns(upright.blocks.filter(include))
    .flatMap((block) => (block.table ? tableRegions(block.table) : regions(block.lines)))
    .map((lines) => lines.filter((l) => l.words.some((wd) => wd.text.trim() !== '')))
    .filter((lines) => lines.length > 0)
    .map((lines) => {
      const geometries = lines.map((l) => measureLine(image, l));
      return { box: unionBox(lines.map((l) => l.box)), lines, geometries, size: blockSize(geometries) };
    });
  const sizes = pageSizes(blocks);
  const ops = blocks.flatMap((b, k) => b.lines.flatMap((l, i) => lineOps(l, b.geometries[i], sizes[k], fontName, scale)));
  if (ops.length === 0) return '';
  const text = `BT\n3 Tr\n${ops.join('\n')}\nET\n`;
  // The upright page's frame turned back onto the page as displayed (the engine turned it `turn` clockwise).
  const back: Record<number, string> = { 90: `0 1 -1 0 ${num(viewW)} 0`, 180: `-1 0 0 -1 ${num(viewW)} ${num(viewH)}`, 270: `0 -1 1 0 0 ${num(viewH)}` };
  return back[turn] ? `q ${back[turn]} cm\n${text}Q\n` : text;
}
