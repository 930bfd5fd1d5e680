/**
 * What the worker reports to /metrics: tasks by final state and error code, task latency
 * (creation to end, and processing: claim to end), callback outcomes, and the age of the
 * oldest queued task (a queue that is deep but young is fine; an old one means the workers
 * cannot keep up).
 */
import { TaskState } from '../domain/task-state.js';
import type { Metrics } from '../platform/metrics.js';
import type { CallbackStatus, TaskRecord, TaskStore } from '../ports/task-store.js';
import type { Clock } from '../ports/clock.js';

export interface WorkerSeries {
  ended(task: TaskRecord): void;
  callback(status: CallbackStatus | 'error'): void;
}

const NONE: WorkerSeries = { ended: () => undefined, callback: () => undefined };

export function workerSeries(m: Metrics | undefined, store: TaskStore, clock: Clock): WorkerSeries {
  if (!m) return NONE;
  const finished = m.counter('docr_tasks_finished_total', 'Tasks ended by a worker, by final state and error code', ['state', 'code']);
  const total = m.histogram('docr_task_seconds', 'Seconds from a task\'s creation to its end, by outcome', ['outcome']);
  const processing = m.histogram('docr_task_processing_seconds', 'Seconds from a worker claiming a task to its end, by outcome', ['outcome']);
  const callbacks = m.counter('docr_callbacks_total', 'Callback delivery attempts by outcome (delivered, retry, failed, error)', ['outcome']);
  m.gauge('docr_queue_oldest_age_seconds', 'Age of the oldest queued task (0 when none waits)', async () => {
    const [oldest] = await store.listQueued(1);
    return oldest ? Math.max(0, (clock.now() - oldest.createdAt) / 1000) : 0;
  });
  return {
    ended(task) {
      const outcome = task.state === TaskState.Succeeded ? 'succeeded' : 'failed';
      finished({ state: task.state, code: task.errorCode ?? (task.state === TaskState.Succeeded ? 'none' : 'unknown') });
      const end = task.completedAt ?? clock.now();
      total({ outcome }, Math.max(0, end - task.createdAt) / 1000);
      if (task.processedAt !== undefined) processing({ outcome }, Math.max(0, end - task.processedAt) / 1000);
    },
    callback(status) {
      callbacks({ outcome: status === 'error' ? 'error' : status.delivered ? 'delivered' : status.nextAttemptAt !== undefined ? 'retry' : 'failed' });
    },
  };
}
