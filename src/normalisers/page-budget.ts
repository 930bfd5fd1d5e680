/**
 * Size rules shared by every page source: how large one page image may be (rendered or
 * decoded), and a running total of pixels across the document.
 */
import { DocrError } from '../domain/errors.js';
import type { NormaliserLimits } from './options.js';

/** The scale (≤ 1) that brings a width×height page inside the per-page side and pixel caps. */
export function fitScale(width: number, height: number, limits: NormaliserLimits): number {
  const bySide = limits.maxPageSide / Math.max(width, height);
  const byPixels = Math.sqrt(limits.maxPagePixels / Math.max(1, width * height));
  return Math.min(1, bySide, byPixels);
}

/** Refuses images whose header claims more than the limits allow (SPEC §5: 32512 × 32512). */
export function checkDeclaredSize(width: number, height: number, limits: NormaliserLimits, what: string): void {
  if (!(width > 0 && height > 0)) {
    throw new DocrError('INVALID_FILE', `The ${what} declares an empty size (${width} × ${height}).`, { width, height });
  }
  if (width > limits.maxImageSide || height > limits.maxImageSide) {
    throw new DocrError('OUTSIDE_LIMITS',
      `The ${what} is ${width} × ${height} px; the limit is ${limits.maxImageSide} px on a side.`, { width, height, limit: limits.maxImageSide });
  }
  if (width * height > limits.maxImagePixels) {
    throw new DocrError('OUTSIDE_LIMITS',
      `The ${what} is ${width} × ${height} px, more than the ${limits.maxImagePixels}-pixel limit (decompression-bomb guard).`, { width, height, limit: limits.maxImagePixels });
  }
}

export class PixelBudget {
  private used = 0;
  constructor(private readonly max: number) {}

  /** Counts a page image's pixels; throws OUTSIDE_LIMITS when the document total passes the limit. */
  spend(pixels: number): void {
    this.used += pixels;
    if (this.used > this.max) {
      throw new DocrError('OUTSIDE_LIMITS', `The document's pages add up to more than ${this.max} pixels at the rendering resolution.`, { limit: this.max });
    }
  }
}

export function checkPageCount(count: number, limits: NormaliserLimits): void {
  if (count > limits.maxPages) {
    throw new DocrError('OUTSIDE_LIMITS', `The document has ${count} pages; the limit is ${limits.maxPages}.`, { pages: count, limit: limits.maxPages });
  }
}
