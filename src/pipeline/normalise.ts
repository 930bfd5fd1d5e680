/**
 * Stage 2 (state 2): type detection by content and conversion to pages (the Normaliser).
 * Its errors are already the catalogue's (INVALID_FILE, PASSWORD_REQUIRED, OUTSIDE_LIMITS...).
 */
import { parsePageRanges } from '../contract/page-ranges.js';
import type { NormalisedDocument } from '../ports/normaliser.js';
import { abortable, type TaskContext } from './context.js';

export async function normaliseInput(ctx: TaskContext, path: string): Promise<NormalisedDocument> {
  const opening = ctx.deps.normaliser.open({
    path, password: ctx.task.options.password, workDir: ctx.workDir, signal: ctx.signal, declaredName: declaredNameOf(ctx),
    pages: ctx.task.options.pages === undefined ? undefined : parsePageRanges(ctx.task.options.pages),
  });
  // If the signal wins the race, close the document the normaliser opens late.
  opening.then((doc) => { if (ctx.signal.aborted) void doc.close().catch(() => {}); }, () => {});
  return abortable(opening, ctx.signal);
}

/** The name the client gave the input: the upload's file name, or the last segment of image_url's path. */
function declaredNameOf(ctx: TaskContext): string | undefined {
  const source = ctx.task.source;
  if (source.kind === 'upload') return source.filename;
  try {
    const last = new URL(source.url).pathname.split('/').pop();
    return last ? decodeURIComponent(last) : undefined;
  } catch {
    return undefined;
  }
}
