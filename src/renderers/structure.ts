/**
 * Layout for the structured formats (docx, xlsx, pptx). The pipeline runs layout analysis
 * on every page it recognises; pages read from a PDF text layer (born-digital PDFs, Office
 * files) skip recognition, so their tables — drawn with rules the text layer does not
 * carry — are found here, from the page image the pipeline hands over, and only when a
 * format that shows tables is asked for (txt and pdf need none of it). A table the
 * pipeline found by alignment alone does not stop this: with the image, layout analysis
 * redoes the page's tables from its rules (analysing twice with the image changes nothing).
 * A recognised page's line boxes are measured on its image (measured-page.ts), so text is
 * sized from its ink rather than from padded detection boxes.
 */
import type { OcrDocument, Page } from '../domain/ocr-tree.js';
import { analyseLayout } from '../layout/index.js';
import type { RenderInput } from '../ports/renderer.js';
import { measuredPage } from './measured-page.js';

async function withLayout(page: Page, input: RenderInput): Promise<Page> {
  if (page.blocks.length === 0) return page;
  const image = await input.pageImage(page.index).catch(() => undefined);
  // A recognised page is laid out already; its line boxes are measured on the image (sizes).
  return page.source === 'ocr' ? measuredPage(page, image) : analyseLayout(page, image);
}

export async function structuredDocument(input: RenderInput): Promise<OcrDocument> {
  const pages: Page[] = [];
  for (const page of input.doc.pages) pages.push(await withLayout(page, input));
  return { ...input.doc, pages };
}
