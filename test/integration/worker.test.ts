/** The worker: claim CAS, crash recovery, lease renewal, cancellation, stop() and hand-back. Real SQLite store, fake layer below. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import { createLocalJobQueue } from '../../src/adapters/job-queue-local/index.js';
import { requeueForgotten, startWorker, type WorkerDeps, type WorkerHandle } from '../../src/worker/index.js';
import type { Notifier } from '../../src/ports/notifier.js';
import type { TaskRecord } from '../../src/ports/task-store.js';
import { createEnv, fakeNormaliser, fakeRecognizer, ManualClock, type Env } from '../unit/pipeline-fakes.js';

function recordingNotifier(env: Env): Notifier & { delivered: string[] } {
  const n = {
    delivered: [] as string[],
    async deliver(task: TaskRecord) {
      n.delivered.push(task.id);
      const status = { attempts: 1, lastStatus: 200, delivered: true };
      await env.store.updateCallback(task.id, status);
      return status;
    },
  };
  return n;
}

function worker(env: Env, over: Partial<WorkerDeps> = {}, options: Partial<WorkerDeps['options']> = {}): WorkerHandle {
  const d = env.deps();
  return startWorker({
    ...d, queue: createLocalJobQueue(), notifier: recordingNotifier(env), log: d.log,
    options: { concurrency: 2, processingTimeoutMs: 20_000, leaseMs: 5_000, maxAttempts: 3, workDir: env.limits().workRoot, urlMaxBytes: 30 << 20, pollMs: 50, ...options },
    ...over,
  });
}

async function until(what: string, check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) assert.fail(`timed out waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const stateOf = async (env: Env, id: string) => (await env.store.get(id))?.state;

test('two workers offered the same task: one claims and runs it, the other does nothing', async () => {
  const env = await createEnv();
  const ra = fakeRecognizer(), rb = fakeRecognizer();
  const queueA = createLocalJobQueue(), queueB = createLocalJobQueue();
  const a = worker(env, { recognizer: ra, queue: queueA }), b = worker(env, { recognizer: rb, queue: queueB });
  await Promise.all([a.ready, b.ready]);
  const task = await env.addTask();
  await Promise.all([queueA.enqueue(task.id), queueB.enqueue(task.id)]);
  await until('task ends', async () => (await stateOf(env, task.id)) === 1);
  assert.equal(ra.calls.length + rb.calls.length, 1, 'recognised exactly once');
  assert.equal((await env.store.get(task.id))?.attempts, 1);
  await Promise.all([a.stop(1000), b.stop(1000)]);
  await env.close();
});

test('on start, a dead worker\'s task (lease expired) is re-queued and finished', async () => {
  const clock = new ManualClock();
  const env = await createEnv(clock);
  const orphan = await env.addTask();
  assert.ok(await env.store.claim(orphan.id, 'dead-worker', clock.now() + 1000));
  assert.ok(await env.store.update(orphan.id, 'dead-worker', { state: 6, progress: 40 }));
  clock.advance(2000); // the dead worker's lease runs out
  const w = worker(env);
  await until('it ends', async () => (await stateOf(env, orphan.id)) === 1);
  const t = await env.store.get(orphan.id);
  assert.equal(t?.attempts, 2);
  assert.equal(t?.progress, 100);
  await w.stop(1000);
  await env.close();
});

test('queued tasks the queue forgot are enqueued again: all of them at a start, only old ones while the queue is empty', async () => {
  const clock = new ManualClock();
  const env = await createEnv(clock);
  const queue = createLocalJobQueue();
  const old = await env.addTask();
  clock.advance(60_000);
  const fresh = await env.addTask();
  assert.equal(await requeueForgotten({ store: env.store, queue, clock }, 30_000), 1, 'only the one queued for over 30 s');
  assert.equal(await requeueForgotten({ store: env.store, queue, clock }, 30_000), 0, 'the queue is not empty now');
  assert.equal(await requeueForgotten({ store: env.store, queue, clock }), 2, 'at a start: every queued task');
  assert.equal(await queue.size(), 2, `${old.id} enqueued once, ${fresh.id} once`);
  await env.close();
});

test('a task whose worker died maxAttempts times ends in -13, with its input removed and its callback owed', async () => {
  const clock = new ManualClock();
  const env = await createEnv(clock);
  const task = await env.addTask({ options: { languages: ['English'], format: 'txt', sync: false, callbackUrl: 'http://example.com/cb' } });
  for (let i = 0; i < 3; i++) {
    assert.ok(await env.store.claim(task.id, `dead-${i}`, clock.now() + 1000), `crash ${i}`);
    clock.advance(2000);
  }
  const notifier = recordingNotifier(env);
  const w = worker(env, { notifier }, { maxAttempts: 3 });
  await w.ready;
  const t = await env.store.get(task.id);
  assert.equal(t?.state, -13);
  assert.equal(t?.errorCode, 'CANCELLED');
  assert.match(t?.errorMessage ?? '', /interrupted 3 times/);
  assert.equal(await env.blobs.stat(`inputs/${task.id}`), undefined);
  await w.poll();
  await until('callback delivered', async () => notifier.delivered.includes(task.id));
  await w.stop(1000);
  await env.close();
});

test('the lease is renewed while a long task runs, so recovery elsewhere does not steal it', async () => {
  const env = await createEnv();
  const slow = fakeRecognizer();
  const recognize = slow.recognize.bind(slow);
  slow.recognize = async (img, o) => { await new Promise((r) => setTimeout(r, 300)); return recognize(img, o); };
  const queueA = createLocalJobQueue();
  const a = worker(env, { recognizer: slow, queue: queueA, normaliser: fakeNormaliser(['ocr', 'ocr', 'ocr']) }, { leaseMs: 200 });
  const b = worker(env, {}, { leaseMs: 200, pollMs: 20 }); // polls for expired leases all the time
  await Promise.all([a.ready, b.ready]);
  const task = await env.addTask();
  await queueA.enqueue(task.id);
  await until('task ends', async () => (await stateOf(env, task.id)) === 1);
  const t = await env.store.get(task.id);
  assert.equal(t?.attempts, 1, 'never re-queued');
  assert.equal(t?.leaseOwner, a.id);
  await Promise.all([a.stop(1000), b.stop(1000)]);
  await env.close();
});

test('a task ended elsewhere (cancelled) while it runs is stopped at the next lease renewal', async () => {
  const env = await createEnv();
  const recognizer = fakeRecognizer((i) => (i === 1 ? 'page 1' : 'hang'));
  const queue = createLocalJobQueue();
  // One page at a time, so "page 2 started" is a state the run stays in until the cancel.
  const w = worker(env, { recognizer, queue, normaliser: fakeNormaliser(['ocr', 'ocr', 'ocr']), pageConcurrency: 1 }, { leaseMs: 150 });
  await w.ready;
  const task = await env.addTask();
  await queue.enqueue(task.id);
  await until('page 2 started', async () => recognizer.calls.length === 2);
  await env.store.cancel(task.id, 'The task was cancelled by its owner (DELETE).');
  await until('the run stops', async () => (await readdir(env.limits().workRoot)).length === 0);
  await w.stop(2000);
  assert.deepEqual(recognizer.calls, [1, 2]);
  const t = await env.store.get(task.id);
  assert.equal(t?.state, -13);
  assert.equal(t?.errorMessage, 'The task was cancelled by its owner (DELETE).', 'the cancel\'s own message is kept');
  await env.close();
});

test('stop() lets a short task finish, and re-queues one that runs past the timeout for the next start', async () => {
  const env = await createEnv();
  const queue = createLocalJobQueue();
  const slow = fakeRecognizer();
  const recognize = slow.recognize.bind(slow);
  slow.recognize = async (img, o) => { await new Promise((r) => setTimeout(r, 200)); return recognize(img, o); };
  const w1 = worker(env, { recognizer: slow, queue });
  await w1.ready;
  const quick = await env.addTask();
  await queue.enqueue(quick.id);
  await until('started', async () => slow.calls.length === 1);
  await w1.stop(5000);
  assert.equal(await stateOf(env, quick.id), 1, 'finished during stop');

  const queue2 = createLocalJobQueue();
  const hung = fakeRecognizer(() => 'hang');
  const w2 = worker(env, { recognizer: hung, queue: queue2 });
  await w2.ready;
  const stuck = await env.addTask();
  await queue2.enqueue(stuck.id);
  await until('started', async () => hung.calls.length === 1);
  await w2.stop(100);
  const t = await env.store.get(stuck.id);
  assert.equal(t?.state, 0, 're-queued');
  assert.ok(await env.blobs.stat(`inputs/${stuck.id}`), 'input kept');
  await queue2.enqueue(stuck.id, 1); // ignored: the queue is closed
  assert.equal(hung.calls.length, 1);

  const queue3 = createLocalJobQueue();
  await requeueForgotten({ store: env.store, queue: queue3, clock: env.clock }); // what the next start does
  const w3 = worker(env, { queue: queue3 });
  await until('re-run', async () => (await stateOf(env, stuck.id)) === 1);
  await w3.stop(1000);
  await env.close();
});
