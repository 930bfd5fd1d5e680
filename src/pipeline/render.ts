/**
 * Stage 4 (state 5): the OCR tree → the requested format's bytes. The searchable PDF keeps
 * the input's own pages when there is a PDF equivalent (sourcePdf).
 */
import { readFile } from 'node:fs/promises';
import type { OcrDocument } from '../domain/ocr-tree.js';
import type { NormalisedDocument } from '../ports/normaliser.js';
import type { PageImage } from '../ports/ocr-engine.js';
import { abortable, type TaskContext } from './context.js';

export async function renderResult(ctx: TaskContext, doc: OcrDocument, source: NormalisedDocument,
  pageImage: (index: number) => Promise<PageImage>): Promise<Buffer> {
  const renderer = ctx.deps.renderers(ctx.task.options.format);
  const sourcePdf = source.pdfPath ? new Uint8Array(await readFile(source.pdfPath)) : undefined;
  return abortable(renderer.render({ doc, pageImage, sourcePdf }), ctx.signal);
}
