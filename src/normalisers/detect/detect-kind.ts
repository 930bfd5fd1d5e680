/**
 * Type detection by content only (magic bytes, OLE directory names, OOXML parts), never by
 * file name. Returns what the normaliser should open, or throws DocrError INVALID_FILE /
 * UNSUPPORTED_FORMAT with a message saying what was found.
 */
import { stat } from 'node:fs/promises';
import { fileTypeFromFile } from 'file-type';
import type { InputKind } from '../../contract/formats.js';
import { DocrError } from '../../domain/errors.js';
import { readHead } from '../read-head.js';
import { isOle, oleEntryNames } from './ole.js';
import { ooxmlKindOf, readZipDirectory } from './zip.js';

export type Detected =
  | { kind: Exclude<InputKind, 'unknown'> }
  /** An OLE file holding an encrypted OOXML package: which of docx/xlsx/pptx is known only after decryption. */
  | { kind: 'encrypted-ooxml' };

const IMAGE_KINDS: Record<string, InputKind> = { jpg: 'jpeg', png: 'png', gif: 'gif', bmp: 'bmp', tif: 'tiff', webp: 'webp' };
const HEAD_BYTES = 4100;
/** Office binaries are read whole to sniff the OLE directory; larger ones are not Office files we accept. */
const MAX_OLE_BYTES = 256 * 1024 * 1024;

function describeBytes(head: Buffer): string {
  const printable = head.subarray(0, 16).toString('latin1').replace(/[^\x20-\x7e]/g, '.');
  return `unrecognised content starting with bytes ${head.subarray(0, 8).toString('hex')} ("${printable}")`;
}

export async function detectKind(path: string): Promise<Detected> {
  const { size } = await stat(path);
  if (size === 0) throw new DocrError('INVALID_FILE', 'The file is empty (0 bytes).', { found: 'empty' });
  const head = await readHead(path, HEAD_BYTES);
  if (isOle(head)) return detectOle(path, size);
  const ft = await fileTypeFromFile(path);
  if (!ft) {
    throw new DocrError('INVALID_FILE', `The file is not a document or image docr can read: ${describeBytes(head)}.`, { found: 'unknown' });
  }
  if (ft.ext === 'pdf') return { kind: 'pdf' };
  const image = IMAGE_KINDS[ft.ext];
  if (image && image !== 'unknown') return { kind: image };
  if (ft.ext === 'zip' || ft.ext === 'docx' || ft.ext === 'xlsx' || ft.ext === 'pptx') return detectZip(path);
  throw new DocrError('UNSUPPORTED_FORMAT',
    `Unsupported file type: found ${ft.mime} (.${ft.ext}); docr accepts pdf, doc, docx, xls, xlsx, ppt, pptx, jpeg, png, gif, bmp, tiff and webp.`,
    { found: ft.mime });
}

async function detectZip(path: string): Promise<Detected> {
  const listing = await readZipDirectory(path);
  if (!listing.ok) throw new DocrError('INVALID_FILE', `The file looks like a zip/Office document but cannot be read: ${listing.reason}.`, { found: 'zip' });
  const kind = ooxmlKindOf(listing.entries);
  if (!kind) {
    throw new DocrError('UNSUPPORTED_FORMAT',
      'Unsupported file type: found a zip archive that is not a Word, Excel or PowerPoint document.', { found: 'application/zip' });
  }
  return { kind };
}

async function detectOle(path: string, size: number): Promise<Detected> {
  if (size > MAX_OLE_BYTES) throw new DocrError('OUTSIDE_LIMITS', `The Office file is larger than ${MAX_OLE_BYTES} bytes.`, { found: 'cfb' });
  const buf = await readHead(path, size);
  const names = oleEntryNames(buf);
  if (!names) throw new DocrError('INVALID_FILE', 'The file is a damaged or truncated OLE compound file (old-style Office document).', { found: 'cfb' });
  const has = (n: string) => names.some((x) => x.toLowerCase() === n.toLowerCase());
  if (has('EncryptedPackage') && has('EncryptionInfo')) return { kind: 'encrypted-ooxml' };
  if (has('WordDocument')) return { kind: 'doc' };
  if (has('Workbook') || has('Book')) return { kind: 'xls' };
  if (has('PowerPoint Document')) return { kind: 'ppt' };
  throw new DocrError('UNSUPPORTED_FORMAT',
    `Unsupported file type: found an OLE compound file that is not a Word, Excel or PowerPoint document (streams: ${names.slice(0, 8).join(', ')}).`,
    { found: 'application/x-cfb' });
}
