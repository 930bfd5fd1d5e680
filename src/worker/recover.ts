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
}

/**
 * `everyWorkingTask`: at the start of the only worker of a store (embedded mode), every task
 * in a working state belongs to a dead process whatever its lease says, so none waits for
 * its lease to run out.
 */
export async function recoverExpiredLeases(env: RecoverEnv, everyWorkingTask = false): Promise<void> {
  const now = env.clock.now();
  const orphans = await env.store.listExpiredLeases(everyWorkingTask ? Number.MAX_SAFE_INTEGER : now);
  for (const task of orphans) {
    if (task.leaseOwner === env.owner && !everyWorkingTask) continue;
    await env.store.requeue(task.id);
    if (task.attempts < env.maxAttempts) {
      env.log.warn('re-queueing a task whose worker stopped', { taskId: task.id, attempts: task.attempts, owner: task.leaseOwner });
      await env.queue.enqueue(task.id);
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

/** Queued tasks back into an in-memory queue after a restart (ids may repeat: claim is the guard). */
export async function refillQueue(env: Pick<RecoverEnv, 'store' | 'queue'>, limit = 100_000): Promise<number> {
  const queued = await env.store.listQueued(limit);
  for (const t of queued) await env.queue.enqueue(t.id);
  return queued.length;
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
