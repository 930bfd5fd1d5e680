/**
 * Builds a NormalisedDocument from a page loader: pages are produced one at a time, in order,
 * when the consumer asks, so memory holds one page image at a time.
 */
import type { InputKind } from '../contract/formats.js';
import { isSelected, selectedCount, type PageRange } from '../contract/page-ranges.js';
import { DocrError } from '../domain/errors.js';
import type { NormalisedDocument, NormalisedPage } from '../ports/normaliser.js';

export interface PageLoader {
  kind: InputKind;
  pageCount: number;
  pdfPath?: string;
  /** Produces page `index` (1-based). */
  load(index: number): Promise<NormalisedPage>;
  /** Releases what the loader holds (MuPDF documents, cached pages). */
  release?(): void | Promise<void>;
  signal?: AbortSignal;
  /** Only these pages are produced (the others are never loaded); undefined: every page. */
  pages?: readonly PageRange[];
}

export function lazyDocument(loader: PageLoader): NormalisedDocument {
  if (selectedCount(loader.pages, loader.pageCount) === 0) {
    const asked = loader.pages!.map(([a, b]) => (a === b ? `${a}` : `${a}-${b}`)).join(',');
    throw new DocrError('INVALID_FILE', `pages=${asked} selects no page: the document has ${loader.pageCount} page(s).`, { pages: loader.pageCount });
  }
  let closed = false;
  return {
    kind: loader.kind,
    pageCount: loader.pageCount,
    pdfPath: loader.pdfPath,
    async *pages(): AsyncIterable<NormalisedPage> {
      for (let i = 1; i <= loader.pageCount; i++) {
        if (closed) return;
        if (loader.signal?.aborted) throw new DocrError('CANCELLED', 'The task was cancelled.');
        if (isSelected(loader.pages, i)) yield await loader.load(i);
      }
    },
    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      await loader.release?.();
    },
  };
}
