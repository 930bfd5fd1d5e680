/**
 * txt: UTF-8 plain text in reading order. Blocks (paragraphs) are separated by a blank
 * line, lines by a newline; each page ends with a newline and pages are separated by a form
 * feed (SPEC §5).
 */
import type { OcrDocument, Page } from '../../domain/ocr-tree.js';
import type { Renderer } from '../../ports/renderer.js';
import { blockText } from '../text.js';

export function renderPageTxt(page: Page): string {
  return page.blocks.map(blockText).filter((t) => t !== '').join('\n\n');
}

export function renderTxt(doc: OcrDocument): string {
  return doc.pages.map((p) => `${renderPageTxt(p)}\n`).join('\f');
}

export function createTxtRenderer(): Renderer {
  return {
    format: 'txt',
    async render({ doc }) {
      return Buffer.from(renderTxt(doc), 'utf8');
    },
  };
}
