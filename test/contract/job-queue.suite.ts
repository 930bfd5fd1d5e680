/**
 * The JobQueue contract (src/ports/job-queue.ts), written once and run against every
 * backend. Order is not promised; delivery is at least once; a repeated enqueue of a waiting
 * id (same attempt) is a no-op; a consumer that dies mid-job has its job redelivered
 * (backends that can lose a consumer provide `crash`).
 */
import { describe, it, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { JobQueue } from '../../src/ports/job-queue.js';

export interface JobQueueHarness {
  /** A new queue object on the shared backend (a second process's view of the same queue). */
  open(): Promise<JobQueue>;
  /** Ends a consumer as a killed process would: no handler settles, nothing is acknowledged. */
  crash?(queue: JobQueue): Promise<void>;
  /** Removes everything the suite left (called after each test). */
  cleanup(): Promise<void>;
}

async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) assert.fail(`timed out waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** `crashable`: the backend outlives its consumers (Redis), so a consumer's death is tested; an in-process queue dies with its process and is refilled from the TaskStore at the next start. */
export function describeJobQueue(name: string, harness: () => Promise<JobQueueHarness>, opts: { crashable: boolean }): void {
  describe(`JobQueue contract: ${name}`, () => {
    let h: JobQueueHarness;
    const opened: JobQueue[] = [];
    const open = async () => { const q = await h.open(); opened.push(q); return q; };
    afterEach(async () => {
      for (const q of opened.splice(0)) await q.close(1000).catch(() => {});
      await h.cleanup();
    });

    it('hands every enqueued id to a handler, in no promised order', async () => {
      h = await harness();
      const q = await open();
      const ids = Array.from({ length: 20 }, () => randomUUID());
      for (const id of ids) await q.enqueue(id);
      const seen = new Set<string>();
      q.consume(async (id) => { seen.add(id); }, 4);
      await until('all delivered', () => seen.size === ids.length);
      assert.deepEqual([...seen].sort(), [...ids].sort());
    });

    it('counts waiting ids, and adds an id waiting for the same attempt only once', async () => {
      h = await harness();
      const q = await open();
      const id = randomUUID();
      await q.enqueue(id, 0);
      await q.enqueue(id, 0);
      await q.enqueue(id, 1);
      assert.equal(await q.size(), 2);
      const got: string[] = [];
      q.consume(async (x) => { got.push(x); }, 1);
      await until('both attempts delivered', () => got.length === 2);
      await new Promise((r) => setTimeout(r, 200));
      assert.deepEqual(got, [id, id]);
      assert.equal(await q.size(), 0);
    });

    it('runs at most `concurrency` handlers at once', async () => {
      h = await harness();
      const q = await open();
      let running = 0, peak = 0, done = 0;
      q.consume(async () => {
        running++; peak = Math.max(peak, running);
        await new Promise((r) => setTimeout(r, 60));
        running--; done++;
      }, 3);
      for (let i = 0; i < 9; i++) await q.enqueue(randomUUID());
      await until('all done', () => done === 9);
      assert.ok(peak <= 3, `peak ${peak}`);
      assert.ok(peak >= 2, `ran in parallel (peak ${peak})`);
    });

    it('keeps consuming after a handler throws', async () => {
      h = await harness();
      const q = await open();
      const [bad, good] = [randomUUID(), randomUUID()];
      const seen: string[] = [];
      q.consume(async (id) => { seen.push(id); if (id === bad) throw new Error('handler failure'); }, 1);
      await q.enqueue(bad);
      await until('bad seen', () => seen.includes(bad));
      await q.enqueue(good);
      await until('good seen', () => seen.includes(good));
    });

    it('shares one queue between producers and consumers opened separately', async () => {
      h = await harness();
      const producer = await open();
      const consumer = await open();
      const id = randomUUID();
      const seen: string[] = [];
      consumer.consume(async (x) => { seen.push(x); }, 1);
      await producer.enqueue(id);
      await until('delivered', () => seen.includes(id));
    });

    it('close() waits for running handlers, then hands out nothing more', async () => {
      h = await harness();
      const q = await open();
      let finished = false;
      const seen: string[] = [];
      q.consume(async (id) => { seen.push(id); await new Promise((r) => setTimeout(r, 150)); finished = true; }, 1);
      await q.enqueue(randomUUID());
      await until('started', () => seen.length === 1);
      await q.close(5000);
      assert.equal(finished, true);
      await q.enqueue(randomUUID()).catch(() => {});
      await new Promise((r) => setTimeout(r, 200));
      assert.equal(seen.length, 1);
    });

    if (opts.crashable) it('redelivers the job of a consumer that died mid-job (stalled-job recovery)', async () => {
      h = await harness();
      const a = await open();
      const b = await open();
      const id = randomUUID();
      let aGot = false;
      a.consume(async () => { aGot = true; await new Promise(() => {}); }, 1);
      await a.enqueue(id);
      await until('a took it', () => aGot);
      await h.crash!(a);
      const seen: string[] = [];
      b.consume(async (x) => { seen.push(x); }, 1);
      await until('b got it after the stall', () => seen.includes(id), 30_000);
    });
  });
}
