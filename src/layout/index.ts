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
import type { Block, Page, Word } from '../domain/ocr-tree.js';
import { pageLines } from '../domain/ocr-tree.js';
import { quarterTurn, turnedBack, uprightPage } from '../domain/page-turn.js';
import type { PageImage } from '../ports/ocr-engine.js';
import { alignedTables } from './aligned-tables.js';
import { applyGrid, type TableGrid } from './grid.js';
import { refineGrid } from './grid-refine.js';
import { ruleBoundedTables } from './rule-bounded-tables.js';
import { ruledTables } from './ruled-tables.js';
import { findRulings, type Rulings } from './rulings.js';
import { groupParagraphs, markHeadings } from './text-blocks.js';

/** The page with every table block turned back into a text block of its lines. */
function dissolveTables(page: Page): Page {
  if (!page.blocks.some((b) => b.kind === 'table')) return page;
  const blocks = page.blocks.map((b): Block => (b.kind === 'table' ? { kind: 'text', box: b.box, lines: b.lines } : b));
  return { ...page, blocks };
}

/**
 * Printed tables are rules and text on a light ground: under a tenth of their area is dark
 * (measured 8–10 % on real tables). Grids whose area is mostly dark are a photo's texture
 * (bricks, foliage, a sign's dark panel: ~79 % on the corpus's street photos).
 */
const MAX_TABLE_DARK_SHARE = 0.4;

function onPaper(g: TableGrid, rulings: Rulings, scale: number): boolean {
  const share = rulings.darkShare(g.colEdges[0] / scale, g.rowEdges[0] / scale, g.colEdges[g.colEdges.length - 1] / scale, g.rowEdges[g.rowEdges.length - 1] / scale);
  return share <= MAX_TABLE_DARK_SHARE;
}

/**
 * A page the engine turned to read (Page.rotation) is analysed in its upright frame, where
 * lines run left to right and rows and columns are what they look like to a reader (a page
 * turned a quarter, or vertical Chinese columns read turned, would otherwise have its lines'
 * words aligned into a bogus table), then taken back to the image's frame.
 */
export async function analyseLayout(page: Page, image?: PageImage): Promise<Page> {
  const turn = quarterTurn(page.rotation);
  if (turn === 0) return analyseUpright(page, image, 0);
  return turnedBack(await analyseUpright(uprightPage(page), image, turn), page.rotation);
}

/**
 * Blocks of vertical lines (vertical CJK: columns read right to left) are no paragraphs,
 * headings or tables in the sense of the analysis below, which assumes lines that run left to
 * right: they are taken out, and put back afterwards before the first block that held text
 * read after them.
 */
async function analyseUpright(page: Page, image: PageImage | undefined, turn: number): Promise<Page> {
  const isVertical = (b: Block) => b.lines.some((l) => l.vertical);
  if (!page.blocks.some(isVertical)) return analyseHorizontal(page, image, turn);
  const order = new Map<Word, number>();
  page.blocks.forEach((b, i) => { for (const l of b.lines) for (const w of l.words) order.set(w, i); });
  const out = await analyseHorizontal({ ...page, blocks: page.blocks.filter((b) => !isVertical(b)) }, image, turn);
  const blocks = [...out.blocks];
  page.blocks.forEach((b, i) => {
    if (!isVertical(b)) return;
    const at = blocks.findIndex((x) => !isVertical(x) && x.lines.some((l) => l.words.some((w) => (order.get(w) ?? -1) > i)));
    blocks.splice(at < 0 ? blocks.length : at, 0, b);
  });
  return { ...out, blocks };
}

async function analyseHorizontal(page: Page, image: PageImage | undefined, turn: number): Promise<Page> {
  let out = groupParagraphs(image ? dissolveTables(page) : page);
  if (image && out.blocks.length > 0) {
    const rulings = await findRulings(image, turn);
    const scale = page.width / rulings.width;
    const grids = ruledTables(rulings, scale, page.dpi).filter((g) => onPaper(g, rulings, scale));
    const words = pageLines(out).flatMap((l) => l.words);
    grids.push(...ruleBoundedTables(rulings, scale, page.dpi, words, grids).filter((g) => onPaper(g, rulings, scale)));
    for (const g of grids) out = applyGrid(out, refineGrid(g, words));
  }
  for (const g of alignedTables(out)) out = applyGrid(out, g);
  return markHeadings(out);
}
