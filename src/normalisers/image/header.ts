/**
 * Image dimensions read from the header, before anything is decoded, so that absurd sizes
 * and decompression bombs are refused cheaply. GIF and BMP are parsed here (libvips refuses
 * some bomb GIFs as "corrupt" before saying how big they claim to be; BMP is not a libvips
 * format); the rest come from sharp's header-only metadata.
 */
import { stat } from 'node:fs/promises';
import sharp from 'sharp';
import { DocrError } from '../../domain/errors.js';
import { readHead } from '../read-head.js';

export interface ImageHeader {
  width: number;
  height: number;
  /** Frames/pages in the file (TIFF pages; GIF frames are not pages: only the first is read). */
  pages: number;
  /** Resolution from the file when it states a plausible one. */
  dpi?: number;
  /**
   * A structural fault the header reveals (a file shorter than its pixels, a palette larger
   * than its bit depth allows): the file is refused as INVALID_FILE once the size limits
   * have had their say (a bomb is reported as one, not as damage).
   */
  defect?: string;
}

/** 72 dpi is what most writers put when they know nothing: treat it (and anything odd) as unknown. */
export function plausibleDpi(dpi: number | undefined): number | undefined {
  return dpi !== undefined && dpi >= 95 && dpi <= 2400 ? Math.round(dpi) : undefined;
}

const invalid = (what: string) => new DocrError('INVALID_FILE', `The image is corrupt or truncated: ${what}.`, { found: 'image' });

/** GIF: the logical screen and the first frame's descriptor (a frame may claim more than the screen). */
export async function gifHeader(path: string): Promise<ImageHeader> {
  const b = await readHead(path, 1 << 20);
  if (b.length < 13) throw invalid('the GIF header is cut short');
  let width = b.readUInt16LE(6), height = b.readUInt16LE(8);
  let p = 13;
  if (b[10] & 0x80) p += 3 * (2 << (b[10] & 7));
  while (p < b.length) {
    const tag = b[p];
    if (tag === 0x2c) {
      if (p + 10 > b.length) break;
      const left = b.readUInt16LE(p + 1), top = b.readUInt16LE(p + 3);
      const w = b.readUInt16LE(p + 5), h = b.readUInt16LE(p + 7);
      if (w === 0 || h === 0) throw invalid('the first GIF frame has zero width or height');
      width = Math.max(width, left + w); height = Math.max(height, top + h);
      break;
    }
    if (tag !== 0x21) break; // trailer or garbage: the decoder will judge
    p += 2;
    while (p < b.length && b[p] !== 0) p += b[p] + 1;
    p += 1;
  }
  return { width, height, pages: 1 };
}

/** BMP: BITMAPINFOHEADER and later (signed 32-bit sizes; negative height = top-down) or OS/2 core header. */
export async function bmpHeader(path: string): Promise<ImageHeader> {
  const b = await readHead(path, 54);
  if (b.length < 26) throw invalid('the BMP header is cut short');
  const dibSize = b.readUInt32LE(14);
  const core = dibSize === 12;
  if (!core && b.length < 54) throw invalid('the BMP header is cut short');
  const width = core ? b.readUInt16LE(18) : Math.abs(b.readInt32LE(18));
  const height = core ? b.readUInt16LE(20) : Math.abs(b.readInt32LE(22));
  let dpi: number | undefined;
  if (dibSize >= 40) {
    const ppm = b.readInt32LE(38);
    if (ppm > 0) dpi = plausibleDpi(ppm * 0.0254);
  }
  return { width, height, pages: 1, dpi, defect: bmpDefect(b, width, height, (await stat(path)).size) };
}

/** BI_RGB, BI_BITFIELDS, BI_ALPHABITFIELDS: pixels stored plainly, so their size is known. */
const BMP_PLAIN = new Set([0, 3, 6]);

/**
 * What is wrong with a BMP's structure, if anything. Decoders (MuPDF among them) read a
 * truncated or inconsistent BMP as a picture of whatever memory follows, and OCR then
 * "recognises" noise (BMP Suite's shortfile.bmp and badpalettesize.bmp).
 */
function bmpDefect(b: Buffer, width: number, height: number, fileSize: number): string | undefined {
  const dibSize = b.readUInt32LE(14), core = dibSize === 12;
  const offBits = b.readUInt32LE(10);
  const bpp = b.readUInt16LE(core ? 24 : 28);
  const compression = core ? 0 : b.readUInt32LE(30);
  if (![1, 2, 4, 8, 16, 24, 32].includes(bpp) && !(bpp === 0 && (compression === 4 || compression === 5))) return `the BMP has an impossible bit depth (${bpp})`;
  if (width === 0 || height === 0) return 'the BMP has zero width or height';
  if (offBits > fileSize || offBits < 14 + dibSize) return 'the BMP\'s pixel data lies outside the file';
  const colours = core ? 0 : b.readUInt32LE(46);
  const indexed = bpp >= 1 && bpp <= 8;
  if (indexed && colours > 2 ** bpp) return `the BMP's palette claims ${colours} colours for ${bpp}-bit pixels`;
  const paletteEnd = 14 + dibSize + (colours || (indexed ? 2 ** bpp : 0)) * (core ? 3 : 4);
  if (indexed && paletteEnd > offBits) return 'the BMP\'s palette overlaps its pixel data';
  if (BMP_PLAIN.has(compression)) {
    const rowBytes = Math.floor((width * bpp + 31) / 32) * 4;
    if (offBits + rowBytes * height > fileSize) return `the BMP is cut short (${fileSize} bytes; its pixels need ${offBits + rowBytes * height})`;
  } else if (offBits >= fileSize) return 'the BMP has no pixel data';
  return undefined;
}

export async function sharpHeader(path: string): Promise<ImageHeader> {
  let meta: Awaited<ReturnType<ReturnType<typeof sharp>['metadata']>>;
  try {
    meta = await sharp(path, { limitInputPixels: false }).metadata();
  } catch (e) {
    throw new DocrError('INVALID_FILE', 'The image is corrupt or truncated: its header cannot be read.', { found: 'image' }, { cause: e });
  }
  const swap = (meta.orientation ?? 1) >= 5;
  const w = meta.width ?? 0, h = meta.height ?? 0;
  const density = meta.density;
  return {
    width: swap ? h : w,
    height: swap ? w : h,
    pages: meta.format === 'tiff' ? meta.pages ?? 1 : 1,
    dpi: plausibleDpi(density),
  };
}
