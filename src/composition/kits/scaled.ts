/**
 * The scaled kit (SPEC §6): PostgreSQL for tasks, keys and credits, BullMQ on Redis for the
 * queue, Redis for the rate limits every API node shares, S3-compatible storage for inputs and
 * results. Loaded only through `await import` (kits/index.ts), so embedded users never load
 * these drivers. Opening it waits (boundedly) for the three servers and checks the schema.
 */
import pg from 'pg';
import { Redis } from 'ioredis';
import { createS3BlobStore } from '../../adapters/blob-store-s3/index.js';
import { createBullmqJobQueue } from '../../adapters/job-queue-bullmq/index.js';
import { createRedisRateLimiter } from '../../adapters/rate-limiter-redis/index.js';
import { createPostgresTaskStore, migrate, schemaProblem } from '../../adapters/task-store-postgres/index.js';
import type { DocrConfig } from '../../config/index.js';
import { DocrError } from '../../domain/errors.js';
import { createSecretBox } from '../../platform/secret-box.js';
import type { Kit, KitEnv } from './kit.js';
import { NETWORK_CODES, reachAll, redact, type Server } from './reachable.js';

const PROBE_TIMEOUT_MS = 5000;

type ScaledConfig = DocrConfig & { databaseUrl: string; redisUrl: string; s3Bucket: string; urlSecret: string };

function postgresServer(config: ScaledConfig): Server {
  return {
    name: 'PostgreSQL', where: redact(config.databaseUrl), settings: 'DOCR_DATABASE_URL',
    async probe() {
      const c = new pg.Client({ connectionString: config.databaseUrl, connectionTimeoutMillis: PROBE_TIMEOUT_MS });
      c.on('error', () => {});
      try { await c.connect(); await c.query('SELECT 1'); } finally { await c.end().catch(() => {}); }
    },
    // A server that answered with an SQLSTATE (bad password, no such database) will answer the same again.
    transient: (e) => {
      const code = (e as { code?: unknown }).code;
      return !(typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) || code === '57P03';
    },
  };
}

function redisServer(config: ScaledConfig): Server {
  return {
    name: 'Redis', where: redact(config.redisUrl), settings: 'DOCR_REDIS_URL',
    async probe() {
      const r = new Redis(config.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: PROBE_TIMEOUT_MS });
      let cause: Error | undefined; // the socket's own error (ECONNREFUSED...) says more than ioredis's "Connection is closed"
      r.on('error', (e: Error) => { cause ??= e; });
      try { await r.connect(); await r.ping(); } catch (e) { throw cause ?? e; } finally { r.disconnect(); }
    },
    transient: (e) => NETWORK_CODES.has(String((e as { code?: unknown }).code)) || /closed|timeout/i.test(String((e as Error).message)),
  };
}

function s3Server(config: ScaledConfig, ping: () => Promise<void>): Server {
  return {
    name: 'S3', where: `bucket ${config.s3Bucket} at ${config.s3Endpoint ?? `AWS ${config.s3Region}`}`,
    settings: 'DOCR_S3_ENDPOINT, DOCR_S3_BUCKET and the S3 credentials',
    probe: ping,
    // An HTTP answer (403 credentials, 404 bucket) is final; no answer, or a 5xx, is worth another try.
    transient: (e) => {
      const status = (e as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
      return status === undefined || status >= 500;
    },
  };
}

function scaled(config: DocrConfig): ScaledConfig {
  if (!config.databaseUrl || !config.redisUrl || !config.s3Bucket || !config.urlSecret) throw new DocrError('INTERNAL', 'scaled mode without its settings (loadConfig checks them)');
  return config as ScaledConfig;
}

/** The PostgreSQL store alone, reachable and on the current schema (migrated first when DOCR_MIGRATE=1). */
export async function openScaledStore(config: DocrConfig, env: KitEnv) {
  const c = scaled(config);
  await reachAll([postgresServer(c)], c.connectTimeout * 1000);
  const store = createPostgresTaskStore({ connectionString: c.databaseUrl, clock: env.clock });
  try {
    if (c.migrate) {
      const applied = await migrate(store.pool);
      if (applied.length) env.log.info('database migrated', { versions: applied });
    }
    const problem = await schemaProblem(store.pool);
    if (problem) throw new DocrError('UNAVAILABLE', `PostgreSQL at ${redact(c.databaseUrl)}: ${problem}`);
    return store;
  } catch (e) {
    await store.close();
    throw e;
  }
}

/** `docr migrate`: the pending migrations, applied; returns their versions. */
export async function migrateScaledDatabase(config: DocrConfig): Promise<number[]> {
  const c = scaled(config);
  await reachAll([postgresServer(c)], c.connectTimeout * 1000);
  const store = createPostgresTaskStore({ connectionString: c.databaseUrl });
  try { return await migrate(store.pool); } finally { await store.close(); }
}

export async function openScaledKit(config: DocrConfig, env: KitEnv): Promise<Kit> {
  const c = scaled(config);
  const blobs = createS3BlobStore({
    bucket: c.s3Bucket, region: c.s3Region, endpoint: c.s3Endpoint, publicEndpoint: c.s3PublicEndpoint, forcePathStyle: c.s3ForcePathStyle,
    credentials: c.s3AccessKeyId && c.s3SecretAccessKey ? { accessKeyId: c.s3AccessKeyId, secretAccessKey: c.s3SecretAccessKey } : undefined,
  });
  try {
    await reachAll([postgresServer(c), redisServer(c), s3Server(c, () => blobs.ping())], c.connectTimeout * 1000);
  } catch (e) {
    blobs.close();
    throw e;
  }
  const store = await openScaledStore(c, env);
  const onError = (what: string) => (e: Error) => env.log.warn(`${what} connection error`, { cause: e.message });
  // The queue's stall time is the lease: a killed worker's job and its task lease run out together.
  const queue = createBullmqJobQueue({ redisUrl: c.redisUrl, prefix: c.redisPrefix, stallMs: c.leaseSeconds * 1000, onError: onError('Redis (queue)') });
  const limits = new Redis(c.redisUrl, { maxRetriesPerRequest: 2 });
  limits.on('error', onError('Redis (rate limits)'));
  const probe = async <T>(work: () => Promise<T>) => { try { await work(); return true; } catch { return false; } };
  let closed: Promise<void> | undefined;
  return {
    store, blobs, queue,
    limiter: createRedisRateLimiter(limits, c.redisPrefix),
    // Every process seals and opens task passwords with the same key: the one configured secret.
    urlSecret: c.urlSecret,
    secrets: createSecretBox(c.urlSecret),
    async check() {
      const [database, redis, objectStore] = await Promise.all([
        probe(() => store.listQueued(1)), probe(() => queue.ping()), probe(() => blobs.ping()),
      ]);
      return { database, redis, objectStore };
    },
    close: () => (closed ??= (async () => {
      await queue.close(1000);
      limits.disconnect();
      blobs.close();
      await store.close();
    })()),
  };
}
