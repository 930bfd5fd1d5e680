/**
 * The worker role: this process's task slots on a kit's ports (dequeue → claim → runTask →
 * end), with callbacks delivered from here. The kit prepares the start (embedded: recover
 * everything, refill the in-memory queue); the worker itself knows no mode.
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import path from 'node:path';
import type { DocrConfig } from '../../config/index.js';
import type { Logger } from '../../platform/logger.js';
import type { Clock } from '../../ports/clock.js';
import { startWorker, type WorkerHandle, type WorkerOptions } from '../../worker/index.js';
import type { Kit } from '../kits/kit.js';
import type { Modules } from '../modules.js';
import type { ResultLinks } from '../result-links.js';

/** States whose credit goes back under the 'docr-failures' policy (SPEC §1.4): docr's own faults. */
const REFUNDED_STATES: ReadonlySet<number> = new Set([-1, -2, -13, -15]);

export interface WorkerRole {
  worker: WorkerHandle;
  /** SIGTERM path: no new tasks; running ones finish within `graceMs` or are handed back. */
  close(graceMs: number): Promise<void>;
}

export async function startWorkerRole(config: DocrConfig, kit: Kit, modules: Modules, links: ResultLinks,
  env: { clock: Clock; log: Logger }): Promise<WorkerRole> {
  const workerId = `worker-${hostname()}-${process.pid}-${randomBytes(4).toString('hex')}`;
  const options: WorkerOptions = {
    workerId,
    concurrency: config.workers,
    processingTimeoutMs: config.processingTimeout * 1000,
    leaseMs: config.leaseSeconds * 1000,
    maxAttempts: config.maxAttempts,
    workDir: path.join(path.resolve(config.dataDir), 'work'),
    urlMaxBytes: config.urlMaxBytes,
    refundOn: config.refundPolicy === 'docr-failures' ? (state) => REFUNDED_STATES.has(state) : undefined,
  };
  await kit.prepareWorker?.({
    store: kit.store, blobs: kit.blobs, queue: kit.queue, clock: env.clock, log: env.log,
    owner: workerId, leaseMs: options.leaseMs, maxAttempts: options.maxAttempts, refundOn: options.refundOn,
  });
  const worker = startWorker({
    store: kit.store, blobs: kit.blobs, queue: kit.queue, clock: env.clock, log: env.log, secrets: kit.secrets, metrics: modules.metrics(),
    normaliser: modules.normaliser(),
    recognizer: modules.recognizer(),
    renderers: modules.renderers(),
    fetcher: modules.fetcher(),
    notifier: modules.notifier(kit.store, (task) => links.urlOf(task)),
    options,
  });
  return {
    worker,
    close: (graceMs) => worker.stop(graceMs),
  };
}
