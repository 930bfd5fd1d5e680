/**
 * json (docr extra): the OCR tree itself — pages, blocks (tables with their cells), lines,
 * words, boxes in page pixels and confidences — with coordinates rounded to 0.1 px.
 */
import type { OcrDocument } from '../../domain/ocr-tree.js';
import type { Renderer } from '../../ports/renderer.js';

export const JSON_TREE_VERSION = 1;

export function renderJson(doc: OcrDocument): string {
  const round = (_key: string, v: unknown) => (typeof v === 'number' && !Number.isInteger(v) ? Math.round(v * 1000) / 1000 : v);
  return JSON.stringify({ version: JSON_TREE_VERSION, languages: doc.languages, pages: doc.pages }, round);
}

export function createJsonRenderer(): Renderer {
  return {
    format: 'json',
    async render({ doc }) {
      return Buffer.from(renderJson(doc), 'utf8');
    },
  };
}
