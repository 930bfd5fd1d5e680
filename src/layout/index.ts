/**
 * Layout analysis after recognition of one page: tables (ruled ones from the page image,
 * aligned ones from the tree), paragraphs when the engine gave single lines, headings.
 * Returns a new page; the input is not modified. Without an image only the tree is used.
 */
import type { Page } from '../domain/ocr-tree.js';
import type { PageImage } from '../ports/ocr-engine.js';
import { alignedTables } from './aligned-tables.js';
import { applyGrid } from './grid.js';
import { ruledTables } from './ruled-tables.js';
import { findRulings } from './rulings.js';
import { groupParagraphs, markHeadings } from './text-blocks.js';

export async function analyseLayout(page: Page, image?: PageImage): Promise<Page> {
  let out = groupParagraphs(page);
  if (image && out.blocks.length > 0) {
    const rulings = await findRulings(image);
    const grids = ruledTables(rulings, page.width / rulings.width, page.dpi);
    for (const g of grids) out = applyGrid(out, g);
  }
  for (const g of alignedTables(out)) out = applyGrid(out, g);
  return markHeadings(out);
}
