/**
 * The sweeper (SPEC §1.3): deletes results whose URL has expired, and uploads nobody will
 * read any more (their task ended, or no task was ever made for them because the process
 * died between storing the upload and inserting the task).
 */
import { isFinal } from '../domain/task-state.js';
import type { Logger } from '../platform/logger.js';
import type { BlobStore } from '../ports/blob-store.js';
import type { Clock } from '../ports/clock.js';
import type { TaskStore } from '../ports/task-store.js';

export interface SweeperDeps {
  store: TaskStore;
  blobs: BlobStore;
  clock: Clock;
  resultTtlSeconds: number;
  log?: Logger;
}

export interface SweepCounts { results: number; uploads: number }

/** Upload keys seen without a task on the previous pass: deleted if still orphaned now (a create in progress inserts its task within the same second). */
export class Sweeper {
  private suspects = new Set<string>();

  constructor(private readonly deps: SweeperDeps) {}

  async sweepOnce(): Promise<SweepCounts> {
    const { store, blobs, clock } = this.deps;
    let results = 0, uploads = 0;
    for (const task of await store.listExpiredResults(clock.now() - this.deps.resultTtlSeconds * 1000)) {
      if (task.resultKey) await blobs.delete(task.resultKey);
      await store.clearResult(task.id);
      results++;
    }
    const nextSuspects = new Set<string>();
    for (const key of await blobs.list('inputs/')) {
      const task = await store.get(key.slice('inputs/'.length));
      if (task && !isFinal(task.state)) continue;
      if (task || this.suspects.has(key)) { await blobs.delete(key); uploads++; }
      else nextSuspects.add(key);
    }
    this.suspects = nextSuspects;
    if (results + uploads > 0) this.deps.log?.info('sweeper removed files', { results, uploads });
    return { results, uploads };
  }

  /** Sweeps every `intervalMs` until the returned stop function is called. */
  start(intervalMs: number): () => void {
    let running = false;
    const timer = setInterval(() => {
      if (running) return;
      running = true;
      this.sweepOnce()
        .catch((e: unknown) => this.deps.log?.error('sweep failed', { cause: String(e) }))
        .finally(() => { running = false; });
    }, intervalMs);
    timer.unref();
    return () => clearInterval(timer);
  }
}
