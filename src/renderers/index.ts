/**
 * The renderer registry: one renderer per output format (SPEC §5, json and hocr as docr's
 * extras). Renderers are stateless, so one set serves every task.
 */
import { DocrError } from '../domain/errors.js';
import type { OutputFormat } from '../contract/formats.js';
import type { Renderer } from '../ports/renderer.js';
export interface RendererOptions {
  /** pptx: put the page image behind the text boxes (default true). */
  pptxBackground?: boolean;
}

/**
 * Each format's module (docx, exceljs, pptxgenjs, pdf-lib: about a second of imports together)
 * is loaded on its first render, not at start: `docr ocr -f txt` never pays for the others.
 */
const LOADERS: Record<OutputFormat, (o: RendererOptions) => Promise<Renderer>> = {
  txt: async () => (await import('./txt/index.js')).createTxtRenderer(),
  pdf: async () => (await import('./pdf/index.js')).createPdfRenderer(),
  docx: async () => (await import('./docx/index.js')).createDocxRenderer(),
  xlsx: async () => (await import('./xlsx/index.js')).createXlsxRenderer(),
  pptx: async (o) => (await import('./pptx/index.js')).createPptxRenderer({ background: o.pptxBackground }),
  json: async () => (await import('./json/index.js')).createJsonRenderer(),
  hocr: async () => (await import('./hocr/index.js')).createHocrRenderer(),
};

export function createRenderers(options: RendererOptions = {}): (format: OutputFormat) => Renderer {
  const loaded = new Map<OutputFormat, Promise<Renderer>>();
  const renderers = new Map<OutputFormat, Renderer>();
  return (format) => {
    const load = Object.hasOwn(LOADERS, format) ? LOADERS[format] : undefined;
    if (!load) throw new DocrError('BAD_PARAMETER', `Unknown output format "${String(format)}".`, { field: 'format', known: Object.keys(LOADERS) });
    let r = renderers.get(format);
    if (!r) {
      r = {
        format,
        async render(input) {
          let real = loaded.get(format);
          if (!real) loaded.set(format, real = load(options));
          return (await real).render(input);
        },
      };
      renderers.set(format, r);
    }
    return r;
  };
}
