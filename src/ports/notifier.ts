/**
 * Callback delivery (SPEC §2.2): when a task with `callback_url` ends, its query body is
 * POSTed to that URL, at least once, retried on a schedule. The worker calls `deliver` for
 * every finished task whose callback is due (TaskStore.listDueCallbacks), so delivery
 * survives restarts; `deliver` makes one attempt and records it.
 */
import type { CallbackStatus, TaskRecord } from './task-store.js';

export interface Notifier {
  /**
   * One delivery attempt for a finished task. Records the attempt through
   * TaskStore.updateCallback (attempts, last status or error, delivered, next attempt time
   * or none when given up) and resolves with the recorded status. Never throws for a
   * failed delivery: that is a recorded outcome.
   */
  deliver(task: TaskRecord): Promise<CallbackStatus>;
}
