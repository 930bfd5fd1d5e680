/**
 * Decodes one image page into the PNG handed to OCR: EXIF orientation applied, transparency
 * flattened on white (black text on a transparent background must stay visible), downscaled
 * when it passes the per-page caps. BMP goes through MuPDF first (libvips has no BMP loader).
 */
import sharp from 'sharp';
import { DocrError } from '../../domain/errors.js';
import type { PageImage } from '../../ports/ocr-engine.js';
import type { NormaliserLimits } from '../options.js';
import { asBuffer, type MupdfPool } from '../pdf/mupdf-thread.js';
import { fitScale } from '../page-budget.js';

/** MuPDF's WASM heap holds the whole BMP pixmap: beyond this many pixels it is refused, not attempted. */
export const MAX_BMP_PIXELS = 100_000_000;

export interface DecodeRequest {
  path: string;
  kind: 'jpeg' | 'png' | 'gif' | 'bmp' | 'tiff' | 'webp';
  /** 0-based page (TIFF); other formats read page 0 (a GIF's first frame). */
  page: number;
  /** Resolution stated by the file, else the configured default. */
  dpi: number;
  index: number;
  limits: NormaliserLimits;
  /** MuPDF threads, which decode BMP. */
  pool: MupdfPool;
}

const undecodable = (e: unknown, what: string) =>
  new DocrError('INVALID_FILE', `The image could not be decoded (${what}): the file is corrupt, truncated or uses an unsupported variant.`, { found: 'image' }, { cause: e });

/** BMP → PNG on a MuPDF thread (off the event loop; a big BMP's heap goes away with its thread). */
async function bmpToPng(path: string, pool: MupdfPool): Promise<Buffer> {
  const mu = pool.acquire();
  const crashed = () => new DocrError('INVALID_FILE', 'The image could not be decoded (BMP): the decoder failed on it.', { found: 'bmp' });
  try {
    return asBuffer(await mu.call<Uint8Array>({ op: 'bmpToPng', path }, crashed));
  } finally {
    await pool.release(mu);
  }
}

export async function decodeImagePage(req: DecodeRequest): Promise<PageImage> {
  const source = req.kind === 'bmp' ? await bmpToPng(req.path, req.pool) : req.path;
  try {
    const opts = { limitInputPixels: req.limits.maxImagePixels, failOn: 'warning' as const, page: req.page, pages: 1, sequentialRead: true };
    const meta = await sharp(source, opts).metadata();
    const swap = (meta.orientation ?? 1) >= 5;
    const w = swap ? meta.height! : meta.width!, h = swap ? meta.width! : meta.height!;
    const scale = fitScale(w, h, req.limits);
    let pipeline = sharp(source, opts).autoOrient().flatten({ background: '#ffffff' });
    if (scale < 1) pipeline = pipeline.resize(Math.max(1, Math.floor(w * scale)), Math.max(1, Math.floor(h * scale)), { fit: 'fill' });
    const { data, info } = await pipeline.png({ compressionLevel: 3 }).toBuffer({ resolveWithObject: true });
    return { data, width: info.width, height: info.height, dpi: Math.round(req.dpi * scale), index: req.index };
  } catch (e) {
    if (e instanceof DocrError) throw e;
    throw undecodable(e, req.kind.toUpperCase());
  }
}
