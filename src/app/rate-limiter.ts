/**
 * Per-key token buckets (SPEC §1.4): `rate` tokens per second, holding at most `burst`
 * (default: one second's worth, at least 1). In-process: embedded mode runs one API node;
 * scaled mode swaps in a shared limiter behind the same `RateLimiter` shape.
 */
import type { Clock } from '../ports/clock.js';

export interface RateDecision {
  allowed: boolean;
  /** Bucket size (the RateLimit-Limit header). */
  limit: number;
  /** Whole tokens left after this request. */
  remaining: number;
  /** Seconds until the bucket is full again (RateLimit-Reset). */
  resetSeconds: number;
  /** Seconds to wait before a request can pass (Retry-After); 0 when allowed. */
  retryAfterSeconds: number;
}

export interface RateLimiter {
  take(id: string, rate: number, burst?: number): RateDecision;
}

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
    return {
      allowed,
      limit: Math.floor(burst),
      remaining: Math.max(0, Math.floor(b.tokens)),
      resetSeconds: Math.ceil((burst - b.tokens) / rate),
      retryAfterSeconds: allowed ? 0 : Math.max(1, Math.ceil((1 - b.tokens) / rate)),
    };
  }

  private sweep(now: number): void {
    if (now - this.lastSweep < IDLE_EVICT_MS) return;
    this.lastSweep = now;
    for (const [id, b] of this.buckets) if (now - b.at > IDLE_EVICT_MS) this.buckets.delete(id);
  }
}
