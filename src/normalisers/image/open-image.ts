/**
 * Image inputs (jpeg, png, gif, bmp, tiff, webp): sizes checked from the header, the first
 * page decoded at open (so a corrupt file fails as INVALID_FILE before any work starts),
 * further TIFF pages decoded lazily.
 */
import type { PageRange } from '../../contract/page-ranges.js';
import type { NormalisedDocument, NormalisedPage } from '../../ports/normaliser.js';
import type { PageImage } from '../../ports/ocr-engine.js';
import { lazyDocument } from '../document.js';
import type { ResolvedOptions } from '../options.js';
import type { MupdfPool } from '../pdf/mupdf-thread.js';
import { checkDeclaredSize, checkPageCount, PixelBudget } from '../page-budget.js';
import { DocrError } from '../../domain/errors.js';
import { decodeImagePage, MAX_BMP_PIXELS, type DecodeRequest } from './decode.js';
import { bmpHeader, gifHeader, sharpHeader, type ImageHeader } from './header.js';

export type ImageKind = DecodeRequest['kind'];

async function readHeader(path: string, kind: ImageKind): Promise<ImageHeader> {
  if (kind === 'gif') return gifHeader(path);
  if (kind === 'bmp') return bmpHeader(path);
  return sharpHeader(path);
}

function imagePage(image: PageImage): NormalisedPage {
  return { index: image.index, image, renderImage: async () => image };
}

export async function openImage(path: string, kind: ImageKind, options: ResolvedOptions, pool: MupdfPool, signal?: AbortSignal, pages?: readonly PageRange[]): Promise<NormalisedDocument> {
  const { limits } = options;
  const header = await readHeader(path, kind);
  checkDeclaredSize(header.width, header.height, limits, 'image');
  if (kind === 'bmp' && header.width * header.height > MAX_BMP_PIXELS) {
    throw new DocrError('OUTSIDE_LIMITS', `The BMP image is ${header.width} × ${header.height} px; BMP is read up to ${MAX_BMP_PIXELS} pixels (send it as PNG or TIFF).`,
      { width: header.width, height: header.height });
  }
  checkPageCount(header.pages, limits);
  if (header.defect) throw new DocrError('INVALID_FILE', `The image is corrupt or truncated: ${header.defect}.`, { found: kind });
  const budget = new PixelBudget(limits.maxTotalPixels);
  const decode = async (index: number) => {
    const img = await decodeImagePage({ path, kind, page: index - 1, dpi: Math.round(header.dpi ?? options.dpi), index, limits, pool });
    budget.spend(img.width * img.height);
    return img;
  };
  let first: PageImage | undefined = await decode(1);
  return lazyDocument({
    kind,
    pageCount: header.pages,
    signal,
    pages,
    load: async (index) => {
      if (index === 1 && first) { const p = imagePage(first); first = undefined; return p; }
      return imagePage(await decode(index));
    },
    release: () => { first = undefined; },
  });
}
