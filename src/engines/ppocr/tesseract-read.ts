/**
 * A page the engine policy hands to Tesseract (engine-policy.ts): English only, upright (the
 * policy admits no turned page, so no orientation pass: psm 3 rather than the Tesseract
 * engine's psm 1), no inverted-text retry (tessedit_do_invert=0: clean dark-on-light print),
 * one OpenMP thread. `region` restricts Tesseract to the detected text's bounding box (with a
 * margin); boxes come back in the page's pixels.
 */
import sharp from 'sharp';
import { DocrError } from '../../domain/errors.js';
import { mapBoxes, type Page } from '../../domain/ocr-tree.js';
import type { PageImage, RecognizeOptions } from '../../ports/ocr-engine.js';
import { runProcess } from '../../platform/run-process.js';
import { tsvToPage } from '../tesseract/tsv.js';

const PROCESS_TIMEOUT_MS = 10 * 60_000;
export const TESSERACT_ROUTE_ARGS = ['-l', 'eng', '--psm', '3', '-c', 'tessedit_do_invert=0', 'tsv'];

export interface Region { left: number; top: number; width: number; height: number }

export async function readWithTesseract(image: PageImage, width: number, height: number, options: RecognizeOptions, region?: Region): Promise<Page> {
  const data = region ? await sharp(image.data).extract(region).png({ compressionLevel: 1 }).toBuffer() : image.data;
  const r = await runProcess('tesseract', ['stdin', 'stdout', ...TESSERACT_ROUTE_ARGS], {
    timeoutMs: PROCESS_TIMEOUT_MS, signal: options.signal, input: data, env: { ...process.env, OMP_THREAD_LIMIT: '1' },
  });
  if (r.aborted) throw new DocrError('CANCELLED', 'Recognition was cancelled.');
  if (r.timedOut) throw new DocrError('TIMED_OUT', 'Tesseract took too long on a page.', { page: image.index });
  if (r.code !== 0) throw new DocrError('ENGINE_FAILED', `Tesseract failed on page ${image.index}.`, { page: image.index, code: r.code, stderr: r.stderr.slice(-500) });
  const page = tsvToPage({ tsv: r.stdout.toString('utf8'), index: image.index, width, height, dpi: image.dpi, cjk: false });
  if (!region) return page;
  return { ...mapBoxes(page, (b) => ({ ...b, x: b.x + region.left, y: b.y + region.top })), width, height };
}

/** The detected lines' bounding box grown by `margin` line heights, inside the page. */
export function textRegion(boxes: readonly { cx: number; cy: number; w: number; h: number }[], width: number, height: number, lineHeight: number, margin = 1.5): Region | undefined {
  if (boxes.length === 0) return undefined;
  const pad = Math.round(lineHeight * margin);
  const left = Math.max(0, Math.floor(Math.min(...boxes.map((b) => b.cx - b.w / 2)) - pad));
  const top = Math.max(0, Math.floor(Math.min(...boxes.map((b) => b.cy - b.h / 2)) - pad));
  const right = Math.min(width, Math.ceil(Math.max(...boxes.map((b) => b.cx + b.w / 2)) + pad));
  const bottom = Math.min(height, Math.ceil(Math.max(...boxes.map((b) => b.cy + b.h / 2)) + pad));
  return right - left > 8 && bottom - top > 8 ? { left, top, width: right - left, height: bottom - top } : undefined;
}
