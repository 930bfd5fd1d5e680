/**
 * The RateLimiter contract (src/ports/rate-limiter.ts), run against the in-process buckets and
 * the Redis ones. `views` are limiters as two API nodes see them: one object for the
 * in-process limiter (it serves one node), two clients of one Redis for the shared one.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { RateLimiter } from '../../src/ports/rate-limiter.js';

export interface RateLimiterHarness {
  views: [RateLimiter, RateLimiter];
  /** Lets `ms` pass for the buckets (a movable clock, or a real wait). */
  pass(ms: number): Promise<void>;
  close(): Promise<void>;
}

export function describeRateLimiter(name: string, harness: () => Promise<RateLimiterHarness>): void {
  describe(`RateLimiter contract: ${name}`, () => {
    it('allows a burst of `rate`, then refuses with Retry-After, and refills at `rate` a second', async () => {
      const h = await harness();
      const [a] = h.views;
      const id = `create:${randomUUID()}`;
      const first = await a.take(id, 2);
      assert.deepEqual({ ...first }, { allowed: true, limit: 2, remaining: 1, resetSeconds: 1, retryAfterSeconds: 0 });
      assert.equal((await a.take(id, 2)).allowed, true);
      const refused = await a.take(id, 2);
      assert.equal(refused.allowed, false);
      assert.equal(refused.remaining, 0);
      assert.ok(refused.retryAfterSeconds >= 1);
      await h.pass(600);
      assert.equal((await a.take(id, 2)).allowed, true, 'one token back after half a second and more');
      assert.equal((await a.take(id, 2)).allowed, false);
      await h.close();
    });

    it('keeps one bucket per id', async () => {
      const h = await harness();
      const [a] = h.views;
      const [x, y] = [randomUUID(), randomUUID()];
      assert.equal((await a.take(x, 1)).allowed, true);
      assert.equal((await a.take(x, 1)).allowed, false);
      assert.equal((await a.take(y, 1)).allowed, true);
      await h.close();
    });

    it('gives exactly `burst` tokens to many concurrent takes from both nodes', async () => {
      const h = await harness();
      const id = randomUUID();
      const decisions = await Promise.all(Array.from({ length: 50 }, (_, i) => h.views[i % 2].take(id, 2, 2)));
      assert.equal(decisions.filter((d) => d.allowed).length, 2);
      await h.close();
    });
  });
}
