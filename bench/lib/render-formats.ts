/**
 * Output-format rows (issue 5): for each render case (an English page image, the Chinese
 * table PDF, the scanned multi-page PDF, a pptx via its PDF), the time to render each
 * format from the OCR tree and the size of the result. Recognition is not included: trees
 * come from tesseract / the PDF text layer (render-cases.ts), layout analysis applied.
 */
import { OUTPUT_FORMATS, EXTRA_OUTPUT_FORMATS, type OutputFormat } from '../../src/contract/formats.js';
import { createRenderers } from '../../src/renderers/index.js';
import { CORPUS } from './corpus.js';
import { loadRenderCases } from './render-cases.js';
import { median, table, type BenchContext, type BenchSection, type SectionResult } from './section.js';

export interface RenderFormatRow {
  input: string;
  file: string;
  pages: number;
  format: OutputFormat;
  /** Median wall time of one render, milliseconds. */
  ms: number;
  bytes: number;
  /** Size of the original input file, for comparison. */
  inputBytes: number;
}

/** Renders every case in every format `runs` times; rows with median times. */
export async function measureRenderFormats(runs = 3, log: (m: string) => void = () => {}): Promise<RenderFormatRow[]> {
  log('render formats: building trees (tesseract / text layer, layout analysis)');
  const cases = await loadRenderCases(CORPUS);
  const renderer = createRenderers();
  const rows: RenderFormatRow[] = [];
  for (const c of cases) {
    for (const format of [...OUTPUT_FORMATS, ...EXTRA_OUTPUT_FORMATS]) {
      const times: number[] = [];
      let bytes = 0;
      for (let i = 0; i < Math.max(1, runs); i++) {
        const t0 = performance.now();
        const out = await renderer(format).render(c.input);
        times.push(performance.now() - t0);
        bytes = out.length;
      }
      rows.push({ input: c.name, file: c.source, pages: c.input.doc.pages.length, format, ms: median(times), bytes, inputBytes: c.inputBytes });
      log(`render ${c.name} ${format}: ${median(times).toFixed(0)} ms, ${bytes} bytes`);
    }
  }
  return rows;
}

const kib = (b: number) => `${(b / 1024).toFixed(1)} KiB`;

export const renderFormatsSection: BenchSection = {
  id: 'render-formats',
  title: 'Output formats: render time and size from the OCR tree',
  async run(ctx: BenchContext): Promise<SectionResult> {
    const rows = await measureRenderFormats(ctx.runs, ctx.log);
    const markdown = [
      table(['input', 'pages', 'input size', 'format', 'ms (median)', 'ms per page', 'size', 'size per page'],
        rows.map((r) => [r.input, r.pages, kib(r.inputBytes), r.format, r.ms.toFixed(0), (r.ms / r.pages).toFixed(0), kib(r.bytes), kib(r.bytes / r.pages)])),
      '',
      'Rendering only: trees come from tesseract or the PDF text layer with docr\'s layout analysis applied; recognition time is not included. ' +
      'pdf keeps a source PDF\'s pages and adds the glyphless text layer to scanned pages; pptx includes the page image behind the text boxes.',
    ].join('\n');
    return { data: rows, markdown };
  },
};
