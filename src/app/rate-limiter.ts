/**
 * The in-process RateLimiter (src/ports/rate-limiter.ts): per-key token buckets in this
 * process's memory, for embedded mode's one API node. Scaled mode shares buckets in Redis.
 */
import type { Clock } from '../ports/clock.js';
import { rateDecision, type RateDecision, type RateLimiter } from '../ports/rate-limiter.js';

export type { RateDecision, RateLimiter } from '../ports/rate-limiter.js';

interface Bucket { tokens: number; at: number }

/** Buckets untouched this long are full again and can be forgotten. */
const IDLE_EVICT_MS = 60_000;

export class TokenBucketLimiter implements RateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private lastSweep = 0;

  constructor(private readonly clock: Clock) {}

  take(id: string, rate: number, burst = Math.max(1, rate)): RateDecision {
    const now = this.clock.now();
    this.sweep(now);
    const b = this.buckets.get(id) ?? { tokens: burst, at: now };
    b.tokens = Math.min(burst, b.tokens + ((now - b.at) / 1000) * rate);
    b.at = now;
    const allowed = b.tokens >= 1;
    if (allowed) b.tokens -= 1;
    this.buckets.set(id, b);
    return rateDecision(allowed, b.tokens, rate, burst);
  }

  private sweep(now: number): void {
    if (now - this.lastSweep < IDLE_EVICT_MS) return;
    this.lastSweep = now;
    for (const [id, b] of this.buckets) if (now - b.at > IDLE_EVICT_MS) this.buckets.delete(id);
  }
}
