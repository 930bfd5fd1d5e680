/**
 * Scaled mode's bad configurations, as a user meets them: `docr serve` (and `docr worker`)
 * with a setting missing, contradictory or wrong, or a server that does not answer. Each is
 * one clear message naming the setting or server, a non-zero exit, and never a stack trace.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { ROOT } from './live-docr.js';
import { createTestDatabase, REDIS_URL, startS3, type TestS3 } from '../fixtures/scaled-services.js';
import { scaledEnv } from './support/scaled-cluster.js';

const DOCR = path.join(ROOT, 'bin/docr');

interface Outcome { code: number; stderr: string }

async function docr(args: string[], env: Record<string, string | undefined>): Promise<Outcome> {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('DOCR_')));
  try {
    const r = await promisify(execFile)(process.execPath, [DOCR, ...args], {
      env: { ...clean, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', ...env }, timeout: 60_000,
    });
    return { code: 0, stderr: r.stderr };
  } catch (e) {
    const err = e as { code?: number; stderr?: string };
    return { code: typeof err.code === 'number' ? err.code : -1, stderr: err.stderr ?? '' };
  }
}

function assertClearFailure(o: Outcome, expectedCode: number, ...mentions: RegExp[]): void {
  assert.equal(o.code, expectedCode, o.stderr);
  assert.doesNotMatch(o.stderr, /\n\s+at .+:\d+:\d+/, `no stack trace:\n${o.stderr}`);
  assert.match(o.stderr, /^docr: /, o.stderr);
  for (const m of mentions) assert.match(o.stderr, m);
}

/** A port on 127.0.0.1 where nothing listens. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((r) => server.close(r));
  return port;
}

describe('scaled mode: bad configuration', { timeout: 300_000, concurrency: 3 }, () => {
  let s3: TestS3;
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let good: Record<string, string>;
  before(async () => {
    [s3, db] = await Promise.all([startS3(), createTestDatabase()]);
    good = { ...scaledEnv({ databaseUrl: db.url, redisUrl: REDIS_URL, redisPrefix: 'docr-config-test', s3 }) as Record<string, string>, DOCR_MIGRATE: '1' };
  });
  after(async () => { await Promise.all([s3.stop(), db.drop()]); });

  const serve = (env: Record<string, string | undefined>) => docr(['serve', '--port', '0', '--workers', '0'], env);

  it('every missing setting of scaled mode is named, all in one message (exit 2)', async () => {
    const o = await serve({ DOCR_MODE: 'scaled' });
    assertClearFailure(o, 2, /DOCR_DATABASE_URL/, /DOCR_REDIS_URL/, /DOCR_S3_BUCKET/, /DOCR_URL_SECRET/);
    assert.equal(o.stderr.trim().split('\n').filter((l) => l.startsWith('docr: ')).length, 1, 'one message');
  });

  for (const [missing, name] of [['DOCR_DATABASE_URL', 'databaseUrl'], ['DOCR_REDIS_URL', 'redisUrl'], ['DOCR_S3_BUCKET', 's3Bucket'], ['DOCR_URL_SECRET', 'urlSecret']] as const) {
    it(`a missing ${missing} is named (exit 2)`, async () => {
      const o = await serve({ ...good, [missing]: undefined });
      assertClearFailure(o, 2, new RegExp(`${name} \\(--[a-z0-9-]+, ${missing}\\): scaled mode needs`));
    });
  }

  it('contradictory settings: an access key without its secret, URLs of the wrong kind', async () => {
    const o = await serve({ ...good, DOCR_S3_SECRET_ACCESS_KEY: undefined, DOCR_DATABASE_URL: 'mysql://db/x', DOCR_REDIS_URL: 'http://redis', DOCR_S3_ENDPOINT: 'minio:9000' });
    assertClearFailure(o, 2, /s3SecretAccessKey.*set both/, /DOCR_DATABASE_URL.*postgres:\/\//, /DOCR_REDIS_URL.*redis:\/\//, /DOCR_S3_ENDPOINT.*http/);
  });

  it('scaled settings in embedded mode, and --workers 0 without scaled mode, are contradictions', async () => {
    const o = await serve({ DOCR_DATABASE_URL: db.url });
    assertClearFailure(o, 2, /DOCR_DATABASE_URL\): is a scaled-mode setting but the mode is embedded/, /workers.*0 needs scaled mode/);
  });

  it('docr worker in embedded mode says where workers run (exit 2)', async () => {
    assertClearFailure(await docr(['worker'], {}), 2, /scaled mode/);
  });

  it('an unreachable PostgreSQL is retried, then named (exit 1)', async () => {
    const port = await closedPort();
    const o = await serve({ ...good, DOCR_DATABASE_URL: `postgres://docr:secret@127.0.0.1:${port}/docr`, DOCR_CONNECT_TIMEOUT: '1' });
    assertClearFailure(o, 1, new RegExp(`cannot reach PostgreSQL at postgres://docr:\\*\\*\\*@127\\.0\\.0\\.1:${port}/docr \\(.*ECONNREFUSED.*\\) after 1 s; check DOCR_DATABASE_URL`));
    assert.doesNotMatch(o.stderr, /secret/, 'the password is not shown');
  });

  it('an unreachable Redis is retried, then named (exit 1)', async () => {
    const port = await closedPort();
    const o = await serve({ ...good, DOCR_REDIS_URL: `redis://127.0.0.1:${port}`, DOCR_CONNECT_TIMEOUT: '1' });
    assertClearFailure(o, 1, new RegExp(`cannot reach Redis at redis://127\\.0\\.0\\.1:${port}.*ECONNREFUSED.*; check DOCR_REDIS_URL`));
  });

  it('an unreachable S3 endpoint is retried, then named (exit 1)', async () => {
    const port = await closedPort();
    const o = await serve({ ...good, DOCR_S3_ENDPOINT: `http://127.0.0.1:${port}`, DOCR_CONNECT_TIMEOUT: '1' });
    assertClearFailure(o, 1, new RegExp(`cannot reach S3 at bucket docr-test at http://127\\.0\\.0\\.1:${port}.*; check DOCR_S3_ENDPOINT`));
  });

  it('a bucket that does not exist fails at once, named (exit 1)', async () => {
    const o = await serve({ ...good, DOCR_S3_BUCKET: 'no-such-bucket', DOCR_CONNECT_TIMEOUT: '30' });
    assertClearFailure(o, 1, /S3 at bucket no-such-bucket .* refused docr/);
  });

  it('a database behind its migrations is refused with what to run (exit 1)', async () => {
    const fresh = await createTestDatabase();
    try {
      const o = await serve({ ...good, DOCR_DATABASE_URL: fresh.url, DOCR_MIGRATE: undefined });
      assertClearFailure(o, 1, /needs migrations 1: run `docr migrate` \(or start with DOCR_MIGRATE=1\)/);
    } finally { await fresh.drop(); }
  });
});
