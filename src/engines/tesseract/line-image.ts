/**
 * Single text-line images (a cropped line or word) in which Tesseract's page segmentation finds
 * nothing are read again as one line (psm 7), enlarged to a legible height and framed by
 * copies of their edges: psm 1 wants margins and x-heights (20 px and more) that tight,
 * small crops lack. Which images count as one line: ../line-shape.ts.
 */
import type { Box } from '../../domain/ocr-tree.js';

/** The line is enlarged to about this height (x-heights of 30–50 px), by at most MAX_SCALE. */
const TARGET_HEIGHT = 144;
const MAX_SCALE = 4;

export interface FramedLine {
  data: Buffer;
  width: number;
  height: number;
  /** Enlargement, and the frame's width in enlarged pixels. */
  scale: number;
  margin: number;
}

export async function framedLine(data: Buffer, width: number, height: number): Promise<FramedLine> {
  const scale = Math.min(MAX_SCALE, Math.max(1, TARGET_HEIGHT / height));
  const w = Math.round(width * scale), h = Math.round(height * scale);
  const margin = Math.round(h / 3);
  const { default: sharp } = await import('sharp'); // on first use: see sizeOf in index.ts
  // Copied edges rather than a colour: the frame continues the crop's own background.
  const framed = await sharp(data).resize({ width: w, height: h, fit: 'fill', kernel: 'cubic' })
    .extend({ top: margin, bottom: margin, left: margin, right: margin, extendWith: 'copy' }).png().toBuffer();
  return { data: framed, width: w + 2 * margin, height: h + 2 * margin, scale, margin };
}

/** A box of the framed image in the pixels of the image as given (`width` × `height`). */
export function unframedBox(b: Box, f: FramedLine, width: number, height: number): Box {
  const x0 = Math.max(0, Math.floor((b.x - f.margin) / f.scale)), y0 = Math.max(0, Math.floor((b.y - f.margin) / f.scale));
  const x1 = Math.min(width, Math.ceil((b.x + b.w - f.margin) / f.scale)), y1 = Math.min(height, Math.ceil((b.y + b.h - f.margin) / f.scale));
  return { x: x0, y: y0, w: Math.max(0, x1 - x0), h: Math.max(0, y1 - y0) };
}
