/**
 * The renderer registry: one renderer per output format (SPEC §5, json and hocr as docr's
 * extras). Renderers are stateless, so one set serves every task.
 */
import { DocrError } from '../domain/errors.js';
import type { OutputFormat } from '../contract/formats.js';
import type { Renderer } from '../ports/renderer.js';
import { createDocxRenderer } from './docx/index.js';
import { createHocrRenderer } from './hocr/index.js';
import { createJsonRenderer } from './json/index.js';
import { createPdfRenderer } from './pdf/index.js';
import { createPptxRenderer } from './pptx/index.js';
import { createTxtRenderer } from './txt/index.js';
import { createXlsxRenderer } from './xlsx/index.js';

export interface RendererOptions {
  /** pptx: put the page image behind the text boxes (default true). */
  pptxBackground?: boolean;
}

export function createRenderers(options: RendererOptions = {}): (format: OutputFormat) => Renderer {
  const renderers: Record<OutputFormat, Renderer> = {
    txt: createTxtRenderer(),
    pdf: createPdfRenderer(),
    docx: createDocxRenderer(),
    xlsx: createXlsxRenderer(),
    pptx: createPptxRenderer({ background: options.pptxBackground }),
    json: createJsonRenderer(),
    hocr: createHocrRenderer(),
  };
  return (format) => {
    const r = renderers[format];
    if (!r) throw new DocrError('BAD_PARAMETER', `Unknown output format "${String(format)}".`, { field: 'format', known: Object.keys(renderers) });
    return r;
  };
}
