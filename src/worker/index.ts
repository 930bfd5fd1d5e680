/**
 * The worker: dequeue → claim (compare-and-set) → runTask → end, with a lease renewed while
 * the task runs, recovery of dead workers' tasks, callback delivery off the task slots, and
 * a graceful stop (SIGTERM). See ARCHITECTURE "The path of one task".
 */
import { randomBytes } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { hostname } from 'node:os';
import { isFinal } from '../domain/task-state.js';
import { deliverDueCallbacks, runTask, TaskAbort, type PipelineDeps, type PipelineLimits } from '../pipeline/index.js';
import { createLogger } from '../platform/logger.js';
import type { OutputFormat } from '../contract/formats.js';
import { DocrError } from '../domain/errors.js';
import type { Renderer } from '../ports/renderer.js';
import { DEFAULT_WORKER_OPTIONS, type RendererLookup, type WorkerDeps, type WorkerHandle } from './options.js';
import { recoverExpiredLeases, requeueForgotten, sweepWorkDirs, type RecoverEnv } from './recover.js';
import { workerSeries } from './metrics.js';

export type { RendererLookup, WorkerDeps, WorkerHandle, WorkerOptions } from './options.js';
export { DEFAULT_WORKER_OPTIONS } from './options.js';
export { recoverExpiredLeases, requeueForgotten, type RecoverEnv } from './recover.js';

/** Work dirs are swept, and queued tasks the queue forgot looked for, every this many polls. */
const SWEEP_EVERY_POLLS = 60;
/** A task queued this long while the queue is empty was lost between the store and the queue. */
const FORGOTTEN_AFTER_MS = 30_000;

export function startWorker(deps: WorkerDeps): WorkerHandle {
  const o = { ...DEFAULT_WORKER_OPTIONS, ...deps.options };
  const id = o.workerId ?? `worker-${hostname()}-${process.pid}-${randomBytes(4).toString('hex')}`;
  const log = (deps.log ?? createLogger('info')).child({ worker: id });
  const pipelineDeps: PipelineDeps = { ...deps, renderers: rendererOf(deps.renderers), log };
  const limits: PipelineLimits = { processingTimeoutMs: o.processingTimeoutMs, urlMaxBytes: o.urlMaxBytes, workRoot: o.workDir, refundOn: o.refundOn };
  const running = new Map<string, { abort: AbortController; done: Promise<void> }>();
  const recoverEnv: RecoverEnv = {
    ...deps, log, owner: id, leaseMs: o.leaseMs, maxAttempts: o.maxAttempts, refundOn: o.refundOn, isRunning: (taskId) => running.has(taskId),
  };
  const deliveries = new Set<string>();
  const report = workerSeries(deps.metrics, deps.store, deps.clock);
  let stopping = false;
  let polls = 0;
  let polling: Promise<void> | undefined;

  async function handle(taskId: string): Promise<void> {
    if (stopping) return; // stays queued in the store; refilled on the next start
    const task = await deps.store.claim(taskId, id, deps.clock.now() + o.leaseMs);
    if (!task) return; // another worker won, or it is no longer queued
    const abort = new AbortController();
    const renew = setInterval(() => void renewLease(taskId, abort), Math.max(10, Math.floor(o.leaseMs / 3)));
    const done = (async () => {
      try {
        const outcome = await runTask({ task, owner: id, deps: pipelineDeps, limits, signal: abort.signal });
        if (!outcome.ended && outcome.reason === 'shutdown') await handBack(taskId);
        if (outcome.ended) {
          const final = await deps.store.get(taskId);
          if (final) report.ended(final);
          if (task.options.callbackUrl) kickCallbacks();
        }
      } catch (e) {
        // The store itself failed: the lease will expire and recovery re-queues the task.
        log.error('task run failed outside the pipeline', { taskId, cause: String((e as Error)?.stack ?? e) });
      } finally {
        clearInterval(renew);
        running.delete(taskId);
      }
    })();
    running.set(taskId, { abort, done });
    await done;
  }

  /** Extends the lease; notices a cancel (the task ended elsewhere) or a lost lease and aborts the run. */
  async function renewLease(taskId: string, abort: AbortController): Promise<void> {
    if (abort.signal.aborted) return;
    try {
      const current = await deps.store.get(taskId);
      if (current && isFinal(current.state)) { abort.abort(new TaskAbort('cancelled')); return; }
      if (!(await deps.store.update(taskId, id, { leaseUntil: deps.clock.now() + o.leaseMs }))) abort.abort(new TaskAbort('lease-lost'));
    } catch (e) {
      log.warn('lease renewal failed', { taskId, cause: String(e) });
    }
  }

  /** SIGTERM mid-task: back to queued for another worker (or this one's next start); attempts kept. */
  async function handBack(taskId: string): Promise<void> {
    await deps.store.requeue(taskId);
    const task = await deps.store.get(taskId);
    if (task) await deps.queue.enqueue(taskId, task.attempts);
  }

  function kickCallbacks(): void {
    deliverDueCallbacks(deps.store, deps.notifier, deps.clock.now(), deliveries, log, report.callback)
      .catch((e: unknown) => log.error('callback poll failed', { cause: String(e) }));
  }

  function poll(): Promise<void> {
    polling ??= (async () => {
      try {
        if (!stopping) await recoverExpiredLeases(recoverEnv);
        kickCallbacks();
        if (++polls % SWEEP_EVERY_POLLS === 0) {
          await sweepWorkDirs(o.workDir, o.processingTimeoutMs + o.leaseMs);
          if (!stopping) await requeueForgotten(recoverEnv, FORGOTTEN_AFTER_MS);
        }
      } catch (e) {
        log.error('worker poll failed', { cause: String((e as Error)?.stack ?? e) });
      } finally {
        polling = undefined;
      }
    })();
    return polling;
  }

  const ready = (async () => {
    await mkdir(o.workDir, { recursive: true });
    await sweepWorkDirs(o.workDir, o.processingTimeoutMs + o.leaseMs);
    await recoverExpiredLeases(recoverEnv);
    deps.queue.consume(handle, o.concurrency);
  })();
  ready.catch((e: unknown) => log.error('worker start-up failed', { cause: String((e as Error)?.stack ?? e) }));
  const timer = setInterval(() => void poll(), o.pollMs);
  timer.unref();

  return {
    id, ready, poll,
    running: () => running.size,
    async stop(timeoutMs = 30_000) {
      stopping = true;
      clearInterval(timer);
      await ready.catch(() => {});
      const all = () => Promise.allSettled([...running.values()].map((r) => r.done));
      await Promise.race([all(), delay(timeoutMs)]);
      for (const r of running.values()) r.abort.abort(new TaskAbort('shutdown'));
      await all();
      await deps.queue.close(1000);
      await Promise.race([polling, delay(Math.min(timeoutMs, 5000))]);
      log.info('worker stopped');
    },
  };
}

function rendererOf(lookup: RendererLookup): (format: OutputFormat) => Renderer {
  const find = typeof lookup === 'function' ? lookup
    : lookup instanceof Map ? (f: OutputFormat) => lookup.get(f)
      : (f: OutputFormat) => (lookup as Partial<Record<OutputFormat, Renderer>>)[f];
  return (format) => {
    const r = find(format);
    if (!r) throw new DocrError('INTERNAL', `No renderer is installed for format ${format}.`, { format });
    return r;
  };
}

function delay(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms).unref());
}
