/**
 * Recovery of tasks whose worker died (SPEC §6: a crash loses nothing). A task in a working
 * state with an expired lease is put back to queued, or ends in -13 once it has used
 * `maxAttempts` claims (a task that keeps killing its worker must not loop forever).
 * Runs at start and then periodically, so it also covers other processes' crashes.
 */
import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { DocrError } from '../domain/errors.js';
import { endTask, failurePatch, type EndEnv } from '../pipeline/index.js';
import type { JobQueue } from '../ports/job-queue.js';

export interface RecoverEnv extends EndEnv {
  queue: JobQueue;
  owner: string;
  leaseMs: number;
  maxAttempts: number;
  /**
   * Whether this worker is still running the task. A task of ours whose run ended without a
   * final write (the store failed at the end) is recovered like anyone else's.
   */
  isRunning?: (taskId: string) => boolean;
}

/**
 * Recovers the tasks in a working state whose lease ends before `leasesEndingBefore` (default:
 * now, i.e. expired), except this worker's own. A caller that knows every lease holder is dead
 * (the start of a store's only process) passes a later time so that none waits for its lease.
 */
export async function recoverExpiredLeases(env: RecoverEnv, leasesEndingBefore = env.clock.now()): Promise<void> {
  const now = env.clock.now();
  const orphans = await env.store.listExpiredLeases(leasesEndingBefore);
  for (const task of orphans) {
    if (task.leaseOwner === env.owner && (env.isRunning?.(task.id) ?? true)) continue;
    await env.store.requeue(task.id);
    if (task.attempts < env.maxAttempts) {
      env.log.warn('re-queueing a task whose worker stopped', { taskId: task.id, attempts: task.attempts, owner: task.leaseOwner });
      await env.queue.enqueue(task.id, task.attempts);
      continue;
    }
    // Claim (compare-and-set) so that only one recovering worker ends it.
    const claimed = await env.store.claim(task.id, env.owner, now + env.leaseMs);
    if (!claimed) continue;
    const error = new DocrError('CANCELLED',
      `The task was interrupted ${task.attempts} times (its worker stopped) and was given up; create it again.`, { attempts: task.attempts });
    env.log.warn('giving up a task after repeated interruptions', { taskId: task.id, attempts: task.attempts });
    await endTask(env, claimed, env.owner, failurePatch(claimed, error, now));
  }
}

/**
 * Queued tasks back into the queue (ids may repeat: claim is the guard); the number enqueued.
 * `olderThanMs`: only when the queue is empty, and only tasks queued at least that long, i.e.
 * ones lost between the store and the queue (a create whose process died right after its insert).
 */
export async function requeueForgotten(env: Pick<RecoverEnv, 'store' | 'queue' | 'clock'>, olderThanMs = 0, limit = 100_000): Promise<number> {
  if (olderThanMs > 0 && (await env.queue.size()) > 0) return 0;
  const cutoff = env.clock.now() - olderThanMs;
  const lost = (await env.store.listQueued(limit)).filter((t) => olderThanMs === 0 || t.createdAt <= cutoff);
  for (const t of lost) await env.queue.enqueue(t.id, t.attempts);
  return lost.length;
}

/** Work dirs a dead process left behind: anything untouched for longer than a task may run. */
export async function sweepWorkDirs(root: string, olderThanMs: number): Promise<void> {
  const entries = await readdir(root).catch(() => [] as string[]);
  const cutoff = Date.now() - olderThanMs;
  for (const name of entries) {
    const path = join(root, name);
    const s = await stat(path).catch(() => undefined);
    if (s && s.mtimeMs < cutoff) await rm(path, { recursive: true, force: true });
  }
}
