/**
 * docr's configuration: one schema, a default beside every field. Each field is set by a
 * CLI flag (`--result-ttl 60`) or an environment variable (`DOCR_RESULT_TTL=60`); the flag
 * wins. `loadConfig` (load.ts) is the only reader of process.env and argv.
 */
import os from 'node:os';
import { z } from 'zod';

const MB = 1024 * 1024;

/** Accepts "1", "true", "yes", "on" (and a bare flag) as true. */
const bool = z.preprocess((v) => {
  if (typeof v !== 'string') return v;
  const s = v.trim().toLowerCase();
  if (['1', 'true', 'yes', 'on', ''].includes(s)) return true;
  if (['0', 'false', 'no', 'off'].includes(s)) return false;
  return v;
}, z.boolean());

const int = (min: number, max = Number.MAX_SAFE_INTEGER) => z.coerce.number().int().min(min).max(max);
const positive = () => z.coerce.number().positive();

/** Scaled mode's settings (SPEC §6), meaningless in embedded mode. */
const SCALED_FIELDS = {
  databaseUrl: z.string().optional()
    .describe('Scaled: PostgreSQL URL for tasks, keys and credits, e.g. postgres://docr:secret@db:5432/docr.'),
  redisUrl: z.string().optional()
    .describe('Scaled: Redis URL for the queue and shared rate limits, e.g. redis://redis:6379.'),
  redisPrefix: z.string().regex(/^[A-Za-z0-9_.-]+$/, 'letters, digits, _ . - only').default('docr')
    .describe('Scaled: prefix of every Redis key docr uses (several deployments may share one Redis).'),
  s3Endpoint: z.string().optional()
    .describe('Scaled: S3-compatible endpoint, e.g. http://minio:9000 (unset: AWS S3 of s3Region).'),
  s3PublicEndpoint: z.string().optional()
    .describe('Scaled: the endpoint clients download presigned result URLs from, when it differs from s3Endpoint.'),
  s3Bucket: z.string().optional()
    .describe('Scaled: bucket for inputs and results (it must exist).'),
  s3Region: z.string().min(1).default('us-east-1')
    .describe('Scaled: the bucket\'s region.'),
  s3AccessKeyId: z.string().optional()
    .describe('Scaled: S3 access key id (unset: the AWS default credential chain).'),
  s3SecretAccessKey: z.string().optional()
    .describe('Scaled: S3 secret access key, with s3AccessKeyId.'),
  s3ForcePathStyle: bool.default(false)
    .describe('Scaled: path-style bucket URLs (http://host/bucket/key), as MinIO and most self-hosted stores need.'),
  migrate: bool.default(false)
    .describe('Scaled: apply pending database migrations at start (else run `docr migrate` first).'),
  adminPort: int(0, 65535).default(8081)
    .describe('Scaled: port of `docr worker`\'s /healthz, /readyz and /metrics (no public API there).'),
  connectTimeout: positive().default(60)
    .describe('Scaled: seconds to keep retrying an unreachable PostgreSQL, Redis or S3 at start before giving up.'),
};

export const REFUND_POLICIES = ['none', 'docr-failures'] as const;
export const MODES = ['embedded', 'scaled'] as const;

export const configSchema = z.object({
  mode: z.enum(MODES).default('embedded')
    .describe('embedded: one process on SQLite and the local disk; scaled: API nodes and workers on PostgreSQL, Redis and S3 (SPEC §6).'),
  port: int(0, 65535).default(8080)
    .describe('TCP port of the HTTP API.'),
  host: z.string().min(1).default('0.0.0.0')
    .describe('Interface to listen on.'),
  dataDir: z.string().min(1).default('./data')
    .describe('Where the SQLite database, uploads and results live.'),
  workers: int(0, 256).default(() => os.availableParallelism())
    .describe('OCR tasks run at once in this process (default: the number of cores); 0 (scaled mode) serves the API only.'),
  engineIsolation: z.enum(['process', 'thread']).default('process')
    .describe('Where engine instances run: child processes (a native crash costs one page\'s retry) or worker threads of the server (about 90 MiB less per engine, no isolation).'),
  resultTtl: int(1).default(3600)
    .describe('Seconds a result URL stays valid after the task completes (SPEC §1.3: 1 hour).'),
  publicUrl: z.string().url().optional()
    .describe('Base of result URLs (e.g. https://ocr.example.com); default: the request\'s own host.'),
  trustProxy: bool.default(false)
    .describe('Trust X-Forwarded-Host/-Proto/-For from a reverse proxy in front of docr (result URLs then use them); --public-url, when set, wins.'),
  allowPrivateUrls: bool.default(false)
    .describe('Lets image_url and callback_url reach private, loopback and link-local addresses (tests, intranets).'),
  processingTimeout: positive().default(180)
    .describe('Seconds a task may process before it fails with state -8 (SPEC §3).'),
  syncWait: positive().optional()
    .describe('Seconds a sync=1 create waits before answering the current state (default: processingTimeout).'),
  defaultQps: positive().default(2)
    .describe('Creates per second for keys made without --qps (the reference\'s default QPS is 2).'),
  queryQps: positive().default(50)
    .describe('Queries per second per key: generous, so that polling several tasks every second is never throttled.'),
  maxQueued: int(1).default(1000)
    .describe('Tasks waiting for a worker beyond which creates are refused with 503 and Retry-After (nothing charged).'),
  maxUploadBytes: int(1).default(200 * MB)
    .describe('Largest accepted upload in bytes (SPEC §1.2: 200 MB; more is 413).'),
  urlMaxBytes: int(1).default(30 * MB)
    .describe('Largest image_url download in bytes (SPEC §5: 30 MB; more ends the task in -5).'),
  refundPolicy: z.enum(REFUND_POLICIES).default('docr-failures')
    .describe('Give the credit back when a task fails through docr\'s own fault (-1, -2, -13, -15).'),
  maxAttempts: int(1, 20).default(3)
    .describe('Processing attempts before a task whose worker died ends in -13.'),
  leaseSeconds: positive().default(30)
    .describe('Seconds a worker holds a task without renewing; a task whose worker died is recovered after this.'),
  urlSecret: z.string().min(16).optional()
    .describe('The server secret: signs result URLs and seals task passwords; embedded default: generated once and kept in the data dir; scaled mode: required, the same on every node.'),
  shutdownGrace: positive().default(30)
    .describe('Seconds SIGTERM waits for running tasks before re-queueing them and exiting.'),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info')
    .describe('Log level: fatal, error, warn, info, debug, trace or silent.'),
  ...SCALED_FIELDS,
}).strict();

export type DocrConfig = Readonly<z.output<typeof configSchema>> & {
  /** Seconds a sync=1 create waits (syncWait, or processingTimeout when unset). */
  readonly syncWaitSeconds: number;
};

export const CONFIG_FIELDS = Object.keys(configSchema.shape) as (keyof typeof configSchema.shape)[];
export const BOOLEAN_FIELDS: ReadonlySet<string> = new Set(['allowPrivateUrls', 'trustProxy', 's3ForcePathStyle', 'migrate']);

/** Cross-field rules, all reported at once with the per-field errors. */
export function crossFieldIssues(c: z.output<typeof configSchema>): string[] {
  const issues: string[] = [];
  if (c.publicUrl && !/^https?:\/\//.test(c.publicUrl)) issues.push('publicUrl: must be an http or https URL');
  if (c.syncWait !== undefined && c.syncWait > c.processingTimeout * 10) {
    issues.push(`syncWait: ${c.syncWait} s is more than ten times processingTimeout (${c.processingTimeout} s)`);
  }
  if (c.urlMaxBytes > c.maxUploadBytes) issues.push('urlMaxBytes: must not exceed maxUploadBytes');
  if (c.queryQps < c.defaultQps) issues.push('queryQps: must be at least defaultQps (polling needs more than creating)');
  issues.push(...modeIssues(c));
  return issues;
}

/** `--data-dir` of dataDir. */
export const flagOf = (field: string) => `--${field.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
/** `DOCR_DATA_DIR` of dataDir. */
export const envOf = (field: string) => `DOCR_${field.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`;
/** How a problem names its setting: `dataDir (--data-dir, DOCR_DATA_DIR)`. */
export const settingName = (field: string) => `${field} (${flagOf(field)}, ${envOf(field)})`;


/** What the mode needs and what contradicts it. */
function modeIssues(c: z.output<typeof configSchema>): string[] {
  const issues: string[] = [];
  if (c.mode === 'embedded') {
    const stray = (['databaseUrl', 'redisUrl', 's3Endpoint', 's3PublicEndpoint', 's3Bucket', 's3AccessKeyId', 's3SecretAccessKey', 'migrate'] as const)
      .filter((f) => c[f] !== undefined && c[f] !== false);
    for (const f of stray) issues.push(`${settingName(f)}: is a scaled-mode setting but the mode is embedded; set DOCR_MODE=scaled (or --mode scaled), or unset it`);
    if (c.workers === 0) issues.push(`${settingName('workers')}: 0 needs scaled mode; embedded mode runs its workers inside docr serve`);
    return issues;
  }
  const need = (f: 'databaseUrl' | 'redisUrl' | 's3Bucket' | 'urlSecret', what: string) => {
    if (c[f] === undefined) issues.push(`${settingName(f)}: scaled mode needs ${what}`);
  };
  need('databaseUrl', 'the PostgreSQL URL, e.g. postgres://docr:secret@db:5432/docr');
  need('redisUrl', 'the Redis URL, e.g. redis://redis:6379');
  need('s3Bucket', 'the bucket for inputs and results');
  need('urlSecret', 'the secret every node shares (it seals task passwords from API node to worker), e.g. from `openssl rand -hex 32`');
  if (c.databaseUrl !== undefined && !/^postgres(ql)?:\/\/./.test(c.databaseUrl)) issues.push(`${settingName('databaseUrl')}: must be a postgres:// or postgresql:// URL`);
  if (c.redisUrl !== undefined && !/^rediss?:\/\/./.test(c.redisUrl)) issues.push(`${settingName('redisUrl')}: must be a redis:// or rediss:// URL`);
  for (const f of ['s3Endpoint', 's3PublicEndpoint'] as const) {
    if (c[f] !== undefined && !/^https?:\/\/./.test(c[f])) issues.push(`${settingName(f)}: must be an http:// or https:// URL`);
  }
  if ((c.s3AccessKeyId === undefined) !== (c.s3SecretAccessKey === undefined)) {
    issues.push(`${settingName(c.s3AccessKeyId === undefined ? 's3AccessKeyId' : 's3SecretAccessKey')}: set both s3AccessKeyId and s3SecretAccessKey, or neither (the AWS default credentials)`);
  }
  return issues;
}
