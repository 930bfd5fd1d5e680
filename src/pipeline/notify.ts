/**
 * Stage 6: callbacks. A finished task with `callback_url` gets a callback status owed "now"
 * in the same write that ends it, so a crash between ending and delivering loses nothing;
 * the worker's poller then delivers every due callback (TaskStore.listDueCallbacks) through
 * the Notifier, off the task slots, so delivery never blocks other work.
 */
import type { Logger } from '../platform/logger.js';
import type { Notifier } from '../ports/notifier.js';
import type { CallbackStatus, TaskRecord, TaskStore } from '../ports/task-store.js';

/** The callback bookkeeping a task starts with when it ends; undefined when it has no callback_url. */
export function callbackOwed(task: TaskRecord, now: number): CallbackStatus | undefined {
  return task.options.callbackUrl ? { attempts: 0, delivered: false, nextAttemptAt: now } : undefined;
}

/**
 * Delivers the callbacks due at `now` that this process is not already delivering, at most
 * `maxInFlight` at a time (the rest wait for the next poll). Resolves when those attempts
 * have been made and recorded.
 */
export async function deliverDueCallbacks(store: TaskStore, notifier: Notifier, now: number,
  inFlight: Set<string>, log: Logger, record?: (outcome: CallbackStatus | 'error') => void, maxInFlight = 16): Promise<void> {
  // Bounded: a backlog of receivers that time out must not open thousands of sockets at once.
  const room = Math.max(0, maxInFlight - inFlight.size);
  const due = (await store.listDueCallbacks(now)).filter((t) => !inFlight.has(t.id)).slice(0, room);
  await Promise.all(due.map(async (task) => {
    inFlight.add(task.id);
    try {
      const status = await notifier.deliver(task);
      record?.(status);
      log.info('callback attempt', { taskId: task.id, attempts: status.attempts, status: status.lastStatus, delivered: status.delivered });
    } catch (e) {
      record?.('error');
      log.error('callback delivery crashed', { taskId: task.id, cause: String((e as Error)?.stack ?? e) });
    } finally {
      inFlight.delete(task.id);
    }
  }));
}
