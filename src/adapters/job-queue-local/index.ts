/**
 * The embedded JobQueue: an in-process FIFO of task ids. Nothing here is durable: the
 * TaskStore is the record, and the worker refills this queue from it on start
 * (TaskStore.listQueued) and re-queues expired leases, so a crash loses no task.
 * An id may be enqueued twice (refill racing a create): TaskStore.claim is the guard.
 */
import type { JobQueue } from '../../ports/job-queue.js';

export function createLocalJobQueue(): JobQueue {
  const waiting: string[] = [];
  const running = new Set<Promise<void>>();
  let handler: ((taskId: string) => Promise<void>) | undefined;
  let limit = 1;
  let closed = false;

  function pump(): void {
    while (!closed && handler && running.size < limit && waiting.length > 0) {
      const id = waiting.shift() as string;
      const run = handler(id)
        // A throwing handler loses nothing (lease recovery re-queues the task); keep the loop alive.
        .catch(() => {})
        .finally(() => { running.delete(run); pump(); });
      running.add(run);
    }
  }

  return {
    async enqueue(taskId) {
      if (closed) return;
      waiting.push(taskId);
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
