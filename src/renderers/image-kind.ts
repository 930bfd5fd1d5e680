/**
 * What a page image holds, for choosing its compression: bilevel (a thresholded scan),
 * grey, or colour. Pixels come from sharp, decoded in memory.
 */
import sharp from 'sharp';
import type { PageImage } from '../ports/ocr-engine.js';
import type { GreyImage } from './line-geometry.js';

export type ImageKind = 'bilevel' | 'grey' | 'colour';

/** True when every pixel of packed RGB is (nearly) grey. */
function isGrey(rgb: Buffer): boolean {
  for (let i = 0; i < rgb.length; i += 3) {
    const r = rgb[i], g = rgb[i + 1], b = rgb[i + 2];
    if (Math.abs(r - g) > 12 || Math.abs(g - b) > 12 || Math.abs(r - b) > 12) return false;
  }
  return true;
}

/** True when at most `share` of the grey pixels are far from both black and white. */
export function isBilevel(grey: Buffer, share: number): boolean {
  let mid = 0;
  for (let i = 0; i < grey.length; i++) if (grey[i] > 48 && grey[i] < 208) mid++;
  return mid <= grey.length * share;
}

/**
 * Classifies an image (alpha flattened on white). `bilevelShare` is the tolerated share of
 * mid-grey pixels: tiny for full-resolution scans, larger after resampling greys the edges.
 */
export async function classifyImage(image: ReturnType<typeof sharp>, bilevelShare = 0.005): Promise<{ kind: ImageKind; grey?: Buffer; rgb: Buffer; width: number; height: number }> {
  const { data: rgb, info } = await image.clone().toColourspace('srgb').removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const { width, height } = info;
  if (!isGrey(rgb)) return { kind: 'colour', rgb, width, height };
  const grey = Buffer.alloc(width * height);
  for (let i = 0, j = 0; j < grey.length; i += 3, j++) grey[j] = rgb[i + 1];
  return { kind: isBilevel(grey, bilevelShare) ? 'bilevel' : 'grey', grey, rgb, width, height };
}

/**
 * The page image as one grey byte per pixel, turned upright (`rotation` clockwise, as the
 * engine turned it to read), for measuring where its text lies (line-geometry.ts).
 */
export async function uprightGrey(image: PageImage, rotation: number): Promise<GreyImage> {
  let pipeline = sharp(image.data).flatten({ background: '#ffffff' });
  if (rotation % 360 !== 0) pipeline = pipeline.rotate(rotation);
  const { data, info } = await pipeline.greyscale().raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}
