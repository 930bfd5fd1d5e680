/**
 * pdf: a searchable PDF. Image input: one page per tree page, the page image with the
 * invisible text layer over it, page size = image size at the page's dpi. PDF input
 * (`sourcePdf`): the original pages and their vector text are kept; the text layer is added
 * only where recognition found text the layer lacks: every line of a page read by OCR
 * (`source: 'ocr'`, a scan), and on a `mixed` page the lines OCR found inside its pictures
 * (the `figure` blocks, see src/domain/merge-pages.ts). A source PDF pdf-lib cannot load,
 * an encrypted one, or one whose page count differs from the tree falls back to images.
 */
import { PDFDocument, type PDFPage } from 'pdf-lib';
import type { Block, Page } from '../../domain/ocr-tree.js';
import type { RenderInput, Renderer } from '../../ports/renderer.js';
import { addGlyphlessFont } from './glyphless-font.js';
import type { PageImage } from '../../ports/ocr-engine.js';
import { quarterTurn } from '../../domain/page-turn.js';
import type { GreyImage } from '../line-geometry.js';
import { uprightGrey } from '../image-kind.js';
import { embedPageImage } from './page-image.js';
import { textLayerOps } from './text-layer.js';

const num = (n: number): string => (Math.round(n * 1000) / 1000).toString();

/**
 * The upright grey image the text layer is measured on; undefined (boxes are used as they
 * are) when the image is missing, unreadable or not the size the tree's boxes refer to.
 */
async function measuringImage(page: Page, image: PageImage | undefined): Promise<GreyImage | undefined> {
  if (!image || image.width !== page.width || image.height !== page.height) return undefined;
  return uprightGrey(image, quarterTurn(page.rotation)).catch(() => undefined);
}

/** Pages whose measuring images are decoded ahead of the one being laid out. */
const DECODE_AHEAD = 2;

/**
 * `load(k)` for k = 0, 1, ... in order, each started up to DECODE_AHEAD calls early: sharp
 * decodes the next pages' images on its own threads while this one measures the current page
 * (issue 11: one after another, an 8-page scan's text layer took 1.2 s on one core of two).
 */
function readAhead<T>(count: number, load: (k: number) => Promise<T>): { take(k: number): Promise<T>; warm(): void } {
  const started = new Map<number, Promise<T>>();
  let next = 0;
  const startUpTo = (last: number) => {
    for (; next < count && next <= last; next++) {
      const p = load(next);
      p.catch(() => undefined); // awaited by the caller in turn
      started.set(next, p);
    }
  };
  return {
    take(k) {
      startUpTo(k + DECODE_AHEAD);
      const p = started.get(k)!;
      started.delete(k);
      return p;
    },
    warm: () => startUpTo(DECODE_AHEAD - 1),
  };
}

function addContent(doc: PDFDocument, page: PDFPage, content: string): void {
  page.node.addContentStream(doc.context.register(doc.context.flateStream(content)));
}

async function fromImages(input: RenderInput): Promise<PDFDocument> {
  const doc = await PDFDocument.create();
  const font = addGlyphlessFont(doc.context);
  const pages = input.doc.pages;
  const sizedPage = (page: Page, image: PageImage | undefined): Page => ({ ...page, width: page.width || image?.width || 0, height: page.height || image?.height || 0 });
  const imageAt = readAhead(pages.length, async (k) => {
    // A page that could not be read may have no image (and no size): it stays in the
    // document, blank, so page numbers still match the input.
    const image = await input.pageImage(pages[k].index).catch(() => undefined);
    return { image, grey: await measuringImage(sizedPage(pages[k], image), image) };
  });
  for (const [k, page] of pages.entries()) {
    const { image, grey } = await imageAt.take(k);
    const dpi = page.dpi || image?.dpi || 300;
    const sized = sizedPage(page, image);
    const pw = sized.width, ph = sized.height;
    const [w, h] = pw > 0 && ph > 0 ? [(pw * 72) / dpi, (ph * 72) / dpi] : [612, 792];
    const pdfPage = doc.addPage([w, h]);
    const fontName = pdfPage.node.newFontDictionary('GlyphLess', font).asString().slice(1);
    let content = pw > 0 && ph > 0 ? textLayerOps(sized, fontName, w, h, grey) : '';
    if (image) {
      const imageName = pdfPage.node.newXObject('Im', await embedPageImage(doc.context, image)).asString();
      content = `q ${num(w)} 0 0 ${num(h)} 0 0 cm ${imageName} Do Q\n${content}`;
    }
    addContent(doc, pdfPage, content);
  }
  return doc;
}

/**
 * The matrix from view space (the page as displayed: rotated by /Rotate, cropped to the
 * CropBox, origin bottom-left) to the page's default user space, and the view size.
 */
function viewTransform(pdfPage: PDFPage): { matrix: number[]; viewW: number; viewH: number } {
  const { x, y, width, height } = pdfPage.getCropBox();
  const rotate = (((pdfPage.getRotation().angle % 360) + 360) % 360);
  switch (rotate) {
    case 90: return { matrix: [0, 1, -1, 0, x + width, y], viewW: height, viewH: width };
    case 180: return { matrix: [-1, 0, 0, -1, x + width, y + height], viewW: width, viewH: height };
    case 270: return { matrix: [0, -1, 1, 0, x, y + height], viewW: height, viewH: width };
    default: return { matrix: [1, 0, 0, 1, x, y], viewW: width, viewH: height };
  }
}

function overlayPage(doc: PDFDocument, pdfPage: PDFPage, page: Page, font: ReturnType<typeof addGlyphlessFont>, image: GreyImage | undefined): void {
  const { matrix, viewW, viewH } = viewTransform(pdfPage);
  pdfPage.node.normalize();
  const fontName = pdfPage.node.newFontDictionary('GlyphLess', font).asString().slice(1);
  const pictures = page.source === 'mixed' ? (b: Block) => b.kind === 'figure' : undefined;
  const ops = textLayerOps(page, fontName, viewW, viewH, image, pictures);
  if (ops === '') return;
  // Isolate the original content so its graphics state cannot shift the layer.
  pdfPage.node.wrapContentStreams(doc.context.getPushGraphicsStateContentStream(), doc.context.getPopGraphicsStateContentStream());
  addContent(doc, pdfPage, `q ${matrix.map(num).join(' ')} cm\n${ops}Q\n`);
}

async function overSource(input: RenderInput, source: Uint8Array): Promise<PDFDocument | undefined> {
  const layered = input.doc.pages.filter((p) => p.source === 'ocr' || p.source === 'mixed');
  // Decoding starts before the source is parsed: both take a while on a long scan.
  const greyAt = readAhead(layered.length, async (k) => {
    const image = await input.pageImage(layered[k].index).catch(() => undefined);
    return measuringImage(layered[k], image);
  });
  greyAt.warm();
  let doc: PDFDocument;
  try {
    doc = await PDFDocument.load(source, { updateMetadata: false });
  } catch {
    return undefined;
  }
  const indices = input.doc.pages.map((p) => p.index - 1);
  if (doc.isEncrypted || indices.some((i) => i < 0 || i >= doc.getPageCount())) return undefined;
  // A page selection (pages=2-3) keeps just those source pages, vector text and all.
  const whole = indices.length === doc.getPageCount() && indices.every((v, k) => v === k);
  const out = whole ? doc : await PDFDocument.create();
  if (!whole) for (const copied of await out.copyPages(doc, indices)) out.addPage(copied);
  const font = layered.length > 0 ? addGlyphlessFont(out.context) : undefined;
  let at = 0;
  for (const [k, page] of input.doc.pages.entries()) {
    if (!font || (page.source !== 'ocr' && page.source !== 'mixed')) continue;
    overlayPage(out, out.getPage(k), page, font, await greyAt.take(at++));
  }
  return out;
}

export function createPdfRenderer(): Renderer {
  return {
    format: 'pdf',
    async render(input) {
      const doc = (input.sourcePdf && (await overSource(input, input.sourcePdf))) || (await fromImages(input));
      return Buffer.from(await doc.save({ useObjectStreams: true }));
    },
  };
}
