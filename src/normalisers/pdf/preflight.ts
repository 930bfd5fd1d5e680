/**
 * Looks at a PDF page's content without rendering it: the images it draws (their pixel size,
 * which MuPDF reports without decoding them, and where they land). Refuses images past the
 * size limits (a 35000² JBIG2 page is a decompression bomb for a rasteriser) and finds the
 * picture regions of text pages, which may hold text only OCR can read.
 */
import * as mupdf from 'mupdf';
import type { Box } from '../../domain/ocr-tree.js';
import { checkDeclaredSize } from '../page-budget.js';
import type { NormaliserLimits } from '../options.js';

export interface PagePreflight {
  /** Page-space rectangles (points, y down) of the images drawn, clipped to the page. */
  imageRects: Box[];
}

function transformedUnitSquare(m: mupdf.Matrix, page: mupdf.Rect): Box {
  const [a, b, c, d, e, f] = m;
  const xs = [e, a + e, c + e, a + c + e], ys = [f, b + f, d + f, b + d + f];
  const x0 = Math.max(page[0], Math.min(...xs)), y0 = Math.max(page[1], Math.min(...ys));
  const x1 = Math.min(page[2], Math.max(...xs)), y1 = Math.min(page[3], Math.max(...ys));
  return { x: x0, y: y0, w: Math.max(0, x1 - x0), h: Math.max(0, y1 - y0) };
}

export function preflightPage(page: mupdf.Page, limits: NormaliserLimits): PagePreflight {
  const bounds = page.getBounds();
  const imageRects: Box[] = [];
  let oversize: { w: number; h: number } | undefined;
  const seen = (image: mupdf.Image, ctm: mupdf.Matrix) => {
    const w = image.getWidth(), h = image.getHeight();
    if (w > limits.maxImageSide || h > limits.maxImageSide || w * h > limits.maxImagePixels) oversize ??= { w, h };
    const r = transformedUnitSquare(ctm, bounds);
    if (r.w > 0 && r.h > 0) imageRects.push(r);
  };
  const device = new mupdf.Device({
    fillImage: (image: mupdf.Image, ctm: mupdf.Matrix) => seen(image, ctm),
    fillImageMask: (image: mupdf.Image, ctm: mupdf.Matrix) => seen(image, ctm),
  });
  try {
    page.run(device, mupdf.Matrix.identity);
    device.close();
  } finally {
    device.destroy();
  }
  if (oversize) checkDeclaredSize(oversize.w, oversize.h, limits, 'image embedded in the PDF page');
  return { imageRects };
}

/** Share of the page area covered by images (overlaps counted once per image, capped at 1). */
export function imageCoverage(p: PagePreflight, bounds: mupdf.Rect): number {
  const area = (bounds[2] - bounds[0]) * (bounds[3] - bounds[1]);
  if (area <= 0) return 0;
  return Math.min(1, p.imageRects.reduce((s, r) => s + r.w * r.h, 0) / area);
}
