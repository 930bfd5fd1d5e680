/** What the HTTP layer is given (no singletons: the composition root builds one per app). */
import type { FastifyBaseLogger } from 'fastify';
import type { CreateTaskDeps } from '../app/create-task.js';
import type { Metrics } from '../platform/metrics.js';
import type { SecretBox } from '../platform/secret-box.js';
import type { RateLimiter } from '../ports/rate-limiter.js';
import type { ResultUrlSigner } from '../platform/signed-url.js';
import type { BlobStore } from '../ports/blob-store.js';
import type { Clock } from '../ports/clock.js';
import type { JobQueue } from '../ports/job-queue.js';
import type { TaskRecord, TaskStore } from '../ports/task-store.js';

export interface HttpLimits {
  maxUploadBytes: number;
  resultTtlSeconds: number;
  syncWaitSeconds: number;
  queryQps: number;
  publicUrl?: string;
  /** Tasks waiting for a worker beyond which creates get 503 (backpressure); undefined: no bound. */
  maxQueued?: number;
}

export interface HttpDeps {
  store: TaskStore;
  blobs: BlobStore;
  queue: JobQueue;
  clock: Clock;
  signer: ResultUrlSigner;
  /** Seals task passwords at rest (the same server secret as the signer's). */
  secrets: SecretBox;
  limits: HttpLimits;
  validateLanguages?: (value: string) => string[];
  /** Private ranges callbacks may reach (the outbound guard's allow-list): a literal callback_url outside them is a 400. */
  outboundAllow?: boolean | readonly string[];
  /** Fastify log level; 'silent' for tests. */
  logLevel?: string;
  /** The app's logger (a pino instance); default: pino at logLevel on stdout (platform/logger.ts). */
  logger?: FastifyBaseLogger;
  /** Extra readiness checks (the worker is running, ...). */
  isReady?: () => boolean | Promise<boolean>;
  /** sync=1 polling interval (default 200 ms). */
  syncPollMs?: number;
  limiter?: RateLimiter;
  /** Fastify's trustProxy: true, or the proxies' addresses/CIDRs (comma-separated). Default false. */
  trustProxy?: boolean | string;
  /** Time allowed for a request's headers to arrive (408 after it). Default 60 s. */
  headersTimeoutMs?: number;
  /**
   * The download URL of a succeeded task's result, when the composition has its own (scaled
   * mode: presigned object-store URLs); default: this API's signed /api/results/ URL under `base`.
   */
  resultUrlOf?: (task: TaskRecord, base: string) => string | Promise<string>;
  /** The process's metrics registry (the worker and engines report into it too); default: the app's own. */
  registry?: Metrics;
}

export interface HttpMetrics {
  tasksCreated: () => void;
  render: () => Promise<string>;
}

/** The dependencies as routes use them: HttpDeps with every default filled in, plus what the app adds. */
export interface HttpContext extends CreateTaskDeps, Pick<HttpDeps, 'signer' | 'limits'> {
  limiter: RateLimiter;
  metrics: HttpMetrics;
  syncPollMs: number;
  /** Aborts when the app starts closing: sync=1 waits answer the current state at once. */
  shutdown: AbortSignal;
  isReady: () => boolean | Promise<boolean>;
  /** Download URL of a succeeded task's result (signed under `base`, or the composition's own). */
  resultUrlOf: (task: TaskRecord, base: string) => string | Promise<string>;
}
