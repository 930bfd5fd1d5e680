/**
 * Stage 5 (state 5): the result into the BlobStore as `results/<task>.<ext>`. Any failure
 * here is STORE_FAILED (-2), whatever the store threw (its cause is kept for the log).
 */
import { CONTENT_TYPES } from '../contract/formats.js';
import { DocrError } from '../domain/errors.js';
import type { TaskContext } from './context.js';

export interface StoredResult {
  key: string;
  size: number;
}

export async function storeResult(ctx: TaskContext, bytes: Buffer): Promise<StoredResult> {
  const format = ctx.task.options.format;
  const key = `results/${ctx.task.id}.${format}`;
  ctx.signal.throwIfAborted();
  try {
    const size = await ctx.deps.blobs.put(key, bytes, { contentType: CONTENT_TYPES[format] });
    return { key, size };
  } catch (e) {
    ctx.log.error('storing the result failed', { key, cause: String((e as Error)?.stack ?? e) });
    throw new DocrError('STORE_FAILED', 'Storing the result failed; retry the task later.', { key }, { cause: e });
  }
}
