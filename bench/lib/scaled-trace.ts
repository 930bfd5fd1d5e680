/**
 * Where scaled mode's per-task overhead goes: an embedded and a scaled deployment composed in
 * this process (API role + worker role with one slot each, on the real kits: SQLite and disk;
 * PostgreSQL, BullMQ/Redis and s3rver), their ports wrapped by round-trips.ts, the same small
 * task run through each in turn. For every call on a task's path (create → the query showing
 * state 1) it reports how many there are per task and their median time, per mode; and it
 * times bare round trips (SELECT 1, PING, PutObject/GetObject/HeadObject/DeleteObject on
 * s3rver with a raw S3 client) in the same run, so that what is s3rver's own cost is apart.
 *
 * One process holds both deployments and the client, so absolute times include some event
 * loop sharing; bench/lib/scaled.ts measures the end-to-end figure on separate processes.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import pg from 'pg';
import { Redis } from 'ioredis';
import { loadConfig } from '../../src/config/load.js';
import { createApiKey } from '../../src/app/keys.js';
import { openKit } from '../../src/composition/kits/index.js';
import { createModules } from '../../src/composition/modules.js';
import { createResultLinks } from '../../src/composition/result-links.js';
import { startApiRole } from '../../src/composition/roles/api.js';
import { startWorkerRole } from '../../src/composition/roles/worker.js';
import { createLogger } from '../../src/platform/logger.js';
import { systemClock } from '../../src/ports/clock.js';
import { migrate, createPool } from '../../src/adapters/task-store-postgres/index.js';
import { createFileTask, queryTask, type Endpoint } from '../../test/e2e/support/client.js';
import { createRedisPrefix, createTestDatabase, startS3 } from '../../test/fixtures/scaled-services.js';
import { scaledEnv } from '../../test/e2e/support/scaled-cluster.js';
import { CallLog, traceKit, type TracedCall } from './round-trips.js';
import { median } from './section.js';

export interface Deployment { name: string; at: Endpoint; log: CallLog; close(): Promise<void> }

async function compose(name: string, env: Record<string, string>): Promise<Deployment> {
  const config = loadConfig({ DOCR_HOST: '127.0.0.1', DOCR_PORT: '0', DOCR_WORKERS: '1', DOCR_LOG_LEVEL: 'warn', DOCR_ALLOW_PRIVATE_URLS: '1', ...env });
  const logger = createLogger('warn');
  const ctx = { clock: systemClock, log: logger };
  const kit = await openKit(config, ctx);
  const log = new CallLog();
  traceKit(log, kit);
  const modules = createModules(config, ctx);
  const links = createResultLinks(config, kit.blobs, kit.urlSecret, systemClock);
  const worker = await startWorkerRole(config, kit, modules, links, ctx);
  const api = await startApiRole(config, kit, modules, links, ctx);
  const base = await api.listen();
  const { key } = await createApiKey(kit.store, systemClock, { credits: 100_000, qps: 1000 });
  return {
    name, log, at: { baseUrl: base, apiKey: key },
    async close() { await api.close(); await worker.close(5000); await modules.close(); await kit.close(); },
  };
}

export interface TaskTrace { totalMs: number; calls: TracedCall[]; t0: number }

/** One task, create → the first query showing state 1 (polled every `pollMs`). */
export async function traceOneTask(d: Deployment, file: string, pollMs = 10): Promise<TaskTrace> {
  d.log.clear();
  const t0 = performance.now();
  const created = await d.log.time('http: create (client side)', () => createFileTask(d.at, file, { format: 'txt', language: 'English' }));
  const id = created.data.task_id;
  if (!id) throw new Error(`create failed: ${JSON.stringify(created)}`);
  for (;;) {
    const q = await d.log.time('http: query (client side)', () => queryTask(d.at, id));
    if (q.data.state === 1) break;
    if (q.data.state < 0) throw new Error(`task failed: ${JSON.stringify(q.data)}`);
    await new Promise((r) => setTimeout(r, pollMs));
  }
  const end = performance.now();
  return { totalMs: end - t0, calls: d.log.between(t0, end), t0 };
}

/** Per kind of call: how many a task makes (median) and the median time of one. */
export function summarise(traces: TaskTrace[]): Map<string, { perTask: number; medianMs: number; totalPerTaskMs: number }> {
  const kinds = new Set(traces.flatMap((t) => t.calls.map((c) => c.kind)));
  const out = new Map<string, { perTask: number; medianMs: number; totalPerTaskMs: number }>();
  for (const kind of [...kinds].sort()) {
    const per = traces.map((t) => t.calls.filter((c) => c.kind === kind));
    out.set(kind, {
      perTask: median(per.map((cs) => cs.length)),
      medianMs: median(per.flat().map((c) => c.end - c.start)),
      totalPerTaskMs: median(per.map((cs) => cs.reduce((s, c) => s + c.end - c.start, 0))),
    });
  }
  return out;
}

export interface BareRoundTrips { pgSelect1: number; pgUpdate: number; redisPing: number; s3Put: number; s3Get: number; s3Head: number; s3Delete: number }

/** Round trips with raw clients on the same servers, `n` each, medians in ms. */
export async function bareRoundTrips(o: { databaseUrl: string; redisUrl: string; s3: { endpoint: string; bucket: string; accessKeyId: string; secretAccessKey: string; region: string } }, body: Buffer, n = 30): Promise<BareRoundTrips> {
  const times: Record<string, number[]> = {};
  const time = async (k: string, f: () => Promise<unknown>) => { const t = performance.now(); await f(); (times[k] ??= []).push(performance.now() - t); };
  const client = new pg.Client({ connectionString: o.databaseUrl });
  await client.connect();
  // A logged table, as tasks is: each autocommitted UPDATE waits for its WAL flush, as a task write does.
  await client.query('CREATE TABLE IF NOT EXISTS bench_rt (id int primary key, v int)');
  await client.query('INSERT INTO bench_rt VALUES (1, 0) ON CONFLICT DO NOTHING');
  const redis = new Redis(o.redisUrl);
  const s3 = new S3Client({ endpoint: o.s3.endpoint, region: o.s3.region, forcePathStyle: true, credentials: { accessKeyId: o.s3.accessKeyId, secretAccessKey: o.s3.secretAccessKey } });
  const Bucket = o.s3.bucket;
  try {
    for (let i = 0; i < n; i++) {
      await time('pgSelect1', () => client.query('SELECT 1'));
      await time('pgUpdate', () => client.query('UPDATE bench_rt SET v = v + 1 WHERE id = 1'));
      await time('redisPing', () => redis.ping());
      const Key = `bench/bare-${i}`;
      await time('s3Put', () => s3.send(new PutObjectCommand({ Bucket, Key, Body: body })));
      await time('s3Head', () => s3.send(new HeadObjectCommand({ Bucket, Key })));
      await time('s3Get', async () => { const r = await s3.send(new GetObjectCommand({ Bucket, Key })); await r.Body!.transformToByteArray(); });
      await time('s3Delete', () => s3.send(new DeleteObjectCommand({ Bucket, Key })));
    }
  } finally {
    await client.query('DROP TABLE IF EXISTS bench_rt').catch(() => {});
    await client.end();
    redis.disconnect();
    s3.destroy();
  }
  return Object.fromEntries(Object.entries(times).map(([k, v]) => [k, median(v)])) as unknown as BareRoundTrips;
}

/** An embedded and a scaled deployment in this process, on fresh servers; `close` removes everything. */
export async function startTracedPair(): Promise<{ embedded: Deployment; scaled: Deployment; bare(body: Buffer): Promise<BareRoundTrips>; close(): Promise<void> }> {
  const [db, redis, s3] = await Promise.all([createTestDatabase(), createRedisPrefix(), startS3()]);
  const pool = createPool(db.url);
  await migrate(pool);
  await pool.end();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'docr-trace-'));
  const scaledDir = fs.mkdtempSync(path.join(os.tmpdir(), 'docr-trace-s-'));
  const env = scaledEnv({ databaseUrl: db.url, redisUrl: redis.url, redisPrefix: redis.prefix, s3 }) as Record<string, string>;
  const embedded = await compose('embedded', { DOCR_DATA_DIR: dataDir });
  const scaled = await compose('scaled', { ...env, DOCR_DATA_DIR: scaledDir });
  return {
    embedded, scaled,
    bare: (body) => bareRoundTrips({ databaseUrl: db.url, redisUrl: redis.url, s3 }, body),
    async close() {
      await Promise.allSettled([embedded.close(), scaled.close()]);
      await Promise.allSettled([db.drop(), redis.drop(), s3.stop()]);
      fs.rmSync(dataDir, { recursive: true, force: true });
      fs.rmSync(scaledDir, { recursive: true, force: true });
    },
  };
}
