/**
 * The renderer test and benchmark inputs (issue 5): real corpus documents turned into OCR
 * trees without docr's engines — an English page image (tesseract), the Chinese standards
 * page with tables (its PDF text layer), the scanned multi-page PDF (tesseract per scanned
 * page, the text layer where a page has one) and a pptx converted to PDF by LibreOffice —
 * each run through layout analysis as the pipeline does. Tesseract trees, page renders and
 * the LibreOffice conversion are cached in the temp dir (keyed by input bytes) so the
 * renderer test files do not redo them.
 */
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import type { OcrDocument, Page } from '../../src/domain/ocr-tree.js';
import { analyseLayout } from '../../src/layout/index.js';
import type { PageImage } from '../../src/ports/ocr-engine.js';
import type { RenderInput } from '../../src/ports/renderer.js';
import { runProcess } from '../../src/platform/run-process.js';
import { pdfPageCount, pdfPageImage, treeFromTesseract, treesFromPdfText } from './tree-from-tools.js';

export interface RenderCase {
  name: string;
  /** Corpus path of the original input. */
  source: string;
  input: RenderInput;
  /** Bytes of the original input, for size comparisons. */
  inputBytes: number;
}

const CACHE = path.join(tmpdir(), 'docr-render-cases');

async function cachedTesseract(image: PageImage, lang: string): Promise<Page> {
  const key = createHash('sha256').update(image.data).update(`${lang}:${image.dpi}:${image.index}`).digest('hex').slice(0, 24);
  const file = path.join(CACHE, `${key}.json`);
  try {
    return JSON.parse(await readFile(file, 'utf8')) as Page;
  } catch { /* not cached yet */ }
  const page = await treeFromTesseract(image, lang);
  await mkdir(CACHE, { recursive: true });
  await writeFile(file, JSON.stringify(page));
  return page;
}

/** A file in the cache made by `make` once per key (page renders, LibreOffice conversions). */
async function cachedFile(key: string, make: () => Promise<Buffer>): Promise<Buffer> {
  const file = path.join(CACHE, `${createHash('sha256').update(key).digest('hex').slice(0, 24)}.bin`);
  try {
    return await readFile(file);
  } catch { /* not cached yet */ }
  const data = await make();
  await mkdir(CACHE, { recursive: true });
  await writeFile(file, data);
  return data;
}

const digest = (data: Buffer) => createHash('sha256').update(data).digest('hex');

async function cachedPageImage(pdf: Buffer, index: number, dpi: number): Promise<PageImage> {
  const data = await cachedFile(`page:${digest(pdf)}:${index}:${dpi}`, async () => (await pdfPageImage(pdf, index, dpi)).data);
  return { data, width: data.readUInt32BE(16), height: data.readUInt32BE(20), dpi, index };
}

function inputOf(pages: Page[], languages: string[], images: Map<number, PageImage>, sourcePdf?: Buffer): RenderInput {
  const doc: OcrDocument = { pages, languages };
  return {
    doc,
    sourcePdf,
    async pageImage(index) {
      const img = images.get(index);
      if (!img) throw new Error(`no page image ${index}`);
      return img;
    },
  };
}

async function imageCase(corpus: string, rel: string, lang: string, languages: string[]): Promise<RenderCase> {
  const data = await readFile(path.join(corpus, rel));
  const meta = await sharp(data).metadata();
  // As the image normaliser does: a stated density outside 95..2400 is no information; guess 300.
  const dpi = meta.density && meta.density >= 95 && meta.density <= 2400 ? Math.round(meta.density) : 300;
  const image: PageImage = { data, width: meta.width!, height: meta.height!, dpi, index: 1 };
  const page = await analyseLayout(await cachedTesseract(image, lang), image);
  return { name: path.basename(rel), source: rel, input: inputOf([page], languages, new Map([[1, image]])), inputBytes: data.length };
}

/**
 * A PDF: pages with a text layer are read from it, the others with tesseract, as the
 * pipeline would (text-layer pages keep their source; scanned pages are 'ocr').
 */
async function pdfCase(name: string, source: string, pdf: Buffer, dpi: number, lang: string, languages: string[]): Promise<RenderCase> {
  const layer = await treesFromPdfText(pdf, dpi);
  const count = await pdfPageCount(pdf);
  const pages: Page[] = [];
  const images = new Map<number, PageImage>();
  for (let i = 1; i <= count; i++) {
    const image = await cachedPageImage(pdf, i, dpi);
    images.set(i, image);
    const fromLayer = layer[i - 1];
    const hasLayer = fromLayer && fromLayer.blocks.some((b) => b.lines.some((l) => l.text.trim() !== ''));
    const tree = hasLayer ? { ...fromLayer, index: i } : await cachedTesseract(image, lang);
    pages.push(await analyseLayout({ ...tree, width: image.width, height: image.height }, image));
  }
  return { name, source, input: inputOf(pages, languages, images, pdf), inputBytes: pdf.length };
}

/** Converts an office file to PDF with LibreOffice (private profile, removed afterwards). */
export async function officeToPdf(file: string): Promise<Buffer> {
  const dir = await mkdtemp(path.join(tmpdir(), 'docr-lo-'));
  try {
    const r = await runProcess('soffice', [
      `-env:UserInstallation=file://${dir}/profile`, '--headless', '--norestore', '--convert-to', 'pdf', '--outdir', dir, file,
    ], { timeoutMs: 180_000 });
    if (r.code !== 0) throw new Error(`soffice failed: ${r.stderr.slice(0, 300)}`);
    return await readFile(path.join(dir, `${path.basename(file).replace(/\.[^.]+$/, '')}.pdf`));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export const RENDER_CASE_NAMES = ['en-page-image', 'zh-table-pdf', 'scanned-multipage-pdf', 'pptx'] as const;

/** Builds every case (or those named); slow the first time (tesseract on ~7 pages). */
export async function loadRenderCases(corpus: string, only?: readonly string[]): Promise<RenderCase[]> {
  const want = (n: string) => !only || only.includes(n);
  const cases: RenderCase[] = [];
  if (want('en-page-image')) cases.push({ ...(await imageCase(corpus, 'images-en/ocrmypdf_linn.png', 'eng', ['English'])), name: 'en-page-image' });
  if (want('zh-table-pdf')) {
    const rel = 'pdf/pdfplumber_issue-336-example.pdf';
    cases.push(await pdfCase('zh-table-pdf', rel, await readFile(path.join(corpus, rel)), 300, 'chi_sim+eng', ['ChinesePRC', 'English']));
  }
  if (want('scanned-multipage-pdf')) {
    const rel = 'pdf/ocrmypdf_multipage.pdf';
    cases.push(await pdfCase('scanned-multipage-pdf', rel, await readFile(path.join(corpus, rel)), 200, 'eng', ['English']));
  }
  if (want('pptx')) {
    const rel = 'office/tika_testPPT_pptx.pptx';
    const office = await readFile(path.join(corpus, rel));
    const pdf = await cachedFile(`office-pdf:${digest(office)}`, () => officeToPdf(path.join(corpus, rel)));
    const c = await pdfCase('pptx', rel, pdf, 150, 'eng', ['English']);
    cases.push({ ...c, inputBytes: office.length });
  }
  return cases;
}
