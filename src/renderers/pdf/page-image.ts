/**
 * Page images as PDF image XObjects, compressed by what they hold: JPEG input passes
 * through untouched; a bilevel scan becomes 1-bit Flate (a 300 dpi A4 page in ~100 KB);
 * grey or colour pages become JPEG unless lossless Flate is about as small (line art,
 * screenshots). Pixels are decoded in memory with sharp; no files.
 */
import { deflateSync } from 'node:zlib';
import sharp from 'sharp';
import type { PDFContext, PDFRef } from 'pdf-lib';
import type { PageImage } from '../../ports/ocr-engine.js';
import { classifyImage } from '../image-kind.js';

const JPEG_QUALITY = 80;
/** Lossless wins when it is at most this much larger than the JPEG. */
const LOSSLESS_ALLOWANCE = 1.25;

interface Encoded {
  data: Buffer;
  width: number;
  height: number;
  colorSpace: 'DeviceGray' | 'DeviceRGB';
  bits: 1 | 8;
  filter: 'DCTDecode' | 'FlateDecode';
}

const isJpeg = (b: Buffer): boolean => b.length > 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff;

function packBits(grey: Buffer, width: number, height: number): Buffer {
  const stride = Math.ceil(width / 8);
  const out = Buffer.alloc(stride * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (grey[y * width + x] >= 128) out[y * stride + (x >> 3)] |= 0x80 >> (x & 7);
    }
  }
  return out;
}

async function encode(image: PageImage): Promise<Encoded> {
  if (isJpeg(image.data)) {
    const meta = await sharp(image.data).metadata();
    if (meta.channels === 1 || meta.channels === 3) {
      return { data: image.data, width: meta.width!, height: meta.height!, colorSpace: meta.channels === 1 ? 'DeviceGray' : 'DeviceRGB', bits: 8, filter: 'DCTDecode' };
    }
  }
  const flat = sharp(image.data).flatten({ background: '#ffffff' });
  const { kind, grey, rgb, width, height } = await classifyImage(flat);
  if (kind === 'bilevel') {
    return { data: deflateSync(packBits(grey!, width, height)), width, height, colorSpace: 'DeviceGray', bits: 1, filter: 'FlateDecode' };
  }
  const colorSpace = kind === 'grey' ? 'DeviceGray' : 'DeviceRGB';
  // Encode from the pixels already decoded rather than decoding the input again.
  const pixels = kind === 'grey' ? grey! : rgb;
  const jpeg = await sharp(pixels, { raw: { width, height, channels: kind === 'grey' ? 1 : 3 } }).jpeg({ quality: JPEG_QUALITY, mozjpeg: true }).toBuffer();
  const lossless = deflateSync(pixels);
  return lossless.length <= jpeg.length * LOSSLESS_ALLOWANCE
    ? { data: lossless, width, height, colorSpace, bits: 8, filter: 'FlateDecode' }
    : { data: jpeg, width, height, colorSpace, bits: 8, filter: 'DCTDecode' };
}

/** Registers the page image as an XObject and returns its reference. */
export async function embedPageImage(context: PDFContext, image: PageImage): Promise<PDFRef> {
  const e = await encode(image);
  const stream = context.stream(e.data, {
    Type: 'XObject', Subtype: 'Image', Width: e.width, Height: e.height,
    ColorSpace: e.colorSpace, BitsPerComponent: e.bits, Filter: e.filter,
  });
  return context.register(stream);
}

