/**
 * PDF inputs (and Office files after conversion): passwords, limits, then page by page
 * either the exact text layer (no OCR), the rendered page image (OCR), or both when a text
 * page also carries pictures that may hold text.
 */
import { readFile, rm } from 'node:fs/promises';
import * as mupdf from 'mupdf';
import type { InputKind } from '../../contract/formats.js';
import { DocrError } from '../../domain/errors.js';
import type { Block, Page } from '../../domain/ocr-tree.js';
import type { NormalisedDocument, NormalisedPage } from '../../ports/normaliser.js';
import type { PageImage } from '../../ports/ocr-engine.js';
import { lazyDocument } from '../document.js';
import type { ResolvedOptions } from '../options.js';
import { checkPageCount, fitScale, PixelBudget } from '../page-budget.js';
import { decryptedCopy } from './decrypt.js';
import { imageCoverage, preflightPage, type PagePreflight } from './preflight.js';
import { textLayerPage, textLayerStats } from './text-layer.js';

export interface OpenPdfRequest {
  path: string;
  /** The kind reported for the document (pdf, or the Office kind it was converted from). */
  kind: InputKind;
  password?: string;
  /** Where a decrypted copy of an encrypted PDF goes (the caller removes it). */
  workDir: string;
  signal?: AbortSignal;
}

function openMupdf(bytes: Buffer): mupdf.Document {
  try {
    const doc = mupdf.Document.openDocument(bytes, 'application/pdf');
    return doc;
  } catch (e) {
    throw new DocrError('INVALID_FILE', 'The PDF is damaged and cannot be read.', { found: 'pdf' }, { cause: e });
  }
}

/**
 * MuPDF renders blank pages for an encrypted file it was not unlocked for, so a password is
 * settled before anything else. Files whose user password is empty (owner-only restrictions)
 * open without one, whatever was passed. Passwords are used verbatim (spaces count).
 * An unlocked file is replaced by a decrypted copy when qpdf can make one.
 */
async function unlock(doc: mupdf.Document, req: OpenPdfRequest): Promise<{ doc: mupdf.Document; path: string }> {
  if (!doc.needsPassword()) return { doc, path: req.path };
  const given = req.password ?? '';
  let accepted: string | undefined;
  if (given !== '' && doc.authenticatePassword(given) > 0) accepted = given;
  else if (doc.authenticatePassword('') > 0) accepted = '';
  const candidates = accepted !== undefined ? [accepted] : given !== '' ? [given, ''] : [''];
  for (const candidate of candidates) {
    const copy = await decryptedCopy(req.path, candidate, req.workDir, req.signal);
    if (!copy) continue;
    const plain = openMupdf(await readFile(copy));
    if (!plain.needsPassword()) { doc.destroy(); return { doc: plain, path: copy }; }
    plain.destroy();
  }
  if (accepted !== undefined) return { doc, path: req.path };
  if (given === '') throw new DocrError('PASSWORD_REQUIRED', 'The PDF needs a password: pass it in `password`.', { found: 'pdf' });
  throw new DocrError('WRONG_PASSWORD', 'The password given for the PDF is wrong (passwords are case- and space-sensitive).', { found: 'pdf' });
}

interface PageGeometry { bounds: mupdf.Rect; dpi: number; width: number; height: number }

function geometryOf(page: mupdf.Page, options: ResolvedOptions): PageGeometry {
  const bounds = page.getBounds();
  const wPt = bounds[2] - bounds[0], hPt = bounds[3] - bounds[1];
  if (!(wPt > 0 && hPt > 0)) throw new DocrError('INVALID_FILE', 'The PDF has a page with an empty size.', { found: 'pdf' });
  const full = options.dpi / 72;
  const dpi = options.dpi * fitScale(wPt * full, hPt * full, options.limits);
  return { bounds, dpi, width: Math.max(1, Math.round((wPt * dpi) / 72)), height: Math.max(1, Math.round((hPt * dpi) / 72)) };
}

function renderPage(page: mupdf.Page, g: PageGeometry, index: number): PageImage {
  const s = g.dpi / 72;
  let pix: mupdf.Pixmap | undefined;
  try {
    pix = page.toPixmap(mupdf.Matrix.scale(s, s), mupdf.ColorSpace.DeviceRGB, false, true);
    return { data: Buffer.from(pix.asPNG()), width: pix.getWidth(), height: pix.getHeight(), dpi: g.dpi, index };
  } catch (e) {
    throw new DocrError('PAGE_FAILED', `Page ${index} of the PDF could not be rendered.`, { page: index }, { cause: e });
  } finally {
    pix?.destroy();
    // Decoded page images stay in MuPDF's store (up to 256 MB) and the WASM heap never shrinks:
    // emptying it after each render keeps the heap at the largest single page, not a sum.
    mupdf.emptyStore();
  }
}

/** Picture regions of a text page, as empty `figure` blocks: where the pipeline should merge OCR words in. */
function figureBlocks(pre: PagePreflight, g: PageGeometry): Block[] {
  const s = g.dpi / 72;
  return pre.imageRects.map((r) => ({
    kind: 'figure' as const,
    box: { x: Math.round((r.x - g.bounds[0]) * s), y: Math.round((r.y - g.bounds[1]) * s), w: Math.round(r.w * s), h: Math.round(r.h * s) },
    lines: [],
  }));
}

export async function openPdf(req: OpenPdfRequest, options: ResolvedOptions): Promise<NormalisedDocument> {
  let doc = openMupdf(await readFile(req.path));
  try {
    const unlocked = await unlock(doc, req);
    doc = unlocked.doc;
    let pageCount: number;
    try { pageCount = doc.countPages(); } catch (e) {
      throw new DocrError('INVALID_FILE', 'The PDF is damaged: its pages cannot be read.', { found: 'pdf' }, { cause: e });
    }
    if (pageCount === 0) throw new DocrError('INVALID_FILE', 'The PDF has no pages.', { found: 'pdf' });
    checkPageCount(pageCount, options.limits);
    const preflights = preflightAll(doc, pageCount, options);
    const budget = new PixelBudget(options.limits.maxTotalPixels);
    return lazyDocument({
      kind: req.kind,
      pageCount,
      pdfPath: unlocked.path,
      signal: req.signal,
      load: async (index) => loadPage(doc, index, preflights[index - 1], options, budget),
      // The decrypted copy lives as long as the document: pdfPath is valid until close().
      release: async () => {
        doc.destroy();
        if (unlocked.path !== req.path) await rm(unlocked.path, { force: true });
      },
    });
  } catch (e) {
    doc.destroy();
    throw e;
  }
}

/** Every page's images are looked at up front, so a bomb is refused before any work (and cheaply: nothing is decoded). */
function preflightAll(doc: mupdf.Document, pageCount: number, options: ResolvedOptions): PagePreflight[] {
  const out: PagePreflight[] = [];
  for (let i = 0; i < pageCount; i++) {
    const page = doc.loadPage(i);
    try { out.push(preflightPage(page, options.limits)); }
    catch (e) {
      if (e instanceof DocrError) throw e;
      out.push({ imageRects: [] }); // a page MuPDF cannot interpret fails later, on its own
    } finally { page.destroy(); }
  }
  return out;
}

function loadPage(doc: mupdf.Document, index: number, pre: PagePreflight, options: ResolvedOptions, budget: PixelBudget): NormalisedPage {
  const page = doc.loadPage(index - 1);
  try {
    const g = geometryOf(page, options);
    budget.spend(g.width * g.height);
    const textPage = readTextLayer(page, index, g, options);
    const render = () => {
      const p = doc.loadPage(index - 1);
      try { return renderPage(p, g, index); } finally { p.destroy(); }
    };
    if (!textPage) {
      const image = renderPage(page, g, index);
      return { index, image, renderImage: async () => image };
    }
    if (pre.imageRects.length && imageCoverage(pre, g.bounds) >= options.minOcrImageArea) {
      textPage.blocks.push(...figureBlocks(pre, g));
      const image = renderPage(page, g, index);
      return { index, textPage, image, renderImage: async () => image };
    }
    return { index, textPage, renderImage: async () => render() };
  } finally {
    page.destroy();
  }
}

function readTextLayer(page: mupdf.Page, index: number, g: PageGeometry, options: ResolvedOptions): Page | undefined {
  let stext: mupdf.StructuredText | undefined;
  try {
    stext = page.toStructuredText('preserve-whitespace');
    const stats = textLayerStats(stext);
    if (stats.real === 0 || stats.real / stats.chars < options.minTextLayerQuality) return undefined;
    return textLayerPage(stext, { index, bounds: g.bounds, dpi: g.dpi, width: g.width, height: g.height });
  } catch {
    return undefined; // an unreadable text layer is treated as none: the page is OCRed instead
  } finally {
    stext?.destroy();
  }
}
