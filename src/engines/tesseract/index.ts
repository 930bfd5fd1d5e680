/**
 * Native Tesseract 5 engine: one `tesseract` process per page, one OpenMP thread
 * (OMP_THREAD_LIMIT=1: the default OpenMP setting measured twice as slow on this machine),
 * only the requested models, the image on stdin and TSV on stdout; a single-line image it
 * finds nothing in is read again as one line (line-image.ts). Covers every API name whose
 * model is installed.
 */
import { UNSPACED_LANGUAGES, DIGITS, tesseractCodeOf } from '../../contract/languages.js';
import { DocrError } from '../../domain/errors.js';
import type { Page } from '../../domain/ocr-tree.js';
import { mapBoxes, pageLines } from '../../domain/ocr-tree.js';
import type { EngineDescriptor, OcrEngine, PageImage, RecognizeOptions } from '../../ports/ocr-engine.js';
import { runProcess } from '../../platform/run-process.js';
import { hasVerticalModels, tesseractArgs } from './args.js';
import { installedTesseractCodes, installedTesseractCodesSnapshot } from './installed.js';
import { isLineImage } from '../line-shape.js';
import { framedLine, unframedBox } from './line-image.js';
import { tsvToPage } from './tsv.js';

export { installedTesseractCodes } from './installed.js';

/** A safety net only: the pool's per-page timeout (an abort) normally ends a page first. */
const PROCESS_TIMEOUT_MS = 10 * 60_000;

/** True when every name is Digits or has an installed model. */
export function tesseractCovers(languages: readonly string[], installed: ReadonlySet<string>): boolean {
  return languages.every((name) => {
    if (name === DIGITS) return installed.has('eng');
    const code = tesseractCodeOf(name);
    return code !== undefined && installed.has(code);
  });
}

async function recognizeWithTesseract(image: PageImage, options: RecognizeOptions): Promise<Page> {
  let page = await runTesseract(image.data, image, tesseractArgs(options.languages), options);
  // Vertical CJK lines found: read again with the vertical models as well. Only then: loading
  // one more model doubles the time of a page (0.6 → 1.3 s on a Japanese page).
  const installed = installedTesseractCodesSnapshot();
  if (installed && pageLines(page).some((l) => l.vertical) && hasVerticalModels(options.languages, installed)) {
    page = await runTesseract(image.data, image, tesseractArgs(options.languages, { vertical: installed }), options);
  }
  if (hasText(page)) return page;
  const { width, height } = image.width > 0 ? image : await sizeOf(image.data);
  if (!isLineImage(width, height)) return page;
  const framed = await framedLine(image.data, width, height);
  const line = await runTesseract(framed.data, { ...image, width: framed.width, height: framed.height }, tesseractArgs(options.languages, { singleLine: true }), options);
  if (!hasText(line)) return page;
  return { ...mapBoxes(line, (b) => unframedBox(b, framed, width, height)), width, height };
}

const hasText = (page: Page) => pageLines(page).some((l) => l.text.trim() !== '');

async function sizeOf(data: Buffer): Promise<{ width: number; height: number }> {
  // sharp (libvips: ~0.1 s to load) on first use: the engines' entry module must stay light,
  // so that `docr ocr` can start its engine process at once.
  const { default: sharp } = await import('sharp');
  const m = await sharp(data).metadata();
  return { width: m.width ?? 0, height: m.height ?? 0 };
}

/** One `tesseract` run on `data`; `image` gives the page's index, size and dpi for the tree. */
async function runTesseract(data: Buffer, image: PageImage, args: string[], options: RecognizeOptions): Promise<Page> {
  const r = await runProcess('tesseract', ['stdin', 'stdout', ...args], {
    timeoutMs: PROCESS_TIMEOUT_MS,
    signal: options.signal,
    input: data,
    env: { ...process.env, OMP_THREAD_LIMIT: '1' },
  });
  if (r.aborted) throw new DocrError('CANCELLED', 'Recognition was cancelled.');
  if (r.timedOut) throw new DocrError('TIMED_OUT', 'Tesseract took too long on a page.', { page: image.index });
  if (r.code !== 0) {
    throw new DocrError('ENGINE_FAILED', `Tesseract failed on page ${image.index}.`, {
      page: image.index, code: r.code, signal: r.signal, stderr: r.stderr.slice(-500),
    });
  }
  return tsvToPage({
    tsv: r.stdout.toString('utf8'), index: image.index, width: image.width, height: image.height, dpi: image.dpi,
    cjk: options.languages.some((l) => UNSPACED_LANGUAGES.has(l)),
  });
}

export async function createTesseractEngine(): Promise<OcrEngine> {
  await installedTesseractCodes(); // fail at creation, not on the first page, when Tesseract is missing
  return {
    id: 'tesseract',
    recognize: recognizeWithTesseract,
    async close() { /* nothing held between pages */ },
  };
}

/**
 * `covers` needs the installed models, listed asynchronously: the router awaits the listing
 * before it asks, so the fallback (every known name) only matters for direct callers that
 * ask before any listing; `create` fails cleanly if Tesseract is missing altogether.
 */
export const tesseractDescriptor: EngineDescriptor = {
  id: 'tesseract',
  covers(languages) {
    const installed = installedTesseractCodesSnapshot();
    return installed !== undefined ? tesseractCovers(languages, installed) : languages.every((l) => l === DIGITS || tesseractCodeOf(l) !== undefined);
  },
  create: createTesseractEngine,
};
