/**
 * Layout analysis after recognition of one page: tables (ruled ones from the page image,
 * aligned ones from the tree), paragraphs when the engine gave single lines, headings.
 * Returns a new page; the input is not modified. Without an image only the tree is used.
 *
 * With an image the page's rules decide: table blocks from an earlier analysis without the
 * image (a text-layer page: alignment alone finds fragments of ruled tables, e.g. the rows
 * of one merged-cell group) are dissolved back into text first, so that analysing a page
 * again with its image gives the same result as analysing it once with it.
 */
import type { Block, Page } from '../domain/ocr-tree.js';
import { pageLines } from '../domain/ocr-tree.js';
import type { PageImage } from '../ports/ocr-engine.js';
import { alignedTables } from './aligned-tables.js';
import { applyGrid } from './grid.js';
import { refineGrid } from './grid-refine.js';
import { ruleBoundedTables } from './rule-bounded-tables.js';
import { ruledTables } from './ruled-tables.js';
import { findRulings } from './rulings.js';
import { groupParagraphs, markHeadings } from './text-blocks.js';

/** The page with every table block turned back into a text block of its lines. */
function dissolveTables(page: Page): Page {
  if (!page.blocks.some((b) => b.kind === 'table')) return page;
  const blocks = page.blocks.map((b): Block => (b.kind === 'table' ? { kind: 'text', box: b.box, lines: b.lines } : b));
  return { ...page, blocks };
}

export async function analyseLayout(page: Page, image?: PageImage): Promise<Page> {
  let out = groupParagraphs(image ? dissolveTables(page) : page);
  if (image && out.blocks.length > 0) {
    const rulings = await findRulings(image);
    const grids = ruledTables(rulings, page.width / rulings.width, page.dpi);
    const words = pageLines(out).flatMap((l) => l.words);
    grids.push(...ruleBoundedTables(rulings, page.width / rulings.width, page.dpi, words, grids));
    for (const g of grids) out = applyGrid(out, refineGrid(g, words));
  }
  for (const g of alignedTables(out)) out = applyGrid(out, g);
  return markHeadings(out);
}
