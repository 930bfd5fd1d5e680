/**
 * The embedded JobQueue: an in-process list of task ids. Nothing here is durable: the
 * TaskStore is the record, and the embedded kit refills this queue from it on start
 * (TaskStore.listQueued) while workers re-queue expired leases, so a crash loses no task.
 * An id may still reach the handler twice (a refill racing a create): TaskStore.claim is the guard.
 */
import type { JobQueue } from '../../ports/job-queue.js';

export function createLocalJobQueue(): JobQueue {
  const waiting: string[] = [];
  /** `${id}#${attempt}` of the entries in `waiting`, so that a repeated enqueue is a no-op. */
  const entries = new Map<string, string>();
  const running = new Set<Promise<void>>();
  let handler: ((taskId: string) => Promise<void>) | undefined;
  let limit = 1;
  let closed = false;

  function pump(): void {
    while (!closed && handler && running.size < limit && waiting.length > 0) {
      const entry = waiting.shift() as string;
      const id = entries.get(entry) as string;
      entries.delete(entry);
      const run = handler(id)
        // A throwing handler loses nothing (lease recovery re-queues the task); keep the loop alive.
        .catch(() => {})
        .finally(() => { running.delete(run); pump(); });
      running.add(run);
    }
  }

  return {
    async enqueue(taskId, attempt = 0) {
      const entry = `${taskId}#${attempt}`;
      if (closed || entries.has(entry)) return;
      entries.set(entry, taskId);
      waiting.push(entry);
      pump();
    },
    consume(fn, concurrency) {
      if (handler) throw new Error('createLocalJobQueue: consume() may be called once');
      handler = fn;
      limit = Math.max(1, Math.floor(concurrency));
      pump();
    },
    async size() {
      return waiting.length;
    },
    async close(timeoutMs = 30_000) {
      closed = true;
      if (running.size === 0) return;
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        Promise.allSettled([...running]),
        new Promise<void>((r) => { timer = setTimeout(r, timeoutMs); }),
      ]);
      clearTimeout(timer);
    },
  };
}
