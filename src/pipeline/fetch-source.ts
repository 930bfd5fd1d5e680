/**
 * Stage 1 (state 2): the input into the task's work dir: an upload from the BlobStore, or
 * `image_url` through the SourceFetcher (the outbound guard). Returns the local path and size.
 */
import { join } from 'node:path';
import { stat } from 'node:fs/promises';
import { DocrError, isDocrError } from '../domain/errors.js';
import { abortable, type TaskContext } from './context.js';

export interface FetchedSource {
  path: string;
  size: number;
}

export async function fetchSource(ctx: TaskContext): Promise<FetchedSource> {
  const path = join(ctx.workDir, 'input');
  const source = ctx.task.source;
  if (source.kind === 'url') {
    const size = await ctx.deps.fetcher.fetch(source.url, path, { maxBytes: ctx.limits.urlMaxBytes, signal: ctx.signal });
    return { path, size };
  }
  // No stat first: a missing blob is the download's own answer (one round trip less on S3).
  await abortable(ctx.deps.blobs.download(source.blobKey, path), ctx.signal).catch((e: unknown) => {
    if (isDocrError(e) && e.details.missing === true) {
      throw new DocrError('INTERNAL', 'The uploaded file is no longer available; create the task again.', { blobKey: source.blobKey });
    }
    throw e;
  });
  return { path, size: (await stat(path)).size };
}
