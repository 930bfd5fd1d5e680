/**
 * Office inputs: decrypt when protected, refuse zip/XML bombs, convert to PDF with
 * LibreOffice, then read the PDF like any other (text layers extracted exactly; embedded
 * pictures marked for OCR). Intermediates are removed on close() and on failure.
 */
import type { PageRange } from '../../contract/page-ranges.js';
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import type { InputKind } from '../../contract/formats.js';
import { DocrError } from '../../domain/errors.js';
import type { NormalisedDocument, NormalisedPage } from '../../ports/normaliser.js';
import { oleEntryNames } from '../detect/ole.js';
import { ooxmlKindOf, readZipDirectory } from '../detect/zip.js';
import type { ResolvedOptions } from '../options.js';
import type { MupdfPool } from '../pdf/mupdf-thread.js';
import { openPdf } from '../pdf/open-pdf.js';
import type { OfficeConverter } from './convert.js';
import { decryptOffice, isEncryptedOffice } from './decrypt.js';
import { guardOoxml } from './zip-guard.js';

export type OfficeKind = 'doc' | 'docx' | 'xls' | 'xlsx' | 'ppt' | 'pptx' | 'encrypted-ooxml';

export interface OpenOfficeRequest {
  path: string;
  kind: OfficeKind;
  password?: string;
  workDir: string;
  signal?: AbortSignal;
  pages?: readonly PageRange[];
}

async function decryptedOoxmlKind(file: string): Promise<'docx' | 'xlsx' | 'pptx'> {
  const listing = await readZipDirectory(file);
  const kind = listing.ok ? ooxmlKindOf(listing.entries) : undefined;
  if (!kind) throw new DocrError('UNSUPPORTED_FORMAT', 'The encrypted package decrypts to something that is not a Word, Excel or PowerPoint document.', { found: 'encrypted-ooxml' });
  return kind;
}

export async function openOffice(req: OpenOfficeRequest, converter: OfficeConverter, options: ResolvedOptions, pool: MupdfPool): Promise<NormalisedDocument> {
  const created: string[] = [];
  const cleanup = () => Promise.all(created.map((p) => rm(p, { recursive: true, force: true })));
  try {
    let file = req.path;
    let kind: Exclude<InputKind, 'unknown'>;
    if (req.kind === 'encrypted-ooxml') {
      file = await decryptOffice(file, req.password, req.workDir, 'zip');
      created.push(file);
      kind = await decryptedOoxmlKind(file);
    } else {
      kind = req.kind;
      if ((kind === 'doc' || kind === 'xls' || kind === 'ppt') && await isEncryptedOffice(await readFile(file))) {
        file = await decryptOffice(file, req.password, req.workDir, kind);
        created.push(file);
      }
    }
    if (kind === 'docx' || kind === 'xlsx' || kind === 'pptx') await guardOoxml(file, options.limits);
    const pdf = await converter.toPdf(file, kind, req.workDir, req.signal);
    created.push(path.dirname(path.dirname(pdf)));
    const doc = await openPdf({ path: pdf, kind, workDir: req.workDir, signal: req.signal, pages: req.pages }, pool, options.pageTimeoutMs);
    const legacyWorkbook = kind === 'xls' && isBiff5Workbook(await readFile(file));
    return {
      ...doc,
      kind,
      pages: () => (legacyWorkbook ? refusedWhenTextless(doc.pages()) : doc.pages()),
      close: async () => { await doc.close(); await cleanup(); },
    };
  } catch (e) {
    await cleanup();
    throw e;
  }
}

/** An Excel 5.0/95 (BIFF5) workbook keeps its sheets in a "Book" stream; Excel 97 and later in "Workbook". */
function isBiff5Workbook(bytes: Buffer): boolean {
  const names = oleEntryNames(bytes) ?? [];
  return names.includes('Book') && !names.includes('Workbook');
}

/**
 * LibreOffice converts the cells of Excel 5.0/95 workbooks but not their pictures and charts:
 * one with no cell text at all converts to blank pages, which would end as "nothing was
 * recognised" although the file has content. Say what is wrong instead, once every page has
 * been seen without a text layer.
 */
async function* refusedWhenTextless(pages: AsyncIterable<NormalisedPage>): AsyncIterable<NormalisedPage> {
  let text = false;
  for await (const page of pages) {
    text ||= page.textPage !== undefined;
    yield page;
  }
  if (!text) {
    throw new DocrError('UNSUPPORTED_FORMAT', 'This Excel 5.0/95 workbook has no cell text and its pictures or charts cannot be rendered here; open it in a current Excel or LibreOffice and save it as .xlsx.', { kind: 'xls' });
  }
}
