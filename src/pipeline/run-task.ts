/**
 * runTask: one claimed task from its input to its end (ARCHITECTURE "The path of one
 * task"). States: 2 preparing (fetch, normalise) → 3 waiting → 4/6 processing (pages) →
 * 5 publishing (render, store) → 1, or a negative state from the error catalogue.
 * The whole run is bounded by the processing time limit (→ -8) and aborts on the worker's
 * signal (cancel → -13; shutdown or a lost lease → abandoned, no final write: the task is
 * re-queued or belongs to another worker). The work dir is removed whatever happens.
 */
import { isAuto } from '../contract/languages.js';
import { randomBytes } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { DocrError, isDocrError, toDocrError } from '../domain/errors.js';
import { hasText, type OcrDocument } from '../domain/ocr-tree.js';
import { isFinal, TaskState } from '../domain/task-state.js';
import type { NormalisedDocument } from '../ports/normaliser.js';
import type { TaskPatch, TaskRecord } from '../ports/task-store.js';
import { createReporter, TaskAbort, type PipelineDeps, type PipelineLimits, type TaskContext } from './context.js';
import { fetchSource } from './fetch-source.js';
import { endTask, failurePatch } from './finish.js';
import { normaliseInput } from './normalise.js';
import { callbackOwed } from './notify.js';
import { recognisePages, type RecognisedPages } from './recognise.js';
import { renderResult } from './render.js';
import { storeResult } from './store.js';

export interface RunTaskInput {
  /** The task as returned by TaskStore.claim. */
  task: TaskRecord;
  owner: string;
  deps: PipelineDeps;
  limits: PipelineLimits;
  /** The worker's signal; abort it with a TaskAbort ('cancelled', 'shutdown', 'lease-lost'). */
  signal: AbortSignal;
}

export type TaskOutcome =
  | { ended: true; state: number }
  | { ended: false; reason: 'shutdown' | 'lease-lost' };

export async function runTask(input: RunTaskInput): Promise<TaskOutcome> {
  const { task, owner, deps, limits } = input;
  const ac = new AbortController();
  const forward = () => ac.abort(input.signal.reason);
  if (input.signal.aborted) forward(); else input.signal.addEventListener('abort', forward, { once: true });
  const timer = setTimeout(() => ac.abort(new TaskAbort('timeout')), limits.processingTimeoutMs);
  const workDir = join(limits.workRoot, `${task.id}-${randomBytes(4).toString('hex')}`);
  const log = deps.log.child({ taskId: task.id });
  const ctx: TaskContext = {
    task, owner, deps, limits, signal: ac.signal, workDir, log, report: createReporter(deps.store, task.id, owner),
  };
  const opened: { doc?: NormalisedDocument } = {};
  try {
    await mkdir(workDir, { recursive: true });
    const patch = await processTask(ctx, opened);
    if (await endTask({ ...deps, refundOn: limits.refundOn }, task, owner, patch)) return { ended: true, state: TaskState.Succeeded };
    return await lostAtTheEnd(ctx, patch.resultKey);
  } catch (e) {
    return await failTask(ctx, e);
  } finally {
    clearTimeout(timer);
    input.signal.removeEventListener('abort', forward);
    await opened.doc?.close().catch((e: unknown) => log.warn('closing the document failed', { cause: String(e) }));
    await rm(workDir, { recursive: true, force: true });
  }
}

async function processTask(ctx: TaskContext, opened: { doc?: NormalisedDocument }): Promise<TaskPatch> {
  await ctx.report({ state: TaskState.Preparing, progress: 1 });
  const input = await fetchSource(ctx);
  await ctx.report({ inputSize: input.size, progress: 5 });
  const doc = opened.doc = await normaliseInput(ctx, input.path);
  await ctx.report({ inputKind: doc.kind, filePages: doc.pageCount });
  const read = await recognisePages(ctx, doc);
  const ocr: OcrDocument = { pages: read.pages, languages: [...ctx.task.options.languages] };
  judge(read, ocr);
  await ctx.report({ state: TaskState.Publishing, progress: 90 });
  const bytes = await renderResult(ctx, ocr, doc, read.pageImage);
  await ctx.report({ progress: 95 });
  const stored = await storeResult(ctx, bytes);
  const now = ctx.deps.clock.now();
  return {
    state: TaskState.Succeeded, progress: 100, completedAt: now, resultKey: stored.key, outputSize: stored.size,
    filePages: doc.pageCount, ocrPages: read.ocrPages, pagesDone: read.pages.length, callback: callbackOwed(ctx.task, now),
    ...(isAuto(ctx.task.options.languages) ? { languagesDetected: [...new Set(read.pages.flatMap((p) => p.languages ?? []))] } : {}),
  };
}

/** Whether the pages still make a result: -9 when failures leave nothing, -11 when nothing was found. */
function judge(read: RecognisedPages, doc: OcrDocument): void {
  if (hasText(doc)) return;
  const first = read.failures[0];
  if (first) {
    const which = read.failures.length === read.pages.length ? 'No page could be read' : 'No text was found on the pages that could be read';
    throw new DocrError('PAGE_FAILED', `${which}: ${first.error.message}`, { failedPages: read.failures.map((f) => f.index) }, { cause: first.error });
  }
  throw new DocrError('EMPTY_RESULT', 'No text was recognised on any page; check the language setting and the image quality.');
}

/**
 * The final write was refused. If the task was meanwhile cancelled, the result just stored
 * belongs to nobody: remove it. Otherwise another worker owns the task (and the key).
 */
async function lostAtTheEnd(ctx: TaskContext, resultKey: string | undefined): Promise<TaskOutcome> {
  const current = await ctx.deps.store.get(ctx.task.id);
  if (!current || !isFinal(current.state)) return { ended: false, reason: 'lease-lost' };
  if (resultKey && current.state !== TaskState.Succeeded) await ctx.deps.blobs.delete(resultKey).catch(() => {});
  return { ended: true, state: current.state };
}

async function failTask(ctx: TaskContext, e: unknown): Promise<TaskOutcome> {
  const reason = ctx.signal.aborted ? ctx.signal.reason : e;
  let error: DocrError;
  if (reason instanceof TaskAbort) {
    if (reason.kind === 'shutdown') return { ended: false, reason: reason.kind };
    // A refused write: the task ended elsewhere (a cancel), or another worker holds it now.
    if (reason.kind === 'lease-lost') return lostAtTheEnd(ctx, undefined);
    const current = await ctx.deps.store.get(ctx.task.id);
    // Cancelled through the store (DELETE): it is already final with its own message; keep it.
    if (reason.kind === 'cancelled' && current && isFinal(current.state)) return { ended: true, state: current.state };
    error = reason.kind === 'timeout'
      ? new DocrError('TIMED_OUT', `Processing took longer than the ${Math.round(ctx.limits.processingTimeoutMs / 1000)} s limit; split the document or retry later.`)
      : new DocrError('CANCELLED', 'The task was cancelled.');
  } else {
    error = toDocrError(e);
    if (!isDocrError(e) || error.code === 'INTERNAL') ctx.log.error('task failed', { cause: String((e as Error)?.stack ?? e) });
  }
  const patch = failurePatch(ctx.task, error, ctx.deps.clock.now());
  const ended = await endTask({ ...ctx.deps, refundOn: ctx.limits.refundOn }, ctx.task, ctx.owner, patch);
  return ended ? { ended: true, state: patch.state as number } : { ended: false, reason: 'lease-lost' };
}
