/**
 * A scaled docr for end-to-end tests: its own PostgreSQL database, Redis prefix and s3rver
 * bucket (test/fixtures/scaled-services.ts), and docr processes started against them as a
 * user would start them (`docr migrate`, `docr serve --workers 0`, `docr worker`, `docr keys`),
 * each on free ports, all stopped and removed by `stop()`.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { createRedisPrefix, createTestDatabase, startS3, type TestS3 } from '../../fixtures/scaled-services.js';
import { ROOT } from '../live-docr.js';

const DOCR = path.join(ROOT, 'bin/docr');
const run = promisify(execFile);

export interface DocrProcess {
  child: ChildProcess;
  /** The API base (serve) or the admin base (worker). */
  base: string;
  log(): string;
  exited: Promise<number | null>;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export interface ScaledCluster {
  env: NodeJS.ProcessEnv;
  s3: TestS3;
  databaseUrl: string;
  /** `docr <args>` in the cluster's environment, to completion. */
  docr(args: string[], extraEnv?: NodeJS.ProcessEnv): Promise<{ stdout: string; stderr: string }>;
  startApi(flags?: string[]): Promise<DocrProcess>;
  startWorker(flags?: string[]): Promise<DocrProcess>;
  makeKey(credits?: number, qps?: number): Promise<{ key: string; id: string; webhook_secret: string }>;
  stop(): Promise<void>;
}

/** The environment of a scaled docr on these servers (as the README's table names it). */
export function scaledEnv(s: { databaseUrl: string; redisUrl: string; redisPrefix: string; s3: TestS3 }): NodeJS.ProcessEnv {
  return {
    DOCR_MODE: 'scaled',
    DOCR_URL_SECRET: 'a-test-secret-shared-by-every-node',
    DOCR_DATABASE_URL: s.databaseUrl,
    DOCR_REDIS_URL: s.redisUrl,
    DOCR_REDIS_PREFIX: s.redisPrefix,
    DOCR_S3_ENDPOINT: s.s3.endpoint,
    DOCR_S3_BUCKET: s.s3.bucket,
    DOCR_S3_REGION: s.s3.region,
    DOCR_S3_ACCESS_KEY_ID: s.s3.accessKeyId,
    DOCR_S3_SECRET_ACCESS_KEY: s.s3.secretAccessKey,
    DOCR_S3_FORCE_PATH_STYLE: '1',
  };
}

/** Starts `docr <args>` and resolves once its output matches `ready` (group 1: the base URL). */
export async function spawnDocr(args: string[], env: NodeJS.ProcessEnv, ready: RegExp, timeoutMs = 60_000): Promise<DocrProcess> {
  const child = spawn(process.execPath, [DOCR, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const reap = () => { if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL'); };
  process.once('exit', reap);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => { process.removeListener('exit', reap); resolve(code); }));
  let output = '';
  child.stdout!.on('data', (d) => { output += d; });
  child.stderr!.on('data', (d) => { output += d; });
  const base = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`docr ${args[0]} did not start:\n${output}`)), timeoutMs);
    const check = () => { const m = ready.exec(output); if (m) { clearTimeout(timer); resolve(m[1]); } };
    child.stdout!.on('data', check);
    child.stderr!.on('data', check);
    void exited.then((code) => { clearTimeout(timer); reject(new Error(`docr ${args[0]} exited (${code}) before it was ready:\n${output}`)); });
  });
  return {
    child, base, exited, log: () => output,
    async stop(signal: NodeJS.Signals = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

export async function startScaledCluster(settings: Record<string, string> = {}): Promise<ScaledCluster> {
  const [db, redis, s3] = await Promise.all([createTestDatabase(), createRedisPrefix(), startS3()]);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'docr-scaled-'));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...scaledEnv({ databaseUrl: db.url, redisUrl: redis.url, redisPrefix: redis.prefix, s3 }),
    DOCR_DATA_DIR: dataDir, DOCR_LOG_LEVEL: 'warn', DOCR_ALLOW_PRIVATE_URLS: '1', OMP_THREAD_LIMIT: '1',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    ...settings,
  };
  const processes: DocrProcess[] = [];
  const docr = (args: string[], extraEnv: NodeJS.ProcessEnv = {}) => run(process.execPath, [DOCR, ...args], { env: { ...env, ...extraEnv } });
  await docr(['migrate']);
  return {
    env, s3, databaseUrl: db.url, docr,
    async startApi(flags = []) {
      const p = await spawnDocr(['serve', '--workers', '0', '--port', '0', '--host', '127.0.0.1', ...flags], env, /docr is serving on (http:\/\/\S+)/);
      processes.push(p);
      return p;
    },
    async startWorker(flags = []) {
      const p = await spawnDocr(['worker', '--workers', '1', '--admin-port', '0', '--host', '127.0.0.1', ...flags], env, /admin on (http:\/\/[^:]+:\d+)/);
      processes.push(p);
      return p;
    },
    async makeKey(credits = 100, qps = 100) {
      const { stdout } = await docr(['keys', 'create', '--json', '--credits', String(credits), '--qps', String(qps)]);
      return JSON.parse(stdout.trim()) as { key: string; id: string; webhook_secret: string };
    },
    async stop() {
      await Promise.all(processes.map((p) => p.stop('SIGTERM')));
      await Promise.all([db.drop(), redis.drop(), s3.stop()]);
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
