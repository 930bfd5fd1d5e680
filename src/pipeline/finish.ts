/**
 * Ending a task: the one final write (state, times, error, callback owed), then what follows
 * an end whatever it was: the uploaded input is deleted (SPEC: inputs live only as long as
 * their task) and the refund policy is applied to failures.
 */
import { INPUT_TYPES, type InputKind } from '../contract/formats.js';
import type { DocrError } from '../domain/errors.js';
import { taskStateOf } from '../domain/errors.js';
import type { Logger } from '../platform/logger.js';
import type { BlobStore } from '../ports/blob-store.js';
import type { Clock } from '../ports/clock.js';
import type { TaskPatch, TaskRecord, TaskStore } from '../ports/task-store.js';
import { callbackOwed } from './notify.js';

export interface EndEnv {
  store: TaskStore;
  blobs: BlobStore;
  clock: Clock;
  log: Logger;
  refundOn?: (state: number, task: TaskRecord) => boolean;
}

/** The patch that ends a task in failure. */
export function failurePatch(task: TaskRecord, error: DocrError, now: number): TaskPatch {
  const kind = error.details.kind;
  return {
    state: taskStateOf(error), errorCode: error.code, errorMessage: error.message,
    completedAt: now, callback: callbackOwed(task, now),
    // A file refused after its type was found (a PDF without its password) still reports the type.
    ...(task.inputKind === undefined && typeof kind === 'string' && kind in INPUT_TYPES ? { inputKind: kind as InputKind } : {}),
  };
}

/** Writes the final patch as `owner`; false when the task was no longer ours (nothing else is done then). */
export async function endTask(env: EndEnv, task: TaskRecord, owner: string, patch: TaskPatch): Promise<boolean> {
  if (!(await env.store.update(task.id, owner, patch))) return false;
  const state = patch.state ?? task.state;
  if (task.source.kind === 'upload') {
    await env.blobs.delete(task.source.blobKey).catch((e: unknown) =>
      env.log.warn('could not delete the uploaded input', { taskId: task.id, cause: String(e) }));
  }
  if (state < 0 && env.refundOn?.(state, task)) await env.store.refund(task.keyId);
  return true;
}
