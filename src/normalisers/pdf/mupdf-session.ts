/**
 * Everything docr asks of MuPDF, on one open document. Runs inside a worker thread
 * (mupdf-worker.ts): MuPDF's WASM calls are synchronous (a 300 dpi render blocks for up to a
 * second) and its heap never shrinks, so each document gets a thread that is ended, heap and
 * all, when the document closes.
 */
import { readFileSync } from 'node:fs';
import * as mupdf from 'mupdf';
import { DocrError } from '../../domain/errors.js';
import type { Block, Page } from '../../domain/ocr-tree.js';
import type { ResolvedOptions } from '../options.js';
import { checkPageCount, fitScale, PixelBudget } from '../page-budget.js';
import { checkPageContentSize } from './content-size.js';
import { imageCoverage, preflightPage, type PagePreflight } from './preflight.js';
import { textLayerPage, textLayerStats } from './text-layer.js';

interface PageGeometry { bounds: mupdf.Rect; dpi: number; width: number; height: number }

/**
 * A rendered page as raw RGB samples (rows of width × 3 bytes). PNG encoding happens on the
 * main side with sharp (libuv threads, ~10× faster than MuPDF's encoder at a low zlib level).
 */
export interface RawPage { raw: Uint8Array; width: number; height: number; dpi: number; index: number }

/** What one page becomes: text layer, image to OCR, or both (a text page carrying pictures). */
export interface LoadedPage { textPage?: Page; image?: RawPage }

export class MupdfSession {
  private doc: mupdf.Document | undefined;
  private preflights: PagePreflight[] = [];
  private budget: PixelBudget | undefined;
  /** Largest pixmap this thread has made, and documents it has opened: the pool recycles big or old threads. */
  private peakPixels = 0;
  private documents = 0;

  constructor(private readonly options: ResolvedOptions) {}

  /** Opens (or replaces the open document with) the PDF at `path`; says whether it needs a password. */
  open(path: string): { needsPassword: boolean } {
    this.doc?.destroy();
    this.doc = undefined;
    this.documents++;
    try {
      this.doc = mupdf.Document.openDocument(readFileSync(path), 'application/pdf');
    } catch (e) {
      throw new DocrError('INVALID_FILE', 'The PDF is damaged and cannot be read.', { found: 'pdf' }, { cause: e });
    }
    return { needsPassword: this.doc.needsPassword() };
  }

  authenticate(password: string): boolean {
    return this.document().authenticatePassword(password) > 0;
  }

  /** Counts pages (refusing too many); each page is then looked at by `preflight`, in order. */
  prepare(): number {
    const doc = this.document();
    let pageCount: number;
    try { pageCount = doc.countPages(); } catch (e) {
      throw new DocrError('INVALID_FILE', 'The PDF is damaged: its pages cannot be read.', { found: 'pdf' }, { cause: e });
    }
    if (pageCount === 0) throw new DocrError('INVALID_FILE', 'The PDF has no pages.', { found: 'pdf' });
    checkPageCount(pageCount, this.options.limits);
    this.preflights = [];
    this.budget = new PixelBudget(this.options.limits.maxTotalPixels);
    return pageCount;
  }

  /**
   * Looks at page `i` (0-based) without rendering it: the size of its drawing instructions
   * and of its images (nothing decoded), refusing bombs before any page is read.
   */
  preflight(i: number): void {
    let page: mupdf.Page | undefined;
    try {
      const pdf = this.document().asPDF();
      if (pdf) checkPageContentSize(pdf, i, this.options.limits.maxPageContentBytes);
      page = this.document().loadPage(i);
      this.preflights[i] = preflightPage(page, this.options.limits);
    } catch (e) {
      if (e instanceof DocrError) throw e;
      this.preflights[i] = { imageRects: [] }; // a page MuPDF cannot interpret fails later, on its own
    } finally { page?.destroy(); }
  }

  load(index: number): LoadedPage {
    return this.withPage(index, (page) => {
      const g = this.geometryOf(page);
      this.budget?.spend(g.width * g.height);
      const textPage = this.readTextLayer(page, index, g);
      if (!textPage) return { image: this.renderPage(page, g, index) };
      const pre = this.preflights[index - 1];
      if (pre && pre.imageRects.length && imageCoverage(pre, g.bounds) >= this.options.minOcrImageArea) {
        textPage.blocks.push(...figureBlocks(pre, g));
        return { textPage, image: this.renderPage(page, g, index) };
      }
      return { textPage };
    });
  }

  render(index: number): RawPage {
    return this.withPage(index, (page) => this.renderPage(page, this.geometryOf(page), index));
  }

  close(): { peakPixels: number; documents: number } {
    this.doc?.destroy();
    this.doc = undefined;
    this.preflights = [];
    mupdf.emptyStore();
    return { peakPixels: this.peakPixels, documents: this.documents };
  }

  /** BMP → PNG through MuPDF (libvips has no BMP loader). */
  bmpToPng(path: string): Buffer {
    let image: mupdf.Image | undefined, pix: mupdf.Pixmap | undefined;
    try {
      image = new mupdf.Image(readFileSync(path));
      pix = image.toPixmap();
      this.peakPixels = Math.max(this.peakPixels, pix.getWidth() * pix.getHeight());
      return Buffer.from(pix.asPNG());
    } catch (e) {
      throw new DocrError('INVALID_FILE', 'The image could not be decoded (BMP): the file is corrupt, truncated or uses an unsupported variant.', { found: 'bmp' }, { cause: e });
    } finally {
      pix?.destroy();
      image?.destroy();
    }
  }

  private document(): mupdf.Document {
    if (!this.doc) throw new DocrError('INTERNAL', 'No PDF is open.');
    return this.doc;
  }

  private withPage<T>(index: number, fn: (page: mupdf.Page) => T): T {
    let page: mupdf.Page | undefined;
    try {
      page = this.document().loadPage(index - 1);
      return fn(page);
    } catch (e) {
      if (e instanceof DocrError) throw e;
      throw new DocrError('PAGE_FAILED', `Page ${index} of the PDF could not be read.`, { page: index }, { cause: e });
    } finally {
      page?.destroy();
    }
  }

  private geometryOf(page: mupdf.Page): PageGeometry {
    const bounds = page.getBounds();
    const wPt = bounds[2] - bounds[0], hPt = bounds[3] - bounds[1];
    if (!(wPt > 0 && hPt > 0)) throw new DocrError('INVALID_FILE', 'The PDF has a page with an empty size.', { found: 'pdf' });
    const full = this.options.dpi / 72;
    const dpi = this.options.dpi * fitScale(wPt * full, hPt * full, this.options.limits);
    return { bounds, dpi, width: Math.max(1, Math.round((wPt * dpi) / 72)), height: Math.max(1, Math.round((hPt * dpi) / 72)) };
  }

  private renderPage(page: mupdf.Page, g: PageGeometry, index: number): RawPage {
    const s = g.dpi / 72;
    let pix: mupdf.Pixmap | undefined;
    try {
      pix = page.toPixmap(mupdf.Matrix.scale(s, s), mupdf.ColorSpace.DeviceRGB, false, true);
      this.peakPixels = Math.max(this.peakPixels, pix.getWidth() * pix.getHeight());
      const width = pix.getWidth(), height = pix.getHeight();
      const samples = pix.getPixels(); // a view into the WASM heap: copy out only this page's rows
      const raw = new Uint8Array(width * height * 3);
      const stride = pix.getStride();
      if (stride === width * 3) raw.set(samples.subarray(0, raw.length));
      else for (let y = 0; y < height; y++) raw.set(samples.subarray(y * stride, y * stride + width * 3), y * width * 3);
      return { raw, width, height, dpi: g.dpi, index };
    } catch (e) {
      throw new DocrError('PAGE_FAILED', `Page ${index} of the PDF could not be rendered.`, { page: index }, { cause: e });
    } finally {
      pix?.destroy();
      // Decoded images stay in MuPDF's store (up to 256 MB): emptying it after each render
      // keeps the heap at the largest single page, not a sum.
      mupdf.emptyStore();
    }
  }

  private readTextLayer(page: mupdf.Page, index: number, g: PageGeometry): Page | undefined {
    let stext: mupdf.StructuredText | undefined;
    try {
      stext = page.toStructuredText('preserve-whitespace');
      const stats = textLayerStats(stext);
      if (stats.real === 0 || stats.real / stats.chars < this.options.minTextLayerQuality) return undefined;
      return textLayerPage(stext, { index, bounds: g.bounds, dpi: g.dpi, width: g.width, height: g.height });
    } catch {
      return undefined; // an unreadable text layer is treated as none: the page is OCRed instead
    } finally {
      stext?.destroy();
    }
  }
}

/** Picture regions of a text page, as empty `figure` blocks: where the pipeline merges OCR lines in. */
function figureBlocks(pre: PagePreflight, g: PageGeometry): Block[] {
  const s = g.dpi / 72;
  return pre.imageRects.map((r) => ({
    kind: 'figure' as const,
    box: { x: Math.round((r.x - g.bounds[0]) * s), y: Math.round((r.y - g.bounds[1]) * s), w: Math.round(r.w * s), h: Math.round(r.h * s) },
    lines: [],
  }));
}
