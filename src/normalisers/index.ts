/**
 * The Normaliser: any accepted input → pages, each either read exactly from a PDF text
 * layer or an image to OCR (see src/ports/normaliser.ts). Type by content (detect/), PDFs
 * with MuPDF (pdf/), Office files through LibreOffice to PDF (office/), images with sharp
 * and MuPDF (image/). Limits and their defaults: options.ts.
 *
 * Merging text-layer pages with OCR (the pipeline's job): a page with `textPage` and no
 * `image` needs no OCR. A page with both is a text page carrying pictures that may hold
 * text: OCR `image`, then `mergeTextLayerWithOcr(textPage, ocrPage)` (src/domain/merge-pages.ts)
 * keeps every text-layer line and adds the OCR lines whose centre falls inside one of the
 * page's `figure` blocks (same pixel space) and that overlap no text-layer line; the merged
 * page is `source: 'mixed'`. A page with only `image` is OCRed as usual.
 */
import path from 'node:path';
import { DocrError } from '../domain/errors.js';
import type { NormaliseInput, NormalisedDocument, Normaliser } from '../ports/normaliser.js';
import { checkDisguise } from './detect/disguise.js';
import { detectKind } from './detect/detect-kind.js';
import { openImage } from './image/open-image.js';
import { createOfficeConverter, type OfficeConverter } from './office/convert.js';
import { openOffice } from './office/open-office.js';
import { resolveOptions, type NormaliserOptions } from './options.js';
import { MupdfPool } from './pdf/mupdf-thread.js';
import { openPdf } from './pdf/open-pdf.js';

export type { NormaliserOptions, NormaliserLimits } from './options.js';
export { DEFAULT_LIMITS } from './options.js';

export interface ClosableNormaliser extends Normaliser {
  /** Stops the warm LibreOffice instance and the MuPDF threads, and removes the LibreOffice profiles. Idempotent. */
  close(): Promise<void>;
}

export function createNormaliser(options: NormaliserOptions = {}): ClosableNormaliser {
  const resolved = resolveOptions(options);
  const pool = new MupdfPool(resolved, options.onWarning);
  let office: OfficeConverter | undefined;
  let closed = false;
  const converter = () => (office ??= createOfficeConverter(resolved));
  // LibreOffice starts with the first Office document (not here: most processes that compose a
  // normaliser, tests among them, never see one); from then on a standby is kept warm.

  return {
    async open(input: NormaliseInput): Promise<NormalisedDocument> {
      if (closed) throw new DocrError('INTERNAL', 'The normaliser was closed.');
      const detected = await detectKind(input.path);
      const workDir = path.resolve(input.workDir);
      try {
        checkDisguise(detected.kind, input.declaredName);
        switch (detected.kind) {
          case 'pdf':
            return await openPdf({ path: input.path, kind: 'pdf', password: input.password, workDir, signal: input.signal, pages: input.pages }, pool, resolved.pageTimeoutMs);
          case 'jpeg': case 'png': case 'gif': case 'bmp': case 'tiff': case 'webp':
            return await openImage(input.path, detected.kind, resolved, pool, input.signal, input.pages);
          default:
            return await openOffice({ path: input.path, kind: detected.kind, password: input.password, workDir, signal: input.signal, pages: input.pages }, converter(), resolved, pool);
        }
      } catch (e) {
        // The kind is known by now: failures carry it, so the task can still report its type.
        if (e instanceof DocrError && e.details.kind === undefined) {
          throw new DocrError(e.code, e.message, { ...e.details, kind: detected.kind }, { cause: e.cause });
        }
        throw e;
      }
    },
    async close(): Promise<void> {
      closed = true;
      await Promise.all([office?.close(), pool.close()]);
    },
  };
}
