/**
 * A recognised page with its line boxes measured on the page image (line-geometry.ts), for
 * the formats that size text from line boxes (docx, pptx: metrics.ts takes a line box as
 * 1.25 em). Detection boxes are padded well beyond the ink (PP-OCR's by about half the text
 * height), so sized from them a 9 pt body came out at about 11.5 pt; measured, each line's
 * box becomes its em box with line spacing: from 0.95 em above the baseline to 0.3 em below
 * it. Lines that cannot be measured, and pages not read by OCR, are left as they are.
 */
import type { Block, Line, Page } from '../domain/ocr-tree.js';
import { quarterTurn, turnedBack, uprightPage } from '../domain/page-turn.js';
import type { PageImage } from '../ports/ocr-engine.js';
import { uprightGrey } from './image-kind.js';
import { measureLine, type GreyImage } from './line-geometry.js';

/** Above and below the baseline, in ems: 1.25 em in all, what metrics.ts takes a line box to be. */
const ABOVE = 0.95, BELOW = 0.3;

function measured(line: Line, grey: GreyImage): Line {
  const g = measureLine(grey, line);
  if (!g.measured) return line;
  const { x, y, w, h } = line.box;
  // A vertical line's glyph tops face right: "above the baseline" is towards larger x.
  const box = line.vertical
    ? { x: g.baseline - BELOW * g.size, y, w: (ABOVE + BELOW) * g.size, h }
    : { x, y: g.baseline - ABOVE * g.size, w, h: (ABOVE + BELOW) * g.size };
  return { ...line, box };
}

export async function measuredPage(page: Page, image: PageImage | undefined): Promise<Page> {
  if (page.source !== 'ocr' || !image || image.width !== page.width || image.height !== page.height) return page;
  const grey = await uprightGrey(image, quarterTurn(page.rotation)).catch(() => undefined);
  if (!grey) return page;
  const upright = uprightPage(page);
  const lines = (ls: Line[]) => ls.map((l) => measured(l, grey));
  const block = (b: Block): Block => ({
    ...b, lines: lines(b.lines),
    ...(b.table ? { table: { ...b.table, cells: b.table.cells.map((c) => ({ ...c, lines: lines(c.lines) })) } } : {}),
  });
  return turnedBack({ ...upright, blocks: upright.blocks.map(block) }, page.rotation);
}
