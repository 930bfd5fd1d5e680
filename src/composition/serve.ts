/**
 * `docr serve`'s composition root: the kit of the configured mode with the API role and, unless
 * `--workers 0`, the worker role in the same process. Embedded (the default) is always both:
 * one process, as SPEC §6 describes it. Scaled: an API node, with local workers if asked.
 */
import type { FastifyInstance } from 'fastify';
import type { DocrConfig } from '../config/index.js';
import { createLogger, type Logger } from '../platform/logger.js';
import { systemClock, type Clock } from '../ports/clock.js';
import type { TaskStore } from '../ports/task-store.js';
import type { WorkerHandle } from '../worker/index.js';
import { openKit } from './kits/index.js';
import { closeOnce, failedStart } from './lifecycle.js';
import { createModules } from './modules.js';
import { createResultLinks } from './result-links.js';
import { startApiRole } from './roles/api.js';
import { startWorkerRole } from './roles/worker.js';

export interface ServingDocr {
  app: FastifyInstance;
  store: TaskStore;
  /** Undefined on an API-only node (--workers 0). */
  worker?: WorkerHandle;
  /** Listens on config.host:config.port; resolves with the bound address. */
  listen(): Promise<string>;
  /** SIGTERM path: stop intake, let running tasks finish (or hand them back), close everything. */
  close(): Promise<void>;
}

export async function startServe(config: DocrConfig, opts: { clock?: Clock; log?: Logger } = {}): Promise<ServingDocr> {
  const env = { clock: opts.clock ?? systemClock, log: opts.log ?? createLogger(config.logLevel) };
  const kit = await openKit(config, env);
  const modules = createModules(config, env);
  const links = createResultLinks(config, kit.blobs, kit.urlSecret, env.clock);
  try {
    const workers = config.workers > 0 ? await startWorkerRole(config, kit, modules, links, env) : undefined;
    const api = await startApiRole(config, kit, modules, links, env);
    return {
      app: api.app, store: kit.store, worker: workers?.worker,
      listen: () => api.listen(),
      // The API first: it stops intake, and in-flight requests finish.
      close: closeOnce(() => api.close(), () => workers?.close(config.shutdownGrace * 1000), () => modules.close(), () => kit.close()),
    };
  } catch (e) {
    return failedStart(e, modules, kit);
  }
}
