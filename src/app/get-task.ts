/** Reading tasks for their owner, and waiting for one to end (sync=1, SPEC §2.3). */
import { DocrError } from '../domain/errors.js';
import { isFinal } from '../domain/task-state.js';
import type { TaskRecord, TaskStore } from '../ports/task-store.js';

/** The task if it exists and belongs to `keyId`; otherwise NOT_FOUND (another key's task is unknown too). */
export async function getOwnTask(store: TaskStore, keyId: string, id: string): Promise<TaskRecord> {
  return ownOnly(await store.get(id), keyId, id);
}

/**
 * As `getOwnTask`, through the store's `peek` where it has one: the record is then shared, and
 * the same object for as long as the task is unchanged (the query path keeps its answer by it).
 */
export async function peekOwnTask(store: TaskStore, keyId: string, id: string): Promise<Readonly<TaskRecord>> {
  return ownOnly(store.peek ? await store.peek(id) : await store.get(id), keyId, id);
}

function ownOnly<T extends Readonly<TaskRecord>>(task: T | undefined, keyId: string, id: string): T {
  if (!task || task.keyId !== keyId) throw new DocrError('NOT_FOUND', `task ${id} was not found (check the task_id and the API key)`);
  return task;
}

/** Re-read interval while waiting on a store that announces changes. */
const NOTIFIED_FALLBACK_MS = 1000;

export interface WaitOptions {
  timeoutMs: number;
  intervalMs?: number;
  /** Stops waiting (e.g. the client went away); the task itself goes on. */
  signal?: AbortSignal;
}

/**
 * Polls the store and yields the task whenever its state, progress or pages done changed
 * (the first read included), until it is final, the time is up or `signal` aborts. Never
 * throws for a task that is still running. The one mechanism behind sync=1 and the event stream.
 */
export async function* watchTask(store: TaskStore, id: string, opts: WaitOptions): AsyncGenerator<TaskRecord> {
  const interval = opts.intervalMs ?? 200;
  const deadline = Date.now() + opts.timeoutMs;
  let seen = '';
  for (let task = await store.get(id); task; task = await store.get(id)) {
    const mark = `${task.state}/${task.progress}/${task.pagesDone ?? ''}`;
    if (mark !== seen) { seen = mark; yield task; }
    if (isFinal(task.state) || Date.now() >= deadline || opts.signal?.aborted) return;
    // A store that announces changes (scaled: PostgreSQL NOTIFY from whichever node wrote) wakes
    // the wait at once; the interval is then only the fallback should an announcement be lost.
    const wait = Math.min(store.waitForChange ? Math.max(interval, NOTIFIED_FALLBACK_MS) : interval, Math.max(0, deadline - Date.now()));
    await (store.waitForChange ? store.waitForChange(id, wait, opts.signal) : sleep(wait, opts.signal));
  }
}

/** Waits as `watchTask` does; resolves with the latest record either way. */
export async function waitForFinal(store: TaskStore, id: string, opts: WaitOptions): Promise<TaskRecord | undefined> {
  let latest: TaskRecord | undefined;
  for await (const task of watchTask(store, id, opts)) latest = task;
  // The freshest record: fields that do not mark a change (file sizes, callback) may have moved.
  return latest && ((await store.get(id)) ?? latest);
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() { clearTimeout(timer); signal?.removeEventListener('abort', done); resolve(); }
    signal?.addEventListener('abort', done, { once: true });
  });
}
