/** What the HTTP layer is given (no singletons: the composition root builds one per app). */
import type { CreateTaskDeps } from '../app/create-task.js';
import type { RateLimiter } from '../app/rate-limiter.js';
import type { SecretBox } from '../platform/secret-box.js';
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
  /** Fastify log level; 'silent' for tests. */
  logLevel?: string;
  /** Extra readiness checks (the worker is running, ...). */
  isReady?: () => boolean | Promise<boolean>;
  /** sync=1 polling interval (default 200 ms). */
  syncPollMs?: number;
  limiter?: RateLimiter;
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
  /** Signed download URL of a succeeded task's result under `base`. */
  resultUrlOf: (task: TaskRecord, base: string) => string;
}
