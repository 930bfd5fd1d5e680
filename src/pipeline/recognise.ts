/**
 * Stage 3 (states 3 → 4/6): every page in order. A page from a PDF text layer is taken as
 * is; any other page is recognised, then laid out (tables, paragraphs). A page that fails
 * is kept as an empty page carrying a warning and the task goes on (ARCHITECTURE habit 7);
 * the caller decides whether what is left still means something.
 * Page images are written to the work dir as they pass, so that rendering can show them
 * later without holding every page in memory.
 */
import { availableParallelism } from 'node:os';
import { parsePageRanges, selectedCount } from '../contract/page-ranges.js';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DocrError, isDocrError, toDocrError } from '../domain/errors.js';
import { mergeTextLayerWithOcr } from '../domain/merge-pages.js';
import { emptyPage, type Page } from '../domain/ocr-tree.js';
import { TaskState } from '../domain/task-state.js';
import { analyseLayout } from '../layout/index.js';
import type { NormalisedDocument, NormalisedPage } from '../ports/normaliser.js';
import type { PageImage } from '../ports/ocr-engine.js';
import { abortable, type TaskContext } from './context.js';

export interface RecognisedPages {
  pages: Page[];
  /** Pages read by OCR (SPEC §1.3 ocr_pages): not text-layer pages, not pages that failed. */
  ocrPages: number;
  /** Pages that failed, with the error of each. */
  failures: Array<{ index: number; error: DocrError }>;
  /** The image of page `index` (1-based) for renderers that show it. */
  pageImage(index: number): Promise<PageImage>;
}

/** Progress: 10 when pages start, 90 when the last is done (render and store fill the rest). */
const PROGRESS_START = 10, PROGRESS_SPAN = 80;

export async function recognisePages(ctx: TaskContext, doc: NormalisedDocument): Promise<RecognisedPages> {
  const options = ctx.task.options;
  const total = selectedCount(options.pages === undefined ? undefined : parsePageRanges(options.pages), doc.pageCount);
  const renderLater = new Map<number, () => Promise<PageImage>>();
  const result: RecognisedPages = { pages: [], ocrPages: 0, failures: [], pageImage: imageReader(ctx, doc, renderLater) };
  await ctx.report({ state: TaskState.Waiting, pagesTotal: total, pagesDone: 0, progress: PROGRESS_START });
  const working = total > 1 ? TaskState.ProcessingPages : TaskState.Processing;
  // Several pages of one task are read at once, so a multi-page document keeps every engine
  // busy, and the next page renders while earlier ones are recognised (issue 11: read one
  // after another, an 8-page scan used one core of two). One page more than the cores waits
  // rendered in the pool's queue, so an engine that finishes starts the next page at once
  // rather than after the finished page's layout and the next page's rendering (~0.4 s).
  const window = Math.max(1, ctx.deps.pageConcurrency ?? availableParallelism() + 1);
  const inFlight = new Set<Promise<void>>();
  let done = 0;
  let reports = Promise.resolve();
  // Progress writes go out one at a time, in completion order, so pagesDone never goes back.
  const reportDone = () => {
    done += 1;
    const patch = { pagesDone: done, progress: PROGRESS_START + Math.floor((PROGRESS_SPAN * done) / Math.max(total, done)) };
    reports = reports.then(() => ctx.report(patch));
    return reports;
  };
  // When one page ends the task (cancel, NO_RESOURCES), the pages still in flight are stopped
  // and awaited before returning, so none writes into the work dir while it is removed.
  const stop = new AbortController();
  const pageCtx: TaskContext = { ...ctx, signal: AbortSignal.any([ctx.signal, stop.signal]) };
  // Iterated by hand so that a page that never finishes rendering still yields to the signal.
  const pages = doc.pages()[Symbol.asyncIterator]();
  try {
    for (let slot = 0; ; slot++) {
      const next = await abortable(pages.next(), ctx.signal);
      if (next.done) break;
      if (slot === 0) await ctx.report({ state: working });
      const read = readPage(pageCtx, next.value, result, renderLater).then((page) => { result.pages[slot] = page; return reportDone(); });
      const tracked: Promise<void> = read.finally(() => inFlight.delete(tracked));
      tracked.catch(() => {}); // awaited below; a failure while others run must not go unhandled
      inFlight.add(tracked);
      while (inFlight.size >= window) await Promise.race(inFlight);
    }
    await Promise.all(inFlight);
    await reports;
  } catch (e) {
    stop.abort(ctx.signal.aborted ? ctx.signal.reason : e);
    await Promise.allSettled([...inFlight, reports]);
    throw ctx.signal.aborted ? ctx.signal.reason : e;
  } finally {
    pages.return?.()?.catch(() => {});
  }
  return result;
}

async function readPage(ctx: TaskContext, np: NormalisedPage, acc: RecognisedPages,
  renderLater: Map<number, () => Promise<PageImage>>): Promise<Page> {
  if (np.textPage && !np.image) {
    renderLater.set(np.index, () => np.renderImage());
    // Without the image: paragraphs and column-aligned tables only (cheap); ruled tables are
    // found by the structured renderers, which render the page image only when asked for.
    return abortable((ctx.deps.analyseLayout ?? analyseLayout)(np.textPage), ctx.signal);
  }
  let image: PageImage | undefined;
  try {
    image = np.image ?? await abortable(np.renderImage(), ctx.signal);
    await writeFile(imagePath(ctx, np.index), image.data);
    await writeFile(`${imagePath(ctx, np.index)}.json`, JSON.stringify({ ...image, data: undefined }));
    const options = { languages: ctx.task.options.languages, signal: ctx.signal };
    // Pages overlap: one that was rendered before a cancel must not start an engine after it.
    if (ctx.signal.aborted) throw ctx.signal.reason;
    const read = await abortable(ctx.deps.recognizer.recognize(image, options), ctx.signal);
    acc.ocrPages += 1;
    // The engine policy's decision, per page (issue 11); format=json carries it too.
    ctx.log.debug('page read', { page: np.index, engine: read.engine?.id, reason: read.engine?.reason });
    // A text page carrying pictures: the text layer is exact, OCR adds only the pictures' text.
    const page = np.textPage ? mergeTextLayerWithOcr(np.textPage, read) : read;
    return await abortable((ctx.deps.analyseLayout ?? analyseLayout)(page, image), ctx.signal);
  } catch (e) {
    if (ctx.signal.aborted) throw ctx.signal.reason;
    const error = toDocrError(e);
    // The machine or the engine, not the page: -15, or -13 after an engine died twice on it (both refundable).
    if (error.code === 'NO_RESOURCES' || error.code === 'ENGINE_CRASHED') throw error;
    if (!isDocrError(e)) ctx.log.error('page failed', { page: np.index, cause: String((e as Error)?.stack ?? e) });
    if (np.textPage) {
      // The text layer still stands: only the pictures' text is missing.
      return { ...np.textPage, warnings: [...np.textPage.warnings, `the pictures on page ${np.index} could not be read: ${error.message}`] };
    }
    acc.failures.push({ index: np.index, error });
    const failed = emptyPage(np.index, image?.width ?? 0, image?.height ?? 0, image?.dpi ?? 300);
    failed.warnings.push(`page ${np.index} could not be read: ${error.message}`);
    return failed;
  }
}

const imagePath = (ctx: TaskContext, index: number) => join(ctx.workDir, `page-${index}.img`);

function imageReader(ctx: TaskContext, doc: NormalisedDocument, renderLater: Map<number, () => Promise<PageImage>>) {
  return async (index: number): Promise<PageImage> => {
    const later = renderLater.get(index);
    if (later) return later();
    try {
      const meta = JSON.parse(await readFile(`${imagePath(ctx, index)}.json`, 'utf8')) as Omit<PageImage, 'data'>;
      return { ...meta, data: await readFile(imagePath(ctx, index)) };
    } catch {
      throw new DocrError('INTERNAL', `page ${index} of ${doc.pageCount} has no image to render`, { index });
    }
  };
}
