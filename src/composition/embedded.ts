/**
 * Embedded mode (SPEC §6), the default composition root and the only place that wires
 * adapters: SQLite for tasks and keys, the local disk for files, an in-process queue and
 * worker pool, the engines, normalisers and renderers, and the HTTP app in one process.
 */
import fs from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { createFsBlobStore } from '../adapters/blob-store-fs/index.js';
import { createLocalJobQueue } from '../adapters/job-queue-local/index.js';
import { createWebhookNotifier } from '../adapters/notifier-webhook/index.js';
import type { DocrConfig } from '../config/index.js';
import { createRecognizer, installedLanguageNames, installedLanguageNamesNow, validateLanguages } from '../engines/index.js';
import { Sweeper } from '../app/sweeper.js';
import { buildApp } from '../http/app.js';
import { createNormaliser } from '../normalisers/index.js';
import { createGuardedFetcher, createOutboundGuard } from '../platform/outbound-guard/index.js';
import { createLogger, type Logger } from '../platform/logger.js';
import { createSecretBox } from '../platform/secret-box.js';
import { ResultUrlSigner } from '../platform/signed-url.js';
import { dataPaths, openEmbeddedStore, urlSecretOf } from './embedded-store.js';
import { systemClock, type Clock } from '../ports/clock.js';
import type { TaskRecord, TaskStore } from '../ports/task-store.js';
import { createRenderers } from '../renderers/index.js';
import { startWorker, type WorkerHandle } from '../worker/index.js';

/** States whose credit goes back under the 'docr-failures' policy (SPEC §1.4): docr's own faults. */
const REFUNDED_STATES: ReadonlySet<number> = new Set([-1, -2, -13, -15]);

export interface EmbeddedDocr {
  app: FastifyInstance;
  store: TaskStore;
  worker: WorkerHandle;
  /** Listens on config.host:config.port; resolves with the bound address. */
  listen(): Promise<string>;
  /** SIGTERM path: stop intake, let running tasks finish (or re-queue them), close everything. */
  close(): Promise<void>;
}

export async function startEmbedded(config: DocrConfig, opts: { clock?: Clock; log?: Logger } = {}): Promise<EmbeddedDocr> {
  const clock = opts.clock ?? systemClock;
  const log = opts.log ?? createLogger(config.logLevel);
  const paths = dataPaths(config.dataDir);
  fs.mkdirSync(paths.root, { recursive: true });

  const store = openEmbeddedStore(config, clock);
  const blobs = createFsBlobStore(paths.blobs);
  const queue = createLocalJobQueue();
  const secret = urlSecretOf(config);
  const signer = new ResultUrlSigner(secret);
  const secrets = createSecretBox(secret);
  const allow = config.allowPrivateUrls ? true : undefined;
  // Callbacks carry no request: their result URLs use --public-url, else this server's own address.
  let selfBase = config.publicUrl ?? `http://${config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host}:${config.port}`;
  const resultUrlOf = (task: TaskRecord) => signer.urlFor(selfBase, {
    taskId: task.id, ext: task.options.format,
    expires: Math.floor((task.completedAt ?? clock.now()) / 1000) + config.resultTtl,
  });

  const recognizer = createRecognizer({ workers: config.workers });
  const normaliser = createNormaliser();
  await installedLanguageNames(); // listed once; later answers come from the model folder as it is then
  const worker = startWorker({
    store, blobs, queue, clock, log, secrets,
    normaliser,
    recognizer,
    renderers: createRenderers(),
    fetcher: createGuardedFetcher({ allow }),
    notifier: createWebhookNotifier({ store, clock, guard: createOutboundGuard({ allow }), resultUrlOf, log }),
    options: {
      concurrency: config.workers,
      processingTimeoutMs: config.processingTimeout * 1000,
      leaseMs: config.leaseSeconds * 1000,
      maxAttempts: config.maxAttempts,
      workDir: paths.work,
      urlMaxBytes: config.urlMaxBytes,
      refundOn: config.refundPolicy === 'docr-failures' ? (state) => REFUNDED_STATES.has(state) : undefined,
    },
  });

  const stopSweeper = new Sweeper({ store, blobs, clock, resultTtlSeconds: config.resultTtl, log }).start(60_000);

  let closing = false;
  const app = buildApp({
    store, blobs, queue, clock, signer, secrets,
    logLevel: config.logLevel, trustProxy: config.trustProxy, outboundAllow: allow,
    validateLanguages: (value) => validateLanguages(value, installedLanguageNamesNow),
    limits: {
      maxUploadBytes: config.maxUploadBytes, resultTtlSeconds: config.resultTtl, syncWaitSeconds: config.syncWaitSeconds,
      queryQps: config.queryQps, publicUrl: config.publicUrl, maxQueued: config.maxQueued,
    },
    isReady: () => !closing,
  });

  return {
    app, store, worker,
    async listen() {
      const address = await app.listen({ port: config.port, host: config.host });
      if (!config.publicUrl) {
        const port = (app.server.address() as { port: number }).port;
        selfBase = `http://${config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host}:${port}`;
      }
      return address;
    },
    async close() {
      if (closing) return;
      closing = true;
      stopSweeper();
      await app.close(); // stops intake; in-flight requests finish
      await worker.stop(config.shutdownGrace * 1000);
      await recognizer.close();
      await normaliser.close();
      await store.close();
    },
  };
}
