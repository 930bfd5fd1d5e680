/**
 * The slide backdrop: the page image, made small enough to sit in a presentation — at most
 * 150 dpi, bilevel scans as 1-bit PNG, others as JPEG or a 16-colour PNG, whichever is smaller.
 */
import sharp from 'sharp';
import type { PageImage } from '../../ports/ocr-engine.js';
import { classifyImage } from '../image-kind.js';

const MAX_DPI = 150;
const JPEG_QUALITY = 70;

export async function backdropOf(image: PageImage): Promise<{ data: string }> {
  const scale = Math.min(1, MAX_DPI / (image.dpi || 300));
  const width = Math.max(1, Math.round(image.width * scale));
  // Decode and resample once; every encoding below starts from these pixels.
  const { data: px, info } = await sharp(image.data).flatten({ background: '#ffffff' }).resize({ width }).raw().toBuffer({ resolveWithObject: true });
  const base = sharp(px, { raw: { width: info.width, height: info.height, channels: info.channels } });
  // Resampling greys the edges of strokes, so a scan may hold a few per cent of mid-greys.
  const { kind } = await classifyImage(base, 0.03);
  if (kind === 'bilevel') {
    const png = await base.clone().grayscale().png({ palette: true, colours: 2, compressionLevel: 9 }).toBuffer();
    return { data: `image/png;base64,${png.toString('base64')}` };
  }
  const src = kind === 'grey' ? base.clone().grayscale() : base.clone();
  const jpeg = await src.clone().jpeg({ quality: JPEG_QUALITY }).toBuffer();
  // Text pages keep few tones: a 16-colour PNG is often smaller than JPEG and sharper.
  const png = await src.clone().png({ palette: true, colours: 16, compressionLevel: 6, effort: 1 }).toBuffer();
  return png.length < jpeg.length
    ? { data: `image/png;base64,${png.toString('base64')}` }
    : { data: `image/jpeg;base64,${jpeg.toString('base64')}` };
}
