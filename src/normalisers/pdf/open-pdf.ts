/**
 * PDF inputs (and Office files after conversion): passwords, limits, then page by page
 * either the exact text layer (no OCR), the rendered page image (OCR), or both when a text
 * page also carries pictures that may hold text. MuPDF runs in a worker thread per document
 * (mupdf-thread.ts); this side orchestrates.
 */
import type { PageRange } from '../../contract/page-ranges.js';
import { rm } from 'node:fs/promises';
import sharp from 'sharp';
import type { InputKind } from '../../contract/formats.js';
import { DocrError } from '../../domain/errors.js';
import type { NormalisedDocument, NormalisedPage } from '../../ports/normaliser.js';
import type { PageImage } from '../../ports/ocr-engine.js';
import { lazyDocument } from '../document.js';
import { decryptedCopy } from './decrypt.js';
import type { LoadedPage, RawPage } from './mupdf-session.js';
import { asBuffer, type MupdfPool, type MupdfWorker } from './mupdf-thread.js';

export interface OpenPdfRequest {
  path: string;
  /** The kind reported for the document (pdf, or the Office kind it was converted from). */
  kind: InputKind;
  password?: string;
  /** Where a decrypted copy of an encrypted PDF goes (removed on close). */
  workDir: string;
  signal?: AbortSignal;
  pages?: readonly PageRange[];
}

const crashedOpening = () => new DocrError('INVALID_FILE', 'The PDF could not be read: the PDF engine failed on it (damaged or hostile file).', { found: 'pdf' });
const crashedOnPage = (index: number) => () =>
  new DocrError('PAGE_FAILED', `Page ${index} of the PDF could not be read: the PDF engine failed (out of memory or a damaged page).`, { page: index });
const pageTiming = (index: number, timeoutMs: number) => ({
  timeoutMs,
  late: () => new DocrError('PAGE_FAILED', `Page ${index} of the PDF took longer than ${Math.round(timeoutMs / 1000)} s to read and was given up.`, { page: index, timeoutMs }),
});

/**
 * MuPDF renders blank pages for an encrypted file it was not unlocked for, so a password is
 * settled before anything else. Files whose user password is empty (owner-only restrictions)
 * open without one, whatever was passed. Passwords are used verbatim (spaces count). An
 * unlocked file is replaced by a decrypted copy when qpdf can make one (the searchable-PDF
 * renderer needs it; and qpdf accepts the empty owner password of AES-256 R6 files that MuPDF
 * refuses). Returns the path of the PDF now open.
 */
async function unlock(mu: MupdfWorker, req: OpenPdfRequest): Promise<string> {
  const given = req.password ?? '';
  const tryPassword = (p: string) => mu.call<boolean>({ op: 'authenticate', password: p }, crashedOpening);
  let accepted: string | undefined;
  if (given !== '' && (await tryPassword(given))) accepted = given;
  else if (await tryPassword('')) accepted = '';
  const candidates = accepted !== undefined ? [accepted] : given !== '' ? [given, ''] : [''];
  for (const candidate of candidates) {
    const copy = await decryptedCopy(req.path, candidate, req.workDir, req.signal);
    if (!copy) continue;
    const { needsPassword } = await mu.call<{ needsPassword: boolean }>({ op: 'open', path: copy }, crashedOpening);
    if (!needsPassword) return copy;
    await rm(copy, { force: true });
    await mu.call({ op: 'open', path: req.path }, crashedOpening);
    if (accepted !== undefined) await tryPassword(accepted);
  }
  if (accepted !== undefined) return req.path;
  if (given === '') throw new DocrError('PASSWORD_REQUIRED', 'The PDF needs a password: pass it in `password`.', { found: 'pdf' });
  throw new DocrError('WRONG_PASSWORD', 'The password given for the PDF is wrong (passwords are case- and space-sensitive).', { found: 'pdf' });
}

async function encode(page: RawPage): Promise<PageImage> {
  const data = await sharp(asBuffer(page.raw), { raw: { width: page.width, height: page.height, channels: 3 } })
    .png({ compressionLevel: 2 }).toBuffer();
  return { data, width: page.width, height: page.height, dpi: page.dpi, index: page.index };
}

async function toNormalisedPage(mu: MupdfWorker, index: number, loaded: LoadedPage, pageTimeoutMs: number): Promise<NormalisedPage> {
  const image = loaded.image && await encode(loaded.image);
  const renderImage = image
    ? async () => image
    : async () => encode(await mu.call<RawPage>({ op: 'render', index }, crashedOnPage(index), pageTiming(index, pageTimeoutMs)));
  return { index, textPage: loaded.textPage, image, renderImage };
}

export async function openPdf(req: OpenPdfRequest, pool: MupdfPool, pageTimeoutMs: number): Promise<NormalisedDocument> {
  const mu = pool.acquire();
  // Cancelling ends the thread at once, even mid-render (the pipeline reports CANCELLED itself).
  const onAbort = () => { void mu.terminate(); };
  req.signal?.addEventListener('abort', onAbort, { once: true });
  let pdfPath = req.path;
  const release = async () => {
    req.signal?.removeEventListener('abort', onAbort);
    await pool.release(mu);
    if (pdfPath !== req.path) await rm(pdfPath, { force: true });
  };
  try {
    const { needsPassword } = await mu.call<{ needsPassword: boolean }>({ op: 'open', path: req.path }, crashedOpening);
    if (needsPassword) pdfPath = await unlock(mu, req);
    const pageCount = await mu.call<number>({ op: 'prepare' }, crashedOpening);
    for (let i = 0; i < pageCount; i++) {
      await mu.call({ op: 'preflight', index: i }, crashedOpening, {
        timeoutMs: pageTimeoutMs,
        late: () => new DocrError('OUTSIDE_LIMITS', `Page ${i + 1} of the PDF takes longer than ${Math.round(pageTimeoutMs / 1000)} s to interpret; docr reads pages up to that.`, { page: i + 1, timeoutMs: pageTimeoutMs }),
      });
    }
    return lazyDocument({
      kind: req.kind,
      pageCount,
      pdfPath,
      signal: req.signal,
      pages: req.pages,
      load: async (index) => toNormalisedPage(mu, index,
        await mu.call<LoadedPage>({ op: 'load', index }, crashedOnPage(index), pageTiming(index, pageTimeoutMs)), pageTimeoutMs),
      // The decrypted copy lives as long as the document: pdfPath is valid until close().
      release,
    });
  } catch (e) {
    await release();
    throw e;
  }
}
