/** Reads a png or jpg file into a page image for the benchmark, which feeds engines directly (the service goes through the normaliser). */
import { readFile } from 'node:fs/promises';
import sharp from 'sharp';
import { DocrError } from '../../src/domain/errors.js';
import type { PageImage } from '../../src/ports/ocr-engine.js';
import { plausibleDpi } from '../../src/normalisers/image/header.js';

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const JPEG = Buffer.from([0xff, 0xd8, 0xff]);

export async function readImageFile(file: string): Promise<PageImage> {
  let data: Buffer;
  try {
    data = await readFile(file);
  } catch (e) {
    throw new DocrError('INVALID_FILE', `Cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}.`, { file });
  }
  const isPng = data.subarray(0, 8).equals(PNG);
  if (!isPng && !data.subarray(0, 3).equals(JPEG)) {
    throw new DocrError('UNSUPPORTED_FORMAT', `${file} is not a PNG or JPEG image (by content): docr ocr reads png and jpg files.`, { file });
  }
  try {
    const meta = await sharp(data).metadata();
    if (!meta.width || !meta.height) throw new Error('no size');
    // The service's rule (src/normalisers/image/header.ts): 72 dpi and odd values mean "unknown",
    // and unknown is read as 300, the documented default guess.
    const dpi = plausibleDpi(meta.density) ?? 300;
    return { data, width: meta.width, height: meta.height, dpi, index: 1 };
  } catch (e) {
    throw new DocrError('INVALID_FILE', `${file} is damaged or not a readable image.`, { file }, { cause: e });
  }
}
