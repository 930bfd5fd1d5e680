/**
 * The TaskStore contract (src/ports/task-store.ts), written once and run against every
 * backend: `describeTaskStore('sqlite', factory)`. The factory gets a movable clock.
 */
import { describe, it, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { DocrError } from '../../src/domain/errors.js';
import { TaskState } from '../../src/domain/task-state.js';
import type { Clock } from '../../src/ports/clock.js';
import type { ApiKeyRecord, TaskRecord, TaskStore } from '../../src/ports/task-store.js';

export class ManualClock implements Clock {
  constructor(public t = 1_700_000_000_000) {}
  now() { return this.t; }
  advance(ms: number) { this.t += ms; }
}

export type TaskStoreFactory = (clock: Clock) => Promise<TaskStore>;

export function makeKey(over: Partial<ApiKeyRecord> = {}): ApiKeyRecord {
  return {
    id: `key_${randomUUID().slice(0, 8)}`, name: 'test', hash: randomUUID().replace(/-/g, ''),
    webhookSecret: 'whsec_dGVzdA==', credits: 10, qps: 2, disabled: false, createdAt: 1, ...over,
  };
}

export function makeTask(keyId: string, createdAt: number, over: Partial<TaskRecord> = {}): TaskRecord {
  return {
    id: randomUUID(), keyId, state: TaskState.Queued, progress: 0,
    source: { kind: 'upload', blobKey: 'inputs/x', size: 10 },
    options: { languages: ['English'], format: 'txt', sync: false }, createdAt, attempts: 0, ...over,
  };
}

export function describeTaskStore(name: string, factory: TaskStoreFactory): void {
  describe(`TaskStore contract: ${name}`, () => {
    let store: TaskStore;
    let clock: ManualClock;
    let key: ApiKeyRecord;
    beforeEach(async () => {
      clock = new ManualClock();
      store = await factory(clock);
      key = makeKey({ credits: 2 });
      await store.createKey(key);
    });
    afterEach(async () => { await store.close(); });

    it('inserts a task and takes one credit in the same step', async () => {
      const t = makeTask(key.id, clock.now());
      const r = await store.insertCharged(t);
      assert.equal(r.created, true);
      assert.equal(r.creditsLeft, 1, 'the credits this charge left');
      assert.deepEqual(await store.get(t.id), t);
      assert.equal((await store.getKey(key.id))?.credits, 1);
    });

    it('refuses with INSUFFICIENT_CREDITS and inserts nothing when credits run out', async () => {
      await store.insertCharged(makeTask(key.id, clock.now()));
      await store.insertCharged(makeTask(key.id, clock.now()));
      const third = makeTask(key.id, clock.now());
      await assert.rejects(store.insertCharged(third), (e: unknown) => e instanceof DocrError && e.code === 'INSUFFICIENT_CREDITS');
      assert.equal(await store.get(third.id), undefined);
      assert.equal((await store.getKey(key.id))?.credits, 0);
    });

    it('charges a disabled key nothing and refuses it', async () => {
      await store.updateKey(key.id, { disabled: true });
      await assert.rejects(store.insertCharged(makeTask(key.id, clock.now())));
      assert.equal((await store.getKey(key.id))?.credits, 2);
    });

    it('returns the same task for a repeated idempotency key within 24 h, charging once', async () => {
      const a = makeTask(key.id, clock.now(), { idempotencyKey: 'abc' });
      const b = makeTask(key.id, clock.now(), { idempotencyKey: 'abc' });
      await store.insertCharged(a);
      const again = await store.insertCharged(b);
      assert.equal(again.created, false);
      assert.equal(again.task.id, a.id);
      assert.equal((await store.getKey(key.id))?.credits, 1);
      clock.advance(25 * 3600 * 1000);
      const later = await store.insertCharged(makeTask(key.id, clock.now(), { idempotencyKey: 'abc' }));
      assert.equal(later.created, true);
    });

    it('with an idempotency key too: out of credits is INSUFFICIENT_CREDITS, nothing inserted, and a later key holder is not blocked', async () => {
      await store.insertCharged(makeTask(key.id, clock.now()));
      await store.insertCharged(makeTask(key.id, clock.now()));
      const broke = makeTask(key.id, clock.now(), { idempotencyKey: 'late' });
      await assert.rejects(store.insertCharged(broke), (e: unknown) => e instanceof DocrError && e.code === 'INSUFFICIENT_CREDITS');
      assert.equal(await store.get(broke.id), undefined);
      assert.equal((await store.getKey(key.id))?.credits, 0);
      await store.updateKey(key.id, { credits: 1 });
      const retried = await store.insertCharged(makeTask(key.id, clock.now(), { idempotencyKey: 'late' }));
      assert.equal(retried.created, true, 'the refused create left no task behind to replay');
      assert.equal(retried.creditsLeft, 0);
    });

    it('lets exactly one of several claimers win', async () => {
      const t = makeTask(key.id, clock.now());
      await store.insertCharged(t);
      const results = await Promise.all(['w1', 'w2', 'w3'].map((w) => store.claim(t.id, w, clock.now() + 1000)));
      const winners = results.filter(Boolean);
      assert.equal(winners.length, 1);
      assert.equal(winners[0]?.state, TaskState.Preparing);
      assert.equal(winners[0]?.attempts, 1);
      assert.equal(await store.claim(t.id, 'w4', clock.now() + 1000), undefined);
      assert.equal(await store.claim(randomUUID(), 'w4', clock.now() + 1000), undefined);
    });

    it('applies updates only for the lease owner; progress never decreases and is 100 exactly at success', async () => {
      const t = makeTask(key.id, clock.now());
      await store.insertCharged(t);
      await store.claim(t.id, 'w1', clock.now() + 1000);
      assert.equal(await store.update(t.id, 'other', { progress: 50 }), false);
      assert.equal(await store.update(t.id, 'w1', { state: TaskState.Processing, progress: 60, pagesDone: 1, pagesTotal: 2 }), true);
      await store.update(t.id, 'w1', { progress: 30 });
      assert.equal((await store.get(t.id))?.progress, 60);
      await store.update(t.id, 'w1', { progress: 100 });
      assert.equal((await store.get(t.id))?.progress, 99);
      await store.update(t.id, 'w1', { state: TaskState.Succeeded, resultKey: 'results/x.txt', outputSize: 5 });
      const done = await store.get(t.id);
      assert.equal(done?.state, TaskState.Succeeded);
      assert.equal(done?.progress, 100);
      assert.ok(done?.completedAt);
      assert.equal(await store.update(t.id, 'w1', { state: TaskState.Failed }), false, 'a final state is final');
    });

    it('finds expired leases, re-queues them keeping attempts, and lets them be claimed again', async () => {
      const t = makeTask(key.id, clock.now());
      await store.insertCharged(t);
      await store.claim(t.id, 'w1', clock.now() + 1000);
      assert.deepEqual(await store.listExpiredLeases(clock.now()), []);
      clock.advance(2000);
      assert.deepEqual((await store.listExpiredLeases(clock.now())).map((x) => x.id), [t.id]);
      await store.requeue(t.id);
      const q = await store.get(t.id);
      assert.equal(q?.state, TaskState.Queued);
      assert.equal(q?.attempts, 1);
      assert.deepEqual((await store.listQueued(10)).map((x) => x.id), [t.id]);
      assert.equal((await store.claim(t.id, 'w2', clock.now() + 1000))?.attempts, 2);
    });

    it('lets a task with an expired lease be claimed directly', async () => {
      const t = makeTask(key.id, clock.now());
      await store.insertCharged(t);
      await store.claim(t.id, 'w1', clock.now() + 1000);
      clock.advance(1500);
      assert.equal((await store.claim(t.id, 'w2', clock.now() + 1000))?.leaseOwner, 'w2');
      assert.equal(await store.update(t.id, 'w1', { progress: 10 }), false);
    });

    it('lists queued tasks oldest first, up to the limit', async () => {
      const rich = makeKey({ credits: 10 });
      await store.createKey(rich);
      const ids: string[] = [];
      for (let i = 0; i < 4; i++) {
        const t = makeTask(rich.id, clock.now());
        ids.push(t.id);
        await store.insertCharged(t);
        clock.advance(10);
      }
      assert.deepEqual((await store.listQueued(3)).map((x) => x.id), ids.slice(0, 3));
    });

    it('tracks callbacks due after completion until delivered', async () => {
      const t = makeTask(key.id, clock.now(), { options: { languages: ['English'], format: 'txt', sync: false, callbackUrl: 'http://example.com/cb' } });
      await store.insertCharged(t);
      await store.claim(t.id, 'w1', clock.now() + 1000);
      assert.deepEqual(await store.listDueCallbacks(clock.now()), []);
      await store.update(t.id, 'w1', { state: TaskState.InvalidFile, errorCode: 'INVALID_FILE', errorMessage: 'bad' });
      assert.deepEqual((await store.listDueCallbacks(clock.now())).map((x) => x.id), [t.id]);
      await store.updateCallback(t.id, { attempts: 1, lastStatus: 500, delivered: false, nextAttemptAt: clock.now() + 5000 });
      assert.deepEqual(await store.listDueCallbacks(clock.now()), []);
      clock.advance(5000);
      assert.equal((await store.listDueCallbacks(clock.now())).length, 1);
      await store.updateCallback(t.id, { attempts: 2, lastStatus: 200, delivered: true });
      assert.deepEqual(await store.listDueCallbacks(clock.now()), []);
      assert.deepEqual((await store.get(t.id))?.callback, { attempts: 2, lastStatus: 200, delivered: true });
    });

    it('lists results older than a time and clears them', async () => {
      const t = makeTask(key.id, clock.now());
      await store.insertCharged(t);
      await store.claim(t.id, 'w1', clock.now() + 1000);
      await store.update(t.id, 'w1', { state: TaskState.Succeeded, resultKey: 'results/a.txt' });
      assert.deepEqual(await store.listExpiredResults(clock.now()), []);
      clock.advance(1000);
      assert.deepEqual((await store.listExpiredResults(clock.now())).map((x) => x.id), [t.id]);
      await store.clearResult(t.id);
      assert.deepEqual(await store.listExpiredResults(clock.now()), []);
      assert.equal((await store.get(t.id))?.resultKey, undefined);
    });

    it('cancels a queued or running task in -13 and leaves a final one alone', async () => {
      const queued = makeTask(key.id, clock.now());
      await store.insertCharged(queued);
      const c = await store.cancel(queued.id, 'cancelled by the client');
      assert.equal(c?.state, TaskState.Cancelled);
      assert.equal(c?.errorMessage, 'cancelled by the client');
      assert.ok(c?.completedAt);
      assert.equal(await store.claim(queued.id, 'w1', clock.now() + 1000), undefined, 'a cancelled task is never claimed');
      const running = makeTask(key.id, clock.now());
      await store.insertCharged(running);
      await store.claim(running.id, 'w1', clock.now() + 1000);
      await store.cancel(running.id, 'stop');
      assert.equal(await store.update(running.id, 'w1', { state: TaskState.Succeeded }), false, 'the worker cannot end it otherwise');
      assert.equal((await store.get(running.id))?.state, TaskState.Cancelled);
      assert.equal((await store.cancel(running.id, 'again'))?.errorMessage, 'stop');
      assert.equal(await store.cancel('00000000-0000-4000-8000-000000000000', 'x'), undefined);
    });

    it('removes the sealed password in the write that makes a task final (update or cancel)', async () => {
      const sealed = 'v1.c2VhbGVkLXBhc3N3b3JkLWZvci10aGUtY29udHJhY3Q';
      const withPassword = (id: string) => makeTask(key.id, clock.now(), { id, options: { languages: ['English'], format: 'txt', sync: false, sealedPassword: sealed } });
      const ended = withPassword(randomUUID());
      await store.insertCharged(ended);
      assert.equal((await store.claim(ended.id, 'w1', clock.now() + 1000))?.options.sealedPassword, sealed, 'the worker gets it');
      await store.update(ended.id, 'w1', { state: TaskState.Processing, progress: 50 });
      assert.equal((await store.get(ended.id))?.options.sealedPassword, sealed, 'kept while the task works');
      await store.update(ended.id, 'w1', { state: TaskState.InvalidFile, errorCode: 'WRONG_PASSWORD', errorMessage: 'wrong' });
      const after = await store.get(ended.id);
      assert.equal(after?.options.sealedPassword, undefined);
      assert.ok(!JSON.stringify(after).includes(sealed));
      const cancelled = withPassword(randomUUID());
      await store.insertCharged(cancelled);
      assert.equal((await store.cancel(cancelled.id, 'stop'))?.options.sealedPassword, undefined);
      assert.equal((await store.get(cancelled.id))?.options.sealedPassword, undefined);
    });

    it('refunds a credit', async () => {
      await store.refund(key.id);
      assert.equal((await store.getKey(key.id))?.credits, 3);
    });

    it('stores keys, finds them by hash, lists and updates them', async () => {
      assert.deepEqual(await store.findKeyByHash(key.hash), key);
      assert.equal(await store.findKeyByHash('nope'), undefined);
      assert.equal(await store.updateKey(key.id, { credits: 7, qps: 5, name: 'renamed' }), true);
      assert.equal(await store.updateKey('key_missing', { credits: 1 }), false);
      const [k] = await store.listKeys();
      assert.equal(k.credits, 7);
      assert.equal(k.qps, 5);
      assert.equal(k.name, 'renamed');
    });
  });
}
