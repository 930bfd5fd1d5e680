/**
 * The engine contract checked at the pool's door (ports/ocr-engine.ts): a page of the
 * image's size whose blocks, lines and words have text and finite boxes. An engine that
 * answers anything else (a bug, memory corruption in a native library) fails its page with
 * ENGINE_FAILED instead of sending nonsense on to layout and the renderers.
 */
import { DocrError } from '../../domain/errors.js';
import type { PageImage } from '../../ports/ocr-engine.js';

type Loose = Record<string, unknown> | undefined;

const finite = (v: unknown) => typeof v === 'number' && Number.isFinite(v);

function boxOk(b: unknown): boolean {
  const box = b as Loose;
  return !!box && finite(box.x) && finite(box.y) && finite(box.w) && finite(box.h);
}

function textsOk(items: unknown, inner?: (item: Record<string, unknown>) => boolean): boolean {
  return Array.isArray(items) && items.every((i: Loose) => !!i && typeof i.text === 'string' && boxOk(i.box) && (!inner || inner(i)));
}

function problemOf(page: unknown, image: PageImage): string | undefined {
  const p = page as Loose;
  if (!p || typeof p !== 'object') return 'no page';
  if (p.width !== image.width || p.height !== image.height) return `a page of ${String(p.width)} × ${String(p.height)} px for an image of ${image.width} × ${image.height}`;
  if (!Array.isArray(p.blocks) || !Array.isArray(p.warnings)) return 'a page without blocks';
  const linesOk = (b: Record<string, unknown>) => textsOk(b.lines, (l) => textsOk(l.words));
  if (!p.blocks.every((b: Loose) => !!b && boxOk(b.box) && linesOk(b))) return 'malformed blocks, lines or words';
  return undefined;
}

/** The error a garbage answer fails its page with; undefined for a well-formed page (or none). */
export function checkPage(page: unknown, image: PageImage, engineId: string): DocrError | undefined {
  if (page === undefined) return undefined;
  const problem = problemOf(page, image);
  return problem === undefined ? undefined
    : new DocrError('ENGINE_FAILED', `The ${engineId} engine returned an unusable result for page ${image.index} (${problem}); the page was not read.`, { engine: engineId, page: image.index });
}
