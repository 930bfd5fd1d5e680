/**
 * Zip central-directory reader (APPNOTE 4.3.12/4.3.16): entry names and declared sizes,
 * read without inflating anything. Used to sniff OOXML packages and to refuse zip bombs
 * before LibreOffice sees them.
 */
import { open } from 'node:fs/promises';

export interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  uncompressedSize: number;
  localHeaderOffset: number;
}

export type ZipListing = { ok: true; entries: ZipEntry[] } | { ok: false; reason: string };

const EOCD_SIG = 0x06054b50;
const CDH_SIG = 0x02014b50;
const MAX_CD_BYTES = 64 * 1024 * 1024;

export async function readZipDirectory(path: string): Promise<ZipListing> {
  const fh = await open(path, 'r');
  try {
    const { size } = await fh.stat();
    const tailLen = Math.min(size, 22 + 65535);
    const tail = Buffer.alloc(tailLen);
    await fh.read(tail, 0, tailLen, size - tailLen);
    let eocd = -1;
    for (let i = tailLen - 22; i >= 0; i--) if (tail.readUInt32LE(i) === EOCD_SIG) { eocd = i; break; }
    if (eocd < 0) return { ok: false, reason: 'the zip archive is truncated or damaged (no end-of-directory record)' };
    const count = tail.readUInt16LE(eocd + 10);
    const cdSize = tail.readUInt32LE(eocd + 12);
    const cdOffset = tail.readUInt32LE(eocd + 16);
    if (count === 0xffff || cdOffset === 0xffffffff) return { ok: false, reason: 'zip64 archives are not accepted as Office documents' };
    if (cdSize > MAX_CD_BYTES || cdOffset + cdSize > size) return { ok: false, reason: 'the zip archive is truncated or damaged (central directory out of range)' };
    const cd = Buffer.alloc(cdSize);
    await fh.read(cd, 0, cdSize, cdOffset);
    const entries: ZipEntry[] = [];
    let p = 0;
    for (let i = 0; i < count; i++) {
      if (p + 46 > cd.length || cd.readUInt32LE(p) !== CDH_SIG) return { ok: false, reason: 'the zip archive is damaged (bad central directory entry)' };
      const nameLen = cd.readUInt16LE(p + 28), extraLen = cd.readUInt16LE(p + 30), commentLen = cd.readUInt16LE(p + 32);
      entries.push({
        name: cd.toString('utf8', p + 46, p + 46 + nameLen),
        method: cd.readUInt16LE(p + 10),
        compressedSize: cd.readUInt32LE(p + 20),
        uncompressedSize: cd.readUInt32LE(p + 24),
        localHeaderOffset: cd.readUInt32LE(p + 42),
      });
      p += 46 + nameLen + extraLen + commentLen;
    }
    return { ok: true, entries };
  } finally {
    await fh.close();
  }
}

export type OoxmlKind = 'docx' | 'xlsx' | 'pptx';

/** The OOXML kind of a zip listing, by its parts ([Content_Types].xml plus word/, xl/ or ppt/). */
export function ooxmlKindOf(entries: readonly ZipEntry[]): OoxmlKind | undefined {
  const names = new Set(entries.map((e) => e.name));
  if (!names.has('[Content_Types].xml')) return undefined;
  const has = (prefix: string) => entries.some((e) => e.name.startsWith(prefix));
  if (has('word/')) return 'docx';
  if (has('xl/')) return 'xlsx';
  if (has('ppt/')) return 'pptx';
  return undefined;
}
