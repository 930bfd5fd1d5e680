/**
 * Per-key token buckets (SPEC §1.4): `rate` tokens a second, holding at most `burst`
 * (default: one second's worth, at least 1). Embedded: buckets in the API process
 * (app/rate-limiter.ts); scaled: one bucket per key shared by every API node (Redis).
 */
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
  /** Takes one token from bucket `id` if there is one. In-process limiters answer synchronously. */
  take(id: string, rate: number, burst?: number): RateDecision | Promise<RateDecision>;
}

/** The decision after a take left `tokens` in a bucket of `burst` filling at `rate`: the one rule for every limiter's headers. */
export function rateDecision(allowed: boolean, tokens: number, rate: number, burst: number): RateDecision {
  return {
    allowed,
    limit: Math.floor(burst),
    remaining: Math.max(0, Math.floor(tokens)),
    resetSeconds: Math.ceil((burst - tokens) / rate),
    retryAfterSeconds: allowed ? 0 : Math.max(1, Math.ceil((1 - tokens) / rate)),
  };
}
