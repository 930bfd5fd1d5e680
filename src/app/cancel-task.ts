/**
 * cancelTask (SPEC §7, beyond the reference): ends the task in -13 (a running one stops at
 * its worker's next lease renewal, i.e. within the page it is on) and purges its input and
 * result. No refund: the client chose to stop.
 */
import type { BlobStore } from '../ports/blob-store.js';
import type { TaskRecord, TaskStore } from '../ports/task-store.js';
import { getOwnTask } from './get-task.js';

export async function cancelTask(deps: { store: TaskStore; blobs: BlobStore }, keyId: string, id: string): Promise<TaskRecord> {
  const task = await getOwnTask(deps.store, keyId, id);
  const after = (await deps.store.cancel(task.id, 'The task was cancelled by its owner (DELETE).')) ?? task;
  if (after.source.kind === 'upload') await deps.blobs.delete(after.source.blobKey);
  if (after.resultKey) {
    await deps.blobs.delete(after.resultKey);
    await deps.store.clearResult(after.id);
    return { ...after, resultKey: undefined }; // the query body then says purged, without a file
  }
  return after;
}
