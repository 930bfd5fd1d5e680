/**
 * Rendering: OCR tree → result file bytes. Renderers are pure over their input: no file
 * or network I/O of their own (page images are handed to them).
 */
import type { OutputFormat } from '../contract/formats.js';
import type { OcrDocument } from '../domain/ocr-tree.js';
import type { PageImage } from './ocr-engine.js';

export interface RenderInput {
  doc: OcrDocument;
  /** The page image of page `index` (1-based), for formats that show it (pdf; pptx background). */
  pageImage(index: number): Promise<PageImage>;
  /** Bytes of the PDF equivalent of the input, when there is one: the pdf renderer keeps its pages and vector text. */
  sourcePdf?: Uint8Array;
}

export interface Renderer {
  readonly format: OutputFormat;
  render(input: RenderInput): Promise<Buffer>;
}
