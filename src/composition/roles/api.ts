/**
 * The API role: the HTTP app on a kit's ports, and the sweeper of expired results and
 * orphaned uploads. Stateless on a scaled kit, so any number of API nodes can run.
 */
import type { FastifyInstance } from 'fastify';
import { Sweeper } from '../../app/sweeper.js';
import type { DocrConfig } from '../../config/index.js';
import { buildApp } from '../../http/app.js';
import type { Logger } from '../../platform/logger.js';
import type { Clock } from '../../ports/clock.js';
import type { Kit } from '../kits/kit.js';
import type { Modules } from '../modules.js';
import { loopbackFor, type ResultLinks } from '../result-links.js';

/** How often the sweeper looks for expired results and orphaned uploads. */
const SWEEP_INTERVAL_MS = 60_000;

export interface ApiRole {
  app: FastifyInstance;
  /** Listens on config.host:config.port; resolves with the bound address. */
  listen(): Promise<string>;
  /** Stops intake and the sweeper; in-flight requests finish. */
  close(): Promise<void>;
}

export async function startApiRole(config: DocrConfig, kit: Kit, modules: Modules, links: ResultLinks,
  env: { clock: Clock; log: Logger }): Promise<ApiRole> {
  const stopSweeper = new Sweeper({ store: kit.store, blobs: kit.blobs, clock: env.clock, resultTtlSeconds: config.resultTtl, log: env.log })
    .start(SWEEP_INTERVAL_MS);
  let closing = false;
  const app = buildApp({
    store: kit.store, blobs: kit.blobs, queue: kit.queue, clock: env.clock, signer: links.signer, secrets: kit.secrets, registry: modules.metrics(),
    limiter: kit.limiter, trustProxy: config.trustProxy, outboundAllow: config.allowPrivateUrls ? true : undefined,
    // The object store's presigned URLs when it gives them; else the app signs its own.
    resultUrlOf: kit.blobs.directUrl ? (task, base) => links.urlOf(task, base) : undefined,
    logLevel: config.logLevel,
    validateLanguages: await modules.languageCheck(),
    limits: {
      maxUploadBytes: config.maxUploadBytes, resultTtlSeconds: config.resultTtl, syncWaitSeconds: config.syncWaitSeconds,
      queryQps: config.queryQps, publicUrl: config.publicUrl, maxQueued: config.maxQueued,
    },
    isReady: async () => !closing && Object.values(await kit.check()).every(Boolean),
  });
  return {
    app,
    async listen() {
      const address = await app.listen({ port: config.port, host: config.host });
      links.setSelfBase(`http://${loopbackFor(config.host)}:${(app.server.address() as { port: number }).port}`);
      return address;
    },
    async close() {
      if (closing) return;
      closing = true;
      stopSweeper();
      await app.close();
    },
  };
}
