/**
 * Access control for the task routes, run in onRequest (before any body is read, so that
 * a rejected upload is never stored): X-API-KEY → key (401), the key's token bucket (429
 * with Retry-After), and for creates an early credit check (402). RateLimit-* headers go
 * on every answer of an authenticated route.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { authenticate, type KeyCache } from '../app/keys.js';
import type { RateLimiter } from '../ports/rate-limiter.js';
import { DocrError } from '../domain/errors.js';
import type { ApiKeyRecord, TaskStore } from '../ports/task-store.js';

declare module 'fastify' {
  interface FastifyRequest {
    apiKey?: ApiKeyRecord;
  }
}

export type AccessKind = 'create' | 'query';

export interface AccessDeps {
  store: TaskStore;
  limiter: RateLimiter;
  /** Queries per second per key. */
  queryQps: number;
  /** Keys seen in the last second, for queries (creates read the store: they need the credits). */
  keyCache?: KeyCache;
  onRejected?: (status: number) => void;
}

export function accessHook(deps: AccessDeps, kind: AccessKind) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const header = request.headers['x-api-key'];
    const key = await authenticate(deps.store, Array.isArray(header) ? header[0] : header, kind === 'query' ? deps.keyCache : undefined);
    request.apiKey = key;
    const rate = kind === 'create' ? key.qps : deps.queryQps;
    // Creates and queries draw from separate buckets, so polling never starves creating.
    const d = await deps.limiter.take(`${kind}:${key.id}`, rate);
    reply.header('RateLimit-Limit', d.limit).header('RateLimit-Remaining', d.remaining).header('RateLimit-Reset', d.resetSeconds);
    if (!d.allowed) {
      reply.header('Retry-After', d.retryAfterSeconds);
      throw new DocrError('RATE_LIMITED', `too many requests: this key may make ${rate} ${kind === 'create' ? 'creates' : 'queries'} per second; retry after ${d.retryAfterSeconds} s`, { retry_after: d.retryAfterSeconds });
    }
    if (kind === 'create' && key.credits <= 0) throw new DocrError('INSUFFICIENT_CREDITS', 'insufficient credits');
  };
}
