/**
 * `docr worker`'s composition root (scaled mode): the scaled kit with the worker role and an
 * admin port (/healthz, /readyz, /metrics); no public API. Any number of these run beside
 * any number of API nodes.
 */
import type { DocrConfig } from '../config/index.js';
import { createLogger, type Logger } from '../platform/logger.js';
import { systemClock, type Clock } from '../ports/clock.js';
import type { WorkerHandle } from '../worker/index.js';
import { openKit } from './kits/index.js';
import { closeOnce, failedStart } from './lifecycle.js';
import { createModules } from './modules.js';
import { createResultLinks } from './result-links.js';
import { createAdminServer } from './roles/admin.js';
import { startWorkerRole } from './roles/worker.js';

export interface WorkerProcess {
  worker: WorkerHandle;
  /** The admin server's address, once listening. */
  adminAddress: string;
  /** SIGTERM path: no new tasks; running ones finish within --shutdown-grace or are handed back. */
  close(): Promise<void>;
}

export async function startWorkerProcess(config: DocrConfig, opts: { clock?: Clock; log?: Logger } = {}): Promise<WorkerProcess> {
  const env = { clock: opts.clock ?? systemClock, log: opts.log ?? createLogger(config.logLevel) };
  const kit = await openKit(config, env);
  const modules = createModules(config, env);
  let stopping = false;
  try {
    const links = createResultLinks(config, kit.blobs, kit.urlSecret, env.clock);
    const role = await startWorkerRole(config, kit, modules, links, env);
    const admin = createAdminServer(async () => ({ ...(await kit.check()), accepting: !stopping }));
    admin.metrics.gauge('docr_worker_tasks_running', 'tasks this worker is running', () => role.worker.running());
    admin.metrics.gauge('docr_worker_slots', 'tasks this worker runs at once', () => config.workers);
    admin.metrics.gauge('docr_queue_waiting', 'task ids waiting for a worker (all workers)', () => kit.queue.size());
    const adminAddress = await admin.listen(config.host, config.adminPort);
    return {
      worker: role.worker, adminAddress,
      close: closeOnce(async () => { stopping = true; await role.close(config.shutdownGrace * 1000); },
        () => admin.close(), () => modules.close(), () => kit.close()),
    };
  } catch (e) {
    return failedStart(e, modules, kit);
  }
}
