/**
 * Callbacks: Standard Webhooks signature checked by an independent verifier, the retry
 * schedule on an injected clock, every attempt recorded, delivery through the worker.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CALLBACK_RETRY_SCHEDULE_MS, createWebhookNotifier } from '../../src/adapters/notifier-webhook/index.js';
import { createOutboundGuard } from '../../src/platform/outbound-guard/index.js';
import { toQueryBody } from '../../src/contract/query-body.js';
import { createLocalJobQueue } from '../../src/adapters/job-queue-local/index.js';
import { startWorker } from '../../src/worker/index.js';
import { createEnv, ManualClock, type Env } from '../unit/pipeline-fakes.js';

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'; // the key createEnv makes

/** A receiver's check, written from the Standard Webhooks spec, not from docr's signer. */
function verify(headers: IncomingHttpHeaders, body: string, secret: string): boolean {
  const id = headers['webhook-id'], ts = headers['webhook-timestamp'], sig = headers['webhook-signature'];
  if (typeof id !== 'string' || typeof ts !== 'string' || typeof sig !== 'string') return false;
  const key = Buffer.from(secret.split('_')[1], 'base64');
  const expected = createHmac('sha256', key).update(`${id}.${ts}.${body}`).digest();
  return sig.split(' ').some((part) => {
    const [version, value] = part.split(',');
    const given = Buffer.from(value ?? '', 'base64');
    return version === 'v1' && given.length === expected.length && timingSafeEqual(given, expected);
  });
}

interface Received { headers: IncomingHttpHeaders; body: string }

async function receiver(answers: Array<number | 'hang'>) {
  const got: Received[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => { body += d.toString('utf8'); });
    req.on('end', () => {
      got.push({ headers: req.headers, body });
      const a = answers[got.length - 1] ?? 200;
      if (a === 'hang') return;
      res.writeHead(a); res.end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  return { got, url, close: () => { server.closeAllConnections(); return new Promise((r) => server.close(r)); } };
}

async function finishedTask(env: Env, url: string, state = -7) {
  const task = await env.addTask({ options: { languages: ['English'], format: 'txt', sync: false, callbackUrl: url } });
  assert.ok(await env.store.claim(task.id, 'w', env.clock.now() + 10_000));
  assert.ok(await env.store.update(task.id, 'w', { state, errorCode: 'INVALID_FILE', errorMessage: 'The file is not a supported document.', completedAt: env.clock.now() }));
  const t = await env.store.get(task.id);
  assert.ok(t);
  return t;
}

test('a callback is signed per Standard Webhooks and carries the query body', async () => {
  const env = await createEnv(new ManualClock());
  const rx = await receiver([200]);
  const guard = createOutboundGuard({ allow: ['127.0.0.1'] });
  const notifier = createWebhookNotifier({ store: env.store, clock: env.clock, guard, resultUrlOf: () => 'http://x/r' });
  const task = await finishedTask(env, rx.url);
  const status = await notifier.deliver(task);
  assert.deepEqual({ ...status }, { attempts: 1, delivered: true, lastStatus: 200, lastError: undefined, nextAttemptAt: undefined });
  const [r] = rx.got;
  assert.equal(r.headers['content-type'], 'application/json');
  assert.ok(verify(r.headers, r.body, SECRET), 'signature verifies');
  assert.ok(!verify(r.headers, r.body.replace('-7', '-8'), SECRET), 'a changed body does not verify');
  assert.equal(r.headers['webhook-timestamp'], String(Math.floor(env.clock.now() / 1000)));
  const body = JSON.parse(r.body);
  assert.equal(body.status, 200);
  assert.equal(body.message, 'The file is not a supported document.');
  assert.equal(body.data.task_id, task.id);
  assert.equal(body.data.state, -7);
  assert.equal(body.data.created_at, Math.floor(task.createdAt / 1000), 'timestamps are JSON numbers (SPEC §1.3)');
  assert.equal(typeof body.data.completed_at, 'number');
  assert.deepEqual((await env.store.get(task.id))?.callback, { attempts: 1, delivered: true, lastStatus: 200 });
  assert.deepEqual(toQueryBody((await env.store.get(task.id))!).data.callback, { attempts: 1, delivered: true, last_status: 200 }, 'the query body shows the delivery');
  assert.deepEqual(await env.store.listDueCallbacks(env.clock.now() + 1e10), []);
  await guard.close(); await rx.close(); await env.close();
});

test('non-2xx answers and timeouts are retried on the schedule, each attempt recorded, then given up', async () => {
  const clock = new ManualClock();
  const env = await createEnv(clock);
  const rx = await receiver([500, 'hang', 503, 500, 500, 500, 500]);
  const guard = createOutboundGuard({ allow: ['127.0.0.1'] });
  const notifier = createWebhookNotifier({ store: env.store, clock, guard, resultUrlOf: () => 'http://x/r', timeoutMs: 300 });
  const task = await finishedTask(env, rx.url);
  assert.deepEqual((await env.store.listDueCallbacks(clock.now())).map((t) => t.id), [task.id], 'due at completion');
  for (let i = 0; i < 7; i++) {
    const [due] = await env.store.listDueCallbacks(clock.now());
    assert.equal(due?.id, task.id, `attempt ${i + 1} due`);
    const status = await notifier.deliver(due);
    assert.equal(status.attempts, i + 1);
    assert.equal(status.delivered, false);
    if (i === 1) assert.match(status.lastError ?? '', /no complete answer|did not answer/, 'the timeout is recorded');
    else assert.equal(status.lastStatus, [500, 0, 503][i] ?? 500);
    assert.deepEqual((await env.store.get(task.id))?.callback, JSON.parse(JSON.stringify(status)), 'recorded');
    const delay = CALLBACK_RETRY_SCHEDULE_MS[i];
    if (delay === undefined) { assert.equal(status.nextAttemptAt, undefined, 'given up after the last retry'); break; }
    assert.equal(status.nextAttemptAt, clock.now() + delay);
    clock.advance(delay - 1);
    assert.deepEqual(await env.store.listDueCallbacks(clock.now()), [], 'not due before its time');
    clock.advance(1);
  }
  assert.equal(rx.got.length, 7);
  assert.deepEqual(CALLBACK_RETRY_SCHEDULE_MS, [5_000, 30_000, 120_000, 600_000, 1_800_000, 3_600_000]);
  assert.deepEqual(await env.store.listDueCallbacks(clock.now() + 1e10), []);
  await guard.close(); await rx.close(); await env.close();
});

test('a callback the guard refuses (a private address) fails at once, without retries, and the query body says so', async () => {
  const env = await createEnv(new ManualClock());
  const rx = await receiver([200]);
  const guard = createOutboundGuard();
  const notifier = createWebhookNotifier({ store: env.store, clock: env.clock, guard, resultUrlOf: () => 'http://x/r' });
  const task = await finishedTask(env, rx.url);
  const status = await notifier.deliver(task);
  assert.equal(status.delivered, false);
  assert.match(status.lastError ?? '', /not a public address/);
  assert.equal(status.nextAttemptAt, undefined, 'no retry is scheduled');
  assert.deepEqual(await env.store.listDueCallbacks(env.clock.now() + 1e10), []);
  assert.equal(rx.got.length, 0);
  const body = toQueryBody((await env.store.get(task.id))!);
  assert.deepEqual(body.data.callback, { attempts: 1, delivered: false, last_error: status.lastError, gave_up: true });
  await guard.close(); await rx.close(); await env.close();
});

test('the worker delivers the callback of a finished task with the result URL, signed', async () => {
  const env = await createEnv();
  const rx = await receiver([502, 200]);
  const guard = createOutboundGuard({ allow: ['127.0.0.1'] });
  const notifier = createWebhookNotifier({ store: env.store, clock: env.clock, guard, resultUrlOf: (t) => `http://docr.test/r/${t.id}`, schedule: [50] });
  const queue = createLocalJobQueue();
  const w = startWorker({
    ...env.deps(), queue, notifier,
    options: { concurrency: 1, processingTimeoutMs: 10_000, leaseMs: 5000, maxAttempts: 3, workDir: env.limits().workRoot, urlMaxBytes: 1 << 20, pollMs: 30 },
  });
  await w.ready;
  const task = await env.addTask({ options: { languages: ['English'], format: 'txt', sync: false, callbackUrl: rx.url } });
  await queue.enqueue(task.id);
  const end = Date.now() + 10_000;
  while (!(await env.store.get(task.id))?.callback?.delivered) {
    assert.ok(Date.now() < end, 'callback not delivered');
    await new Promise((r) => setTimeout(r, 20));
  }
  assert.equal(rx.got.length, 2, 'the 502 was retried');
  const last = rx.got[1];
  assert.ok(verify(last.headers, last.body, SECRET));
  assert.equal(last.headers['webhook-id'], rx.got[0].headers['webhook-id'], 'same id across retries');
  const body = JSON.parse(last.body);
  assert.equal(body.message, 'success');
  assert.equal(body.data.state, 1);
  assert.equal(body.data.progress, 100);
  assert.equal(body.data.file, `http://docr.test/r/${task.id}`);
  assert.deepEqual((await env.store.get(task.id))?.callback, { attempts: 2, delivered: true, lastStatus: 200 });
  await w.stop(1000); await guard.close(); await rx.close(); await env.close();
});
