/**
 * RGB rasters as typed arrays: decoding through sharp and the few whole-image operations the
 * pipeline needs (quarter-turn rotations). Pixels never live in plain JS arrays: an A4 page at
 * 300 dpi is 26 MB of RGB and plain arrays multiply that by ten.
 */
import sharp from 'sharp';

/** Interleaved RGB, row-major, 3 bytes a pixel. */
export interface Raster {
  data: Uint8Array;
  width: number;
  height: number;
}

/** Decodes PNG/JPEG bytes to RGB; transparency is flattened onto white (dark text on a clear background stays legible). */
export async function decodeRaster(bytes: Buffer): Promise<Raster> {
  const { data, info } = await sharp(bytes, { failOn: 'none' })
    .flatten({ background: '#ffffff' })
    .toColourspace('srgb')
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  if (info.channels !== 3) throw new Error(`decoded ${info.channels} channels, expected 3`);
  return { data: new Uint8Array(data.buffer, data.byteOffset, data.length), width: info.width, height: info.height };
}

/** Rotates clockwise by 0, 90, 180 or 270 degrees. */
export function rotateRaster(src: Raster, degrees: number): Raster {
  const { width: w, height: h, data } = src;
  if (degrees % 360 === 0) return src;
  const out = new Uint8Array(data.length);
  if (degrees === 180) {
    for (let i = 0, j = (w * h - 1) * 3; i < data.length; i += 3, j -= 3) {
      out[j] = data[i]; out[j + 1] = data[i + 1]; out[j + 2] = data[i + 2];
    }
    return { data: out, width: w, height: h };
  }
  // 90 cw: source (x, y) lands at (h-1-y, x) in a h-wide image; 270 cw: at (y, w-1-x).
  const cw = degrees === 90;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const nx = cw ? h - 1 - y : y;
      const ny = cw ? x : w - 1 - x;
      const s = (y * w + x) * 3, d = (ny * h + nx) * 3;
      out[d] = data[s]; out[d + 1] = data[s + 1]; out[d + 2] = data[s + 2];
    }
  }
  return { data: out, width: h, height: w };
}

/** Maps a point of an image rotated clockwise by `degrees` back to the unrotated image of size w×h. */
export function unrotatePoint(x: number, y: number, degrees: number, w: number, h: number): [number, number] {
  switch (degrees % 360) {
    case 90: return [y, h - x];
    case 180: return [w - x, h - y];
    case 270: return [w - y, x];
    default: return [x, y];
  }
}
