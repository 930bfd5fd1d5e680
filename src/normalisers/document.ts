/**
 * Builds a NormalisedDocument from a page loader: pages are produced one at a time, in order,
 * when the consumer asks, so memory holds one page image at a time.
 */
import type { InputKind } from '../contract/formats.js';
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
}

export function lazyDocument(loader: PageLoader): NormalisedDocument {
  let closed = false;
  return {
    kind: loader.kind,
    pageCount: loader.pageCount,
    pdfPath: loader.pdfPath,
    async *pages(): AsyncIterable<NormalisedPage> {
      for (let i = 1; i <= loader.pageCount; i++) {
        if (closed) return;
        if (loader.signal?.aborted) throw new DocrError('CANCELLED', 'The task was cancelled.');
        yield await loader.load(i);
      }
    },
    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      await loader.release?.();
    },
  };
}
