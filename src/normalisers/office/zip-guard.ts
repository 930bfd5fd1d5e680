/**
 * Zip and XML bombs in OOXML, refused before LibreOffice sees the file. The central directory
 * is checked first (entry count, declared sizes, ratios); then every part is inflated in a
 * stream, counting real bytes (a directory can lie) and looking for DTDs: OOXML parts never
 * declare one, and entity expansion ("billion laughs") needs one.
 */
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { createInflateRaw } from 'node:zlib';
import { DocrError } from '../../domain/errors.js';
import type { NormaliserLimits } from '../options.js';
import { readZipDirectory, type ZipEntry } from '../detect/zip.js';

const tooLarge = (msg: string, details: Record<string, unknown> = {}) => new DocrError('OUTSIDE_LIMITS', `The Office document is refused as a zip bomb: ${msg}.`, details);

export async function guardOoxml(path: string, limits: NormaliserLimits): Promise<void> {
  const listing = await readZipDirectory(path);
  if (!listing.ok) throw new DocrError('INVALID_FILE', `The Office document cannot be read: ${listing.reason}.`, { found: 'zip' });
  const { entries } = listing;
  if (entries.length > limits.maxOoxmlEntries) throw tooLarge(`${entries.length} parts (limit ${limits.maxOoxmlEntries})`);
  let declared = 0;
  for (const e of entries) {
    declared += e.uncompressedSize;
    if (e.uncompressedSize > 1 << 20 && e.uncompressedSize / Math.max(1, e.compressedSize) > limits.maxOoxmlPartRatio) {
      throw tooLarge(`part ${e.name} expands ${Math.round(e.uncompressedSize / Math.max(1, e.compressedSize))}×`, { part: e.name });
    }
  }
  if (declared > limits.maxOoxmlUncompressedBytes) throw tooLarge(`${declared} bytes uncompressed (limit ${limits.maxOoxmlUncompressedBytes})`);
  let total = 0;
  for (const e of entries) total += await inflateAndCheck(path, e, limits, total);
}

async function dataOffset(path: string, e: ZipEntry): Promise<number> {
  const fh = await open(path, 'r');
  try {
    const h = Buffer.alloc(30);
    await fh.read(h, 0, 30, e.localHeaderOffset);
    if (h.readUInt32LE(0) !== 0x04034b50) throw new DocrError('INVALID_FILE', 'The Office document is a damaged zip (bad local header).', { found: 'zip' });
    return e.localHeaderOffset + 30 + h.readUInt16LE(26) + h.readUInt16LE(28);
  } finally { await fh.close(); }
}

/** Inflates one part, counting bytes; returns its real size. */
async function inflateAndCheck(path: string, e: ZipEntry, limits: NormaliserLimits, before: number): Promise<number> {
  if (e.compressedSize === 0) return 0;
  if (e.method !== 0 && e.method !== 8) throw new DocrError('INVALID_FILE', `The Office document uses an unsupported zip compression (method ${e.method}).`, { found: 'zip' });
  const start = await dataOffset(path, e);
  const isXml = /\.(xml|rels|vml)$/i.test(e.name);
  const partLimit = Math.max(e.uncompressedSize, 0) + 1;
  let size = 0;
  let tail = '';
  const raw = createReadStream(path, { start, end: start + e.compressedSize - 1 });
  const stream = e.method === 8 ? raw.pipe(createInflateRaw()) : raw;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > partLimit) throw tooLarge(`part ${e.name} inflates past its declared size`, { part: e.name });
      if (before + size > limits.maxOoxmlUncompressedBytes) throw tooLarge(`more than ${limits.maxOoxmlUncompressedBytes} bytes uncompressed`);
      if (isXml) {
        const text = tail + chunk.toString('latin1');
        if (text.includes('<!DOCTYPE') || text.includes('<!ENTITY')) {
          // -7, not -14: the corpus and the clients treat an XML bomb as an invalid file.
          throw new DocrError('INVALID_FILE', `The Office document is refused: part ${e.name} declares a DTD, which Office files never do (XML entity bomb).`, { part: e.name });
        }
        tail = text.slice(-16);
      }
    }
  } catch (err) {
    if (err instanceof DocrError) throw err;
    throw new DocrError('INVALID_FILE', `The Office document is a damaged zip: part ${e.name} cannot be inflated.`, { part: e.name }, { cause: err });
  } finally {
    raw.destroy();
    if (stream !== raw) (stream as NodeJS.ReadableStream & { destroy(): void }).destroy();
  }
  return size;
}
