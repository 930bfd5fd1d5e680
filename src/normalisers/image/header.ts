/**
 * Image dimensions read from the header, before anything is decoded, so that absurd sizes
 * and decompression bombs are refused cheaply. GIF and BMP are parsed here (libvips refuses
 * some bomb GIFs as "corrupt" before saying how big they claim to be; BMP is not a libvips
 * format); the rest come from sharp's header-only metadata.
 */
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
  let width: number, height: number;
  if (dibSize === 12) { width = b.readUInt16LE(18); height = b.readUInt16LE(20); }
  else { width = Math.abs(b.readInt32LE(18)); height = Math.abs(b.readInt32LE(22)); }
  let dpi: number | undefined;
  if (dibSize >= 40 && b.length >= 42) {
    const ppm = b.readInt32LE(38);
    if (ppm > 0) dpi = plausibleDpi(ppm * 0.0254);
  }
  return { width, height, pages: 1, dpi };
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
