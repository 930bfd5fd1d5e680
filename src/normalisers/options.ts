/**
 * Normaliser options, each with its documented default. Validated once in `resolveOptions`
 * and frozen; the composition root passes values from the config module.
 */
import { DocrError } from '../domain/errors.js';

export interface NormaliserLimits {
  /** Pages per document (PDF pages, converted Office pages, TIFF pages). Default 500. */
  maxPages: number;
  /** Longest side of an input image, and of any image embedded in a PDF page (SPEC §5). Default 32512. */
  maxImageSide: number;
  /** Pixels of an input image as declared by its header (decompression-bomb guard). Default 32512² (SPEC §5). */
  maxImagePixels: number;
  /**
   * Pixels of one page image handed to OCR. Larger pages are rendered at a lower dpi, larger
   * images downscaled, so memory stays bounded. Default 40 MP (A4 at 300 dpi is 8.7 MP).
   */
  maxPagePixels: number;
  /** Longest side of one page image handed to OCR (keeps text legible, memory bounded). Default 10000. */
  maxPageSide: number;
  /** Sum of page-image pixels across the document; beyond it → OUTSIDE_LIMITS. Default 2 G. */
  maxTotalPixels: number;
  /** Uncompressed bytes of all parts of an OOXML zip (zip-bomb guard). Default 512 MiB. */
  maxOoxmlUncompressedBytes: number;
  /** Compression ratio of any single OOXML part above which it counts as a bomb. Default 200. */
  maxOoxmlPartRatio: number;
  /** Entries in an OOXML zip. Default 10000. */
  maxOoxmlEntries: number;
  /**
   * Decompressed bytes of one PDF page's drawing instructions (content streams and the forms
   * it draws); beyond it → OUTSIDE_LIMITS before MuPDF parses them. Default 128 MiB.
   */
  maxPageContentBytes: number;
}

export interface NormaliserOptions {
  /** Rendering resolution of PDF pages for OCR, and the dpi assumed for images without one. Default 300. */
  dpi?: number;
  limits?: Partial<NormaliserLimits>;
  /** LibreOffice conversion timeout in ms; the process group is killed past it. Default 120000. */
  officeTimeoutMs?: number;
  /** `soffice` executable. Default 'soffice'. */
  sofficePath?: string;
  /** Conversions that may run at once, one LibreOffice profile each. Default 1. */
  officeConcurrency?: number;
  /**
   * Keep one LibreOffice instance started ahead of the next conversion (from the first Office
   * document on; ~1 s saved per Office file when there is idle time between them). Default true.
   */
  officeWarm?: boolean;
  /**
   * Minimum share of a text-layer page's characters that must be real (letters, digits,
   * punctuation; not U+FFFD or private-use) for the page to be read from its text layer. Default 0.9.
   */
  minTextLayerQuality?: number;
  /**
   * Time one PDF page may take in MuPDF (text layer, render); past it the page fails
   * (PAGE_FAILED) and its MuPDF thread is ended. Default 60000.
   */
  pageTimeoutMs?: number;
  /** Receives MuPDF's warnings about recoverable damage (default: dropped). */
  onWarning?: (message: string) => void;
  /**
   * A page with a usable text layer is read from it; when pictures cover at least this share
   * of it, the page is also rendered for OCR (a scan with a few words of text, a document
   * with a picture of text). Default 0.04.
   */
  minOcrImageArea?: number;
}

export interface ResolvedOptions {
  dpi: number;
  limits: NormaliserLimits;
  officeTimeoutMs: number;
  sofficePath: string;
  officeConcurrency: number;
  officeWarm: boolean;
  minTextLayerQuality: number;
  minOcrImageArea: number;
  pageTimeoutMs: number;
}

export const DEFAULT_LIMITS: Readonly<NormaliserLimits> = Object.freeze({
  maxPages: 500,
  maxImageSide: 32512,
  maxImagePixels: 32512 * 32512,
  maxPagePixels: 40_000_000,
  maxPageSide: 10_000,
  maxTotalPixels: 2_000_000_000,
  maxOoxmlUncompressedBytes: 512 * 1024 * 1024,
  maxOoxmlPartRatio: 200,
  maxOoxmlEntries: 10_000,
  maxPageContentBytes: 128 * 1024 * 1024,
});

function positive(name: string, v: number): number {
  if (!Number.isFinite(v) || v <= 0) throw new DocrError('BAD_PARAMETER', `normaliser option ${name} must be a positive number, got ${v}`, { field: name });
  return v;
}

export function resolveOptions(o: NormaliserOptions = {}): ResolvedOptions {
  const limits = { ...DEFAULT_LIMITS, ...o.limits };
  for (const [k, v] of Object.entries(limits)) positive(`limits.${k}`, v);
  return Object.freeze({
    dpi: positive('dpi', o.dpi ?? 300),
    limits: Object.freeze(limits),
    officeTimeoutMs: positive('officeTimeoutMs', o.officeTimeoutMs ?? 120_000),
    sofficePath: o.sofficePath ?? 'soffice',
    officeConcurrency: positive('officeConcurrency', o.officeConcurrency ?? 1),
    officeWarm: o.officeWarm ?? true,
    minTextLayerQuality: o.minTextLayerQuality ?? 0.9,
    minOcrImageArea: o.minOcrImageArea ?? 0.04,
    pageTimeoutMs: positive('pageTimeoutMs', o.pageTimeoutMs ?? 60_000),
  });
}
