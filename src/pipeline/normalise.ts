/**
 * Stage 2 (state 2): type detection by content and conversion to pages (the Normaliser).
 * Its errors are already the catalogue's (INVALID_FILE, PASSWORD_REQUIRED, OUTSIDE_LIMITS...).
 */
import { parsePageRanges } from '../contract/page-ranges.js';
import { DocrError } from '../domain/errors.js';
import type { NormalisedDocument } from '../ports/normaliser.js';
import { abortable, type TaskContext } from './context.js';

export async function normaliseInput(ctx: TaskContext, path: string): Promise<NormalisedDocument> {
  const opening = ctx.deps.normaliser.open({
    path, password: openPassword(ctx), workDir: ctx.workDir, signal: ctx.signal, declaredName: declaredNameOf(ctx),
    pages: ctx.task.options.pages === undefined ? undefined : parsePageRanges(ctx.task.options.pages),
  });
  // If the signal wins the race, close the document the normaliser opens late.
  opening.then((doc) => { if (ctx.signal.aborted) void doc.close().catch(() => {}); }, () => {});
  return abortable(opening, ctx.signal);
}

/** The task's password in clear, for this call only: it is never kept in the context or logged. */
function openPassword(ctx: TaskContext): string | undefined {
  const sealed = ctx.task.options.sealedPassword;
  if (sealed === undefined) return undefined;
  if (!ctx.deps.secrets) throw new DocrError('INTERNAL', 'The task has a password but this worker has no key to open it: configure the same --url-secret on every process.');
  return ctx.deps.secrets.open(sealed, ctx.task.id);
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
