/**
 * Normalisation: an input file of any accepted kind → pages, each either already read
 * (a PDF page with a usable text layer, extracted into the OCR tree) or an image to OCR.
 */
import type { InputKind } from '../contract/formats.js';
import type { Page } from '../domain/ocr-tree.js';
import type { PageImage } from './ocr-engine.js';

export interface NormaliseInput {
  /** Path of the input file in the task's work dir. */
  path: string;
  /** Password for encrypted PDF/Office files ('' or undefined: none given). Spaces are significant. */
  password?: string;
  /**
   * The file name the client gave (upload name or URL path), if any. Never used to choose the
   * type (content decides); only to refuse disguised files: a name promising an image whose
   * content is a document or archive is refused as INVALID_FILE.
   */
  declaredName?: string;
  /** Pages to produce (1-based, inclusive ranges); undefined produces every page. */
  pages?: ReadonlyArray<readonly [number, number]>;
  /** The task's work dir: intermediates go here; the caller removes it. */
  workDir: string;
  signal?: AbortSignal;
}

export interface NormalisedPage {
  index: number;
  /** The page image to OCR, or undefined when `textPage` already holds the page's text and no OCR is needed. */
  image?: PageImage;
  /** Text extracted exactly from a text layer (born-digital PDF), in page pixels at `textPage.dpi`. */
  textPage?: Page;
  /**
   * Lazily renders the page image even when no OCR is needed (for the searchable PDF and
   * pptx backgrounds). Returns the same image as `image` when present.
   */
  renderImage(): Promise<PageImage>;
}

export interface NormalisedDocument {
  kind: InputKind;
  pageCount: number;
  /**
   * Path of a PDF equivalent of the input when one exists (PDF input, a decrypted copy of an
   * encrypted PDF, or Office converted to PDF): the searchable-PDF renderer keeps its pages.
   * Valid until close().
   */
  pdfPath?: string;
  /** Pages in order. Iterating renders lazily so that memory stays bounded by one page at a time. */
  pages(): AsyncIterable<NormalisedPage>;
  close(): Promise<void>;
}

export interface Normaliser {
  /** Detects the kind by content and opens the document. Throws DocrError INVALID_FILE / UNSUPPORTED_FORMAT / PASSWORD_REQUIRED / WRONG_PASSWORD / OUTSIDE_LIMITS. */
  open(input: NormaliseInput): Promise<NormalisedDocument>;
}
